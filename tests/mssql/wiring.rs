//! The SQL Server store's wiring against mssql-mock-tds: connections in plaintext and TDS 8
//! strict TLS, trust, a refused login, parameters and cell types, server errors, stalls and
//! timeouts (503 with Retry-After), the pool's reuse, and the retry after a broken connection.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use mssql_mock_tds::{
    ColumnDefinition, ColumnValue, QueryResponse, SqlDataType, TerminalError, LOGIN_DELAY_KEY,
};

use ums_oneroster::store::mssql::{Encryption, SqlServerSettings, SqlServerStore};
use ums_oneroster::store::sql::{self, Dialect};
use ums_oneroster::store::{Store, StoreError};

use crate::support::app::{self, config, get, send, settings, token_request, Raw};
use crate::support::certs::{TestPki, SERVER_NAME};
use crate::support::mock::{self, Mock};
use crate::support::relay::Relay;

const USERS: &str = "/ims/oneroster/v1p1/users?limit=2";

/// Log lines written while `work` runs, as the JSON-less text format prints them.
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() -> (Arc<Mutex<Vec<u8>>>, tracing::subscriber::DefaultGuard) {
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || Captured(writer.clone()))
        .finish();
    (buffer, tracing::subscriber::set_default(subscriber))
}

fn logged(buffer: &Arc<Mutex<Vec<u8>>>) -> String {
    String::from_utf8_lossy(&buffer.lock().unwrap()).into_owned()
}

fn users_count() -> sql::SqlQuery {
    sql::list_statements(&users(), Dialect::MsSql).count
}

fn users_page() -> sql::SqlQuery {
    sql::list_statements(&users(), Dialect::MsSql).page
}

fn users() -> ums_oneroster::store::Selection {
    ums_oneroster::store::Selection {
        entity: ums_oneroster::oneroster::entity::Entity::User,
        restrictions: vec![],
        query: ums_oneroster::oneroster::query::ListQuery {
            limit: 2,
            ..Default::default()
        },
        hrefs: ums_oneroster::oneroster::primitives::Hrefs::new(
            "http://skole.test/ims/oneroster/v1p1",
        ),
    }
}

/// A mock behind a relay, and the router over a store pointed at it.
struct Rig {
    mock: Mock,
    relay: Relay,
    store: Arc<SqlServerStore>,
    router: axum::Router,
}

impl Rig {
    async fn new(tune: impl FnOnce(&mut SqlServerSettings)) -> Rig {
        let mock = Mock::plaintext().await;
        let relay = Relay::start(mock.addr).await;
        let mut settings = settings(relay.addr);
        tune(&mut settings);
        let store = Arc::new(SqlServerStore::new("rig", settings));
        let router = ums_oneroster::http::app(config().state(store.clone()));
        Rig {
            mock,
            relay,
            store,
            router,
        }
    }

    async fn prime(&self, statement: &str, response: QueryResponse) {
        let tag = self.relay.prime(statement);
        self.mock.register(&tag, response).await;
    }

    async fn get(&self, path: &str) -> Raw {
        send(&self.router, get(path, &token())).await
    }
}

/// A token the routers accept (they share the signing key).
fn token() -> String {
    let issuer = ums_oneroster::auth::TokenIssuer::new(
        &[7; 32],
        "ums-oneroster",
        &ums_oneroster::tenants::Tenant::audience(ums_oneroster::config::LOCAL_TENANT),
        Duration::from_secs(3600),
    );
    issuer
        .issue("WebserviceUser", &ums_oneroster::auth::Scope::all())
        .unwrap()
        .access_token
}

