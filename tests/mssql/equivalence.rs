//! The API answers byte for byte the same from the SQL Server store as from the SQLite store.
//!
//! For each request, the SQLite app answers first; every read it made is replayed as SQLite
//! statements to get the rows, and the mock is primed with exactly those rows for the T-SQL
//! statements the builder writes for the same reads. The SQL Server app then answers, and the
//! relay checks it sent only primed statements. Status, body bytes, `X-Total-Count` and `Link`
//! must match. (Sort order and text comparison are the database's business: both apps get the
//! same rows here; the live suite compares engines.)

#![allow(clippy::unwrap_used)]

use axum::Router;

use crate::support::app::{get, send, Pair};

const V1P1: &str = "/ims/oneroster/v1p1";
const V1P2: &str = "/ims/oneroster/rostering/v1p2";

/// Asserts both apps answer `path` alike; returns the number of records answered.
async fn assert_same(pair: &Pair, path: &str) -> usize {
    let (lite, tsql) = pair.both(path).await;
    assert_eq!(pair.relay.surprises(), Vec::<String>::new(), "{path}");
    assert_eq!(
        lite.status,
        tsql.status,
        "{path}: {}",
        String::from_utf8_lossy(&tsql.body)
    );
    assert!(
        lite.body == tsql.body,
        "{path}:\n sqlite: {}\n mssql:  {}",
        String::from_utf8_lossy(&lite.body),
        String::from_utf8_lossy(&tsql.body)
    );
    for name in ["x-total-count", "link", "content-type", "x-warning"] {
        assert_eq!(lite.header(name), tsql.header(name), "{path}: {name}");
    }
    let body = tsql.json();
    let records = body
        .as_object()
        .and_then(|o| o.values().next())
        .map_or(0, |v| match v {
            serde_json::Value::Array(items) => items.len(),
            serde_json::Value::Object(_) if tsql.status.is_success() => 1,
            _ => 0,
        });
    records
}

