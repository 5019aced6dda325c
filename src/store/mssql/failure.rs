//! Why a SQL Server call failed, named the way an operator needs it: DNS, TCP, TLS, login,
//! timeout, a lost connection, a busy server, or an error the server reported.
//!
//! These are the cases behind SDS's "Endpoint not reachable"; the cause goes into the log as a
//! field of its own and decides the [`StoreError`] (and so the HTTP status).

use std::fmt;

use tiberius::error::{Error, IoErrorKind};

use crate::store::StoreError;

/// The stage or kind of a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The host name did not resolve.
    Dns,
    /// No TCP connection (refused, unreachable, reset before TDS).
    Tcp,
    /// The TLS handshake failed: certificate, name, or protocol version.
    Tls,
    /// The server refused the login (credentials, disabled login, unknown database).
    Login,
    /// No answer in time, while connecting or querying.
    Timeout,
    /// An open connection broke in the middle of a request.
    Connection,
    /// The server is busy: deadlock victim or lock timeout.
    Busy,
    /// The server answered with an error (permissions, missing view, bad data).
    Server,
    /// The server's answer could not be decoded: the connection is out of step.
    Protocol,
}

impl Cause {
    /// The value of the `cause` log field.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Dns => "dns",
            Cause::Tcp => "tcp",
            Cause::Tls => "tls",
            Cause::Login => "login",
            Cause::Timeout => "timeout",
            Cause::Connection => "connection",
            Cause::Busy => "busy",
            Cause::Server => "server",
            Cause::Protocol => "protocol",
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A classified failure, and what it means for the connection it happened on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub cause: Cause,
    pub detail: String,
}

/// Deadlock victim (1205) and lock request timeout (1222): worth a retry later.
const BUSY: [u32; 2] = [1205, 1222];

impl Failure {
    pub fn new(cause: Cause, detail: impl Into<String>) -> Failure {
        Failure {
            cause,
            detail: detail.into(),
        }
    }

    /// A failure of `Client::connect` (pre-login, TLS, login) on an open TCP connection.
    /// Any server error here ends the login: wrong or rotated credentials (18456), a disabled
    /// login or expired password (18470, 18487), a database the login cannot open (4060).
    pub fn from_handshake(error: Error, encrypted: bool) -> Failure {
        let cause = match &error {
            Error::Server(_) | Error::Routing { .. } => Cause::Login,
            Error::Io {
                kind: IoErrorKind::TimedOut,
                ..
            } => Cause::Timeout,
            // rustls reports certificate and protocol problems as I/O errors of kind
            // InvalidData; a server that cannot speak TLS 1.2 simply closes the connection.
            Error::Tls(_) => Cause::Tls,
            Error::Io {
                kind:
                    IoErrorKind::InvalidData | IoErrorKind::UnexpectedEof | IoErrorKind::ConnectionReset,
                ..
            } if encrypted => Cause::Tls,
            _ => Cause::Tcp,
        };
        let mut detail = error.to_string();
        if cause == Cause::Tls && !matches!(error, Error::Tls(_)) {
            detail.push_str(
                " (the server ended the TLS handshake: a SQL Server without TLS 1.2, or a \
                 certificate rustls refuses)",
            );
        }
        Failure::new(cause, detail)
    }

    /// A failure while running a statement on an established connection.
    pub fn from_query(error: Error) -> Failure {
        let cause = match &error {
            Error::Server(token) if BUSY.contains(&token.code()) => Cause::Busy,
            Error::Server(_) => Cause::Server,
            Error::Io {
                kind: IoErrorKind::TimedOut,
                ..
            } => Cause::Timeout,
            Error::Io { .. } => Cause::Connection,
            _ => Cause::Protocol,
        };
        Failure::new(cause, error.to_string())
    }

    /// Whether the connection it happened on must not be used again. Only a server error
    /// leaves the connection in step with the server.
    pub fn breaks_connection(&self) -> bool {
        !matches!(self.cause, Cause::Server | Cause::Busy)
    }

    /// Whether the same read is worth one more try on a new connection: the old one broke
    /// (a pooled connection the server or the network dropped), and nothing else went wrong.
    pub fn worth_retrying(&self) -> bool {
        self.cause == Cause::Connection
    }

    /// The store error this failure means: a refused login tells the tenant layer to refresh
    /// its credentials; server errors are the service's fault; the rest is "retry later".
    pub fn into_store_error(self) -> StoreError {
        let message = format!("{}: {}", self.cause, self.detail);
        match self.cause {
            Cause::Login => StoreError::Login(message),
            Cause::Server | Cause::Protocol => StoreError::Database(message),
            _ => StoreError::Unavailable(message),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.cause, self.detail)
    }
}

impl std::error::Error for Failure {}
