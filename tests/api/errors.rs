//! Error shapes: every failure is a OneRoster 1.1 status payload, never HTML or a stack trace.

#![allow(clippy::unwrap_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};

use crate::helpers::{config, spawn_app, spawn_app_with, HOST};

fn assert_status_payload(body: &serde_json::Value, code_minor: &str) {
    let entry = &body["statusInfoSet"][0];
    assert_eq!(entry["imsx_codeMajor"], "failure", "{body}");
    assert_eq!(entry["imsx_severity"], "error");
    assert_eq!(entry["imsx_codeMinor"], code_minor);
    assert!(entry["imsx_description"].is_string());
}

#[tokio::test]
async fn unknown_routes_are_404_in_the_status_shape() {
    let app = spawn_app();
    let response = app.get("/gradebook/lineItems").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_status_payload(&response.body, "unknown object");
}

#[tokio::test]
async fn writes_are_405() {
    let app = spawn_app();
    let token = app.token().await;
    let request = Request::put("/ims/oneroster/v1p1/users/x")
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from("{}"))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_status_payload(&response.body, "unsupported");
    assert!(response.header("allow").unwrap().contains("GET"));
}

#[tokio::test]
async fn overload_is_429_with_retry_after() {
    // One request in flight at most: a second concurrent one is shed.
    let app = spawn_app_with(ums_oneroster::config::ServeConfig {
        max_in_flight: 1,
        ..config()
    });
    let token = format!("Bearer {}", app.token().await);
    let (a, b, c) = tokio::join!(
        app.get_as("/enrollments?limit=10000", Some(&token)),
        app.get_as("/enrollments?limit=10000", Some(&token)),
        app.get_as("/enrollments?limit=10000", Some(&token)),
    );
    let statuses = [a.status, b.status, c.status];
    assert!(statuses.contains(&StatusCode::OK), "{statuses:?}");
    let shed: Vec<_> = [a, b, c]
        .into_iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert!(!shed.is_empty(), "{statuses:?}");
    assert_status_payload(&shed[0].body, "server_busy");
    assert!(shed[0].header("retry-after").is_some());
}

#[tokio::test]
async fn a_broken_database_is_a_500_that_leaks_nothing() {
    let app = spawn_app();
    let token = app.token().await;
    // Drop a view behind the service's back.
    let conn = rusqlite::Connection::open(&app.db).unwrap();
    conn.execute_batch("DROP VIEW oneroster_courses").unwrap();
    drop(conn);
    let response = app
        .get_as("/courses", Some(&format!("Bearer {token}")))
        .await;
    assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_status_payload(&response.body, "internal_server_error");
    let text = response.body.to_string();
    assert!(
        !text.contains("oneroster_courses") && !text.contains("no such"),
        "{text}"
    );
}

#[tokio::test]
async fn health_needs_no_token() {
    let app = spawn_app();
    let response = app.get_as("/health", None).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body["status"], "ok");
}

#[tokio::test]
async fn requests_get_a_request_id() {
    let app = spawn_app();
    let response = app.get("/orgs").await;
    assert!(response
        .header("x-request-id")
        .is_some_and(|id| id.len() >= 32));
}
