//! Tracing set-up: human-readable lines locally, JSON lines where a log pipeline reads them
//! (`UMS_LOG_FORMAT=json`, or Lambda's `AWS_LAMBDA_LOG_FORMAT=JSON`). The level comes from
//! `RUST_LOG`, else Lambda's `AWS_LAMBDA_LOG_LEVEL` (its advanced logging controls), else `info`.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber; calling it twice is harmless.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        // Lambda's levels are TRACE … ERROR and FATAL; tracing has no FATAL.
        let lambda_level = std::env::var("AWS_LAMBDA_LOG_LEVEL")
            .map(|level| level.to_ascii_lowercase().replace("fatal", "error"));
        EnvFilter::try_new(lambda_level.as_deref().unwrap_or("info"))
            .unwrap_or_else(|_| EnvFilter::new("info"))
    });
    let json = ["UMS_LOG_FORMAT", "AWS_LAMBDA_LOG_FORMAT"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .any(|value| value.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
}
