//! gzip for clients that accept it, and a host's response ceiling: a page too large for the
//! host is a OneRoster 413 that tells the client what to do, never a truncated body.

#![allow(clippy::unwrap_used)]

use std::io::Read;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use ums_oneroster::hosts::lambda::payload;
use ums_oneroster::http::ceiling::ResponseCeiling;

use crate::helpers::{config, spawn_app, spawn_app_limited, TestApp, HOST};

struct Raw {
    status: StatusCode,
    encoding: Option<String>,
    vary: Option<String>,
    body: Vec<u8>,
}

impl Raw {
    fn json(&self) -> Value {
        let bytes = match self.encoding.as_deref() {
            Some("gzip") => {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&self.body[..])
                    .read_to_end(&mut plain)
                    .unwrap();
                plain
            }
            _ => self.body.clone(),
        };
        serde_json::from_slice(&bytes).unwrap()
    }
}

async fn get(app: &TestApp, path: &str, gzip: bool) -> Raw {
    let token = app.token().await;
    let mut request = Request::get(path)
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if gzip {
        request = request.header(header::ACCEPT_ENCODING, "gzip");
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let text = |name| {
        response
            .headers()
            .get(name)
            .map(|v: &header::HeaderValue| v.to_str().unwrap().to_owned())
    };
    Raw {
        status: response.status(),
        encoding: text(header::CONTENT_ENCODING),
        vary: text(header::VARY),
        body: response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    }
}

const USERS: &str = "/ims/oneroster/v1p1/users?limit=100";

#[tokio::test]
async fn pages_are_gzipped_only_for_clients_that_accept_gzip() {
    let app = spawn_app();
    let plain = get(&app, USERS, false).await;
    let gzipped = get(&app, USERS, true).await;
    assert_eq!(
        (plain.status, gzipped.status),
        (StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(plain.encoding, None);
    assert_eq!(gzipped.encoding.as_deref(), Some("gzip"));
    assert!(gzipped
        .vary
        .as_deref()
        .unwrap()
        .to_lowercase()
        .contains("accept-encoding"));
    assert_eq!(gzipped.json(), plain.json());
    assert!(gzipped.body.len() * 5 < plain.body.len());
}

/// A buffered-Lambda-like ceiling, small enough for the small demo.
fn ceiling(max_bytes: usize) -> Option<ResponseCeiling> {
    Some(ResponseCeiling {
        max_bytes,
        ..payload::BUFFERED
    })
}

#[tokio::test]
async fn a_page_over_the_hosts_ceiling_is_a_413_that_says_what_to_do() {
    let app = spawn_app_limited(config(), ceiling(20_000));
    let refused = get(&app, USERS, false).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    let status = &refused.json()["statusInfoSet"][0];
    assert_eq!(status["imsx_codeMajor"], "failure");
    assert_eq!(status["imsx_codeMinor"], "invalid data");
    let advice = status["imsx_description"].as_str().unwrap();
    assert!(advice.contains("a buffered Lambda response"), "{advice}");
    assert!(advice.contains("smaller limit"), "{advice}");
    assert!(advice.contains("Accept-Encoding: gzip"), "{advice}");

    // The same page fits gzipped, and a small page fits as it is.
    assert_eq!(get(&app, USERS, true).await.status, StatusCode::OK);
    let small = get(&app, "/ims/oneroster/v1p1/users?limit=5", false).await;
    assert_eq!(small.status, StatusCode::OK);
    assert_eq!(small.json()["users"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn over_the_ceiling_even_gzipped_the_advice_is_a_smaller_limit() {
    let app = spawn_app_limited(config(), ceiling(2_000));
    let refused = get(&app, "/ims/oneroster/rostering/v1p2/users?limit=100", true).await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    // The 1.2 tree's bare imsx_StatusInfo shape.
    let status = refused.json();
    assert_eq!(
        status["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"],
        "invaliddata"
    );
    let advice = status["imsx_description"].as_str().unwrap();
    assert!(
        advice.contains("smaller limit") && !advice.contains("gzip"),
        "{advice}"
    );
}
