//! The two apps of the equivalence tests: the real router over the SQLite demo municipality,
//! and over the SQL Server store pointed (through the relay) at the mock, which is primed for
//! each request with the rows the SQLite store's own statements return.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use base64::Engine;
use http_body_util::BodyExt;
use mssql_mock_tds::{ColumnDefinition, ColumnValue};
use rusqlite::types::Value;
use tower::ServiceExt;

use ums_oneroster::config::{ServeConfig, SigningKey};
use ums_oneroster::demo::{self, Scale};
use ums_oneroster::oneroster::datetime;
use ums_oneroster::oneroster::entity::{Entity, FieldType};
use ums_oneroster::store::mssql::{Encryption, SqlServerSettings, SqlServerStore};
use ums_oneroster::store::sql::{self, Dialect, Param, SqlQuery};
use ums_oneroster::store::sqlite::SqliteStore;
use ums_oneroster::store::{hydrate, Page, Selection, Store, StoreFuture};

use super::mock::{self, Mock};
use super::relay::Relay;

pub const SECRET: &str = "mssql-test-secret-42";
pub const HOST: &str = "skole.test";

/// One demo municipality per test binary; each caller gets its own copy.
pub fn demo_copy(dir: &Path) -> PathBuf {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let path = dir.join("template.sqlite");
        demo::init(&path, Scale::Small, 2026, Some(SECRET)).unwrap();
        path
    });
    let db = dir.join("demo.sqlite");
    std::fs::copy(template, &db).unwrap();
    db
}

pub fn config() -> ServeConfig {
    ServeConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database: PathBuf::new(),
        public_origin: None,
        signing_key: Some(SigningKey::new(vec![7; 32]).unwrap()),
        token_lifetime: Duration::from_secs(3600),
        max_in_flight: 16,
    }
}

/// Settings for a plaintext test server at `addr` with short time limits.
pub fn settings(addr: std::net::SocketAddr) -> SqlServerSettings {
    let mut settings = SqlServerSettings::new(
        addr.ip().to_string(),
        addr.port(),
        "UMS",
        "ums_oneroster_reader",
        "reader-password",
    );
    settings.encryption = Encryption::Plaintext;
    settings.connect_timeout = Duration::from_secs(3);
    settings.command_timeout = Duration::from_secs(5);
    settings
}

/// A SQLite store that remembers what it was asked for.
pub struct Recording {
    inner: SqliteStore,
    asked: Mutex<Vec<Selection>>,
}

impl Recording {
    pub fn take(&self) -> Vec<Selection> {
        std::mem::take(&mut self.asked.lock().unwrap())
    }
}

impl Store for Recording {
    fn list<'a>(&'a self, selection: &'a Selection) -> StoreFuture<'a, Page> {
        self.asked.lock().unwrap().push(selection.clone());
        self.inner.list(selection)
    }

    fn client_secret<'a>(&'a self, client_id: &'a str) -> StoreFuture<'a, Option<String>> {
        self.inner.client_secret(client_id)
    }
}

/// A response as bytes.
pub struct Raw {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Raw {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Raw {
        status,
        headers,
        body,
    }
}

/// `path` with the characters a URI may not hold percent-encoded (`=`, `'` and `&` stay).
fn uri(path: &str) -> String {
    let mut uri = String::new();
    for byte in path.bytes() {
        match byte {
            b' ' | b'<' | b'>' | b'"' | b'{' | b'}' | b'|' | b'\\' | b'^' | b'`' | 0x80.. => {
                uri.push_str(&format!("%{byte:02X}"))
            }
            _ => uri.push(char::from(byte)),
        }
    }
    uri
}

pub fn get(path: &str, token: &str) -> Request<Body> {
    Request::get(uri(path))
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

pub fn token_request() -> Request<Body> {
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("WebserviceUser:{SECRET}"));
    Request::post("/ims/oneroster/v1p1/token")
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Basic {basic}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("grant_type=client_credentials"))
        .unwrap()
}

/// The same router over SQLite and over SQL Server (the mock behind the relay).
pub struct Pair {
    pub sqlite: Router,
    pub mssql: Router,
    pub recorder: Arc<Recording>,
    pub relay: Relay,
    pub mock: Mock,
    pub token: String,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

impl Pair {
    pub async fn new() -> Pair {
        let dir = tempfile::tempdir().unwrap();
        let db = demo_copy(dir.path());
        let recorder = Arc::new(Recording {
            inner: SqliteStore::open(&db).unwrap(),
            asked: Mutex::new(Vec::new()),
        });
        let sqlite = ums_oneroster::http::app(config().state(recorder.clone()));
        let mock = Mock::plaintext().await;
        let relay = Relay::start(mock.addr).await;
        let store = SqlServerStore::new("mock", settings(relay.addr));
        let mssql = ums_oneroster::http::app(config().state(Arc::new(store)));
        let token = send(&sqlite, token_request()).await.json()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        Pair {
            sqlite,
            mssql,
            recorder,
            relay,
            mock,
            token,
            db,
            _dir: dir,
        }
    }