/// Two users, with every cell encoding the views' column types arrive as: nvarchar(max) and
/// varchar(max) text (non-ASCII, empty, NULL), int, tinyint and bigint flags, and timestamps
/// as canonical text.
fn two_users() -> QueryResponse {
    let text = |name: &str| ColumnDefinition::new(name, SqlDataType::NVarCharMax);
    let latin1 = |name: &str| ColumnDefinition::new(name, SqlDataType::VarCharMax);
    let columns = vec![
        text("sourcedId"),
        text("status"),
        text("dateLastModified"),
        latin1("username"),
        ColumnDefinition::new("enabledUser", SqlDataType::TinyInt),
        text("givenName"),
        text("familyName"),
        text("middleName"),
        text("role"),
        text("identifier"),
        text("email"),
        text("sms"),
        text("phone"),
        text("grades"),
    ];
    let user = |id: &str, login: &[u8], enabled: ColumnValue, given: &str, middle: Option<&str>| {
        vec![
            mock::text(Some(id)),
            mock::text(Some("active")),
            mock::text(Some("2026-11-01T06:30:00.000Z")),
            ColumnValue::VarCharMax(vec![login.to_vec()]),
            enabled,
            mock::text(Some(given)),
            mock::text(Some("Østergård")),
            mock::text(middle),
            mock::text(Some("student")),
            mock::text(Some("")),
            mock::text(None),
            mock::text(None),
            mock::text(None),
            mock::text(Some("05")),
        ]
    };
    mock::response(
        columns,
        vec![
            // 'søren01' in code page 1252, as a varchar column of a Latin1 collation sends it.
            user(
                "u-1",
                b"s\xf8ren01",
                ColumnValue::TinyInt(1),
                "Søren 🙂",
                None,
            ),
            user("u-2", b"ida02", ColumnValue::Null, "Ida", Some("Å")),
        ],
    )
}

/// u-1 has one link of each kind (to `school-1`), u-2 none.
async fn links_of_u1(rig: &Rig) {
    let ids = ["u-1".to_owned(), "u-2".to_owned()];
    let user = ums_oneroster::oneroster::entity::Entity::User;
    for (_, statement) in sql::link_statements(user, &ids, Dialect::MsSql) {
        let columns = vec![mock::text_column("owner"), mock::text_column("target")];
        let rows = vec![vec![mock::text(Some("u-1")), mock::text(Some("school-1"))]];
        rig.prime(&statement.text, mock::response(columns, rows))
            .await;
    }
}

#[tokio::test]
async fn plaintext_reads_parameterized_pages_of_every_cell_type() {
    let rig = Rig::new(|_| {}).await;
    rig.prime(&users_page().text, two_users()).await;
    let count = users_count();
    let bigint = vec![ColumnDefinition::new("", SqlDataType::BigInt)];
    rig.prime(
        &count.text,
        mock::response(bigint, vec![vec![ColumnValue::BigInt(57)]]),
    )
    .await;
    links_of_u1(&rig).await;
    let raw = rig.get(USERS).await;
    assert_eq!(
        raw.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&raw.body)
    );
    assert_eq!(rig.relay.surprises(), Vec::<String>::new());
    let body = raw.json();
    let users = body["users"].as_array().unwrap();
    assert_eq!(users[0]["username"], "søren01");
    assert_eq!(users[0]["givenName"], "Søren 🙂");
    assert_eq!(users[0]["familyName"], "Østergård");
    assert_eq!(users[0]["enabledUser"], "true");
    assert_eq!(users[0]["dateLastModified"], "2026-11-01T06:30:00.000Z");
    assert_eq!(users[0]["grades"], serde_json::json!(["05"]));
    assert_eq!(users[0]["orgs"][0]["sourcedId"], "school-1");
    assert_eq!(users[1]["middleName"], "Å");
    assert!(
        users[1]
            .get("enabledUser")
            .is_none_or(|v| v.is_null() || v == ""),
        "{}",
        users[1]
    );
    // A full page of 2: the total comes from the count statement (a bigint here).
    assert_eq!(raw.header("x-total-count"), Some("57"));
}

