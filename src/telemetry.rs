//! Tracing set-up: human-readable lines locally, JSON lines where a log pipeline reads them
//! (`UMS_LOG_FORMAT=json`, or Lambda's `AWS_LAMBDA_LOG_FORMAT=JSON`). The level comes from
//! `RUST_LOG`, else Lambda's `AWS_LAMBDA_LOG_LEVEL` (its advanced logging controls), else `info`.

use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Installs the global subscriber; calling it twice is harmless.
pub fn init() {
    let filter = from_variable("RUST_LOG")
        .or_else(lambda_level)
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let json = ["UMS_LOG_FORMAT", "AWS_LAMBDA_LOG_FORMAT"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .any(|value| value.eq_ignore_ascii_case("json"));
    let lines = tracing_subscriber::fmt::layer()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let registry = tracing_subscriber::registry().with(filter);
    let _ = if json {
        registry.with(lines.json().flatten_event(true)).try_init()
    } else {
        registry.with(lines).try_init()
    };
}

/// The filter a variable holds, if it is set and valid.
fn from_variable(name: &str) -> Option<Targets> {
    std::env::var(name).ok()?.parse().ok()
}

/// Lambda's log level; its levels are TRACE … ERROR and FATAL, and tracing has no FATAL.
fn lambda_level() -> Option<Targets> {
    let level = std::env::var("AWS_LAMBDA_LOG_LEVEL").ok()?;
    level
        .to_ascii_lowercase()
        .replace("fatal", "error")
        .parse()
        .ok()
}
