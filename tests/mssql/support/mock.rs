//! mssql-mock-tds in-process, and the cells it can send.
//!
//! What the mock can and cannot do shapes these tests: it sends integers, nvarchar(max) and
//! NULL, but no datetime2 or date (timestamps and dates go out as their canonical text, which the
//! store also reads; the datetime2/date decoding has unit tests and the live suite); it matches
//! RPC statements by upper-case substring (the relay in `relay.rs` deals with that); and it
//! answers each request with a single TDS packet, so a result must stay under 64 KiB.

use std::net::SocketAddr;
use std::sync::Arc;

use mssql_mock_tds::protocol::{
    build_prelogin_response, build_terminal_error_tokens, PacketHeader, PacketType,
};
use mssql_mock_tds::{
    ColumnDefinition, ColumnValue, MockTdsServer, QueryRegistry, QueryResponse, Row, SqlDataType,
    TerminalError,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
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

/// A server that answers the pre-login and refuses every login with error 18456.
pub async fn refusing_server() -> SocketAddr {
    serve_refusals(None).await
}

/// The same, behind TDS 8 strict TLS with `pki`'s server certificate.
pub async fn refusing_strict_server(pki: &TestPki) -> SocketAddr {
    let acceptor = native_tls::TlsAcceptor::new(pki.identity()).unwrap();
    serve_refusals(Some(tokio_native_tls::TlsAcceptor::from(acceptor))).await
}

async fn serve_refusals(tls: Option<tokio_native_tls::TlsAcceptor>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tls = tls.clone();
            tokio::spawn(async move {
                match tls {
                    Some(acceptor) => {
                        if let Ok(stream) = acceptor.accept(socket).await {
                            refuse_login(stream).await;
                        }
                    }
                    None => refuse_login(socket).await,
                }
            });
        }
    });
    addr
}

async fn refuse_login(mut socket: impl AsyncRead + AsyncWrite + Unpin) {
    let mut packet = [0u8; 4096];
    let _prelogin = socket.read(&mut packet).await;
    let _ = socket.write_all(&build_prelogin_response()).await;
    let _login = socket.read(&mut packet).await;
    let tokens = build_terminal_error_tokens(&TerminalError::new(
        18456,
        14,
        "Login failed for user 'ums_oneroster_reader'.",
    ));
    let mut reply: Vec<u8> = Vec::new();
    PacketHeader::new(PacketType::TabularResult, (8 + tokens.len()) as u16, 1).write(&mut reply);
    reply.extend_from_slice(&tokens);
    let _ = socket.write_all(&reply).await;
    let _ = socket.flush().await;
}
