//! Configuration providers: where tenant configuration documents come from. A directory of
//! JSON files serves local use and development; AWS Secrets Manager serves the cloud. Both sit
//! behind one trait, so the cache in `registry` treats them alike.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;

use super::config::TenantConfig;

/// Why a provider could not answer.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The source did not answer (network, timeout, throttling, permissions): the caller may
    /// fall back to a cached copy or answer 503.
    #[error("the tenant configuration source is unavailable: {0}")]
    Unavailable(String),
    /// The source answered with a document this build refuses.
    #[error("an invalid tenant configuration: {0}")]
    Invalid(String),
}

/// A boxed provider future, so providers can be held as `Arc<dyn ConfigProvider>`.
pub type ProviderFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, ProviderError>> + Send + 'a>>;

/// A source of tenant configuration documents.
pub trait ConfigProvider: Send + Sync {
    /// The validated configuration of `tenant_id`, or `None` when the tenant has none.
    fn fetch<'a>(&'a self, tenant_id: &'a str) -> ProviderFuture<'a, Option<TenantConfig>>;

    /// The id of the tenant that lists `host` (lower-case, no port) as a custom domain.
    fn tenant_of_host<'a>(&'a self, host: &'a str) -> ProviderFuture<'a, Option<String>>;

    /// The folder relative SQLite paths in the documents are resolved against.
    fn base_dir(&self) -> &Path;

    /// Names the source in logs (never a secret).
    fn describe(&self) -> String;
}
