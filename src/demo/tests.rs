//! Tests of the generated data: determinism, sizes, the SDS data rules and the Teams-template
//! rule. The shared helpers live here too; `tests_delta` covers triggers, churn and query plans.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashMap};

use rusqlite::types::Value;
use rusqlite::Connection;

use super::*;

pub(super) const ENTITY_VIEWS: &[&str] = &[
    "oneroster_orgs",
    "oneroster_academic_sessions",
    "oneroster_courses",
    "oneroster_classes",
    "oneroster_users",
    "oneroster_enrollments",
    "oneroster_demographics",
];

/// Link view, owner column, owning entity view.
pub(super) const LINK_VIEWS: &[(&str, &str, &str, &str)] = &[
    (
        "oneroster_class_terms",
        "classSourcedId",
        "termSourcedId",
        "oneroster_classes",
    ),
    (
        "oneroster_user_orgs",
        "userSourcedId",
        "orgSourcedId",
        "oneroster_users",
    ),
    (
        "oneroster_user_agents",
        "userSourcedId",
        "agentSourcedId",
        "oneroster_users",
    ),
];

pub(super) fn small(seed: u64) -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    populate(&mut conn, Scale::Small, seed, None).unwrap();
    conn
}

pub(super) fn text(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => format!("{b:?}"),
    }
}

/// Every row of a query as (column name → value) maps.
pub(super) fn rows(conn: &Connection, sql: &str) -> Vec<HashMap<String, Value>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    stmt.query_map([], |r| {
        Ok(names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), r.get::<_, Value>(i).unwrap()))
            .collect())
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

pub(super) fn column(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get::<_, Value>(0))
        .unwrap()
        .map(|v| text(&v.unwrap()))
        .collect()
}

