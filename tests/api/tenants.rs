//! Several tenants from one process: resolution by Host (custom domain or `{tenant}.<base>`),
//! isolation of data, secrets and tokens, and licence refusals.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::{json, Value};
use ums_oneroster::demo::{self, Scale};
use ums_oneroster::tenants::{CachePolicy, Tenants};

use crate::helpers::{basic, config, TestApp, TestResponse};

pub const ALPHA_SECRET: &str = "alpha-secret-0123456789";
pub const BETA_SECRET: &str = "beta-secret-9876543210";
pub const ALPHA: &str = "alpha.skole.test";
pub const BETA: &str = "beta.oneroster.test";
pub const BETA_CUSTOM: &str = "oneroster.beta-kommune.dk";

/// A tenant configuration document; beta's client secret is a hash in the document.
pub fn tenant_document(id: &str, hosts: &[&str], db: &str, key: &str, modules: &[&str]) -> Value {
    let mut document = json!({
        "schemaVersion": 1,
        "tenantId": id,
        "displayName": format!("{id} kommune"),
        "hostnames": hosts,
        "dataSource": {"kind": "sqlite", "path": db},
        "tokens": {"signingKeys": [{"id": format!("{id}-1"), "secret": key}]},
        "entitlement": {"modules": modules, "expires": "2099-12-31"},
        "identity": {"upnDomains": [format!("{id}.dk")]}
    });
    if id == "beta" {
        // Beta's secret lives in the vault (as a hash), overriding its database's.
        let hash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // sha256("abc")
        document["clients"] = json!([{"clientId": "WebserviceUser", "secretSha256": hash}]);
    }
    document
}

fn tenant_file(dir: &Path, id: &str, hosts: &[&str], db: &str, key: &str, modules: &[&str]) {
    let document = tenant_document(id, hosts, db, key, modules);
    std::fs::write(dir.join(format!("{id}.json")), document.to_string()).unwrap();
}

/// A base64 signing key made of `c` repeated.
pub fn key(c: &str) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, c.repeat(32))
}

/// Alpha and beta with their own demo data, secrets and keys, and gamma without a Teams licence.
fn spawn_tenants() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    demo::init(
        &dir.path().join("alpha.sqlite"),
        Scale::Small,
        1,
        Some(ALPHA_SECRET),
    )
    .unwrap();
    demo::init(
        &dir.path().join("beta.sqlite"),
        Scale::Small,
        2,
        Some(BETA_SECRET),
    )
    .unwrap();
    tenant_file(
        dir.path(),
        "alpha",
        &[ALPHA],
        "alpha.sqlite",
        &key("a"),
        &["Office365Teams"],
    );
    tenant_file(
        dir.path(),
        "beta",
        &[BETA_CUSTOM],
        "beta.sqlite",
        &key("b"),
        &["Office365Teams"],
    );
    tenant_file(
        dir.path(),
        "gamma",
        &[],
        "alpha.sqlite",
        &key("c"),
        &["UniLogin"],
    );
    let tenants =
        Tenants::from_directory(dir.path(), Some("oneroster.test"), CachePolicy::default())
            .unwrap();
    let router = ums_oneroster::http::app(config().state_for(tenants));
    let app = TestApp::from_router(router, dir.path().join("alpha.sqlite"));
    (app, dir)
}

pub async fn token(app: &TestApp, host: &str, secret: &str) -> TestResponse {
    let request = Request::post("/token")
        .header(header::HOST, host)
        .header(header::AUTHORIZATION, basic("WebserviceUser", secret))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("grant_type=client_credentials"))
        .unwrap();
    app.send(request).await
}

pub async fn bearer(app: &TestApp, host: &str, secret: &str) -> String {
    let response = token(app, host, secret).await;
    assert_eq!(response.status, StatusCode::OK, "{host}: {}", response.body);
    format!("Bearer {}", response.body["access_token"].as_str().unwrap())
}

pub async fn get(app: &TestApp, host: &str, path: &str, auth: &str) -> TestResponse {
    let request = Request::get(path)
        .header(header::HOST, host)
        .header(header::AUTHORIZATION, auth)
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

pub fn names(body: &Value) -> Vec<String> {
    body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["givenName"].to_string())
        .collect()
}