    /// Serves `path` from SQLite, primes the mock with what SQLite's statements returned for
    /// every read the request made, serves it from SQL Server, and returns both responses.
    pub async fn both(&self, path: &str) -> (Raw, Raw) {
        let lite = send(&self.sqlite, get(path, &self.token)).await;
        for selection in self.recorder.take() {
            self.prime(&selection).await;
        }
        let tsql = send(&self.mssql, get(path, &self.token)).await;
        (lite, tsql)
    }

    async fn prime(&self, selection: &Selection) {
        let conn = rusqlite::Connection::open_with_flags(
            &self.db,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let lite = sql::list_statements(selection, Dialect::Sqlite);
        let tsql = sql::list_statements(selection, Dialect::MsSql);
        let entity = selection.entity;
        let page = run(&conn, &lite.page);
        let columns: Vec<ColumnDefinition> = hydrate::columns(entity)
            .iter()
            .map(|c| match is_flag(entity, c) {
                true => mock::int_column(c),
                false => mock::text_column(c),
            })
            .collect();
        let flags: Vec<bool> = hydrate::columns(entity)
            .iter()
            .map(|c| is_flag(entity, c))
            .collect();
        let cells = page
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&flags)
                    .map(|(v, flag)| cell(v, *flag))
                    .collect()
            })
            .collect();
        self.register(&tsql.page, mock::response(columns, cells))
            .await;
        let count = run(&conn, &lite.count);
        let Value::Integer(total) = count[0][0] else {
            panic!("COUNT(*) is an integer")
        };
        let total = vec![vec![ColumnValue::Int(i32::try_from(total).unwrap())]];
        self.register(
            &tsql.count,
            mock::response(vec![mock::int_column("")], total),
        )
        .await;
        let ids: Vec<String> = page.iter().map(|row| as_text(&row[0]).unwrap()).collect();
        let lite_links = sql::link_statements(entity, &ids, Dialect::Sqlite);
        let tsql_links = sql::link_statements(entity, &ids, Dialect::MsSql);
        for ((_, lite), (_, tsql)) in lite_links.iter().zip(&tsql_links) {
            let pairs = run(&conn, lite)
                .iter()
                .map(|row| row.iter().map(|v| cell(v, false)).collect())
                .collect();
            let columns = vec![mock::text_column("owner"), mock::text_column("target")];
            self.register(tsql, mock::response(columns, pairs)).await;
        }
    }

    async fn register(&self, statement: &SqlQuery, response: mssql_mock_tds::QueryResponse) {
        let tag = self.relay.prime(&statement.text);
        self.mock.register(&tag, response).await;
    }
}

fn is_flag(entity: Entity, column: &str) -> bool {
    entity
        .field(column)
        .is_some_and(|f| f.ty == FieldType::Bool)
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Integer(n) => Some(n.to_string()),
        Value::Text(text) => Some(text.clone()),
        other => panic!("unexpected SQLite value {other:?}"),
    }
}

/// The cell SQL Server would send for a SQLite value: an int for a flag, else nvarchar.
fn cell(value: &Value, flag: bool) -> ColumnValue {
    match (value, flag) {
        (Value::Null, true) => ColumnValue::Null,
        (Value::Integer(n), true) => ColumnValue::Int(i32::try_from(*n).unwrap()),
        (other, _) => mock::text(as_text(other).as_deref()),
    }
}

/// Runs a SQLite statement the way the SQLite store binds it.
pub fn run(conn: &rusqlite::Connection, query: &SqlQuery) -> Vec<Vec<Value>> {
    let params: Vec<Value> = query
        .params
        .iter()
        .map(|p| match p {
            Param::Text(text) => Value::Text(text.clone()),
            Param::Int(n) => Value::Integer(*n),
            Param::Timestamp(t) => Value::Text(datetime::format_timestamp(*t)),
        })
        .collect();
    let mut stmt = conn.prepare(&query.text).unwrap();
    let width = stmt.column_count();
    stmt.query_map(rusqlite::params_from_iter(params), |row| {
        (0..width).map(|i| row.get::<_, Value>(i)).collect()
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}
