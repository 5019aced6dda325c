//! # ums-oneroster
//!
//! A OneRoster 1.1 rostering provider for inLogic UMS, replacing the on-prem "IMS sync"
//! webservice that Microsoft School Data Sync reads. The same library runs on a laptop (over
//! an embedded SQLite demo municipality) and in the cloud.
//!
//! ## Layout
//! - [`oneroster`]: the standard: the 1.1 model, vocabularies, the filter grammar and the list
//!   parameters. No HTTP, no SQL.
//! - [`http`]: the HTTP surface: one route table ([`http::routes`]) drives every read; errors
//!   become OneRoster or OAuth bodies in one place ([`http::error`]).
//! - [`auth`]: OAuth 2 client credentials, signed tokens, scopes.
//! - [`store`]: the store trait, the SQL builder with its dialects, and the SQLite store.
//! - [`demo`]: the deterministic Danish demo municipality and its UMS schema.
//! - [`hosts`]: ways to run the router (a local HTTP server).
//! - [`cli`]: the `ums-oneroster` command line.

pub mod auth;
pub mod cli;
pub mod config;
pub mod demo;
pub mod hosts;
pub mod http;
pub mod oneroster;
pub mod store;
pub mod telemetry;
pub mod tenants;
