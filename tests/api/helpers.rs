//! `spawn_app()` and a small client for the tests.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use ums_oneroster::config::{ServeConfig, SigningKey};
use ums_oneroster::demo::{self, Scale};
use ums_oneroster::http::ceiling::ResponseCeiling;
use ums_oneroster::store::sqlite::SqliteStore;

pub const SECRET: &str = "test-secret-0123456789";
pub const HOST: &str = "skole.test";
pub const BASE: &str = "/ims/oneroster/v1p1";

/// One demo municipality for the whole test binary; each app gets its own copy of the file.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let path = dir.join("template.sqlite");
        demo::init(&path, Scale::Small, 2026, Some(SECRET)).unwrap();
        path
    })
}

pub struct TestApp {
    pub router: Router,
    pub db: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn total(&self) -> u64 {
        self.header("x-total-count").unwrap().parse().unwrap()
    }

    /// The array under `key`.
    pub fn list(&self, key: &str) -> &Vec<Value> {
        self.body[key]
            .as_array()
            .unwrap_or_else(|| panic!("no array '{key}' in {}", self.body))
    }

    pub fn ids(&self, key: &str) -> Vec<String> {
        self.list(key)
            .iter()
            .map(|r| r["sourcedId"].as_str().unwrap().to_owned())
            .collect()
    }

    pub fn code_minor(&self) -> &str {
        self.body["statusInfoSet"][0]["imsx_codeMinor"]
            .as_str()
            .unwrap_or("")
    }
}

pub fn config() -> ServeConfig {
    ServeConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database: PathBuf::new(),
        public_origin: None,
        signing_key: Some(SigningKey::new(vec![42; 32]).unwrap()),
        token_lifetime: Duration::from_secs(3600),
        max_in_flight: 64,
    }
}

pub fn spawn_app() -> TestApp {
    spawn_app_with(config())
}

pub fn spawn_app_with(config: ServeConfig) -> TestApp {
    spawn_app_limited(config, None)
}

/// An app whose host cannot deliver responses over `ceiling` (as a buffered Lambda).
pub fn spawn_app_limited(config: ServeConfig, ceiling: Option<ResponseCeiling>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    std::fs::copy(template(), &db).unwrap();
    let store = SqliteStore::open(&db).unwrap();
    let mut state = config.state(Arc::new(store));
    state.response_ceiling = ceiling;
    let router = ums_oneroster::http::app(state);
    TestApp {
        router,
        db,
        _dir: Some(dir),
    }
}

pub fn basic(id: &str, secret: &str) -> String {
    let raw = format!("{id}:{secret}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

impl TestApp {
    /// An app over a router built elsewhere (its files are owned by the caller).
    pub fn from_router(router: Router, db: PathBuf) -> TestApp {
        TestApp {
            router,
            db,
            _dir: None,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                panic!("not JSON ({status}): {}", String::from_utf8_lossy(&bytes))
            })
        };
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn post_token(&self, authorization: Option<&str>, form: &str) -> TestResponse {
        let mut request = Request::post("/ims/oneroster/v1p1/token")
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        self.send(request.body(Body::from(form.to_owned())).unwrap())
            .await
    }

    pub async fn token_for(&self, scope: Option<&str>) -> String {
        let form = match scope {
            Some(scope) => format!("grant_type=client_credentials&scope={}", urlencode(scope)),
            None => "grant_type=client_credentials".to_owned(),
        };
        let response = self
            .post_token(Some(&basic("WebserviceUser", SECRET)), &form)
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        response.body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn token(&self) -> String {
        self.token_for(None).await
    }

    /// GET `path` (relative to the 1.1 base when it starts with `/`, as-is otherwise) with
    /// `authorization`.
    pub async fn get_as(&self, path: &str, authorization: Option<&str>) -> TestResponse {
        let root = ["/health", "/openapi.json"].contains(&path);
        let uri = if path.starts_with("/ims") || path.starts_with("/IMS") || root {
            path.to_owned()
        } else {
            format!("{BASE}{path}")
        };
        let uri = uri.replace(' ', "%20");
        let mut request = Request::get(uri).header(header::HOST, HOST);
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// GET with a fresh full-scope token.
    pub async fn get(&self, path: &str) -> TestResponse {
        let token = self.token().await;
        self.get_as(path, Some(&format!("Bearer {token}"))).await
    }

    /// Every record of a collection, paging with `limit`.
    pub async fn get_all(&self, path: &str, key: &str, limit: u32) -> Vec<Value> {
        let token = format!("Bearer {}", self.token().await);
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut all = Vec::new();
        loop {
            let page = self
                .get_as(
                    &format!("{path}{sep}limit={limit}&offset={}", all.len()),
                    Some(&token),
                )
                .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let records = page.list(key).clone();
            let done = records.len() < limit as usize;
            all.extend(records);
            if done {
                assert_eq!(all.len() as u64, page.total());
                return all;
            }
        }
    }
}

pub fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A configuration whose tokens are signed with a key made of `byte`.
pub fn config_with_key(byte: u8) -> ServeConfig {
    ServeConfig {
        signing_key: Some(SigningKey::new(vec![byte; 32]).unwrap()),
        ..config()
    }
}
