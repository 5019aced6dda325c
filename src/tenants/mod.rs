//! Tenants: the municipalities and schools one deployment serves. Each has its own custom
//! domain, its own UMS database, and its own client secret and token-signing keys.

pub mod config;
