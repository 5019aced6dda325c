//! Hosts: the ways the one router is run. Locally it is a plain HTTP server; the Lambda and
//! Azure Functions hosts wrap the same `http::app`.

pub mod local;
