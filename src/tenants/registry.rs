//! The per-instance tenant cache. A warm instance keeps each tenant (its configuration and
//! everything built from it: store, keys, clients) for a TTL, then fetches the configuration
//! again. When a fetch fails it keeps serving the last good copy until a hard expiry, and
//! asks the source again only after a back-off. With nothing cached and the source down, a
//! request gets a prompt "unavailable", never a hang.
//!
//! A token signature or a database login that fails may mean the secrets were rotated: the
//! caller then forces one refresh, at most once per `min_forced_interval` per tenant so that a
//! stream of bad tokens cannot flood the vault.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::{timeout, Instant};

use super::build::build;
use super::hosts::host_of;
use super::provider::{ConfigProvider, ProviderError};
use super::{ResolveError, Tenant};
use crate::tenants::config::TenantConfig;

/// How long copies live and how the source is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePolicy {
    /// A fetched configuration is served this long before it is fetched again.
    pub ttl: Duration,
    /// While the source fails, the last good copy is served until this long after it was
    /// fetched; then requests get "unavailable".
    pub max_stale: Duration,
    /// A fetch that takes longer counts as a failure.
    pub fetch_timeout: Duration,
    /// After a failed fetch the source is not asked again for this long.
    pub backoff: Duration,
    /// The shortest interval between refreshes forced by failed signatures or logins.
    pub min_forced_interval: Duration,
}

/// The default TTL, in seconds.
pub const DEFAULT_TTL_SECS: u64 = 300;
/// The default hard expiry of a copy while the source fails, in seconds.
pub const DEFAULT_MAX_STALE_SECS: u64 = 3600;

impl Default for CachePolicy {
    fn default() -> CachePolicy {
        CachePolicy {
            ttl: Duration::from_secs(DEFAULT_TTL_SECS),
            max_stale: Duration::from_secs(DEFAULT_MAX_STALE_SECS),
            fetch_timeout: Duration::from_secs(6),
            backoff: Duration::from_secs(5),
            min_forced_interval: Duration::from_secs(10),
        }
    }
}

/// The most hosts and tenant ids remembered as unknown before the oldest are forgotten.
const MAX_UNKNOWN: usize = 10_000;

struct Cached {
    config: TenantConfig,
    tenant: Arc<Tenant>,
    fetched_at: Instant,
}

#[derive(Default)]
struct Slot {
    cached: Option<Cached>,
    /// When the source last said the tenant does not exist.
    missing_at: Option<Instant>,
    failed_at: Option<Instant>,
    forced_at: Option<Instant>,
}

type SlotRef = Arc<tokio::sync::Mutex<Slot>>;

/// A host's tenant id as last learned from the source (`None`: no tenant has the host).
struct HostEntry {
    tenant_id: Option<String>,
    fetched_at: Instant,
}

/// Tenants by hostname, fetched from a provider and cached.
pub struct Registry {
    provider: Arc<dyn ConfigProvider>,
    base_domain: Option<String>,
    policy: CachePolicy,
    slots: Mutex<HashMap<String, SlotRef>>,
    hosts: tokio::sync::Mutex<HashMap<String, HostEntry>>,
}

impl Registry {
    /// A registry over `provider`; `base_domain` enables `{tenant}.<base domain>` hosts.
    pub fn new(
        provider: Arc<dyn ConfigProvider>,
        base_domain: Option<&str>,
        policy: CachePolicy,
    ) -> Registry {
        Registry {
            provider,
            base_domain: base_domain.map(|d| d.trim_matches('.').to_ascii_lowercase()),
            policy,
            slots: Mutex::new(HashMap::new()),
            hosts: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The tenant serving `host` (a Host header value).
    pub async fn resolve(&self, host: &str) -> Result<Arc<Tenant>, ResolveError> {
        let host = host_of(host);
        let id = match self.wildcard_tenant(&host) {
            Some(id) => id.to_owned(),
            None => self.indexed_tenant(&host).await?,
        };
        self.tenant(&id).await
    }

    /// Fetches `seen`'s configuration again after a failure that rotated secrets explain.
    /// Returns the tenant to retry with, when it differs from `seen`.
    pub async fn refresh(&self, seen: &Arc<Tenant>) -> Option<Arc<Tenant>> {
        let slot = self.slot(&seen.id);
        let mut slot = slot.lock().await;
        let current = slot.cached.as_ref().map(|c| c.tenant.clone());
        if let Some(current) = current.filter(|t| !Arc::ptr_eq(t, seen)) {
            return Some(current);
        }
        let now = Instant::now();
        if slot
            .forced_at
            .is_some_and(|at| now < at + self.policy.min_forced_interval)
        {
            return None;
        }
        slot.forced_at = Some(now);
        tracing::info!(tenant = %seen.id, "refreshing the tenant configuration after a failed signature or login");
        match self.fetch(&seen.id).await {
            Ok(Some(config)) => self
                .install(&mut slot, config, now)
                .ok()
                .filter(|t| !Arc::ptr_eq(t, seen)),
            Ok(None) | Err(_) => None,
        }
    }

    /// Builds and caches tenants from documents already read (start-up, so that a broken
    /// tenant stops the process before it serves).
    pub fn prime(&self, configs: Vec<TenantConfig>) -> Result<(), super::LoadError> {
        let now = Instant::now();
        for config in configs {
            let tenant = Arc::new(build(&config, self.provider.base_dir())?);
            let slot = Slot {
                cached: Some(Cached {
                    config,
                    tenant: tenant.clone(),
                    fetched_at: now,
                }),
                ..Slot::default()
            };
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots.insert(tenant.id.clone(), Arc::new(tokio::sync::Mutex::new(slot)));
        }
        Ok(())
    }

    fn wildcard_tenant<'h>(&self, host: &'h str) -> Option<&'h str> {
        let base = self.base_domain.as_deref()?;
        host.strip_suffix(base)?.strip_suffix('.')
    }