#[tokio::test]
async fn the_token_endpoint_reads_the_secret_through_a_parameter() {
    let rig = Rig::new(|_| {}).await;
    let statement = sql::client_secret_statement("WebserviceUser", Dialect::MsSql);
    let columns = vec![ColumnDefinition::new("Password", SqlDataType::NVarChar)];
    let rows = vec![vec![ColumnValue::NVarChar(app::SECRET.to_owned())]];
    rig.prime(&statement.text, mock::response(columns, rows))
        .await;
    let raw = send(&rig.router, token_request()).await;
    assert_eq!(
        raw.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&raw.body)
    );
    let sent = rig.relay.sent();
    assert_eq!(sent, std::slice::from_ref(&statement.text));
    assert!(sent[0].contains("= @P1"), "the client id is a parameter");
}

#[tokio::test]
async fn one_connection_serves_request_after_request() {
    let rig = Rig::new(|_| {}).await;
    for _ in 0..3 {
        assert_eq!(rig.store.client_secret("nobody").await.unwrap(), None);
    }
    assert_eq!(
        rig.relay.connections(),
        1,
        "the pooled connection is reused"
    );
}

#[tokio::test]
async fn a_broken_pooled_connection_is_replaced_and_the_read_retried_once() {
    let rig = Rig::new(|_| {}).await;
    let (logs, _guard) = capture_logs();
    assert_eq!(rig.store.client_secret("nobody").await.unwrap(), None);
    rig.relay.cut();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(rig.store.client_secret("nobody").await.unwrap(), None);
    assert_eq!(rig.relay.connections(), 2);
    assert!(
        logged(&logs).contains("trying once more"),
        "{}",
        logged(&logs)
    );
}

#[tokio::test]
async fn an_idle_connection_is_pinged_before_it_is_reused() {
    // Pinged after half the idle timeout: 1 s here.
    let rig = Rig::new(|s| s.idle_timeout = Duration::from_secs(2)).await;
    assert_eq!(rig.store.client_secret("nobody").await.unwrap(), None);
    assert_eq!(rig.store.client_secret("nobody").await.unwrap(), None);
    assert!(
        rig.relay.batches().is_empty(),
        "a busy connection is not pinged"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(rig.store.client_secret("nobody").await.unwrap(), None);
    assert_eq!(rig.relay.batches(), ["SELECT 1"]);
    assert_eq!(rig.relay.connections(), 1);
}

#[tokio::test]
async fn a_dead_idle_connection_fails_its_ping_and_is_replaced() {
    let rig = Rig::new(|s| s.idle_timeout = Duration::from_secs(2)).await;
    let (logs, _guard) = capture_logs();
    assert_eq!(rig.store.client_secret("nobody").await.unwrap(), None);
    rig.relay.cut();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(rig.store.client_secret("nobody").await.unwrap(), None);
    assert_eq!(rig.relay.connections(), 2);
    assert!(
        !logged(&logs).contains("trying once more"),
        "the ping caught it first"
    );
}

#[tokio::test]
async fn strict_tls_connects_with_the_tenant_ca_bundle() {
    let pki = TestPki::new();
    let mock = Mock::strict(&pki).await;
    let strict = |tune: &dyn Fn(&mut SqlServerSettings)| {
        let mut settings = settings(mock.addr);
        settings.encryption = Encryption::Strict;
        settings.host_name_in_certificate = Some(SERVER_NAME.to_owned());
        tune(&mut settings);
        SqlServerStore::new("strict", settings)
    };
    let trusted = strict(&|s| s.ca_bundle = Some(pki.ca_pem.clone()));
    // The mock answers an unknown RPC with an empty result: the round trip itself worked.
    assert_eq!(trusted.client_secret("WebserviceUser").await.unwrap(), None);

    let (logs, _guard) = capture_logs();
    let webpki_only = strict(&|_| {});
    let error = webpki_only
        .client_secret("WebserviceUser")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Unavailable(m) if m.starts_with("tls: ")),
        "{error}"
    );
    let wrong_name = strict(&|s| {
        s.ca_bundle = Some(pki.ca_pem.clone());
        s.host_name_in_certificate = Some("other.test.internal".into());
    });
    let error = wrong_name
        .client_secret("WebserviceUser")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Unavailable(m) if m.starts_with("tls: ")),
        "{error}"
    );
    assert!(logged(&logs).contains("cause=\"tls\""), "{}", logged(&logs));

    let any_certificate = strict(&|s| s.trust_server_certificate = true);
    assert_eq!(
        any_certificate
            .client_secret("WebserviceUser")
            .await
            .unwrap(),
        None
    );
    assert!(
        logged(&logs).contains("not verified"),
        "the bypass is logged as a warning"
    );
}

