//! Every one of the 41 operations answers 200 with its envelope, on real demo ids.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use axum::http::StatusCode;
use serde_json::Value;
use ums_oneroster::http::routes::{Shape, OPERATIONS};

use crate::helpers::{spawn_app, TestApp};

/// Real ids that fit together: a class of a school with a student, a teacher, a term, …
pub struct Ids(HashMap<&'static str, String>);

fn id(value: &Value) -> String {
    value["sourcedId"].as_str().unwrap().to_owned()
}

pub async fn discover(app: &TestApp) -> Ids {
    let enrollments = app
        .get("/enrollments?filter=status='active' AND role='teacher'&limit=1")
        .await;
    let teacher_enrollment = &enrollments.list("enrollments")[0];
    let class_id = id(&teacher_enrollment["class"]);
    let class = app.get(&format!("/classes/{class_id}")).await.body["class"].clone();
    let students = app
        .get(&format!("/classes/{class_id}/students?limit=1"))
        .await;
    let term_id = id(&class["terms"][0]);
    let periods = app
        .get(&format!(
            "/gradingPeriods?filter=parent.sourcedId='{term_id}'"
        ))
        .await;
    let district = app.get("/orgs?filter=type='district'").await;
    let mut ids = HashMap::new();
    ids.insert("class", class_id);
    ids.insert("school", id(&class["school"]));
    ids.insert("course", id(&class["course"]));
    ids.insert("term", term_id.clone());
    ids.insert("teacher", id(&teacher_enrollment["user"]));
    ids.insert("student", id(&students.list("users")[0]));
    ids.insert("enrollment", id(teacher_enrollment));
    ids.insert("gradingPeriod", id(&periods.list("academicSessions")[0]));
    ids.insert("org", id(&district.list("orgs")[0]));
    ids.insert("session", term_id);
    Ids(ids)
}

impl Ids {
    pub fn get(&self, name: &str) -> &str {
        &self.0[name]
    }

    /// The id a path parameter stands for, given the collection it follows.
    fn for_param(&self, collection: &str, param: &str) -> &str {
        let name = match param {
            "classSourcedId" => "class",
            "courseSourcedId" => "course",
            "schoolSourcedId" => "school",
            "studentSourcedId" | "userSourcedId" => "student",
            "teacherSourcedId" => "teacher",
            "termSourcedId" => "term",
            _ => match collection {
                "academicSessions" => "session",
                "classes" => "class",
                "courses" => "course",
                "demographics" | "students" | "users" => "student",
                "enrollments" => "enrollment",
                "gradingPeriods" => "gradingPeriod",
                "orgs" => "org",
                "schools" => "school",
                "teachers" => "teacher",
                "terms" => "term",
                other => panic!("no id for {other}/{param}"),
            },
        };
        self.get(name)
    }

    /// `path` with its parameters replaced by real ids.
    pub fn fill(&self, path: &str) -> String {
        let mut out = String::new();
        let mut previous = "";
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            out.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => out.push_str(self.for_param(previous, param)),
                None => {
                    out.push_str(segment);
                    previous = segment;
                }
            }
        }
        out
    }
}