    async fn indexed_tenant(&self, host: &str) -> Result<String, ResolveError> {
        let mut hosts = self.hosts.lock().await;
        let now = Instant::now();
        let known = hosts.get(host);
        if let Some(entry) = known.filter(|e| now < e.fetched_at + self.policy.ttl) {
            return entry.tenant_id.clone().ok_or(ResolveError::UnknownTenant);
        }
        let fetched = timeout(
            self.policy.fetch_timeout,
            self.provider.tenant_of_host(host),
        )
        .await
        .unwrap_or_else(|_| Err(timed_out()));
        match fetched {
            Ok(tenant_id) => {
                if hosts.len() >= MAX_UNKNOWN {
                    hosts.retain(|_, e| e.tenant_id.is_some());
                }
                let found = tenant_id.clone().ok_or(ResolveError::UnknownTenant);
                hosts.insert(
                    host.to_owned(),
                    HostEntry {
                        tenant_id,
                        fetched_at: now,
                    },
                );
                found
            }
            Err(error) => {
                tracing::warn!(%host, %error, "cannot look up the tenant of a custom domain");
                match hosts.get(host) {
                    Some(entry) if now < entry.fetched_at + self.policy.max_stale => {
                        entry.tenant_id.clone().ok_or(ResolveError::UnknownTenant)
                    }
                    _ => Err(ResolveError::Unavailable),
                }
            }
        }
    }

    async fn tenant(&self, id: &str) -> Result<Arc<Tenant>, ResolveError> {
        let slot = self.slot(id);
        let mut slot = slot.lock().await;
        let now = Instant::now();
        if let Some(cached) = slot
            .cached
            .as_ref()
            .filter(|c| now < c.fetched_at + self.policy.ttl)
        {
            return Ok(cached.tenant.clone());
        }
        if slot.missing_at.is_some_and(|at| now < at + self.policy.ttl) {
            return Err(ResolveError::UnknownTenant);
        }
        if slot
            .failed_at
            .is_some_and(|at| now < at + self.policy.backoff)
        {
            return self.stale(&slot, now);
        }
        match self.fetch(id).await {
            Ok(Some(config)) => self.install(&mut slot, config, now),
            Ok(None) => {
                *slot = Slot {
                    missing_at: Some(now),
                    ..Slot::default()
                };
                drop(slot);
                self.forget_unknown();
                Err(ResolveError::UnknownTenant)
            }
            Err(_) => {
                slot.failed_at = Some(now);
                self.stale(&slot, now)
            }
        }
    }

    /// The configuration, fetched within the timeout; failures are logged here.
    async fn fetch(&self, id: &str) -> Result<Option<TenantConfig>, ProviderError> {
        let fetched = timeout(self.policy.fetch_timeout, self.provider.fetch(id))
            .await
            .unwrap_or_else(|_| Err(timed_out()));
        if let Err(error) = &fetched {
            tracing::error!(tenant = %id, %error, source = %self.provider.describe(), "cannot fetch the tenant configuration");
        }
        fetched
    }

    /// Caches a fetched configuration; an unchanged one keeps the tenant already built (and
    /// its database pool).
    fn install(
        &self,
        slot: &mut Slot,
        config: TenantConfig,
        now: Instant,
    ) -> Result<Arc<Tenant>, ResolveError> {
        if let Some(cached) = slot.cached.as_mut().filter(|c| c.config == config) {
            cached.fetched_at = now;
            slot.failed_at = None;
            return Ok(cached.tenant.clone());
        }
        match build(&config, self.provider.base_dir()) {
            Ok(tenant) => {
                let tenant = Arc::new(tenant);
                *slot = Slot {
                    cached: Some(Cached {
                        config,
                        tenant: tenant.clone(),
                        fetched_at: now,
                    }),
                    forced_at: slot.forced_at,
                    ..Slot::default()
                };
                Ok(tenant)
            }
            Err(error) => {
                tracing::error!(tenant = %config.tenant_id, %error, "cannot build the tenant from its new configuration");
                slot.failed_at = Some(now);
                self.stale(slot, now)
            }
        }
    }

    fn stale(&self, slot: &Slot, now: Instant) -> Result<Arc<Tenant>, ResolveError> {
        match &slot.cached {
            Some(cached) if now < cached.fetched_at + self.policy.max_stale => {
                Ok(cached.tenant.clone())
            }
            _ => Err(ResolveError::Unavailable),
        }
    }

    fn slot(&self, id: &str) -> SlotRef {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(id.to_owned()).or_default().clone()
    }

    /// Drops remembered unknown ids once there are too many (random subdomains).
    fn forget_unknown(&self) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if slots.len() > MAX_UNKNOWN {
            slots.retain(|_, slot| slot.try_lock().map_or(true, |s| s.cached.is_some()));
        }
    }
}

fn timed_out() -> ProviderError {
    ProviderError::Unavailable("the configuration source did not answer in time".to_owned())
}

#[cfg(test)]
mod tests;
