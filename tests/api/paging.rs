//! limit/offset, X-Total-Count and Link.

#![allow(clippy::unwrap_used)]

use axum::http::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn default_limit_is_100_and_large_limits_are_honoured() {
    let app = spawn_app();
    let page = app.get("/users").await;
    assert!(page.total() > 100, "the demo has more than 100 users");
    assert_eq!(page.list("users").len(), 100);
    let big = app.get("/users?limit=10000").await;
    assert_eq!(
        big.list("users").len() as u64,
        big.total(),
        "never fewer than asked unless last"
    );
}

#[tokio::test]
async fn pages_partition_the_collection_in_a_stable_order() {
    let app = spawn_app();
    let all = app.get("/users?limit=10000").await.ids("users");
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "default order is sourcedId ascending");
    let paged: Vec<String> = app
        .get_all("/users", "users", 37)
        .await
        .iter()
        .map(|u| u["sourcedId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paged, all);
    // SDS: offset=2&limit=1 must differ from the first record.
    let third = app.get("/users?offset=2&limit=1").await.ids("users");
    assert_eq!(third, [all[2].clone()]);
}

#[tokio::test]
async fn total_count_is_the_filtered_total() {
    let app = spawn_app();
    let students = app.get("/users?filter=role='student'&limit=5").await;
    let all_students = app.get("/students?limit=10000").await;
    assert_eq!(students.total(), all_students.list("users").len() as u64);
    assert_eq!(students.list("users").len(), 5);
}

#[tokio::test]
async fn link_header_is_absolute_and_keeps_parameters() {
    let app = spawn_app();
    let page = app
        .get("/users?filter=role%3D'student'&limit=10&offset=10")
        .await;
    let link = page.header("link").unwrap().to_owned();
    let total = page.total();
    assert!(link.contains("<http://skole.test/ims/oneroster/v1p1/users?filter=role%3D%27student%27&limit=10&offset=0>; rel=\"first\""), "{link}");
    assert!(link.contains("&limit=10&offset=0>; rel=\"prev\""));
    assert!(link.contains("&limit=10&offset=20>; rel=\"next\""));
    let last_offset = (total - 1) / 10 * 10;
    assert!(
        link.contains(&format!("offset={last_offset}>; rel=\"last\"")),
        "{link}"
    );
    let last = app
        .get(&format!(
            "/users?filter=role%3D'student'&limit=10&offset={last_offset}"
        ))
        .await;
    assert!(!last.header("link").unwrap().contains("rel=\"next\""));
}

#[tokio::test]
async fn an_offset_past_the_end_is_an_empty_page() {
    let app = spawn_app();
    let page = app.get("/orgs?offset=100000").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.list("orgs").is_empty());
    assert!(page.total() > 0);
}

#[tokio::test]
async fn bad_paging_parameters_are_400() {
    let app = spawn_app();
    for query in [
        "limit=0",
        "limit=-5",
        "limit=ten",
        "limit=2147483648",
        "offset=2147483648",
        "offset=-1",
        "offset=x",
        "orderBy=sideways",
    ] {
        let response = app.get(&format!("/users?{query}")).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(response.code_minor(), "invalid data", "{query}");
        assert!(!response.body["statusInfoSet"][0]["imsx_description"]
            .as_str()
            .unwrap()
            .is_empty());
    }
}