#[tokio::test]
async fn all_41_operations_answer_with_their_envelope() {
    let app = spawn_app();
    let ids = discover(&app).await;
    assert_eq!(OPERATIONS.len(), 41);
    for operation in OPERATIONS.iter() {
        let path = ids.fill(operation.path);
        let response = app.get(&path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
        assert!(response
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        assert!(
            response.header("x-total-count").is_some(),
            "{path} lacks X-Total-Count"
        );
        let object = response.body.as_object().unwrap();
        assert_eq!(
            object.keys().collect::<Vec<_>>(),
            [operation.envelope],
            "{path}"
        );
        match operation.shape {
            Shape::Single => {
                assert!(response.body[operation.envelope].is_object(), "{path}");
                assert_eq!(response.total(), 1);
                assert_eq!(response.header("link"), None);
            }
            Shape::Collection => {
                let records = response.list(operation.envelope);
                assert!(!records.is_empty(), "{path} is empty in the demo data");
                assert!(response.header("link").unwrap().contains("rel=\"first\""));
            }
        }
    }
}

#[tokio::test]
async fn aliases_serve_the_base_type_with_their_restriction() {
    let app = spawn_app();
    for record in app.get("/schools").await.list("orgs") {
        assert_eq!(record["type"], "school");
    }
    for record in app.get("/terms").await.list("academicSessions") {
        assert_eq!(record["type"], "term");
    }
    for record in app.get("/gradingPeriods").await.list("academicSessions") {
        assert_eq!(record["type"], "gradingPeriod");
    }
    for (path, role) in [("/students", "student"), ("/teachers", "teacher")] {
        for record in app.get(path).await.list("users") {
            assert_eq!(record["role"], role, "{path}");
        }
    }
}

#[tokio::test]
async fn nested_reads_return_the_related_records() {
    let app = spawn_app();
    let ids = discover(&app).await;
    let (school, class, term) = (ids.get("school"), ids.get("class"), ids.get("term"));

    for record in app
        .get(&format!("/schools/{school}/classes?limit=1000"))
        .await
        .list("classes")
    {
        assert_eq!(record["school"]["sourcedId"], school);
    }
    for record in app
        .get(&format!("/schools/{school}/students?limit=1000"))
        .await
        .list("users")
    {
        assert_eq!(record["role"], "student");
        assert!(record["orgs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["sourcedId"] == school));
    }
    for record in app
        .get(&format!("/terms/{term}/classes?limit=1000"))
        .await
        .list("classes")
    {
        assert!(record["terms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["sourcedId"] == term));
    }
    let enrolled = app.get(&format!("/enrollments?filter=class.sourcedId='{class}' AND role='student' AND status='active'&limit=1000")).await;
    let mut expected: Vec<String> = enrolled
        .list("enrollments")
        .iter()
        .map(|e| id(&e["user"]))
        .collect();
    expected.sort();
    let mut students = app
        .get(&format!("/classes/{class}/students?limit=1000"))
        .await
        .ids("users");
    students.sort();
    assert_eq!(students, expected);
    let student = ids.get("student");
    let classes = app
        .get(&format!("/students/{student}/classes"))
        .await
        .ids("classes");
    assert!(classes.contains(&class.to_owned()));
}

#[tokio::test]
async fn unknown_ids_are_404_and_unknown_parents_are_empty_in_1_1() {
    let app = spawn_app();
    let missing = app.get("/users/no-such-user").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.code_minor(), "unknown object");
    assert_eq!(
        missing.body["statusInfoSet"][0]["imsx_codeMajor"],
        "failure"
    );
    // Microsoft's SDS collection requires 200 + [] for an unknown school ("No Records" tests).
    for path in ["/schools/1000000/classes", "/schools/1000000/enrollments"] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::OK);
        assert!(response
            .list(if path.ends_with("classes") {
                "classes"
            } else {
                "enrollments"
            })
            .is_empty());
        assert_eq!(response.total(), 0);
    }
    // A school id is not a term id: aliases keep their restriction on single reads too.
    let school = discover(&app).await.get("school").to_owned();
    assert_eq!(
        app.get(&format!("/terms/{school}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn base_path_tolerates_case_and_slashes() {
    let app = spawn_app();
    let token = format!("Bearer {}", app.token().await);
    for path in [
        "/ims/oneRoster/v1p1/orgs",
        "/IMS/OneRoster/V1P1/orgs/",
        "/ims/oneroster/v1p1//orgs",
    ] {
        let response = app.get_as(path, Some(&token)).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert!(!response.list("orgs").is_empty());
    }
}

#[tokio::test]
async fn records_follow_the_serialization_rules() {
    let app = spawn_app();
    let users = app.get("/users?limit=1000").await;
    for user in users.list("users") {
        let text = user.to_string();
        assert!(!text.contains("null"), "no nulls: {text}");
        assert!(user["enabledUser"].is_string());
        let modified = user["dateLastModified"].as_str().unwrap();
        assert_eq!(modified.len(), 24, "{modified}");
        assert!(modified.ends_with('Z') && modified.as_bytes()[19] == b'.');
        for org in user["orgs"].as_array().unwrap() {
            assert_eq!(org["type"], "org");
            assert!(org["href"]
                .as_str()
                .unwrap()
                .starts_with("http://skole.test/ims/oneroster/v1p1/orgs/"));
        }
        assert!(!user["username"].as_str().unwrap().contains('@'));
    }
    let sessions = app.get("/academicSessions").await;
    for session in sessions.list("academicSessions") {
        assert_eq!(session["schoolYear"].as_str().unwrap().len(), 4);
        assert_eq!(session["startDate"].as_str().unwrap().len(), 10);
    }
}