/// The requests compared: routes × filters, sorts, fields and paging, with ids of the demo
/// municipality that `sqlite` serves.
pub async fn cases(sqlite: &Router, token: &str) -> Vec<String> {
    let lookup = async |path: &str, pointer: &str| {
        let raw = send(sqlite, get(&format!("{V1P1}{path}"), token)).await;
        raw.json()
            .pointer(pointer)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no {pointer} in {path}"))
            .to_owned()
    };
    let school = lookup("/schools?limit=1", "/orgs/0/sourcedId").await;
    let class = lookup(
        &format!("/schools/{school}/classes?limit=1"),
        "/classes/0/sourcedId",
    )
    .await;
    let teacher = lookup("/teachers?limit=1", "/users/0/sourcedId").await;
    let student = lookup("/students?limit=1", "/users/0/sourcedId").await;
    let term = lookup("/terms?limit=1", "/academicSessions/0/sourcedId").await;
    let course = lookup("/courses?limit=1", "/courses/0/sourcedId").await;
    let enrollment = lookup("/enrollments?limit=1", "/enrollments/0/sourcedId").await;
    [
        // Every entity, plain and paged (a full page needs the count statement too).
        "/orgs".to_owned(),
        "/academicSessions?limit=20".to_owned(),
        "/courses?limit=8&offset=4".to_owned(),
        "/classes?limit=10".to_owned(),
        "/users?limit=12&offset=30".to_owned(),
        "/enrollments?limit=15&offset=100".to_owned(),
        "/demographics?limit=10".to_owned(),
        "/gradingPeriods".to_owned(),
        // Single records, and one that does not exist.
        format!("/schools/{school}"),
        format!("/classes/{class}"),
        format!("/users/{student}"),
        format!("/teachers/{teacher}"),
        format!("/enrollments/{enrollment}"),
        format!("/demographics/{student}"),
        "/users/no-such-user".to_owned(),
        // Nested routes.
        format!("/schools/{school}/classes?limit=10"),
        format!("/schools/{school}/students?limit=10&offset=5"),
        format!("/schools/{school}/teachers?limit=10"),
        format!("/schools/{school}/enrollments?limit=10"),
        format!("/schools/{school}/courses?limit=10"),
        format!("/schools/{school}/terms"),
        format!("/schools/{school}/classes/{class}/students"),
        format!("/schools/{school}/classes/{class}/teachers"),
        format!("/schools/{school}/classes/{class}/enrollments?limit=20"),
        format!("/classes/{class}/students?limit=10"),
        format!("/classes/{class}/teachers"),
        format!("/students/{student}/classes"),
        format!("/teachers/{teacher}/classes?limit=10"),
        format!("/users/{student}/classes"),
        format!("/terms/{term}/classes?limit=10"),
        format!("/terms/{term}/gradingPeriods"),
        format!("/courses/{course}/classes"),
        "/schools/no-such-school/classes".to_owned(),
        // Filters: every operator, AND/OR, dates, flags, lists, references, reference lists.
        "/users?filter=role='teacher'&limit=10".to_owned(),
        "/users?filter=givenName~'an' AND status='active'&limit=10".to_owned(),
        "/users?filter=familyName>='N' OR familyName<'B'&limit=10".to_owned(),
        "/users?filter=grades='05'&limit=10".to_owned(),
        "/users?filter=grades!='05' AND role='student'&limit=10".to_owned(),
        "/users?filter=enabledUser='true'&limit=5&offset=20".to_owned(),
        format!("/users?filter=orgs.sourcedId='{school}'&limit=10"),
        "/users?filter=email~'@'&limit=5".to_owned(),
        "/enrollments?filter=dateLastModified>'2026-01-01T00:00:00Z'&limit=15".to_owned(),
        "/enrollments?filter=primary='true'&limit=10".to_owned(),
        format!("/enrollments?filter=class.sourcedId='{class}' AND role='student'&limit=20"),
        "/enrollments?filter=beginDate<='2026-09-01'&limit=10".to_owned(),
        "/classes?filter=classType='homeroom' AND title~'5.'&limit=10".to_owned(),
        format!("/classes?filter=terms.sourcedId='{term}'&limit=10"),
        "/academicSessions?filter=type='term'".to_owned(),
        "/academicSessions?filter=startDate>'2026-01-01'".to_owned(),
        "/orgs?filter=type!='district'".to_owned(),
        "/courses?filter=title~'_'&limit=10".to_owned(),
        "/users?filter=dateLastModified~'2026'&limit=5".to_owned(),
        // Sort, direction and fields.
        "/users?sort=familyName&orderBy=desc&limit=10".to_owned(),
        "/students?sort=givenName&limit=10&offset=10".to_owned(),
        "/classes?sort=title&orderBy=asc&fields=sourcedId,title,terms&limit=10".to_owned(),
        "/enrollments?sort=class&fields=sourcedId,user,class,role&limit=15".to_owned(),
        "/users?fields=sourcedId,givenName,email,orgs,agents&limit=10".to_owned(),
        // The 1.2 tree.
        format!("{V1P2}/users?limit=8"),
        format!("{V1P2}/schools/{school}/classes?limit=5"),
        format!("{V1P2}/classes/{class}/students?limit=5"),
        format!("{V1P2}/schools/no-such-school/classes"),
    ]
    .into_iter()
    .map(|p| {
        if p.starts_with("/ims") {
            p
        } else {
            format!("{V1P1}{p}")
        }
    })
    .collect()
}

#[tokio::test]
async fn the_api_answers_the_same_from_sql_server_as_from_sqlite() {
    let pair = Pair::new().await;
    let cases = cases(&pair.sqlite, &pair.token).await;
    pair.recorder.take();
    let mut answered = 0;
    let mut empty = Vec::new();
    for path in &cases {
        match assert_same(&pair, path).await {
            0 => empty.push(path.as_str()),
            n => answered += n,
        }
    }
    // The cases exercise data, not just empty pages: only the unknown parents and ids are empty.
    assert!(empty.len() <= 5, "{empty:#?}");
    assert!(answered > 400, "{answered}");
    // The SQL Server app really read SQL Server: one statement or more per case.
    assert!(
        pair.relay.sent().len() > cases.len(),
        "{}",
        pair.relay.sent().len()
    );
}
