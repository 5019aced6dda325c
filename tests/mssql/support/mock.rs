//! mssql-mock-tds in-process, and the cells it can send.
//!
//! What the mock can and cannot do shapes these tests: it sends integers, nvarchar(max) and
//! NULL, but no datetime2 or date (timestamps and dates go out as their canonical text, which the
//! store also reads; the datetime2/date decoding has unit tests and the live suite); it matches
//! RPC statements by upper-case substring (the relay in `relay.rs` deals with that); and it
//! answers each request with a single TDS packet, so a result must stay under 64 KiB.

use std::net::SocketAddr;
use std::sync::Arc;

use mssql_mock_tds::{
    ColumnDefinition, ColumnValue, MockTdsServer, QueryRegistry, QueryResponse, Row, SqlDataType,
};
use tokio::sync::{oneshot, Mutex};

use super::certs::TestPki;

/// A running mock; stopped when dropped.
pub struct Mock {
    pub addr: SocketAddr,
    pub registry: Arc<Mutex<QueryRegistry>>,
    _stop: oneshot::Sender<()>,
}

impl Mock {
    /// A mock speaking plain TDS.
    pub async fn plaintext() -> Mock {
        Self::run(MockTdsServer::new("127.0.0.1:0").await.unwrap())
    }

    /// A mock that requires TDS 8 strict TLS, presenting `pki`'s server certificate.
    pub async fn strict(pki: &TestPki) -> Mock {
        Self::run(
            MockTdsServer::new_with_strict_tls("127.0.0.1:0", pki.identity())
                .await
                .unwrap(),
        )
    }

    fn run(server: MockTdsServer) -> Mock {
        let addr = server.local_addr();
        let registry = server.query_registry();
        let (stop, stopped) = oneshot::channel();
        tokio::spawn(server.run_with_shutdown(stopped));
        Mock {
            addr,
            registry,
            _stop: stop,
        }
    }

    /// Answers `query` (matched as the mock matches: upper-cased) with `response`.
    pub async fn register(&self, query: &str, response: QueryResponse) {
        let size = mssql_mock_tds::protocol::build_query_result(&response).len();
        assert!(
            size <= usize::from(u16::MAX),
            "a {size}-byte result does not fit in the mock's single TDS packet: ask for fewer rows"
        );
        self.registry.lock().await.register(query, response);
    }
}

/// A text cell as SQL Server sends nvarchar(max); `None` is NULL.
pub fn text(value: Option<&str>) -> ColumnValue {
    match value {
        Some("") => ColumnValue::NVarCharMax(Vec::new()),
        Some(text) => ColumnValue::NVarCharMax(vec![text.encode_utf16().collect()]),
        None => ColumnValue::NVarCharMaxNull,
    }
}

pub fn text_column(name: &str) -> ColumnDefinition {
    ColumnDefinition::new(name, SqlDataType::NVarCharMax)
}

pub fn int_column(name: &str) -> ColumnDefinition {
    ColumnDefinition::new(name, SqlDataType::Int)
}

pub fn response(columns: Vec<ColumnDefinition>, rows: Vec<Vec<ColumnValue>>) -> QueryResponse {
    QueryResponse::new(columns, rows.into_iter().map(Row::new).collect())
}
