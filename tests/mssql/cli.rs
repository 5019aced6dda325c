//! `ums-oneroster db check` and `db init` as an operator runs them, against the mock over TDS 8
//! strict TLS (the check's statements are constant batches, which the mock matches as sent).

#![allow(clippy::unwrap_used)]

use std::process::Output;

use mssql_mock_tds::{ColumnDefinition, ColumnValue, SqlDataType};

use ums_oneroster::store::mssql::admin;
use ums_oneroster::store::sql::views;

use crate::support::certs::{TestPki, SERVER_NAME};
use crate::support::mock::{self, Mock};

async fn cli(args: Vec<String>) -> Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_ums-oneroster"))
        .args(args)
        .env_remove("UMS_MSSQL_PASSWORD")
        .output()
        .await
        .unwrap()
}

/// A strict-TLS mock that answers `db check` for a database where `denied` may not be read.
async fn checked_database(pki: &TestPki, denied: &str) -> Mock {
    let mock = Mock::strict(pki).await;
    let mut access = Vec::new();
    for name in views::all().into_iter().chain(["WebServicesSettings"]) {
        let readable = i32::from(name != denied);
        access.push(vec![
            mock::text(Some(name)),
            ColumnValue::Int(1),
            ColumnValue::Int(readable),
        ]);
        let newest = mock::text(Some(&three_hours_ago()));
        let rows = vec![
            ColumnDefinition::new("rows", SqlDataType::BigInt),
            mock::text_column("newest"),
        ];
        let count = ColumnValue::BigInt(40 + name.len() as i64);
        let entity_view = admin::rows_query(name).contains("dateLastModified");
        let (columns, row) = match entity_view {
            true => (rows, vec![count, newest]),
            false => (rows[..1].to_vec(), vec![count]),
        };
        mock.register(&admin::rows_query(name), mock::response(columns, vec![row]))
            .await;
    }
    let columns = vec![
        mock::text_column("name"),
        mock::int_column("present"),
        mock::int_column("readable"),
    ];
    mock.register(&admin::access_query(), mock::response(columns, access))
        .await;
    let flags = vec![
        mock::int_column("a"),
        mock::int_column("b"),
        mock::int_column("c"),
    ];
    let none = vec![vec![
        ColumnValue::Int(0),
        ColumnValue::Int(0),
        ColumnValue::Int(0),
    ]];
    mock.register(admin::PRIVILEGES_QUERY, mock::response(flags, none))
        .await;
    mock
}

fn three_hours_ago() -> String {
    let then = time::OffsetDateTime::now_utc() - time::Duration::hours(3);
    ums_oneroster::oneroster::datetime::format_timestamp(then)
}

fn url(mock: &Mock, ca: &std::path::Path) -> String {
    format!(
        "mssql://ums_oneroster_reader:s%3Bcret@127.0.0.1:{}/UMS?encrypt=strict&ca={}&hostNameInCertificate={SERVER_NAME}",
        mock.addr.port(),
        ca.display()
    )
}

#[tokio::test]
async fn db_check_reports_views_rows_permissions_and_the_last_sync() {
    let pki = TestPki::new();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let mock = checked_database(&pki, "none").await;
    let output = cli(vec![
        "db".into(),
        "check".into(),
        "--mssql".into(),
        url(&mock, &ca),
    ])
    .await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("database UMS, login ums_oneroster_reader"),
        "{stdout}"
    );
    let users = stdout
        .lines()
        .find(|l| l.contains("oneroster_users"))
        .unwrap();
    assert!(
        users.trim_start().starts_with("ok") && users.ends_with("55 rows"),
        "{users}"
    );
    assert!(
        stdout.contains("last change (LiveAtEdu_Sync): "),
        "{stdout}"
    );
    assert!(
        stdout.contains("(3 h ago)") || stdout.contains("(2 h ago)"),
        "{stdout}"
    );
    assert!(!stdout.contains("warning"), "{stdout}");
    assert!(stdout.contains("only what the service needs"), "{stdout}");
    assert!(!stdout.contains("s;cret"), "the password never shows");
}

#[tokio::test]
async fn db_check_fails_when_the_login_cannot_read_what_the_service_needs() {
    let pki = TestPki::new();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let mock = checked_database(&pki, "WebServicesSettings").await;
    let output = cli(vec![
        "db".into(),
        "check".into(),
        "--mssql".into(),
        url(&mock, &ca),
    ])
    .await;
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("DENIED   WebServicesSettings"), "{stdout}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 problem"));
}

#[tokio::test]
async fn db_commands_name_the_cause_when_the_server_cannot_be_reached() {
    let pki = TestPki::new();
    let mock = Mock::strict(&pki).await;
    // No CA bundle: the mock's certificate is not trusted.
    let untrusted = format!(
        "mssql://sa:pw@127.0.0.1:{}/UMS?encrypt=strict",
        mock.addr.port()
    );
    let output = cli(vec![
        "db".into(),
        "init".into(),
        "--mssql".into(),
        untrusted,
    ])
    .await;
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("tls: "),
        "{output:?}"
    );
    let no_password = "mssql://sa@127.0.0.1:1/UMS".to_owned();
    let output = cli(vec![
        "db".into(),
        "check".into(),
        "--mssql".into(),
        no_password,
    ])
    .await;
    assert!(String::from_utf8_lossy(&output.stderr).contains("UMS_MSSQL_PASSWORD"));
}
