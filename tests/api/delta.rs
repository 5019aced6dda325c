//! Delta sync as SDS does it: one full pull, then rounds of UMS changes, each followed by a
//! `dateLastModified>` pull applied to the consumer's replica. After every round the replica
//! must equal a fresh full pull.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use time::OffsetDateTime;

use ums_oneroster::demo::churn;
use ums_oneroster::oneroster::datetime::format_timestamp;

use crate::helpers::{spawn_app, urlencode, TestApp};

const COLLECTIONS: [&str; 5] = [
    "academicSessions",
    "orgs",
    "users",
    "classes",
    "enrollments",
];
const ROUNDS: usize = 12;

type Replica = BTreeMap<(&'static str, String), Value>;

async fn full_pull(app: &TestApp) -> Replica {
    let mut replica = Replica::new();
    for collection in COLLECTIONS {
        let path = format!("/{collection}?filter={}", urlencode("status='active'"));
        for record in app.get_all(&path, collection, 5000).await {
            let id = record["sourcedId"].as_str().unwrap().to_owned();
            replica.insert((collection, id), record);
        }
    }
    replica
}

async fn apply_delta(app: &TestApp, replica: &mut Replica, since: &str) -> usize {
    let mut changed = 0;
    for collection in COLLECTIONS {
        let filter = urlencode(&format!("dateLastModified>'{since}'"));
        let path = format!("/{collection}?filter={filter}");
        for record in app.get_all(&path, collection, 5000).await {
            assert!(
                record["dateLastModified"].as_str().unwrap() > since,
                "{record}"
            );
            let id = record["sourcedId"].as_str().unwrap().to_owned();
            changed += 1;
            if record["status"] == "tobedeleted" {
                replica.remove(&(collection, id));
            } else {
                replica.insert((collection, id), record);
            }
        }
    }
    changed
}

#[tokio::test]
async fn delta_pulls_keep_a_replica_equal_to_a_full_pull() {
    let app = spawn_app();
    let mut replica = full_pull(&app).await;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut conn = rusqlite::Connection::open(&app.db).unwrap();
    let mut totals = (0, 0, 0);
    for round in 0..ROUNDS {
        let since = format_timestamp(OffsetDateTime::now_utc());
        std::thread::sleep(std::time::Duration::from_millis(5));
        let summary = churn::random_round(&mut conn, &mut rng, OffsetDateTime::now_utc()).unwrap();
        totals = (
            totals.0 + summary.inserted,
            totals.1 + summary.updated,
            totals.2 + summary.deleted,
        );
        let changed = apply_delta(&app, &mut replica, &since).await;
        assert!(changed > 0, "round {round} changed nothing visible");
        let fresh = full_pull(&app).await;
        let missing: Vec<_> = fresh
            .keys()
            .filter(|k| !replica.contains_key(*k))
            .take(5)
            .collect();
        let extra: Vec<_> = replica
            .keys()
            .filter(|k| !fresh.contains_key(*k))
            .take(5)
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "round {round}: missing {missing:?}, extra {extra:?}"
        );
        for (key, record) in &fresh {
            assert_eq!(&replica[key], record, "round {round}: stale {key:?}");
        }
    }
    assert!(totals.0 > 0 && totals.1 > 0 && totals.2 > 0, "{totals:?}");
}
