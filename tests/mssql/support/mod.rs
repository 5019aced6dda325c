//! Test servers: the mock TDS server, its certificates, the relay that tags statements, and the
//! apps over the demo municipality.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

pub mod app;
pub mod certs;
pub mod mock;
pub mod relay;
pub mod typed;
