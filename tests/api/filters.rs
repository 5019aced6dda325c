//! The filter grammar end to end: every operator, logic, quoting, dotted paths, typed
//! comparison, and the errors.

#![allow(clippy::unwrap_used)]

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::{spawn_app, urlencode, TestApp};

async fn users(app: &TestApp, filter: &str) -> Vec<Value> {
    let response = app
        .get(&format!("/users?limit=10000&filter={}", urlencode(filter)))
        .await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{filter}: {}",
        response.body
    );
    response.list("users").clone()
}

async fn all_users(app: &TestApp) -> Vec<Value> {
    app.get("/users?limit=10000").await.list("users").clone()
}

fn text<'a>(user: &'a Value, field: &str) -> &'a str {
    user[field].as_str().unwrap_or("")
}

#[tokio::test]
async fn equality_and_inequality() {
    let app = spawn_app();
    let all = all_users(&app).await;
    let students = users(&app, "role='student'").await;
    assert_eq!(
        students.len(),
        all.iter().filter(|u| u["role"] == "student").count()
    );
    let others = users(&app, "role!='student'").await;
    assert_eq!(students.len() + others.len(), all.len());
    // Enumerations compare without case.
    assert_eq!(users(&app, "role='STUDENT'").await.len(), students.len());
}

#[tokio::test]
async fn ordering_operators_on_text() {
    let app = spawn_app();
    let all = all_users(&app).await;
    let pivot = text(&all[all.len() / 2], "sourcedId").to_owned();
    for (op, keep) in [
        (">", (|a: &str, b: &str| a > b) as fn(&str, &str) -> bool),
        (">=", |a, b| a >= b),
        ("<", |a, b| a < b),
        ("<=", |a, b| a <= b),
    ] {
        let expected = all
            .iter()
            .filter(|u| keep(text(u, "sourcedId"), &pivot))
            .count();
        let got = users(&app, &format!("sourcedId{op}'{pivot}'")).await.len();
        assert_eq!(got, expected, "sourcedId{op}'{pivot}'");
    }
}

#[tokio::test]
async fn contains_is_case_insensitive() {
    let app = spawn_app();
    let all = all_users(&app).await;
    let family = text(&all[0], "familyName").to_owned();
    let fragment: String = family.chars().skip(1).take(3).collect();
    let expected = all
        .iter()
        .filter(|u| {
            text(u, "familyName")
                .to_lowercase()
                .contains(&fragment.to_lowercase())
        })
        .count();
    assert_eq!(
        users(&app, &format!("familyName~'{}'", fragment.to_uppercase()))
            .await
            .len(),
        expected
    );
}

#[tokio::test]
async fn and_binds_tighter_than_or_and_chains_work() {
    let app = spawn_app();
    let all = all_users(&app).await;
    let first = text(&all[0], "sourcedId").to_owned();
    let filter = format!("role='teacher' AND status='active' OR sourcedId='{first}'");
    let expected = all
        .iter()
        .filter(|u| {
            (u["role"] == "teacher" && u["status"] == "active") || text(u, "sourcedId") == first
        })
        .count();
    assert_eq!(users(&app, &filter).await.len(), expected);
    let chain = "role='student' AND status='active' AND enabledUser='true'";
    let expected = all
        .iter()
        .filter(|u| u["role"] == "student" && u["status"] == "active" && u["enabledUser"] == "true")
        .count();
    assert_eq!(users(&app, chain).await.len(), expected);
}

#[tokio::test]
async fn quoted_values_may_hold_spaces_operators_and_quotes() {
    let app = spawn_app();
    for filter in [
        "givenName='a AND b OR c'",
        "givenName='x>=y'",
        "familyName='O''Brien'",
    ] {
        assert!(users(&app, filter).await.is_empty(), "{filter}");
    }
    let classes = app.get("/classes?limit=10000").await;
    let title = classes.list("classes")[0]["title"]
        .as_str()
        .unwrap()
        .to_owned();
    let found = app
        .get(&format!(
            "/classes?filter={}",
            urlencode(&format!("title='{title}'"))
        ))
        .await;
    assert!(found
        .list("classes")
        .iter()
        .all(|c| c["title"] == title.as_str()));
    assert!(
        !found.list("classes").is_empty(),
        "titles with spaces and dots such as '{title}'"
    );
}

#[tokio::test]
async fn dotted_paths_filter_on_references() {
    let app = spawn_app();
    let school = app.get("/schools").await.ids("orgs")[0].clone();
    let classes = app
        .get(&format!(
            "/classes?limit=10000&filter={}",
            urlencode(&format!("school.sourcedId='{school}'"))
        ))
        .await;
    assert!(!classes.list("classes").is_empty());
    assert!(classes
        .list("classes")
        .iter()
        .all(|c| c["school"]["sourcedId"] == school.as_str()));
    let members = users(&app, &format!("orgs.sourcedId='{school}'")).await;
    assert!(!members.is_empty());
    assert!(members.iter().all(|u| u["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["sourcedId"] == school.as_str())));
}

#[tokio::test]
async fn date_times_compare_chronologically_in_any_notation() {
    let app = spawn_app();
    let all = all_users(&app).await;
    let mut stamps: Vec<&str> = all.iter().map(|u| text(u, "dateLastModified")).collect();
    stamps.sort();
    let pivot = stamps[stamps.len() / 2];
    let expected = stamps.iter().filter(|s| **s > pivot).count();
    let instant =
        time::OffsetDateTime::parse(pivot, &time::format_description::well_known::Rfc3339).unwrap();
    let plus_two = instant.to_offset(time::macros::offset!(+2));
    let variants = [
        pivot.to_owned(),
        plus_two
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap(),
    ];
    for variant in variants {
        let got = users(&app, &format!("dateLastModified>'{variant}'"))
            .await
            .len();
        assert_eq!(got, expected, "{variant}");
    }
    let without_millis = &pivot[..19];
    let at_second = stamps
        .iter()
        .filter(|s| **s > format!("{without_millis}.000Z").as_str())
        .count();
    assert_eq!(
        users(&app, &format!("dateLastModified>'{without_millis}Z'"))
            .await
            .len(),
        at_second
    );
}

#[tokio::test]
async fn matching_nothing_is_200_with_an_empty_array() {
    let app = spawn_app();
    let response = app.get("/users?filter=sourcedId%3D'norecords'").await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.list("users").is_empty());
    assert_eq!(response.total(), 0);
}

#[tokio::test]
async fn filter_errors_are_400_naming_the_problem() {
    let app = spawn_app();
    let unknown = app
        .get(&format!("/users?filter={}", urlencode("shoeSize='42'")))
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.code_minor(), "invalid_filter_field");
    assert!(unknown.body["statusInfoSet"][0]["imsx_description"]
        .as_str()
        .unwrap()
        .contains("shoeSize"));
    for bad in [
        "role='student",
        "role 'student'",
        "role='a' XOR b='c'",
        "(role='a')",
        "dateLastModified>'soon'",
    ] {
        let response = app.get(&format!("/users?filter={}", urlencode(bad))).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(response.code_minor(), "invalid_filter_field", "{bad}");
    }
}
