//! Unit tests of the SQL Server store's parts that need no server: failure classification,
//! cell conversions and settings. The wiring against a TDS server is in tests/mssql/.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use tiberius::error::{Error, IoErrorKind};
use tiberius::{ColumnData, ColumnType, Row};

use super::failure::{Cause, Failure};
use super::rows::TdsRow;
use super::settings::SqlServerSettings;
use crate::store::hydrate::RowReader;
use crate::store::StoreError;

fn io(kind: IoErrorKind) -> Error {
    Error::Io {
        kind,
        message: "boom".into(),
    }
}

#[test]
fn handshake_failures_name_their_cause() {
    let tls = |e| Failure::from_handshake(e, true).cause;
    assert_eq!(tls(Error::Tls("UnknownIssuer".into())), Cause::Tls);
    assert_eq!(tls(io(IoErrorKind::InvalidData)), Cause::Tls);
    assert_eq!(tls(io(IoErrorKind::UnexpectedEof)), Cause::Tls);
    assert_eq!(tls(io(IoErrorKind::TimedOut)), Cause::Timeout);
    let routing = Error::Routing {
        host: "other".into(),
        port: 1433,
    };
    assert_eq!(tls(routing), Cause::Login);
    // Without TLS a closed connection is just a broken TCP connection.
    let plain = Failure::from_handshake(io(IoErrorKind::UnexpectedEof), false);
    assert_eq!(plain.cause, Cause::Tcp);
    let eof = Failure::from_handshake(io(IoErrorKind::UnexpectedEof), true);
    assert!(eof.detail.contains("TLS 1.2"), "{}", eof.detail);
}

#[test]
fn query_failures_decide_eviction_and_retry() {
    let lost = Failure::from_query(io(IoErrorKind::ConnectionReset));
    assert_eq!(lost.cause, Cause::Connection);
    assert!(lost.breaks_connection() && lost.worth_retrying());
    let slow = Failure::from_query(io(IoErrorKind::TimedOut));
    assert_eq!(slow.cause, Cause::Timeout);
    assert!(
        slow.breaks_connection() && !slow.worth_retrying(),
        "a second wait would overrun the gateway"
    );
    let garbled = Failure::from_query(Error::Protocol("bad token".into()));
    assert!(garbled.breaks_connection() && !garbled.worth_retrying());
}

#[test]
fn causes_map_to_store_errors() {
    let login = Failure::new(Cause::Login, "Login failed for user 'x'.").into_store_error();
    assert!(matches!(login, StoreError::Login(m) if m.starts_with("login: ")));
    let server = Failure::new(Cause::Server, "Invalid object name").into_store_error();
    assert!(matches!(server, StoreError::Database(_)));
    for cause in [
        Cause::Dns,
        Cause::Tcp,
        Cause::Tls,
        Cause::Timeout,
        Cause::Busy,
    ] {
        let error = Failure::new(cause, "x").into_store_error();
        assert!(
            matches!(&error, StoreError::Unavailable(m) if m.starts_with(cause.as_str())),
            "{error}"
        );
    }
}

fn row(cells: Vec<ColumnData<'static>>) -> Row {
    cells
        .into_iter()
        .enumerate()
        .fold(Row::builder(), |b, (i, cell)| {
            b.column(format!("c{i}"), ColumnType::Null, cell)
        })
        .build()
}

#[test]
fn cells_convert_like_the_sqlite_columns() {
    use tiberius::time::{Date, DateTime2, Time};
    // 2026-06-15 is day 739781 after 0001-01-01; 08:00:00.123 at scale 3.
    let days = (time::macros::date!(2026 - 06 - 15) - time::macros::date!(0001 - 01 - 01))
        .whole_days() as u32;
    let stamp = DateTime2::new(Date::new(days), Time::new(8 * 3_600_000 + 123, 3));
    let row = row(vec![
        ColumnData::DateTime2(Some(stamp)),
        ColumnData::Date(Some(Date::new(days))),
        ColumnData::I32(Some(1)),
        ColumnData::U8(Some(0)),
        ColumnData::String(None),
        ColumnData::I32(None),
        ColumnData::String(Some("2026-06-15T08:00:00.000Z".into())),
        ColumnData::I64(Some(42)),
    ]);
    let mut reader = TdsRow::new(&row, "test");
    let instant = reader.timestamp().unwrap().unwrap();
    assert_eq!(
        crate::oneroster::datetime::format_timestamp(instant),
        "2026-06-15T08:00:00.123Z"
    );
    assert_eq!(
        reader.date().unwrap(),
        Some(time::macros::date!(2026 - 06 - 15))
    );
    assert_eq!(reader.flag().unwrap(), Some(true));
    assert_eq!(reader.flag().unwrap(), Some(false));
    assert_eq!(reader.text().unwrap(), None);
    assert_eq!(reader.flag().unwrap(), None);
    assert!(reader.timestamp().unwrap().is_some(), "canonical text too");
    assert_eq!(reader.integer().unwrap(), Some(42));
}

#[test]
fn a_cell_of_the_wrong_kind_breaks_the_contract_without_showing_its_value() {
    let row = row(vec![ColumnData::Binary(Some(b"secret".to_vec().into()))]);
    let error = TdsRow::new(&row, "oneroster_users").text().unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("oneroster_users") && text.contains("binary"),
        "{text}"
    );
    assert!(!text.contains("secret"));
}

#[test]
fn settings_default_to_strict_tls_and_the_gateway_budget() {
    let settings = SqlServerSettings::new("sql.example", 1433, "UMS", "reader", "pw-123");
    assert_eq!(settings.encryption, super::Encryption::Strict);
    assert_eq!(settings.deadline(), Duration::from_secs(25));
    assert!(settings.deadline() < super::GATEWAY_BUDGET);
    assert_eq!(settings.tiberius_config().get_addr(), "sql.example:1433");
    assert!(!format!("{settings:?}").contains("pw-123"));
}

#[test]
fn instants_bind_as_utc_datetime2() {
    use tiberius::FromSql;
    let instant = time::macros::datetime!(2026-11-01 07:30:15.250 +01:00);
    let cell = ColumnData::DateTime2(Some(super::rows::datetime2(instant)));
    let back = time::PrimitiveDateTime::from_sql(&cell).unwrap().unwrap();
    assert_eq!(back.assume_utc(), instant);
}
