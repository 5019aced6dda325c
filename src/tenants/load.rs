//! Building tenants from configuration documents: a directory of JSON files, one per tenant.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;

use super::config::{ConfigError, DataSource, TenantConfig, TEAMS_MODULE};
use super::{Tenant, Tenants};
use crate::auth::{Scope, TokenIssuer};
use crate::http::ClientPolicy;
use crate::store::mssql::SqlServerStore;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreError};

/// Why tenants could not be loaded; start-up stops with this message.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Config { path: PathBuf, source: ConfigError },
    #[error("tenant '{tenant}': {source}")]
    Store { tenant: String, source: StoreError },
    #[error("the hostname {host} is claimed by both '{first}' and '{second}'")]
    DuplicateHost {
        host: String,
        first: String,
        second: String,
    },
    #[error("the tenant id '{0}' is used twice")]
    DuplicateTenant(String),
    #[error("no tenant configuration (*.json) in {0}")]
    Empty(PathBuf),
}

fn read(path: &Path) -> Result<TenantConfig, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    TenantConfig::from_json(&text).map_err(|source| LoadError::Config {
        path: path.to_owned(),
        source,
    })
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
pub fn build(config: &TenantConfig, base: &Path, today: time::Date) -> Result<Tenant, LoadError> {
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

/// Every `*.json` tenant configuration in `dir`, served by custom domain and by
/// `{tenant}.<base domain>`.
pub fn load_directory(dir: &Path, base_domain: Option<&str>) -> Result<Tenants, LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(LoadError::Empty(dir.to_owned()));
    }
    let today = time::OffsetDateTime::now_utc().date();
    let (mut by_id, mut hostnames) = (HashMap::new(), HashMap::<String, String>::new());
    for path in paths {
        let config = read(&path)?;
        for host in &config.hostnames {
            if let Some(first) = hostnames.insert(host.clone(), config.tenant_id.clone()) {
                return Err(LoadError::DuplicateHost {
                    host: host.clone(),
                    first,
                    second: config.tenant_id.clone(),
                });
            }
        }
        let tenant = build(&config, dir, today)?;
        if by_id
            .insert(config.tenant_id.clone(), Arc::new(tenant))
            .is_some()
        {
            return Err(LoadError::DuplicateTenant(config.tenant_id));
        }
    }
    Ok(Tenants::ByHost {
        by_id,
        hostnames,
        base_domain: base_domain.map(|d| d.trim_matches('.').to_ascii_lowercase()),
    })
}
