//! Tenants from AWS Secrets Manager (moto's server mode as the endpoint): create → read →
//! rotate → refresh on failure → unreachable, two tenants side by side, and the operator's
//! `tenant put` and `serve --secret-prefix` commands.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{json, Value};
use ums_oneroster::demo::{self, Scale};
use ums_oneroster::tenants::config::TenantConfig;
use ums_oneroster::tenants::secrets_manager::SecretsManagerProvider;
use ums_oneroster::tenants::{CachePolicy, Registry, Tenants};

use crate::helpers::{config, TestApp};
use crate::moto::{client_for, free_port, sdk_environment, Moto};
use crate::tenants::{
    assert_tokens_stay_with_their_tenant, bearer, get, key, names, tenant_document, token, ALPHA,
    ALPHA_SECRET, BETA, BETA_CUSTOM,
};

pub(crate) const PREFIX: &str = "ums-oneroster/tenants/";
const USERS: &str = "/ims/oneroster/v1p1/users?limit=50";

/// Alpha's and beta's demo databases, in a folder the vault's documents point at.
pub(crate) fn databases() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    demo::init(
        &dir.path().join("alpha.sqlite"),
        Scale::Small,
        1,
        Some(ALPHA_SECRET),
    )
    .unwrap();
    demo::init(&dir.path().join("beta.sqlite"), Scale::Small, 2, None).unwrap();
    dir
}

pub(crate) fn alpha_document(dir: &Path) -> Value {
    let db = dir.join("alpha.sqlite");
    tenant_document(
        "alpha",
        &[ALPHA],
        db.to_str().unwrap(),
        &key("a"),
        &["Office365Teams"],
    )
}

fn beta_document(dir: &Path) -> Value {
    let db = dir.join("beta.sqlite");
    tenant_document(
        "beta",
        &[BETA_CUSTOM],
        db.to_str().unwrap(),
        &key("b"),
        &["Office365Teams"],
    )
}

/// One warm instance of the service reading the vault at `endpoint`.
fn instance(endpoint: &str, policy: CachePolicy) -> TestApp {
    let provider = SecretsManagerProvider::new(client_for(endpoint), PREFIX);
    let registry = Registry::new(Arc::new(provider), Some("oneroster.test"), policy);
    let tenants = Tenants::Registry(Box::new(registry));
    let router = ums_oneroster::http::app(config().state_for(tenants));
    TestApp::from_router(router, "unused.sqlite".into())
}

async fn vault_with_two_tenants() -> (Moto, tempfile::TempDir) {
    let moto = Moto::start();
    let dir = databases();
    moto.put_tenant(PREFIX, &alpha_document(dir.path())).await;
    moto.put_tenant(PREFIX, &beta_document(dir.path())).await;
    moto.put_host_index(PREFIX, json!({ALPHA: "alpha", BETA_CUSTOM: "beta"}))
        .await;
    (moto, dir)
}

