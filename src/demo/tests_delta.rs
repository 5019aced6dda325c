//! Tests of the delta-sync invariant of docs/data-contract.md: tombstone and bump triggers, churn
//! rounds, `init` on an existing file, and that paged queries stay on indexes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashMap};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;
use time::macros::datetime;

use super::tests::{column, count, rows, small, text, ENTITY_VIEWS, LINK_VIEWS};
use super::*;

fn stamp_of(conn: &Connection, view: &str, id: &str) -> (String, String) {
    conn.query_row(
        &format!("SELECT status, dateLastModified FROM {view} WHERE sourcedId = ?1"),
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[test]
fn hard_delete_of_a_person_leaves_tombstones_with_newer_stamps() {
    let conn = small(7);
    let (person, user): (i64, String) = conn
        .query_row(
            "SELECT p.Id, p.ExternalId FROM Persons p WHERE p.Role = 'Elev' AND p.Deleted = 0 \
             AND EXISTS (SELECT 1 FROM ContactRelations r WHERE r.StudentId = p.Id AND r.Deleted = 0) ORDER BY p.Id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let (_, before) = stamp_of(&conn, "oneroster_users", &user);
    let enrollments = column(&conn, &format!("SELECT sourcedId FROM oneroster_enrollments WHERE userSourcedId = '{user}' AND status = 'active'"));
    assert!(enrollments.len() >= 3);
    let guardians = column(
        &conn,
        &format!("SELECT agentSourcedId FROM oneroster_user_agents WHERE userSourcedId = '{user}'"),
    );
    let guardian_before: Vec<_> = guardians
        .iter()
        .map(|g| stamp_of(&conn, "oneroster_users", g).1)
        .collect();

    let changed = conn
        .execute("DELETE FROM Persons WHERE Id = ?1", [person])
        .unwrap();
    assert_eq!(changed, 0, "the tombstone trigger ignores the DELETE");

    let (status, after) = stamp_of(&conn, "oneroster_users", &user);
    assert_eq!(status, "tobedeleted");
    assert!(after > before, "{after} > {before}");
    assert_eq!(
        stamp_of(&conn, "oneroster_demographics", &user).0,
        "tobedeleted"
    );
    for e in &enrollments {
        let (status, stamp) = stamp_of(&conn, "oneroster_enrollments", e);
        assert_eq!(
            (status.as_str(), stamp.as_str()),
            ("tobedeleted", after.as_str())
        );
    }
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM oneroster_user_agents WHERE userSourcedId = '{user}' OR agentSourcedId = '{user}'")), 0);
    for (g, old) in guardians.iter().zip(guardian_before) {
        assert!(
            stamp_of(&conn, "oneroster_users", g).1 > old,
            "guardian {g} not bumped"
        );
    }
    assert!(
        count(
            &conn,
            &format!("SELECT count(*) FROM oneroster_user_orgs WHERE userSourcedId = '{user}'")
        ) >= 1
    );
}

#[test]
fn hard_delete_of_a_group_and_of_links_bumps_what_shows_them() {
    let conn = small(8);
    let class = column(&conn, "SELECT sourcedId FROM oneroster_classes WHERE status = 'active' ORDER BY sourcedId LIMIT 1").remove(0);
    let (_, before) = stamp_of(&conn, "oneroster_classes", &class);
    // Enrollments already tombstoned keep their stamp; the live ones follow the class.
    let live = column(&conn, &format!("SELECT sourcedId FROM oneroster_enrollments WHERE classSourcedId = '{class}' AND status = 'active'"));
    assert!(!live.is_empty());
    conn.execute("DELETE FROM Groups WHERE ExternalId = ?1", [&class])
        .unwrap();
    let (status, after) = stamp_of(&conn, "oneroster_classes", &class);
    assert_eq!(status, "tobedeleted");
    assert!(after > before);
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM oneroster_enrollments WHERE classSourcedId = '{class}' AND status = 'active'")), 0);
    for enrollment in &live {
        assert_eq!(
            stamp_of(&conn, "oneroster_enrollments", enrollment).1,
            after
        );
    }
    assert!(
        count(
            &conn,
            &format!("SELECT count(*) FROM oneroster_class_terms WHERE classSourcedId = '{class}'")
        ) >= 1
    );

    // Removing one of a teacher's two schools bumps the teacher.
    let (aff, user): (i64, String) = conn
        .query_row(
            "SELECT a.Id, p.ExternalId FROM PersonInstitutions a JOIN Persons p ON p.Id = a.PersonId \
             WHERE a.Deleted = 0 AND p.Deleted = 0 AND (SELECT count(*) FROM PersonInstitutions b \
             WHERE b.PersonId = a.PersonId AND b.Deleted = 0) = 2 ORDER BY a.Id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let (_, before) = stamp_of(&conn, "oneroster_users", &user);
    conn.execute("DELETE FROM PersonInstitutions WHERE Id = ?1", [aff])
        .unwrap();
    assert!(stamp_of(&conn, "oneroster_users", &user).1 > before);
    assert_eq!(
        count(
            &conn,
            &format!("SELECT count(*) FROM oneroster_user_orgs WHERE userSourcedId = '{user}'")
        ),
        1
    );
    assert_eq!(
        count(
            &conn,
            &format!("SELECT Deleted FROM PersonInstitutions WHERE Id = {aff}")
        ),
        1
    );
}

#[test]
fn updates_move_the_stamp_forward_and_ids_are_immutable() {
    let conn = small(9);
    let user = "usr-0000010";
    let (_, before) = stamp_of(&conn, "oneroster_users", user);
    conn.execute(
        "UPDATE Persons SET GivenName = 'Søren' WHERE ExternalId = ?1",
        [user],
    )
    .unwrap();
    let (_, touched) = stamp_of(&conn, "oneroster_users", user);
    assert!(touched > before, "a forgotten stamp is filled in");
    conn.execute("UPDATE Persons SET GivenName = 'Åse', ModifiedAt = '2099-01-01T00:00:00.000Z' WHERE ExternalId = ?1", [user]).unwrap();
    assert_eq!(
        stamp_of(&conn, "oneroster_users", user).1,
        "2099-01-01T00:00:00.000Z",
        "a writer's stamp is kept"
    );
    conn.execute("UPDATE Persons SET GivenName = 'Bo', ModifiedAt = '2000-01-01T00:00:00.000Z' WHERE ExternalId = ?1", [user]).unwrap();
    assert_eq!(
        stamp_of(&conn, "oneroster_users", user).1,
        "2099-01-01T00:00:00.001Z",
        "never backwards"
    );
    assert!(conn
        .execute(
            "UPDATE Persons SET ExternalId = 'other' WHERE ExternalId = ?1",
            [user]
        )
        .is_err());
    assert!(conn
        .execute(
            "UPDATE Persons SET ModifiedAt = '2026-11-20 10:00' WHERE ExternalId = ?1",
            [user]
        )
        .is_err());
}

#[test]
fn database_has_no_dangling_foreign_keys() {
    let conn = small(10);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
    assert_eq!(column(&conn, "PRAGMA integrity_check"), ["ok"]);
}

/// Every entity row (view, sourcedId) → (content without the stamp, stamp), and every link set.
struct Snapshot {
    rows: HashMap<(String, String), (String, String)>,
    links: HashMap<(String, String), BTreeSet<String>>,
}

fn snapshot(conn: &Connection) -> Snapshot {
    let mut rows_out = HashMap::new();
    for view in ENTITY_VIEWS {
        for r in rows(conn, &format!("SELECT * FROM {view}")) {
            let mut content: Vec<_> = r
                .iter()
                .filter(|(k, _)| *k != "dateLastModified")
                .map(|(k, v)| format!("{k}={}", text(v)))
                .collect();
            content.sort();
            rows_out.insert(
                (view.to_string(), text(&r["sourcedId"])),
                (content.join("|"), text(&r["dateLastModified"])),
            );
        }
    }
    let mut links: HashMap<(String, String), BTreeSet<String>> = HashMap::new();
    for (view, a, b, owner) in LINK_VIEWS {
        for r in rows(conn, &format!("SELECT {a}, {b} FROM {view}")) {
            links
                .entry((owner.to_string(), text(&r[*a])))
                .or_default()
                .insert(format!("{view}:{}", text(&r[*b])));
        }
    }
    Snapshot {
        rows: rows_out,
        links,
    }
}

#[test]
fn churn_rounds_bump_every_row_they_change() {
    let mut conn = small(11);
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let nows = [
        datetime!(2026-11-21 08:00 UTC),
        datetime!(2026-11-22 08:00 UTC),
        // As the HTTP delta test drives it: real time, right after the wall clock.
        time::OffsetDateTime::now_utc(),
        datetime!(2099-01-01 08:00 UTC),
    ];
    for now in nows {
        let before = snapshot(&conn);
        let s = churn::random_round(&mut conn, &mut rng, now).unwrap();
        assert!(s.inserted >= 5 && s.updated >= 2 && s.deleted >= 4, "{s:?}");
        let after = snapshot(&conn);
        let now_text = clock::Stamp::from_datetime(now).text().unwrap();
        let mut changed = 0;
        for (key, (content, stamp)) in &before.rows {
            let (new_content, new_stamp) = after
                .rows
                .get(key)
                .unwrap_or_else(|| panic!("{key:?} vanished"));
            if new_content != content {
                changed += 1;
                assert!(
                    new_stamp > stamp,
                    "{key:?} changed without a bump: {content} -> {new_content}"
                );
                assert!(*new_stamp >= now_text, "{key:?}: {new_stamp} < {now_text}");
            }
        }
        for (key, (_, stamp)) in &after.rows {
            if !before.rows.contains_key(key) {
                changed += 1;
                assert!(*stamp >= now_text, "new {key:?} stamped {stamp}");
            }
        }
        for key in before.links.keys().chain(after.links.keys()) {
            if before.links.get(key) != after.links.get(key) {
                let (_, new_stamp) = &after.rows[key];
                if let Some((_, old_stamp)) = before.rows.get(key) {
                    assert!(
                        new_stamp > old_stamp,
                        "links of {key:?} changed without a bump"
                    );
                }
            }
        }
        assert!(changed >= 10, "only {changed} rows changed");
    }
    // With `now` ahead of the wall clock, even hard deletes land exactly on `now`.
    let last = clock::Stamp::from_datetime(nows[3]).text().unwrap();
    assert!(count(&conn, &format!("SELECT count(*) FROM oneroster_users WHERE status = 'tobedeleted' AND dateLastModified = '{last}'")) >= 1);
}

#[test]
fn init_creates_a_file_once_and_then_only_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    let first = init(&path, Scale::Small, 12, Some("topsecret")).unwrap();
    assert_eq!(first.client_secret, "topsecret");
    let again = init(&path, Scale::L, 13, None).unwrap();
    assert_eq!(first, again);
    assert!(matches!(
        populate(
            &mut Connection::open_in_memory().unwrap(),
            Scale::Small,
            1,
            Some("")
        ),
        Err(DemoError::EmptySecret)
    ));
    set_client_secret(&path, "rotated").unwrap();
    assert_eq!(
        init(&path, Scale::Small, 12, None).unwrap().client_secret,
        "rotated"
    );
    assert!(set_client_secret(&dir.path().join("none.sqlite"), "x").is_err());
    assert!(!dir.path().join("none.sqlite").exists());
}

#[test]
fn paged_queries_use_indexes() {
    let conn = small(14);
    let plan = |sql: &str| {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let details: Vec<String> = stmt
            .query_map([], |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        details.join("; ")
    };
    for sql in [
        "SELECT * FROM oneroster_users WHERE status = 'active' ORDER BY sourcedId LIMIT 100 OFFSET 100",
        "SELECT * FROM oneroster_users WHERE role = 'teacher' ORDER BY sourcedId LIMIT 100",
        "SELECT * FROM oneroster_enrollments ORDER BY sourcedId LIMIT 100",
        "SELECT * FROM oneroster_enrollments WHERE status = 'active' ORDER BY sourcedId LIMIT 100",
        "SELECT * FROM oneroster_enrollments WHERE classSourcedId = 'grp-000001' ORDER BY sourcedId LIMIT 100",
        "SELECT * FROM oneroster_classes WHERE schoolSourcedId = 'org-999001' ORDER BY sourcedId LIMIT 100",
        "SELECT * FROM oneroster_courses WHERE status = 'active' ORDER BY sourcedId LIMIT 100",
    ] {
        let p = plan(sql);
        assert!(!p.contains("TEMP B-TREE"), "{sql}: {p}");
        let full_scan = p.split("; ").any(|d| d.starts_with("SCAN") && !d.contains("INDEX"));
        assert!(!full_scan, "{sql}: {p}");
        if sql.contains("status =") {
            assert!(p.contains("_Status"), "{sql}: {p}");
        }
    }
    let p = plan("SELECT sourcedId FROM oneroster_enrollments WHERE dateLastModified > '2026-11-19' ORDER BY sourcedId LIMIT 100");
    assert!(p.contains("IX_GroupMembers_ModifiedAt"), "{p}");
    let p = plan("SELECT sourcedId, status FROM oneroster_users ORDER BY sourcedId LIMIT 10");
    assert!(
        !p.contains("Institutions"),
        "unused lookups are dropped: {p}"
    );
    let p = plan("SELECT * FROM oneroster_user_agents WHERE userSourcedId = 'usr-0000010'");
    assert!(!p.contains("SCAN"), "{p}");
}

/// `cargo test --release -- --ignored --nocapture l_scale` measures the L generation.
#[test]
#[ignore]
fn l_scale_generates_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let s = init(&dir.path().join("l.sqlite"), Scale::L, 1, None).unwrap();
    let took = started.elapsed();
    eprintln!("L: {s:?} in {took:?}");
    assert!(s.students > 50_000 && s.enrollments > 350_000, "{s:?}");
}