#[tokio::test]
async fn plaintext_against_a_strict_server_is_a_tls_or_tcp_failure_not_a_hang() {
    let pki = TestPki::new();
    let mock = Mock::strict(&pki).await;
    let store = SqlServerStore::new("mismatch", settings(mock.addr));
    let started = Instant::now();
    let error = store.client_secret("x").await.unwrap_err();
    assert!(matches!(error, StoreError::Unavailable(_)), "{error}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn a_refused_login_is_a_login_error_and_a_503() {
    let addr = mock::refusing_server().await;
    let store = Arc::new(SqlServerStore::new("refused", settings(addr)));
    let error = store.client_secret("WebserviceUser").await.unwrap_err();
    assert!(
        matches!(&error, StoreError::Login(m) if m.contains("18456") || m.contains("Login failed")),
        "{error}"
    );
    let router = ums_oneroster::http::app(config().state(store));
    let token = send(&router, token_request()).await;
    assert_eq!(token.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(token.json()["error"], "temporarily_unavailable");
    assert!(token.header("retry-after").is_some());
    let users = send(&router, get(USERS, &self::token())).await;
    assert_eq!(users.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(users.header("retry-after").is_some());
    assert!(String::from_utf8_lossy(&users.body).contains("server_busy"));
}

#[tokio::test]
async fn server_error_tokens_are_database_errors_or_busy() {
    let rig = Rig::new(|_| {}).await;
    let missing = TerminalError::new(208, 16, "Invalid object name 'dbo.oneroster_users'.");
    rig.prime(&users_page().text, QueryResponse::error_only(missing))
        .await;
    let raw = rig.get(USERS).await;
    assert_eq!(raw.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        !String::from_utf8_lossy(&raw.body).contains("dbo."),
        "causes are logged, not sent"
    );

    let deadlock = TerminalError::new(1205, 13, "Transaction was deadlocked");
    rig.prime(&users_page().text, QueryResponse::error_only(deadlock))
        .await;
    let raw = rig.get(USERS).await;
    assert_eq!(raw.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(String::from_utf8_lossy(&raw.body).contains("server_busy"));
    assert_eq!(
        rig.relay.connections(),
        1,
        "a server error leaves the connection usable"
    );
}

#[tokio::test]
async fn a_stalled_query_times_out_as_a_503_and_its_connection_is_dropped() {
    let rig = Rig::new(|s| s.command_timeout = Duration::from_millis(400)).await;
    let (logs, _guard) = capture_logs();
    rig.prime(
        &users_page().text,
        two_users().with_delay(Duration::from_secs(30)),
    )
    .await;
    let started = Instant::now();
    let raw = rig.get(USERS).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(raw.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(raw.header("retry-after"), Some("5"));
    assert!(String::from_utf8_lossy(&raw.body).contains("server_busy"));
    assert!(
        logged(&logs).contains("cause=\"timeout\""),
        "{}",
        logged(&logs)
    );
    // The next read gets a new connection: the stalled one is out of step.
    assert_eq!(rig.store.client_secret("nobody").await.unwrap(), None);
    assert_eq!(rig.relay.connections(), 2);
}

#[tokio::test]
async fn a_stalled_login_times_out_within_the_connect_timeout() {
    let rig = Rig::new(|s| s.connect_timeout = Duration::from_millis(400)).await;
    rig.mock
        .register(
            LOGIN_DELAY_KEY,
            QueryResponse::select_one().with_delay(Duration::from_secs(30)),
        )
        .await;
    let started = Instant::now();
    let error = rig.store.client_secret("x").await.unwrap_err();
    assert!(
        matches!(&error, StoreError::Unavailable(m) if m.starts_with("timeout: ")),
        "{error}"
    );
    assert!(
        error.to_string().contains("login"),
        "names the step: {error}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn unreachable_servers_name_dns_tcp_and_silent_listeners() {
    let (logs, _guard) = capture_logs();
    let mut dns = SqlServerSettings::new("ums-sql.invalid", 1433, "UMS", "u", "p");
    dns.connect_timeout = Duration::from_secs(3);
    let error = SqlServerStore::new("dns", dns)
        .client_secret("x")
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("dns: ") || text.contains("resolving"),
        "{text}"
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let tcp = settings(([127, 0, 0, 1], port).into());
    let error = SqlServerStore::new("tcp", tcp)
        .client_secret("x")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Unavailable(m) if m.starts_with("tcp: ")),
        "{error}"
    );

    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut quiet = settings(silent.local_addr().unwrap());
    quiet.connect_timeout = Duration::from_millis(300);
    let error = SqlServerStore::new("silent", quiet)
        .client_secret("x")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Unavailable(m) if m.starts_with("timeout: ")),
        "{error}"
    );
    let logs = logged(&logs);
    for cause in ["tcp", "timeout"] {
        assert!(logs.contains(&format!("cause=\"{cause}\"")), "{logs}");
    }
    assert!(logs.contains("tenant=silent"), "{logs}");
    drop(silent);
}

#[tokio::test]
async fn datetime2_date_int_and_nvarchar_cells_decode_into_the_api_json() {
    use crate::support::typed::{self, Cell, Kind};
    let day = |date: time::Date| (date - time::macros::date!(0001 - 01 - 01)).whole_days() as u32;
    let columns = [
        ("sourcedId", Kind::Text),
        ("status", Kind::Text),
        ("dateLastModified", Kind::DateTime2),
        ("userSourcedId", Kind::Text),
        ("classSourcedId", Kind::Text),
        ("schoolSourcedId", Kind::Text),
        ("role", Kind::Text),
        ("primary", Kind::Int),
        ("beginDate", Kind::Date),
        ("endDate", Kind::Date),
    ];
    let stamp = (
        day(time::macros::date!(2026 - 11 - 01)),
        (6 * 3600 + 30 * 60) * 1000 + 123,
    );
    let row = vec![
        Cell::Text(Some("e-1")),
        Cell::Text(Some("tobedeleted")),
        Cell::DateTime2(Some(stamp)),
        Cell::Text(Some("u-1")),
        Cell::Text(Some("c-1")),
        Cell::Text(Some("s-1")),
        Cell::Text(Some("student")),
        Cell::Int(Some(1)),
        Cell::Date(Some(day(time::macros::date!(2026 - 08 - 10)))),
        Cell::Date(None),
    ];
    let addr = typed::serve(typed::result_set(&columns, &[row])).await;
    let router = ums_oneroster::http::app(
        config().state(Arc::new(SqlServerStore::new("typed", settings(addr)))),
    );
    let raw = send(
        &router,
        get("/ims/oneroster/v1p1/enrollments?limit=5", &token()),
    )
    .await;
    assert_eq!(
        raw.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&raw.body)
    );
    let enrollment = &raw.json()["enrollments"][0];
    assert_eq!(enrollment["dateLastModified"], "2026-11-01T06:30:00.123Z");
    assert_eq!(enrollment["status"], "tobedeleted");
    assert_eq!(enrollment["beginDate"], "2026-08-10");
    assert_eq!(enrollment["primary"], "true");
    assert_eq!(enrollment["user"]["sourcedId"], "u-1");
    assert!(
        enrollment.get("endDate").is_none_or(|v| v.is_null()),
        "{enrollment}"
    );
}
