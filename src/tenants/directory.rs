//! The directory provider: one JSON document per tenant, named `<tenant id>.json` (as the
//! vault names a tenant's secret `<prefix><tenant id>`). Files are read again on every fetch,
//! so an edited document takes effect at the next cache refresh, as a rotated secret would.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::config::{is_label, TenantConfig};
use super::provider::{ConfigProvider, ProviderError, ProviderFuture};

/// Why a tenants directory was refused at start-up.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Config {
        path: PathBuf,
        source: super::config::ConfigError,
    },
    #[error("{path} holds tenant '{tenant}': a tenant's file must be named {tenant}.json")]
    Misnamed { path: PathBuf, tenant: String },
    #[error("the hostname {host} is claimed by both '{first}' and '{second}'")]
    DuplicateHost {
        host: String,
        first: String,
        second: String,
    },
    #[error("no tenant configuration (*.json) in {0}")]
    Empty(PathBuf),
}

/// Tenant configuration documents in a folder.
pub struct DirectoryProvider {
    dir: PathBuf,
}

impl DirectoryProvider {
    pub fn new(dir: impl Into<PathBuf>) -> DirectoryProvider {
        DirectoryProvider { dir: dir.into() }
    }

    /// Every document in the folder, validated, and checked for hostnames claimed twice.
    pub fn load_all(&self) -> Result<Vec<TenantConfig>, DirectoryError> {
        let paths = self.paths()?;
        if paths.is_empty() {
            return Err(DirectoryError::Empty(self.dir.clone()));
        }
        let mut configs = Vec::with_capacity(paths.len());
        let mut hosts = HashMap::<String, String>::new();
        for path in paths {
            let config = read(&path)?;
            for host in &config.hostnames {
                if let Some(first) = hosts.insert(host.clone(), config.tenant_id.clone()) {
                    return Err(DirectoryError::DuplicateHost {
                        host: host.clone(),
                        first,
                        second: config.tenant_id.clone(),
                    });
                }
            }
            configs.push(config);
        }
        Ok(configs)
    }

    fn paths(&self) -> Result<Vec<PathBuf>, DirectoryError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|source| DirectoryError::Io {
            path: self.dir.clone(),
            source,
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        Ok(paths)
    }

    fn fetch_now(&self, tenant_id: &str) -> Result<Option<TenantConfig>, ProviderError> {
        if !is_label(tenant_id) {
            return Ok(None);
        }
        let path = self.dir.join(format!("{tenant_id}.json"));
        if !path.exists() {
            return Ok(None);
        }
        read(&path).map(Some).map_err(provider_error)
    }

    fn tenant_of_host_now(&self, host: &str) -> Result<Option<String>, ProviderError> {
        let configs = self.load_all().map_err(provider_error)?;
        Ok(configs
            .into_iter()
            .find(|c| c.hostnames.iter().any(|h| h == host))
            .map(|c| c.tenant_id))
    }
}

fn read(path: &Path) -> Result<TenantConfig, DirectoryError> {
    let text = std::fs::read_to_string(path).map_err(|source| DirectoryError::Io {
        path: path.to_owned(),
        source,
    })?;
    let config = TenantConfig::from_json(&text).map_err(|source| DirectoryError::Config {
        path: path.to_owned(),
        source,
    })?;
    if path.file_stem().and_then(|s| s.to_str()) != Some(config.tenant_id.as_str()) {
        return Err(DirectoryError::Misnamed {
            path: path.to_owned(),
            tenant: config.tenant_id,
        });
    }
    Ok(config)
}

fn provider_error(error: DirectoryError) -> ProviderError {
    match error {
        DirectoryError::Io { .. } => ProviderError::Unavailable(error.to_string()),
        other => ProviderError::Invalid(other.to_string()),
    }
}

impl ConfigProvider for DirectoryProvider {
    fn fetch<'a>(&'a self, tenant_id: &'a str) -> ProviderFuture<'a, Option<TenantConfig>> {
        Box::pin(async move { self.fetch_now(tenant_id) })
    }

    fn tenant_of_host<'a>(&'a self, host: &'a str) -> ProviderFuture<'a, Option<String>> {
        Box::pin(async move { self.tenant_of_host_now(host) })
    }

    fn base_dir(&self) -> &Path {
        &self.dir
    }

    fn describe(&self) -> String {
        format!("directory {}", self.dir.display())
    }
}
