//! `bootstrap` as a Lambda function: API Gateway events in, gateway responses out, through the
//! real runtime client and lambda_http, against the runtime API emulator.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;
use ums_oneroster::hosts::lambda::payload;

use crate::moto::{sdk_environment, Moto};
use crate::runtime_api::{GatewayResponse, Reply, RuntimeApi};
use crate::support::{
    gunzip, tenant_document, tenant_env, tenants_dir, write_tenant, Bootstrap, CUSTOM_DOMAIN,
    SECRET, TENANT,
};

/// A fixture from `fixtures/`, with `token` where it says `{{token}}`.
fn fixture(name: &str, token: &str) -> Value {
    let path = format!(
        "{}/tests/cloud/fixtures/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text.replace("{{token}}", token)).unwrap()
}

/// A function instance: the emulator, `bootstrap` polling it, and the tenant's files.
struct Function {
    api: RuntimeApi,
    process: Bootstrap,
    _tenants: tempfile::TempDir,
}

impl Function {
    async fn start(extra_env: &[(&'static str, &str)]) -> Function {
        Self::start_logging(extra_env, false).await
    }

    async fn start_logging(extra_env: &[(&'static str, &str)], capture_log: bool) -> Function {
        let tenants = tenants_dir();
        let mut env = tenant_env(tenants.path());
        env.extend(extra_env.iter().map(|(k, v)| (*k, (*v).to_owned())));
        Self::start_with(tenants, env, capture_log).await
    }

    /// An instance whose tenant source is whatever `env` selects; `files` holds its data.
    async fn start_with(
        files: tempfile::TempDir,
        env: Vec<(&'static str, String)>,
        capture_log: bool,
    ) -> Function {
        let api = RuntimeApi::start().await;
        let mut all = api.env();
        all.extend(env);
        let process = Bootstrap::start(&all, capture_log);
        Function {
            api,
            process,
            _tenants: files,
        }
    }

    async fn call(&self, event: &Value) -> GatewayResponse {
        GatewayResponse::from_reply(self.api.invoke(event).await)
    }

    /// A bearer token from the token fixture `name`.
    async fn token(&self, name: &str) -> String {
        let reply = self.call(&fixture(name, "")).await;
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        let body: Value = serde_json::from_slice(&reply.body).unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }
}

/// The records of a page, checked to carry exactly `sourcedId` and `givenName` with an `a`.
fn check_selected_users(reply: &GatewayResponse, envelope: &str) -> usize {
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    let users = body[envelope].as_array().unwrap();
    for user in users {
        let keys: BTreeSet<&str> = user
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, BTreeSet::from(["givenName", "sourcedId"]), "{user}");
        let name = user["givenName"].as_str().unwrap().to_lowercase();
        assert!(name.contains('a'), "{user}");
    }
    users.len()
}

/// The buffered-payload estimate the host's ceiling uses never undercounts what lambda_http
/// actually posts, and stays close to it.
fn check_payload_estimate(reply: &GatewayResponse) {
    let mut headers = HeaderMap::new();
    for (name, value) in &reply.headers {
        headers.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    let estimate = payload::buffered_bytes(&headers, &reply.body);
    assert!(
        estimate >= reply.payload_bytes && estimate <= reply.payload_bytes + 400,
        "estimate {estimate}, posted {}",
        reply.payload_bytes
    );
}

#[tokio::test]
async fn rest_api_events_on_a_custom_domain_get_a_token_and_users() {
    let function = Function::start(&[]).await;
    let token = function.token("rest_v1_token").await;
    let users = function.call(&fixture("rest_v1_users", &token)).await;
    // The multi-value query string reached the router whole: both fields, the filter, the limit.
    assert_eq!(check_selected_users(&users, "users"), 3);
    assert!(
        users
            .header("x-total-count")
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 3
    );
    // The stage (`prod`) is not in the path, and the links name the custom domain.
    let link = users.header("link").unwrap();
    assert!(
        link.contains(&format!(
            "<https://{CUSTOM_DOMAIN}/ims/oneroster/v1p1/users?"
        )),
        "{link}"
    );
    assert!(link.contains("fields=sourcedId&fields=givenName"), "{link}");
    assert_eq!(users.header("content-type"), Some("application/json"));
    check_payload_estimate(&users);
}

#[tokio::test]
async fn http_api_events_get_a_token_and_users_from_the_1p2_tree() {
    let function = Function::start(&[]).await;
    let token = function.token("http_v2_token").await;
    let users = function.call(&fixture("http_v2_users", &token)).await;
    assert_eq!(check_selected_users(&users, "users"), 3);
    let link = users.header("link").unwrap();
    assert!(
        link.contains(&format!(
            "<https://{CUSTOM_DOMAIN}/ims/oneroster/rostering/v1p2/users?"
        )),
        "{link}"
    );
    check_payload_estimate(&users);
}

/// The users fixture for a plain page of `limit` records, gzip accepted or not.
fn users_page(token: &str, limit: &str, gzip: bool) -> Value {
    let mut event = fixture("rest_v1_users", token);
    event["queryStringParameters"] = serde_json::json!({ "limit": limit });
    event["multiValueQueryStringParameters"] = serde_json::json!({ "limit": [limit] });
    if gzip {
        event["headers"]["Accept-Encoding"] = "gzip, deflate, br".into();
        event["multiValueHeaders"]["Accept-Encoding"] = serde_json::json!(["gzip, deflate, br"]);
    }
    event
}

#[tokio::test]
async fn gzip_travels_base64_encoded_and_shrinks_the_payload() {
    let function = Function::start(&[]).await;
    let token = function.token("rest_v1_token").await;
    let plain = function.call(&users_page(&token, "500", false)).await;
    let gzipped = function.call(&users_page(&token, "500", true)).await;
    assert_eq!((plain.status, gzipped.status), (200, 200));
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    assert_eq!(gunzip(&gzipped.body), plain.body);
    assert!(
        gzipped.payload_bytes * 4 < plain.payload_bytes,
        "gzip {} vs plain {}",
        gzipped.payload_bytes,
        plain.payload_bytes
    );
    check_payload_estimate(&plain);
    check_payload_estimate(&gzipped);
}

#[tokio::test]
async fn streamed_responses_carry_status_headers_and_body() {
    let function = Function::start(&[("UMS_LAMBDA_RESPONSE_MODE", "stream")]).await;
    let token = function.token("rest_v1_token").await;
    let users = function.call(&fixture("rest_v1_users", &token)).await;
    assert_eq!(check_selected_users(&users, "users"), 3);
    assert!(users.header("x-total-count").is_some());
    assert_eq!(users.header("content-type"), Some("application/json"));
    let reply = function.api.invoke(&users_page(&token, "20", false)).await;
    assert!(matches!(reply, Reply::Response { streamed: true, .. }));
}

#[tokio::test]
async fn a_start_up_failure_is_reported_to_lambda_as_an_init_error() {
    let tenants = tenants_dir();
    std::fs::remove_file(tenants.path().join("eksempel.sqlite")).unwrap();
    write_tenant(tenants.path(), "missing.sqlite");
    let api = RuntimeApi::start().await;
    let mut env = api.env();
    env.extend(tenant_env(tenants.path()));
    let mut process = Bootstrap::start(&env, false);
    let reason: Value = serde_json::from_str(&api.init_error().await).unwrap();
    assert_eq!(reason["errorType"], "Runtime.InitError");
    let message = reason["errorMessage"].as_str().unwrap();
    assert!(message.contains("tenant 'eksempel'"), "{message}");
    assert_eq!(process.exit_code(), Some(1));
}

#[tokio::test]
async fn logs_are_json_lines_with_the_lambda_request_id_and_no_secrets() {
    let function = Function::start_logging(&[("AWS_LAMBDA_LOG_FORMAT", "JSON")], true).await;
    let token = function.token("rest_v1_token").await;
    let users = function.call(&fixture("rest_v1_users", &token)).await;
    assert_eq!(users.status, 200);
    let Function { process, .. } = function;
    let log = process.stop();
    let lines: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let requests: Vec<&Value> = lines
        .iter()
        .filter(|line| line["target"] == "ums_oneroster::request")
        .collect();
    assert_eq!(requests.len(), 2, "{log}");
    for (line, request_id) in requests.iter().zip(["req-1", "req-2"]) {
        assert_eq!(line["span"]["requestId"], request_id, "{line}");
        assert_eq!(line["status"], 200);
        assert_eq!(line["tenant"], "eksempel");
    }
    assert!(!log.contains(&token) && !log.contains(SECRET));
}

#[tokio::test]
async fn bootstrap_outside_a_cloud_host_says_so() {
    let mut process = Bootstrap::start(&[], true);
    assert_eq!(process.exit_code(), Some(1));
    let log = process.stop();
    assert!(log.contains("AWS_LAMBDA_RUNTIME_API"), "{log}");
}

#[tokio::test]
async fn with_tenants_in_secrets_manager_the_custom_domain_finds_its_tenant() {
    const PREFIX: &str = "ums-oneroster/tenants/";
    let files = tenants_dir();
    let moto = Moto::start();
    let db = files.path().join("eksempel.sqlite");
    moto.put_tenant(PREFIX, &tenant_document(db.to_str().unwrap()))
        .await;
    moto.put_host_index(PREFIX, serde_json::json!({CUSTOM_DOMAIN: TENANT}))
        .await;
    std::fs::remove_file(files.path().join("eksempel.json")).unwrap();
    let mut env = vec![("UMS_SECRET_PREFIX", PREFIX.to_owned())];
    env.extend(sdk_environment(&moto.endpoint));
    let function = Function::start_with(files, env, false).await;

    let token = function.token("rest_v1_token").await;
    let users = function.call(&fixture("rest_v1_users", &token)).await;
    assert_eq!(check_selected_users(&users, "users"), 3);
}

#[tokio::test]
async fn without_the_roles_credentials_in_the_environment_init_fails_and_says_which() {
    let api = RuntimeApi::start().await;
    let mut env = api.env();
    env.push(("UMS_SECRET_PREFIX", "ums-oneroster/tenants/".to_owned()));
    let mut process = Bootstrap::start(&env, false);
    let reason: Value = serde_json::from_str(&api.init_error().await).unwrap();
    let message = reason["errorMessage"].as_str().unwrap();
    assert!(
        message.starts_with("AWS_ACCESS_KEY_ID is not set"),
        "{message}"
    );
    assert_eq!(process.exit_code(), Some(1));
}
