//! Tenants: the municipalities and schools one deployment serves. Each has its own custom
//! domain, its own UMS database, and its own client secret and token-signing keys.
//!
//! A request's tenant is found from its Host: a custom domain listed in a tenant's
//! configuration, or `{tenant}.<base domain>`. A single-tenant process (the local demo) serves
//! one tenant on every host.

pub mod config;
mod hosts;
mod load;

use std::collections::HashMap;
use std::sync::Arc;

use crate::auth::TokenIssuer;
use crate::http::ClientPolicy;
use crate::store::Store;

pub use hosts::host_of;
pub use load::{load_directory, LoadError};

/// Everything one tenant's requests need, built once per process.
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

/// Finds the tenant of a request.
pub enum Tenants {
    /// One tenant for every host.
    Single(Arc<Tenant>),
    /// Tenants by custom domain, or by `{tenant}.<base domain>`.
    ByHost {
        by_id: HashMap<String, Arc<Tenant>>,
        hostnames: HashMap<String, String>,
        base_domain: Option<String>,
    },
}

impl Tenants {
    /// The tenant serving `host` (a Host header value, port and case as sent).
    pub fn resolve(&self, host: &str) -> Option<Arc<Tenant>> {
        match self {
            Tenants::Single(tenant) => Some(tenant.clone()),
            Tenants::ByHost {
                by_id,
                hostnames,
                base_domain,
            } => {
                let host = host_of(host);
                let id = hostnames.get(&host).map(String::as_str).or_else(|| {
                    let base = base_domain.as_deref()?;
                    host.strip_suffix(base)?.strip_suffix('.')
                })?;
                by_id.get(id).cloned()
            }
        }
    }
}
