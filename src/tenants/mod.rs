//! Tenants: the municipalities and schools one deployment serves. Each has its own custom
//! domain, its own UMS database, and its own client secret and token-signing keys.
//!
//! A request's tenant is found from its Host: a custom domain listed in a tenant's
//! configuration, or `{tenant}.<base domain>`. Configurations come from a provider (a
//! directory, or AWS Secrets Manager) through a per-instance cache. A single-tenant process
//! (the local demo) serves one tenant on every host.

mod build;
pub mod config;
pub mod directory;
mod hosts;
pub mod provider;
pub mod registry;
pub mod secrets_manager;

use std::path::Path;
use std::sync::Arc;

use crate::auth::TokenIssuer;
use crate::http::ClientPolicy;
use crate::store::Store;

pub use build::{build, LoadError};
pub use hosts::host_of;
pub use registry::{CachePolicy, Registry};

use aws_sdk_secretsmanager::{Client as VaultClient, Config as VaultConfig};
use directory::DirectoryProvider;
use secrets_manager::SecretsManagerProvider;

/// Everything one tenant's requests need, built once per configuration version.
pub struct Tenant {
    pub id: String,
    pub store: Arc<dyn Store>,
    /// Issues and verifies tokens bound to this tenant (issuer, audience and keys).
    pub tokens: TokenIssuer,
    pub clients: ClientPolicy,
    /// Why the tenant may not be served (no Teams licence, expired), if so.
    pub refusal: Option<String>,
}

impl Tenant {
    /// The audience a tenant's tokens carry; another tenant's issuer refuses them.
    pub fn audience(id: &str) -> String {
        format!("ums-oneroster:{id}")
    }
}

/// Why a request's tenant could not be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// No tenant serves the host.
    #[error("no OneRoster service at this address")]
    UnknownTenant,
    /// The configuration source is down and no usable copy is cached.
    #[error("the tenant configuration is unavailable")]
    Unavailable,
}

/// Finds the tenant of a request.
pub enum Tenants {
    /// One tenant for every host.
    Single(Arc<Tenant>),
    /// Tenants by hostname, from a configuration provider.
    Registry(Box<Registry>),
}

impl Tenants {
    /// Every tenant document in `dir` (`<tenant id>.json`), validated and built now, then
    /// re-read as the cache expires.
    pub fn from_directory(
        dir: &Path,
        base_domain: Option<&str>,
        policy: CachePolicy,
    ) -> Result<Tenants, LoadError> {
        let provider = DirectoryProvider::new(dir);
        let configs = provider.load_all()?;
        let registry = Registry::new(Arc::new(provider), base_domain, policy);
        registry.prime(configs)?;
        Ok(Tenants::Registry(Box::new(registry)))
    }

    /// Tenants from AWS Secrets Manager secrets `<prefix><tenant id>`, fetched on first use by a
    /// client configured with `vault`.
    pub fn from_secrets_manager(
        prefix: &str,
        vault: VaultConfig,
        base_domain: Option<&str>,
        policy: CachePolicy,
    ) -> Tenants {
        let provider = SecretsManagerProvider::new(VaultClient::from_conf(vault), prefix);
        Tenants::Registry(Box::new(Registry::new(
            Arc::new(provider),
            base_domain,
            policy,
        )))
    }

    /// The tenant serving `host` (a Host header value, port and case as sent).
    pub async fn resolve(&self, host: &str) -> Result<Arc<Tenant>, ResolveError> {
        match self {
            Tenants::Single(tenant) => Ok(tenant.clone()),
            Tenants::Registry(registry) => registry.resolve(host).await,
        }
    }

    /// After a failed token signature or database login: the tenant to retry with, if a fresh
    /// copy of its configuration differs from `seen`.
    pub async fn refresh(&self, seen: &Arc<Tenant>) -> Option<Arc<Tenant>> {
        match self {
            Tenants::Single(_) => None,
            Tenants::Registry(registry) => registry.refresh(seen).await,
        }
    }
}
