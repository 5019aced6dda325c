//! `bootstrap` as an Azure Functions custom handler: the function app in `infra/azure/` is laid
//! out as the Functions host deploys it, and the handler is started and called the way the host
//! starts it and proxies requests to it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::support::{
    answers, free_port, gunzip, http, tenant_env, tenants_dir, Bootstrap, HttpReply, CUSTOM_DOMAIN,
    SECRET,
};

fn app_file(relative: &str) -> Value {
    let path = format!("{}/infra/azure/{relative}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_function_app_proxies_every_path_to_one_custom_handler() {
    let host = app_file("host.json");
    assert_eq!(host["version"], "2.0");
    assert_eq!(host["customHandler"]["enableProxyingHttpRequest"], true);
    assert_eq!(host["extensions"]["http"]["routePrefix"], "");
    let function = app_file("oneroster/function.json");
    let trigger = &function["bindings"][0];
    assert_eq!(trigger["type"], "httpTrigger");
    assert_eq!(trigger["route"], "{*path}");
    assert_eq!(trigger["authLevel"], "anonymous", "OAuth is the handler's");
    assert!(
        trigger.get("methods").is_none(),
        "every method reaches the router"
    );
    assert_eq!(function["bindings"][1]["type"], "http");
}

/// The function app as deployed: `infra/azure/` plus the handler at `defaultExecutablePath`.
fn deployed_app() -> (tempfile::TempDir, PathBuf) {
    let app = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("infra/azure");
    std::fs::copy(source.join("host.json"), app.path().join("host.json")).unwrap();
    std::fs::create_dir(app.path().join("oneroster")).unwrap();
    std::fs::copy(
        source.join("oneroster/function.json"),
        app.path().join("oneroster/function.json"),
    )
    .unwrap();
    let executable = app_file("host.json")["customHandler"]["description"]["defaultExecutablePath"]
        .as_str()
        .unwrap()
        .to_owned();
    let handler = app.path().join(executable);
    std::fs::copy(env!("CARGO_BIN_EXE_bootstrap"), &handler).unwrap();
    (app, handler)
}

/// The headers the Functions host sends with a proxied request: the client's own (Host,
/// X-Forwarded-Proto from the front end), plus its version and invocation id.
fn proxied<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut headers = vec![
        ("Host", CUSTOM_DOMAIN),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-For", "20.190.128.10:51234"),
        (
            "User-Agent",
            "Microsoft-SDS/2.0 Azure-Functions-Host/4.1045.200",
        ),
        ("x-azure-functions-hostversion", "4.1045.200.25556"),
        (
            "x-azure-functions-invocationid",
            "5c1f3b0e-8a4d-4f0e-9b7c-2d1e6a3f4b5c",
        ),
    ];
    headers.extend_from_slice(extra);
    headers
}

#[test]
fn started_like_the_functions_host_it_serves_token_and_users() {
    let tenants = tenants_dir();
    let (app, handler) = deployed_app();
    let port = free_port();
    let mut env = tenant_env(tenants.path());
    env.push(("FUNCTIONS_CUSTOMHANDLER_PORT", port.to_string()));
    env.push(("FUNCTIONS_WORKER_RUNTIME", "Custom".to_owned()));
    let _handler = Bootstrap::start_from(&handler, Some(app.path()), &env, false);

    // The host waits for the handler by requesting `/` until any HTTP response comes back.
    let ready = (0..600).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        answers(port)
    });
    assert!(ready, "the handler never listened on {port}");
    assert_eq!(http(port, "GET", "/", &proxied(&[]), b"").status, 404);

    let basic = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("WebserviceUser:{SECRET}")
        )
    );
    let token = http(
        port,
        "POST",
        "/ims/oneroster/v1p1/token",
        &proxied(&[
            ("Authorization", &basic),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]),
        b"grant_type=client_credentials",
    );
    assert_eq!(
        token.status,
        200,
        "{}",
        String::from_utf8_lossy(&token.body)
    );
    let bearer = format!("Bearer {}", token.json()["access_token"].as_str().unwrap());

    let target = "/ims/oneroster/v1p1/users?fields=sourcedId&fields=givenName&limit=3";
    let users = http(
        port,
        "GET",
        target,
        &proxied(&[("Authorization", &bearer)]),
        b"",
    );
    check_users(&users, &users.body);
    let link = users.header("link").unwrap();
    assert!(link.contains(&format!(
        "<https://{CUSTOM_DOMAIN}/ims/oneroster/v1p1/users?"
    )));

    let gzipped = http(
        port,
        "GET",
        target,
        &proxied(&[("Authorization", &bearer), ("Accept-Encoding", "gzip")]),
        b"",
    );
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    check_users(&gzipped, &gunzip(&gzipped.body));
}

fn check_users(reply: &HttpReply, body: &[u8]) {
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(body));
    let body: Value = serde_json::from_slice(body).unwrap();
    let users = body["users"].as_array().unwrap();
    assert_eq!(users.len(), 3);
    for user in users {
        assert_eq!(user.as_object().unwrap().len(), 2, "{user}");
    }
}

#[test]
fn a_port_that_is_not_a_port_stops_the_handler_with_the_reason() {
    let tenants = tenants_dir();
    let mut env = tenant_env(tenants.path());
    env.push(("FUNCTIONS_CUSTOMHANDLER_PORT", "eighty".to_owned()));
    let mut handler = Bootstrap::start(&env, true);
    assert_eq!(handler.exit_code(), Some(1));
    let log = handler.stop();
    assert!(log.contains("eighty"), "{log}");
}
