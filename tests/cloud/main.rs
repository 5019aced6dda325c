//! The cloud hosts end to end: the real `bootstrap` binary under a Lambda runtime API emulator
//! (API Gateway REST and HTTP API events from `fixtures/`), and started the way the Azure
//! Functions host starts a custom handler.

#[path = "../api/moto.rs"]
mod moto;
mod runtime_api;
mod support;

mod azure;
mod lambda;
