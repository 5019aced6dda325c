//! The token endpoint and bearer checks.

#![allow(clippy::unwrap_used)]

use axum::http::StatusCode;

use crate::helpers::{basic, spawn_app, urlencode, SECRET};

const CORE: &str = "https://purl.imsglobal.org/spec/or/v1p1/scope/roster-core.readonly";
const ROSTER: &str = "https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly";
const DEMOGRAPHICS: &str =
    "https://purl.imsglobal.org/spec/or/v1p1/scope/roster-demographics.readonly";

#[tokio::test]
async fn basic_auth_yields_a_bearer_token_with_the_default_grant() {
    let app = spawn_app();
    let response = app
        .post_token(
            Some(&basic("WebserviceUser", SECRET)),
            "grant_type=client_credentials",
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body["token_type"], "bearer");
    assert!(response.body["expires_in"].as_u64().unwrap() >= 3600);
    let scope = response.body["scope"].as_str().unwrap();
    for expected in [CORE, ROSTER, DEMOGRAPHICS] {
        assert!(scope.split(' ').any(|s| s == expected), "{scope}");
    }
    assert_eq!(response.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn credentials_in_the_form_body_work_too() {
    let app = spawn_app();
    let form = format!(
        "grant_type=client_credentials&client_id=WebserviceUser&client_secret={}",
        urlencode(SECRET)
    );
    let response = app.post_token(None, &form).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_invalid_client() {
    let app = spawn_app();
    for auth in [
        Some(basic("WebserviceUser", "wrong")),
        Some(basic("SomeoneElse", SECRET)),
        None,
    ] {
        let response = app
            .post_token(auth.as_deref(), "grant_type=client_credentials")
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert_eq!(response.body["error"], "invalid_client");
        assert!(response
            .header("www-authenticate")
            .unwrap()
            .starts_with("Basic"));
    }
}

#[tokio::test]
async fn grant_and_scope_errors_follow_rfc_6749() {
    let app = spawn_app();
    let auth = basic("WebserviceUser", SECRET);
    let cases = [
        ("grant_type=password", "unsupported_grant_type"),
        ("", "invalid_request"),
        (
            "grant_type=client_credentials&scope=organisation%20onerosterapi",
            "invalid_scope",
        ),
    ];
    for (form, error) in cases {
        let response = app.post_token(Some(&auth), form).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{form}");
        assert_eq!(response.body["error"], error, "{form}");
    }
    let both =
        format!("grant_type=client_credentials&client_id=WebserviceUser&client_secret={SECRET}");
    assert_eq!(
        app.post_token(Some(&auth), &both).await.body["error"],
        "invalid_request"
    );
}

#[tokio::test]
async fn data_routes_need_a_valid_bearer_token() {
    let app = spawn_app();
    let missing = app.get_as("/users", None).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.code_minor(), "unauthorized");
    assert!(missing
        .header("www-authenticate")
        .unwrap()
        .starts_with("Bearer"));
    for auth in ["Bearer not-a-token", "Basic abc", "Bearer"] {
        let response = app.get_as("/users", Some(auth)).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{auth}");
    }
    // A token signed with another key is refused.
    let other = crate::helpers::spawn_app_with(crate::helpers::config_with_key(7));
    let foreign = other.token().await;
    assert_eq!(
        app.get_as("/users", Some(&format!("Bearer {foreign}")))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn scopes_decide_which_routes_a_token_opens() {
    let app = spawn_app();
    let core = format!("Bearer {}", app.token_for(Some(CORE)).await);
    assert_eq!(
        app.get_as("/users", Some(&core)).await.status,
        StatusCode::OK
    );
    let nested = app.get_as("/schools/x/classes", Some(&core)).await;
    assert_eq!(nested.status, StatusCode::FORBIDDEN);
    assert_eq!(nested.code_minor(), "forbidden");
    assert_eq!(
        app.get_as("/demographics", Some(&core)).await.status,
        StatusCode::FORBIDDEN
    );

    let roster = format!("Bearer {}", app.token_for(Some(ROSTER)).await);
    assert_eq!(
        app.get_as("/users", Some(&roster)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as("/schools/x/classes", Some(&roster)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as("/demographics", Some(&roster)).await.status,
        StatusCode::FORBIDDEN
    );

    let demographics = format!("Bearer {}", app.token_for(Some(DEMOGRAPHICS)).await);
    assert_eq!(
        app.get_as("/demographics", Some(&demographics))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as("/users", Some(&demographics)).await.status,
        StatusCode::FORBIDDEN
    );
}
