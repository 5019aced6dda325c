//! A `sqlServer` tenant from a configuration directory: loaded without connecting, served by
//! hostname from the SQL Server store over TDS 8 strict TLS with the tenant's CA bundle.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::Engine;
use sha2::{Digest, Sha256};

use ums_oneroster::tenants::{CachePolicy, Tenants};

use crate::support::app::{config, send};
use crate::support::certs::{TestPki, SERVER_NAME};
use crate::support::mock::{refusing_strict_server, Mock};

const CLIENT_SECRET: &str = "vault-held-secret-0123";

fn document(port: u16, ca_pem: &str) -> String {
    document_with_password(port, ca_pem, "reader-password")
}

fn document_with_password(port: u16, ca_pem: &str, password: &str) -> String {
    let key = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    let hash = hex(&Sha256::digest(CLIENT_SECRET));
    serde_json::json!({
        "schemaVersion": 1,
        "tenantId": "aarhus",
        "displayName": "Aarhus Kommune",
        "dataSource": {
            "kind": "sqlServer",
            "host": "127.0.0.1",
            "port": port,
            "database": "UMS",
            "user": "ums_oneroster_reader",
            "password": password,
            "encryption": "strict",
            "caBundle": ca_pem,
            "hostNameInCertificate": SERVER_NAME,
            "connectTimeoutSeconds": 2,
            "commandTimeoutSeconds": 5
        },
        "tokens": {"signingKeys": [{"id": "k1", "secret": key}]},
        "clients": [{"clientId": "WebserviceUser", "secretSha256": hash}],
        "entitlement": {"modules": ["Office365Teams"], "expires": "2099-07-31"},
        "identity": {"upnDomains": ["skole.aarhus.dk"]}
    })
    .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn a_sql_server_tenant_is_served_by_hostname_over_strict_tls() {
    let pki = TestPki::new();
    let mock = Mock::strict(&pki).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aarhus.json"),
        document(mock.addr.port(), &pki.ca_pem),
    )
    .unwrap();
    let tenants =
        Tenants::from_directory(dir.path(), Some("oneroster.test"), CachePolicy::default())
            .unwrap();
    let router = ums_oneroster::http::app(config().state_for(tenants));

    let token = issue(&router).await;

    // The mock answers the (unprimed) page statement with an empty result: the request went
    // through the tenant's store, its pool and TLS to the server and back.
    let orgs = send(
        &router,
        Request::get("/ims/oneroster/v1p1/orgs")
            .header(header::HOST, "aarhus.oneroster.test")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        orgs.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&orgs.body)
    );
    assert_eq!(orgs.json()["orgs"], serde_json::json!([]));
    assert_eq!(orgs.header("x-total-count"), Some("0"));
}

#[test]
fn loading_a_sql_server_tenant_does_not_connect() {
    // Nothing listens on port 1: loading still succeeds, outside any runtime.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aarhus.json"),
        document(1, &TestPki::new().ca_pem),
    )
    .unwrap();
    assert!(Tenants::from_directory(dir.path(), None, CachePolicy::default()).is_ok());
}

#[tokio::test]
async fn a_refused_database_login_refreshes_the_configuration_once_and_retries() {
    // The old password is refused (a strict-TLS server that refuses every login stands in for
    // it); the rotated document names the new one (the strict mock, which accepts its login).
    let pki = TestPki::new();
    let mock = Mock::strict(&pki).await;
    let refusing = refusing_strict_server(&pki).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("aarhus.json");
    std::fs::write(
        &file,
        document_with_password(refusing.port(), &pki.ca_pem, "old"),
    )
    .unwrap();
    let policy = CachePolicy {
        min_forced_interval: Duration::from_millis(200),
        ..CachePolicy::default()
    };
    let tenants = Tenants::from_directory(dir.path(), Some("oneroster.test"), policy).unwrap();
    let router = ums_oneroster::http::app(config().state_for(tenants));
    let token = issue(&router).await;
    let orgs = || {
        Request::get("/ims/oneroster/v1p1/orgs")
            .header(header::HOST, "aarhus.oneroster.test")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(
        send(&router, orgs()).await.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "refused, and the configuration has not changed"
    );

    std::fs::write(
        &file,
        document_with_password(mock.addr.port(), &pki.ca_pem, "new"),
    )
    .unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await;
    let rotated = send(&router, orgs()).await;
    assert_eq!(
        rotated.status,
        StatusCode::OK,
        "one refresh picks up the rotated login: {}",
        String::from_utf8_lossy(&rotated.body)
    );
}

async fn issue(router: &axum::Router) -> String {
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("WebserviceUser:{CLIENT_SECRET}"));
    let token = send(
        router,
        Request::post("/ims/oneroster/v1p1/token")
            .header(header::HOST, "aarhus.oneroster.test")
            .header(header::AUTHORIZATION, format!("Basic {basic}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("grant_type=client_credentials"))
            .unwrap(),
    )
    .await;
    assert_eq!(token.status, StatusCode::OK);
    token.json()["access_token"].as_str().unwrap().to_owned()
}