#[tokio::test]
async fn two_tenants_serve_their_own_data_side_by_side() {
    let (app, _dir) = spawn_tenants();
    let alpha = bearer(&app, ALPHA, ALPHA_SECRET).await;
    let beta = bearer(&app, BETA, "abc").await;
    let a = get(&app, ALPHA, "/ims/oneroster/v1p1/users?limit=50", &alpha).await;
    let b = get(&app, BETA, "/ims/oneroster/v1p1/users?limit=50", &beta).await;
    assert_eq!((a.status, b.status), (StatusCode::OK, StatusCode::OK));
    assert_ne!(
        names(&a.body),
        names(&b.body),
        "different municipalities, different people"
    );
    // The custom domain and the wildcard name reach the same tenant, in any case and with a port.
    let custom = get(
        &app,
        &format!("{}:443", BETA_CUSTOM.to_uppercase()),
        "/ims/oneroster/v1p1/users?limit=50",
        &beta,
    )
    .await;
    assert_eq!(names(&custom.body), names(&b.body));
}

#[tokio::test]
async fn a_token_of_one_tenant_is_refused_by_every_route_family_of_another() {
    let (app, _dir) = spawn_tenants();
    assert_tokens_stay_with_their_tenant(&app).await;
}

/// Alpha's token works at alpha and is refused at beta, on every route family of both trees,
/// without a trace of alpha in beta's answers.
pub async fn assert_tokens_stay_with_their_tenant(app: &TestApp) {
    let alpha = bearer(app, ALPHA, ALPHA_SECRET).await;
    let families = [
        "academicSessions",
        "classes",
        "courses",
        "demographics",
        "enrollments",
        "gradingPeriods",
        "orgs",
        "schools",
        "students",
        "teachers",
        "terms",
        "users",
    ];
    for family in families {
        for base in ["/ims/oneroster/v1p1", "/ims/oneroster/rostering/v1p2"] {
            let path = format!("{base}/{family}");
            assert_eq!(
                get(app, ALPHA, &path, &alpha).await.status,
                StatusCode::OK,
                "{path}"
            );
            let refused = get(app, BETA, &path, &alpha).await;
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{path}");
            assert!(
                !refused.body.to_string().contains("alpha"),
                "no trace of the other tenant"
            );
        }
    }
    let nested = get(
        app,
        BETA,
        "/ims/oneroster/v1p1/schools/org-999001/classes",
        &alpha,
    )
    .await;
    assert_eq!(nested.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn each_tenant_has_its_own_client_secret() {
    let (app, _dir) = spawn_tenants();
    let wrong = token(&app, BETA, ALPHA_SECRET).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body["error"], "invalid_client");
}

#[tokio::test]
async fn a_hashed_secret_in_the_configuration_overrides_the_database() {
    let (app, _dir) = spawn_tenants();
    assert_eq!(token(&app, BETA, "abc").await.status, StatusCode::OK);
    assert_eq!(
        token(&app, BETA, BETA_SECRET).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn unknown_hosts_get_a_404_that_names_no_tenant() {
    let (app, _dir) = spawn_tenants();
    let alpha = bearer(&app, ALPHA, ALPHA_SECRET).await;
    for host in [
        "unknown.example.dk",
        "delta.oneroster.test",
        "oneroster.test",
    ] {
        let response = get(&app, host, "/ims/oneroster/v1p1/users", &alpha).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{host}");
        let text = response.body.to_string();
        assert!(
            text.contains("no OneRoster service at this address"),
            "{text}"
        );
        assert!(!text.contains("alpha") && !text.contains("beta"));
        assert_eq!(
            token(&app, host, ALPHA_SECRET).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn an_unlicensed_tenant_is_refused_with_403() {
    let (app, _dir) = spawn_tenants();
    let host = "gamma.oneroster.test";
    let response = token(&app, host, ALPHA_SECRET).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(response.body["error_description"]
        .as_str()
        .unwrap()
        .contains("Office365Teams"));
    let data = get(&app, host, "/ims/oneroster/v1p1/users", "Bearer x").await;
    assert_eq!(data.status, StatusCode::FORBIDDEN);
    assert!(data.body.to_string().contains("not licensed"));
}