pub(super) fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn dump(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    for view in ENTITY_VIEWS {
        for row in column(
            conn,
            &format!("SELECT json_array(*) FROM (SELECT * FROM {view} ORDER BY sourcedId)"),
        ) {
            out.push(format!("{view} {row}"));
        }
    }
    for (view, a, b, _) in LINK_VIEWS {
        for row in column(
            conn,
            &format!("SELECT {a} || ' ' || {b} FROM {view} ORDER BY 1"),
        ) {
            out.push(format!("{view} {row}"));
        }
    }
    out
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn is_stamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

fn is_date(s: &str) -> bool {
    s.len() == 10 && is_stamp(&format!("{s}T00:00:00.000Z"))
}

#[test]
fn scale_parses_case_insensitively_and_displays() {
    assert_eq!("small".parse::<Scale>().unwrap(), Scale::Small);
    assert_eq!("SMALL".parse::<Scale>().unwrap(), Scale::Small);
    assert_eq!("l".parse::<Scale>().unwrap(), Scale::L);
    assert_eq!("Xl".parse::<Scale>().unwrap(), Scale::XL);
    assert!("medium".parse::<Scale>().is_err());
    assert_eq!(Scale::default(), Scale::Small);
    for s in [Scale::Small, Scale::L, Scale::XL] {
        assert_eq!(s.to_string().parse::<Scale>().unwrap(), s);
    }
}

#[test]
fn same_seed_gives_identical_views_and_a_given_secret_changes_no_data() {
    let a = small(42);
    let b = small(42);
    assert_eq!(dump(&a), dump(&b));
    assert_ne!(dump(&a), dump(&small(43)));

    let mut c = Connection::open_in_memory().unwrap();
    let with_secret = populate(&mut c, Scale::Small, 42, Some("s3cret")).unwrap();
    assert_eq!(with_secret.client_secret, "s3cret");
    assert_eq!(dump(&a), dump(&c));

    let generated = summary(&a).unwrap().client_secret;
    assert_eq!(generated.len(), 32);
    assert!(generated.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(generated, summary(&b).unwrap().client_secret);
}

#[test]
fn small_has_the_documented_size() {
    let conn = small(1);
    let s = summary(&conn).unwrap();
    assert_eq!(s.schools, 3, "{s:?}");
    assert!((500..=700).contains(&s.students), "{s:?}");
    assert!(s.staff >= s.students / 15, "{s:?}");
    assert!(
        s.guardians >= s.students * 3 / 4 && s.guardians <= s.students * 2,
        "{s:?}"
    );
    assert!(s.classes >= s.schools * 40, "{s:?}");
    assert!(s.enrollments >= s.students * 5, "{s:?}");
    let password: String = conn
        .query_row(
            "SELECT Password FROM WebServicesSettings WHERE UserName = ?1",
            [CLIENT_ID],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(password, s.client_secret);
}

#[test]
fn every_view_has_tombstones_and_valid_common_fields() {
    let conn = small(2);
    for view in ENTITY_VIEWS {
        let all = rows(&conn, &format!("SELECT * FROM {view}"));
        let ids: BTreeSet<_> = all.iter().map(|r| text(&r["sourcedId"])).collect();
        assert_eq!(ids.len(), all.len(), "{view}: sourcedId not unique");
        for r in &all {
            assert!(is_id(&text(&r["sourcedId"])), "{view}: {r:?}");
            assert!(is_stamp(&text(&r["dateLastModified"])), "{view}: {r:?}");
            let status = text(&r["status"]);
            assert!(
                status == "active" || status == "tobedeleted",
                "{view}: {r:?}"
            );
            for (name, value) in r {
                if name.ends_with("SourcedId") && *value != Value::Null {
                    assert!(is_id(&text(value)), "{view}.{name}: {r:?}");
                }
            }
        }
        let dead = all
            .iter()
            .filter(|r| text(&r["status"]) == "tobedeleted")
            .count();
        assert!(dead > 0, "{view} has no tombstone");
        if all.len() >= 100 {
            assert!(
                dead * 10 < all.len(),
                "{view}: too many tombstones ({dead})"
            );
        }
    }
    for (view, a, b, _) in LINK_VIEWS {
        for id in column(
            &conn,
            &format!("SELECT {a} FROM {view} UNION ALL SELECT {b} FROM {view}"),
        ) {
            assert!(is_id(&id), "{view}: {id}");
        }
    }
}

#[test]
fn users_follow_the_sds_rules() {
    let conn = small(3);
    for r in rows(&conn, "SELECT * FROM oneroster_users") {
        let username = text(&r["username"]);
        assert!(!username.is_empty() && !username.contains('@'), "{r:?}");
        assert!(username.is_ascii(), "{r:?}");
        assert!(text(&r["email"]).contains('@'), "{r:?}");
        assert!(!text(&r["identifier"]).is_empty(), "{r:?}");
        assert!(!text(&r["givenName"]).is_empty() && !text(&r["familyName"]).is_empty());
        let role = text(&r["role"]);
        assert!(
            ["student", "teacher", "aide", "administrator", "guardian"].contains(&role.as_str())
        );
        let grades = text(&r["grades"]);
        if role == "student" {
            let ok = [
                "KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10",
            ];
            assert!(ok.contains(&grades.as_str()), "{r:?}");
        } else {
            assert_eq!(grades, "NULL");
        }
    }
    let orphans = count(
        &conn,
        "SELECT count(*) FROM oneroster_users u WHERE NOT EXISTS \
         (SELECT 1 FROM oneroster_user_orgs o WHERE o.userSourcedId = u.sourcedId)",
    );
    assert_eq!(orphans, 0, "users without orgs");
    let dangling = count(
        &conn,
        "SELECT count(*) FROM oneroster_user_orgs o WHERE orgSourcedId NOT IN (SELECT sourcedId FROM oneroster_orgs)",
    );
    assert_eq!(dangling, 0);
    assert!(count(&conn, "SELECT count(*) FROM oneroster_users WHERE givenName GLOB '*[æøåÆØÅ]*' OR familyName GLOB '*[æøåÆØÅ]*'") > 0);
}

#[test]
fn orgs_sessions_classes_and_enrollments_follow_the_sds_rules() {
    let conn = small(4);
    for r in rows(&conn, "SELECT * FROM oneroster_orgs") {
        let identifier = text(&r["identifier"]);
        assert!(
            identifier.len() == 6 && identifier.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{r:?}"
        );
        let expected_parent = if text(&r["type"]) == "district" {
            "NULL"
        } else {
            "org-999000"
        };
        assert_eq!(text(&r["parentSourcedId"]), expected_parent, "{r:?}");
    }
    for r in rows(&conn, "SELECT * FROM oneroster_academic_sessions") {
        let year = text(&r["schoolYear"]);
        assert!(
            year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()),
            "{r:?}"
        );
        assert!(
            is_date(&text(&r["startDate"])) && is_date(&text(&r["endDate"])),
            "{r:?}"
        );
        assert!(text(&r["startDate"]) < text(&r["endDate"]), "{r:?}");
        if text(&r["type"]) == "schoolYear" {
            assert!(text(&r["endDate"]).starts_with(&year), "{r:?}");
            assert_eq!(text(&r["parentSourcedId"]), "NULL");
        } else {
            assert!(is_id(&text(&r["parentSourcedId"])), "{r:?}");
        }
    }
    let checks = [
        ("classes without a term", "SELECT count(*) FROM oneroster_classes c WHERE NOT EXISTS (SELECT 1 FROM oneroster_class_terms t WHERE t.classSourcedId = c.sourcedId)"),
        ("terms that are not terms", "SELECT count(*) FROM oneroster_class_terms t LEFT JOIN oneroster_academic_sessions s ON s.sourcedId = t.termSourcedId WHERE s.type IS NOT 'term'"),
        ("classes without a school", "SELECT count(*) FROM oneroster_classes c LEFT JOIN oneroster_orgs o ON o.sourcedId = c.schoolSourcedId WHERE o.type IS NOT 'school'"),
        ("classes without a course", "SELECT count(*) FROM oneroster_classes c LEFT JOIN oneroster_courses k ON k.sourcedId = c.courseSourcedId WHERE k.sourcedId IS NULL"),
        ("courses without an org", "SELECT count(*) FROM oneroster_courses WHERE orgSourcedId IS NULL OR schoolYearSourcedId IS NULL"),
        ("enrollments with a dangling user", "SELECT count(*) FROM oneroster_enrollments e WHERE e.userSourcedId NOT IN (SELECT sourcedId FROM oneroster_users)"),
        ("enrollments with a dangling class", "SELECT count(*) FROM oneroster_enrollments e WHERE e.classSourcedId NOT IN (SELECT sourcedId FROM oneroster_classes)"),
        ("enrollments in another school than their class", "SELECT count(*) FROM oneroster_enrollments e JOIN oneroster_classes c ON c.sourcedId = e.classSourcedId WHERE e.schoolSourcedId IS NOT c.schoolSourcedId"),
        ("live enrollments of dead users", "SELECT count(*) FROM oneroster_enrollments e JOIN oneroster_users u ON u.sourcedId = e.userSourcedId WHERE e.status = 'active' AND u.status = 'tobedeleted'"),
        ("live enrollments of dead classes", "SELECT count(*) FROM oneroster_enrollments e JOIN oneroster_classes c ON c.sourcedId = e.classSourcedId WHERE e.status = 'active' AND c.status = 'tobedeleted'"),
        ("active classes without an active teacher", "SELECT count(*) FROM oneroster_classes c WHERE c.status = 'active' AND NOT EXISTS (SELECT 1 FROM oneroster_enrollments e WHERE e.classSourcedId = c.sourcedId AND e.role = 'teacher' AND e.status = 'active')"),
        ("active students not in exactly one active stamklasse", "SELECT count(*) FROM oneroster_users u WHERE u.role = 'student' AND u.status = 'active' AND (SELECT count(*) FROM oneroster_enrollments e JOIN oneroster_classes c ON c.sourcedId = e.classSourcedId WHERE e.userSourcedId = u.sourcedId AND e.status = 'active' AND c.classType = 'homeroom') <> 1"),
        ("classes with more than three teachers", "SELECT count(*) FROM oneroster_classes c WHERE (SELECT count(*) FROM oneroster_enrollments e WHERE e.classSourcedId = c.sourcedId AND e.role = 'teacher' AND e.status = 'active') > 3"),
        ("demographics of non-users", "SELECT count(*) FROM oneroster_demographics d WHERE d.sourcedId NOT IN (SELECT sourcedId FROM oneroster_users WHERE role = 'student')"),
    ];
    for (what, sql) in checks {
        assert_eq!(count(&conn, sql), 0, "{what}");
    }
    assert!(
        count(
            &conn,
            "SELECT count(*) FROM oneroster_classes WHERE classType = 'homeroom'"
        ) > 0
    );
    assert!(count(&conn, "SELECT count(*) FROM oneroster_classes WHERE classType = 'scheduled' AND title LIKE 'Idræt %.A%'") > 0);
    let sexes = column(
        &conn,
        "SELECT DISTINCT sex FROM oneroster_demographics ORDER BY 1",
    );
    assert_eq!(sexes, ["female", "male"]);
    assert!(count(&conn, "SELECT count(*) FROM oneroster_enrollments WHERE status = 'tobedeleted' AND endDate < '2026-11-20'") > 0);
}

#[test]
fn guardian_links_go_both_ways() {
    let conn = small(5);
    let pairs: BTreeSet<(String, String)> = rows(&conn, "SELECT * FROM oneroster_user_agents")
        .iter()
        .map(|r| (text(&r["userSourcedId"]), text(&r["agentSourcedId"])))
        .collect();
    assert!(!pairs.is_empty());
    for (user, agent) in &pairs {
        assert!(
            pairs.contains(&(agent.clone(), user.clone())),
            "{user} -> {agent} only"
        );
    }
    let wrong_roles = count(
        &conn,
        "SELECT count(*) FROM oneroster_user_agents a \
         JOIN oneroster_users u ON u.sourcedId = a.userSourcedId \
         JOIN oneroster_users g ON g.sourcedId = a.agentSourcedId \
         WHERE NOT ((u.role = 'student' AND g.role = 'guardian') OR (u.role = 'guardian' AND g.role = 'student'))",
    );
    assert_eq!(wrong_roles, 0);
    let bad = count(
        &conn,
        "SELECT count(*) FROM oneroster_users u WHERE u.role = 'student' AND u.status = 'active' \
         AND (SELECT count(*) FROM oneroster_user_agents a WHERE a.userSourcedId = u.sourcedId) NOT BETWEEN 1 AND 2",
    );
    assert_eq!(bad, 0, "active students need 1-2 guardians");
    assert!(count(&conn, "SELECT count(*) FROM (SELECT userSourcedId FROM oneroster_user_agents GROUP BY 1 HAVING count(*) > 1)") > 0);
}

#[test]
fn groups_without_a_teams_template_are_not_classes() {
    let conn = small(6);
    let non_teams = column(
        &conn,
        "SELECT g.ExternalId FROM Groups g JOIN GroupTemplates t ON t.Id = g.TemplateId WHERE t.TeamsTemplate IS NULL",
    );
    let groups = count(&conn, "SELECT count(*) FROM Groups");
    let share = non_teams.len() as f64 / groups as f64;
    assert!((0.02..0.08).contains(&share), "non-Teams share {share}");
    for (view, col) in [
        ("oneroster_classes", "sourcedId"),
        ("oneroster_class_terms", "classSourcedId"),
        ("oneroster_enrollments", "classSourcedId"),
    ] {
        let sql = format!("SELECT count(*) FROM {view} WHERE {col} IN (SELECT g.ExternalId FROM Groups g JOIN GroupTemplates t ON t.Id = g.TemplateId WHERE t.TeamsTemplate IS NULL)");
        assert_eq!(count(&conn, &sql), 0, "{view}");
    }
    assert_eq!(
        count(&conn, "SELECT count(*) FROM oneroster_classes"),
        groups - non_teams.len() as i64
    );
}
