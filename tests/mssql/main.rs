//! The SQL Server store against a TDS server: Microsoft's mssql-mock-tds, run in-process
//! (plaintext and TDS 8 strict TLS), and, when `MSSQL_URL` names one, a real SQL Server.
//!
//! - `wiring`: connecting, TLS and trust, a refused login, parameters and every cell type the
//!   views use (datetime2 and date through a small responder, as the mock has neither), server
//!   errors, a stalled server (timeout and 503), pooling, pings and the retry.
//! - `tenant`: a `sqlServer` tenant loaded from a configuration directory and served by host.
//! - `cli`: `db check` and `db init` as an operator runs them.
//! - `equivalence`: the API's bytes from the SQL Server store (the mock primed with what the
//!   SQLite store's query returns) equal those from the SQLite store, route by route.
//! - `tsql`: every statement the builder writes for SQL Server parses as T-SQL.
//! - `live`: the same against a real server; skipped unless `MSSQL_URL` is set.

mod support;

mod cli;
pub mod equivalence;
mod live;
mod tenant;
pub mod tsql;
mod wiring;
