//! The 1.2 tree: every operation, parity with 1.1 on the same data, the 1.2 error shape, the
//! unknown-parent rule, 1.2 names in filters and fields, and version-bound scopes.

#![allow(clippy::unwrap_used)]

use axum::http::StatusCode;
use serde_json::Value;
use ums_oneroster::http::routes::{Shape, OPERATIONS};

use crate::helpers::{spawn_app, urlencode};
use crate::routes::discover;

const V1P2: &str = "/ims/oneroster/rostering/v1p2";

fn code_minor(body: &Value) -> &str {
    body["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]
        .as_str()
        .unwrap_or("")
}

#[tokio::test]
async fn all_41_operations_answer_in_the_1_2_tree() {
    let app = spawn_app();
    let ids = discover(&app).await;
    for operation in OPERATIONS.iter() {
        let path = format!("{V1P2}{}", ids.fill(operation.path));
        let response = app.get(&path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
        let object = response.body.as_object().unwrap();
        assert_eq!(
            object.keys().collect::<Vec<_>>(),
            [operation.envelope],
            "{path}"
        );
        if operation.shape == Shape::Collection {
            assert!(!response.list(operation.envelope).is_empty(), "{path}");
        }
    }
}

/// The same query in both trees returns the same records; only users look different.
#[tokio::test]
async fn both_trees_return_the_same_records() {
    let app = spawn_app();
    let ids = discover(&app).await;
    let queries = [
        "",
        "?limit=7&offset=3",
        "?filter=status%3D'active'&sort=dateLastModified&orderBy=desc&limit=50",
    ];
    for operation in OPERATIONS.iter().filter(|o| o.shape == Shape::Collection) {
        for query in queries {
            let path = format!("{}{query}", ids.fill(operation.path));
            let old = app.get(&path).await;
            let new = app.get(&format!("{V1P2}{path}")).await;
            assert_eq!(old.total(), new.total(), "{path}");
            let (old, new) = (old.list(operation.envelope), new.list(operation.envelope));
            assert_eq!(old.len(), new.len(), "{path}");
            for (a, b) in old.iter().zip(new) {
                assert_same_record(a, b, &path);
            }
        }
    }
}

fn rebase(value: &Value) -> String {
    value
        .to_string()
        .replace("/ims/oneroster/v1p1/", "/ims/oneroster/rostering/v1p2/")
}

fn assert_same_record(v1p1: &Value, v1p2: &Value, path: &str) {
    if v1p1.get("role").is_none() || v1p1.get("orgs").is_none() {
        assert_eq!(rebase(v1p1), v1p2.to_string(), "{path}");
        return;
    }
    assert_eq!(v1p1["sourcedId"], v1p2["sourcedId"], "{path}");
    for field in [
        "status",
        "dateLastModified",
        "username",
        "givenName",
        "familyName",
        "email",
        "identifier",
    ] {
        assert_eq!(v1p1.get(field), v1p2.get(field), "{path} {field}");
    }
    let orgs: Vec<&Value> = v1p1["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| &o["sourcedId"])
        .collect();
    let roles = v1p2["roles"].as_array().unwrap();
    let role_orgs: Vec<&Value> = roles.iter().map(|r| &r["org"]["sourcedId"]).collect();
    assert_eq!(orgs, role_orgs, "{path}");
    assert_eq!(roles[0]["roleType"], "primary");
    assert_eq!(v1p2["primaryOrg"]["sourcedId"], *orgs[0]);
    assert!(v1p2["enabledUser"].is_string());
    let expected_role = match v1p1["role"].as_str().unwrap() {
        "administrator" => "siteAdministrator",
        other => other,
    };
    assert!(roles.iter().all(|r| r["role"] == expected_role), "{path}");
    assert!(v1p2.get("role").is_none() && v1p2.get("orgs").is_none());
}

#[tokio::test]
async fn unknown_parents_and_ids_are_404_unknownobject() {
    let app = spawn_app();
    for path in [
        "/schools/1000000/classes",
        "/schools/1000000/enrollments",
        "/users/nobody/classes",
        "/terms/nothing/gradingPeriods",
        "/users/nobody",
    ] {
        let response = app.get(&format!("{V1P2}{path}")).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.body["imsx_codeMajor"], "failure");
        assert_eq!(code_minor(&response.body), "unknownobject");
        assert!(response.body.get("statusInfoSet").is_none());
    }
    // A student id is not a teacher: the alias restricts the parent too.
    let student = discover(&app).await.get("student").to_owned();
    let response = app.get(&format!("{V1P2}/teachers/{student}/classes")).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    // A class of another school is unknown under this school.
    let ids = discover(&app).await;
    let schools = app.get("/schools").await.ids("orgs");
    let other = schools
        .iter()
        .find(|s| s.as_str() != ids.get("school"))
        .unwrap();
    let class = ids.get("class");
    let response = app
        .get(&format!("{V1P2}/schools/{other}/classes/{class}/students"))
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    let response = app
        .get(&format!(
            "{V1P2}/schools/{}/classes/{class}/students",
            ids.get("school")
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    // An existing parent without children is 200 with an empty array.
    let response = app
        .get(&format!(
            "{V1P2}/users/{student}/classes?filter=title%3D'nothing'"
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.list("classes").is_empty());
}

#[tokio::test]
async fn errors_use_the_bare_1_2_status_payload() {
    let app = spawn_app();
    let missing = app.get_as(&format!("{V1P2}/users"), None).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code_minor(&missing.body), "unauthorisedrequest");
    let bad = app
        .get(&format!("{V1P2}/users?filter={}", urlencode("shoe='1'")))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(code_minor(&bad.body), "invalid_filter_field");
    let keys: Vec<&String> = bad.body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "imsx_CodeMinor",
            "imsx_codeMajor",
            "imsx_description",
            "imsx_severity"
        ]
    );
    assert_eq!(
        app.get(&format!("{V1P2}/users?limit=0")).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn fields_and_filters_use_1_2_names() {
    let app = spawn_app();
    let by_role = app
        .get(&format!(
            "{V1P2}/users?limit=10000&filter={}",
            urlencode("roles.role='student'")
        ))
        .await;
    let students = app.get("/students?limit=10000").await;
    assert_eq!(by_role.ids("users"), students.ids("users"));
    let admins = app
        .get(&format!(
            "{V1P2}/users?filter={}",
            urlencode("roles.role='siteAdministrator'")
        ))
        .await;
    assert!(!admins.list("users").is_empty());
    let projected = app
        .get(&format!("{V1P2}/users?limit=3&fields=sourcedId,roles"))
        .await;
    for user in projected.list("users") {
        assert_eq!(user.as_object().unwrap().len(), 2);
    }
    let unknown = app.get(&format!("{V1P2}/users?fields=role")).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(code_minor(&unknown.body), "invalid_selection_field");
    let old_name = app
        .get(&format!(
            "{V1P2}/users?filter={}",
            urlencode("role='student'")
        ))
        .await;
    assert_eq!(old_name.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_unknown_sort_field_warns_in_a_header_not_the_body() {
    let app = spawn_app();
    let response = app.get(&format!("{V1P2}/orgs?sort=shoeSize")).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.body.as_object().unwrap().len(),
        1,
        "only the envelope"
    );
    assert!(response
        .header("x-oneroster-warning")
        .unwrap()
        .starts_with("invalid_sort_field"));
}

#[tokio::test]
async fn scopes_belong_to_their_version() {
    let app = spawn_app();
    let v1p1 = "https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly";
    let core = "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly";
    let roster = "https://purl.imsglobal.org/spec/or/v1p2/scope/roster.readonly";
    let bearer = |t: String| format!("Bearer {t}");
    let old = bearer(app.token_for(Some(v1p1)).await);
    let forbidden = app.get_as(&format!("{V1P2}/users"), Some(&old)).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(code_minor(&forbidden.body), "forbidden");
    let core = bearer(app.token_for(Some(core)).await);
    assert_eq!(
        app.get_as(&format!("{V1P2}/users"), Some(&core))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as(&format!("{V1P2}/schools/x/classes"), Some(&core))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let roster = bearer(app.token_for(Some(roster)).await);
    assert_eq!(
        app.get_as(&format!("{V1P2}/demographics"), Some(&roster))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_as("/users", Some(&roster)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn discovery_documents_are_public_and_localized() {
    let app = spawn_app();
    for name in [
        "onerosterv1p2rostersservice_openapi3_v1p0.json",
        "imsorv1p2_rostering_openapi3_v1p0.json",
    ] {
        let response = app.get_as(&format!("{V1P2}/discovery/{name}"), None).await;
        assert_eq!(response.status, StatusCode::OK, "{name}");
        let doc = &response.body;
        assert_eq!(
            doc["servers"][0]["url"],
            "http://skole.test/ims/oneroster/rostering/v1p2"
        );
        assert_eq!(
            doc["components"]["securitySchemes"]["OAuth2CC"]["flows"]["clientCredentials"]
                ["tokenUrl"],
            "http://skole.test/token"
        );
        assert_eq!(doc["paths"].as_object().unwrap().len(), 41);
    }
    let whole = app.get_as("/openapi.json", None).await;
    assert_eq!(whole.status, StatusCode::OK);
    let paths = whole.body["paths"].as_object().unwrap();
    assert!(paths.contains_key("/ims/oneroster/v1p1/users"));
    assert!(paths.contains_key("/ims/oneroster/rostering/v1p2/users"));
    assert!(paths.contains_key("/token"));
}
