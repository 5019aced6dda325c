//! Building a tenant (store, token issuer, client policy, licence check) from its validated
//! configuration document.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;

use super::config::{DataSource, TenantConfig, TEAMS_MODULE};
use super::directory::DirectoryError;
use super::Tenant;
use crate::auth::{Scope, TokenIssuer};
use crate::http::ClientPolicy;
use crate::store::mssql::SqlServerStore;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreError};

/// Why tenants could not be loaded; start-up stops with this message.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    #[error("tenant '{tenant}': {source}")]
    Store { tenant: String, source: StoreError },
}

fn refusal(config: &TenantConfig, today: time::Date) -> Option<String> {
    if !config.entitlement.modules.iter().any(|m| m == TEAMS_MODULE) {
        return Some(format!(
            "{} is not licensed for {TEAMS_MODULE}",
            config.display_name
        ));
    }
    (config.entitlement.expires.0 < today).then(|| {
        format!(
            "the licence of {} expired on {}",
            config.display_name, config.entitlement.expires.0
        )
    })
}

fn issuer(config: &TenantConfig) -> TokenIssuer {
    let decoded: Vec<(String, Vec<u8>)> = config
        .tokens
        .signing_keys
        .iter()
        .map(|key| {
            let secret = base64::engine::general_purpose::STANDARD
                .decode(&key.secret.0)
                .unwrap_or_default();
            (key.id.clone(), secret)
        })
        .collect();
    let keys: Vec<(&str, &[u8])> = decoded
        .iter()
        .map(|(id, s)| (id.as_str(), s.as_slice()))
        .collect();
    TokenIssuer::with_keys(
        &keys,
        "ums-oneroster",
        &Tenant::audience(&config.tenant_id),
        Duration::from_secs(config.tokens.lifetime_seconds),
    )
}

fn clients(config: &TenantConfig) -> ClientPolicy {
    let default_scopes = match &config.default_scopes {
        Some(uris) => uris.iter().filter_map(|uri| Scope::parse(uri)).collect(),
        None => Scope::all(),
    };
    ClientPolicy {
        client_ids: config.clients.iter().map(|c| c.client_id.clone()).collect(),
        allowed_scopes: Scope::all(),
        default_scopes,
        secret_hashes: config
            .clients
            .iter()
            .filter_map(|c| Some((c.client_id.clone(), c.secret_sha256.clone()?)))
            .collect(),
    }
}

/// Builds a tenant from a validated configuration; relative SQLite paths are relative to `base`.
pub fn build(config: &TenantConfig, base: &Path) -> Result<Tenant, LoadError> {
    let today = time::OffsetDateTime::now_utc().date();
    let store: Arc<dyn Store> = match &config.data_source {
        DataSource::Sqlite { path } => Arc::new(SqliteStore::open(base.join(path)).map_err(
            |source| LoadError::Store {
                tenant: config.tenant_id.clone(),
                source,
            },
        )?),
        DataSource::SqlServer(source) => Arc::new(SqlServerStore::new(
            config.tenant_id.clone(),
            source.settings(),
        )),
    };
    Ok(Tenant {
        id: config.tenant_id.clone(),
        store,
        tokens: issuer(config),
        clients: clients(config),
        refusal: refusal(config, today),
    })
}
