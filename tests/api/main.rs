//! HTTP-level tests: they drive the real router (`ums_oneroster::http::app`) over a fresh
//! embedded demo municipality, exactly as the hosts run it, without a network. The vault tests
//! talk to a real Secrets Manager endpoint (moto's server mode, `make moto`).

// The SQL Server tests' throw-away CA; these tests use only part of it.
#[allow(dead_code, clippy::unwrap_used)]
#[path = "../mssql/support/certs.rs"]
mod certs;
mod helpers;
mod moto;

mod auth;
mod compression;
mod delta;
mod errors;
mod fields_and_sort;
mod filters;
mod paging;
mod routes;
mod tenants;
mod v1p2;
mod vault;
mod vault_tls;
