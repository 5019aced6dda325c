//! `sort`/`orderBy` and `fields`.

#![allow(clippy::unwrap_used)]

use axum::http::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn sort_by_any_field_with_ties_broken_by_sourced_id() {
    let app = spawn_app();
    for (field, order) in [
        ("familyName", "asc"),
        ("familyName", "desc"),
        ("dateLastModified", "desc"),
        ("role", "asc"),
    ] {
        let users = app
            .get(&format!("/users?limit=10000&sort={field}&orderBy={order}"))
            .await;
        let rows: Vec<(String, String)> = users
            .list("users")
            .iter()
            .map(|u| {
                (
                    u[field].as_str().unwrap().to_owned(),
                    u["sourcedId"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for pair in rows.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let in_order = if order == "asc" {
                a.0 <= b.0
            } else {
                a.0 >= b.0
            };
            assert!(in_order, "{field} {order}: {a:?} then {b:?}");
            if a.0 == b.0 {
                assert!(a.1 < b.1, "ties by sourcedId: {a:?} then {b:?}");
            }
        }
    }
}

#[tokio::test]
async fn unknown_sort_field_falls_back_with_a_warning() {
    let app = spawn_app();
    let response = app.get("/orgs?sort=shoeSize").await;
    assert_eq!(response.status, StatusCode::OK);
    let ids = response.ids("orgs");
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert_eq!(
        response.body["statusInfoSet"][0]["imsx_codeMinor"],
        "invalid_sort_field"
    );
    assert_eq!(
        response.body["statusInfoSet"][0]["imsx_severity"],
        "warning"
    );
}

#[tokio::test]
async fn fields_select_exactly_the_named_fields() {
    let app = spawn_app();
    for query in [
        "fields=sourcedId,givenName",
        "fields=sourcedId&fields=givenName",
        "fields=sourcedId,givenName&fields=givenName",
    ] {
        let response = app.get(&format!("/users?limit=5&{query}")).await;
        for user in response.list("users") {
            let mut keys: Vec<_> = user.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            assert_eq!(keys, ["givenName", "sourcedId"], "{query}");
        }
    }
    let single = app.get("/users?limit=1").await.ids("users")[0].clone();
    let response = app.get(&format!("/users/{single}?fields=familyName")).await;
    assert_eq!(response.body["user"].as_object().unwrap().len(), 1);
}

#[tokio::test]
async fn filters_apply_before_fields_are_projected() {
    let app = spawn_app();
    let response = app
        .get("/users?filter=role%3D'teacher'&fields=sourcedId")
        .await;
    assert!(!response.list("users").is_empty());
    assert!(response
        .list("users")
        .iter()
        .all(|u| u.get("role").is_none()));
}

#[tokio::test]
async fn unknown_fields_return_everything_with_a_warning() {
    let app = spawn_app();
    let response = app.get("/orgs?fields=shoeSize").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.list("orgs")[0].get("name").is_some());
    assert_eq!(
        response.body["statusInfoSet"][0]["imsx_codeMinor"],
        "invalid_selection_field"
    );
}

#[tokio::test]
async fn blank_fields_are_400() {
    let app = spawn_app();
    for query in ["fields=", "fields=name,,type"] {
        let response = app.get(&format!("/orgs?{query}")).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(response.code_minor(), "invalid_blank_selection_field");
    }
}