#[tokio::test]
async fn two_tenants_from_the_vault_serve_side_by_side_and_stay_isolated() {
    let (moto, _dir) = vault_with_two_tenants().await;
    let app = instance(&moto.endpoint, CachePolicy::default());
    let alpha = bearer(&app, ALPHA, ALPHA_SECRET).await;
    let beta = bearer(&app, BETA, "abc").await;
    let a = get(&app, ALPHA, USERS, &alpha).await;
    let b = get(&app, BETA, USERS, &beta).await;
    assert_eq!((a.status, b.status), (StatusCode::OK, StatusCode::OK));
    assert_ne!(names(&a.body), names(&b.body));
    let custom = get(&app, BETA_CUSTOM, USERS, &beta).await;
    assert_eq!(
        names(&custom.body),
        names(&b.body),
        "custom domain via the index"
    );
    assert_eq!(
        token(&app, ALPHA, "abc").await.status,
        StatusCode::UNAUTHORIZED,
        "beta's secret is not alpha's"
    );
    assert_tokens_stay_with_their_tenant(&app).await;
    let unknown = get(&app, "gamma.oneroster.test", USERS, &alpha).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_rotated_signing_key_reaches_a_warm_instance_through_one_refresh() {
    let (moto, dir) = vault_with_two_tenants().await;
    let warm = instance(&moto.endpoint, CachePolicy::default());
    let old_token = bearer(&warm, ALPHA, ALPHA_SECRET).await;

    let mut rotated = alpha_document(dir.path());
    rotated["tokens"]["signingKeys"] = json!([
        {"id": "alpha-2", "secret": key("n")},
        {"id": "alpha-1", "secret": key("a")}
    ]);
    moto.put_tenant(PREFIX, &rotated).await;
    let new_token = bearer(
        &instance(&moto.endpoint, CachePolicy::default()),
        ALPHA,
        ALPHA_SECRET,
    )
    .await;

    assert_eq!(
        get(&warm, ALPHA, USERS, &new_token).await.status,
        StatusCode::OK,
        "the warm instance refreshes once and accepts the new key"
    );
    assert_eq!(
        get(&warm, ALPHA, USERS, &old_token).await.status,
        StatusCode::OK,
        "tokens signed with the previous key stay valid during the rotation"
    );

    let mut retired = rotated.clone();
    retired["tokens"]["signingKeys"] = json!([{"id": "alpha-2", "secret": key("n")}]);
    moto.put_tenant(PREFIX, &retired).await;
    let after = instance(&moto.endpoint, CachePolicy::default());
    assert_eq!(
        get(&after, ALPHA, USERS, &old_token).await.status,
        StatusCode::UNAUTHORIZED,
        "once the old key is retired its tokens are refused"
    );
    assert_eq!(
        get(&after, ALPHA, USERS, &new_token).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_rotated_client_secret_in_the_vault_reaches_a_warm_instance() {
    let (moto, dir) = vault_with_two_tenants().await;
    let warm = instance(&moto.endpoint, CachePolicy::default());
    bearer(&warm, BETA, "abc").await;
    let mut rotated = beta_document(dir.path());
    // sha256("abd")
    let hash = "a52d159f262b2c6ddb724a61840befc36eb30c88877a4030b65cbe86298449c9";
    rotated["clients"] = json!([{"clientId": "WebserviceUser", "secretSha256": hash}]);
    moto.put_tenant(PREFIX, &rotated).await;
    assert_eq!(token(&warm, BETA, "abd").await.status, StatusCode::OK);
    assert_eq!(
        token(&warm, BETA, "abc").await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// A policy that asks the vault on every request and gives up on a copy after `max_stale`.
fn always_fetch(max_stale: Duration) -> CachePolicy {
    CachePolicy {
        ttl: Duration::ZERO,
        max_stale,
        fetch_timeout: Duration::from_secs(1),
        backoff: Duration::ZERO,
        ..CachePolicy::default()
    }
}

#[tokio::test]
async fn an_unreachable_vault_serves_cached_copies_until_they_expire_then_503() {
    let (mut moto, _dir) = vault_with_two_tenants().await;
    let warm = instance(&moto.endpoint, always_fetch(Duration::from_secs(600)));
    let expiring = instance(&moto.endpoint, always_fetch(Duration::from_secs(1)));
    let auth = bearer(&warm, ALPHA, ALPHA_SECRET).await;
    bearer(&expiring, ALPHA, ALPHA_SECRET).await;
    moto.stop();

    assert_eq!(
        get(&warm, ALPHA, USERS, &auth).await.status,
        StatusCode::OK,
        "the last good copy is served while the vault is down"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let expired = token(&expiring, ALPHA, ALPHA_SECRET).await;
    assert_eq!(
        expired.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "past its hard expiry"
    );

    let cold = instance(&moto.endpoint, CachePolicy::default());
    let refused = token(&cold, ALPHA, ALPHA_SECRET).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(refused.body["error"], "temporarily_unavailable");
    assert!(refused.header("retry-after").is_some());
    let data = get(&cold, BETA, USERS, &auth).await;
    assert_eq!(data.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(data.code_minor(), "server_busy");
    assert!(data.header("retry-after").is_some());
}

#[tokio::test]
async fn a_vault_that_never_answers_gives_503_within_the_fetch_timeout() {
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", silent.local_addr().unwrap());
    std::thread::spawn(move || {
        let held: Vec<TcpStream> = silent.incoming().filter_map(Result::ok).collect();
        drop(held);
    });
    let cold = instance(&endpoint, always_fetch(Duration::from_secs(600)));
    let answer = tokio::time::timeout(Duration::from_secs(20), token(&cold, ALPHA, ALPHA_SECRET))
        .await
        .expect("a silent vault must not hang the request");
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(answer.header("retry-after").is_some());
}

fn cli(moto: &Moto, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ums-oneroster"));
    command.args(args).envs(sdk_environment(&moto.endpoint));
    command
}

/// A child process's server, stopped when dropped (also when an assertion fails).
pub(crate) struct Server(pub std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A raw HTTP/1.1 exchange with a child process's server: (status, body).
pub(crate) fn exchange(port: u16, request: &str) -> (u16, Value) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response.split_once("\r\n\r\n").unwrap().1;
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn tenant_put_writes_the_vault_and_serve_reads_it() {
    let moto = Moto::start();
    let dir = databases();
    let file = dir.path().join("alpha.json");
    std::fs::write(&file, alpha_document(dir.path()).to_string()).unwrap();
    for round in ["created", "new version"] {
        let output = cli(
            &moto,
            &[
                "tenant",
                "put",
                file.to_str().unwrap(),
                "--secret-prefix",
                PREFIX,
            ],
        )
        .output()
        .unwrap();
        assert!(
            output.status.success(),
            "{round}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("stored tenant 'alpha'"));
    }
    let stored = moto
        .client()
        .get_secret_value()
        .secret_id(format!("{PREFIX}alpha"))
        .send()
        .await
        .unwrap();
    let stored = TenantConfig::from_json(stored.secret_string().unwrap()).unwrap();
    assert_eq!(stored.tenant_id, "alpha");

    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = Server(
        cli(
            &moto,
            &[
                "serve",
                "--listen",
                &listen,
                "--base-domain",
                "oneroster.test",
            ],
        )
        .env("UMS_SECRET_PREFIX", PREFIX)
        .stdout(Stdio::null())
        .spawn()
        .unwrap(),
    );
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(server.0.try_wait().unwrap().is_none(), "serve exited");
        std::thread::sleep(Duration::from_millis(50));
    }
    let form = "grant_type=client_credentials&client_id=WebserviceUser&client_secret=";
    let body = format!("{form}{ALPHA_SECRET}");
    let (status, issued) = exchange(
        port,
        &format!(
            "POST /ims/oneroster/v1p1/token HTTP/1.1\r\nHost: alpha.oneroster.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert_eq!(status, 200, "{issued}");
    let access = issued["access_token"].as_str().unwrap();
    let (status, users) = exchange(
        port,
        &format!("GET /ims/oneroster/v1p1/users?limit=3 HTTP/1.1\r\nHost: alpha.oneroster.test\r\nAuthorization: Bearer {access}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 200);
    assert_eq!(users["users"].as_array().unwrap().len(), 3);
}
