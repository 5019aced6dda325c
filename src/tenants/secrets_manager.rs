//! The AWS Secrets Manager provider: each tenant's configuration document is the secret
//! `<prefix><tenant id>`, and the custom-domain index is the secret `<prefix>_hosts` (tenant ids
//! cannot contain `_`). Terraform owns the index; `tenant put` writes tenant documents.
//!
//! Every call is bounded by short connect and operation timeouts with a single retry, so an
//! unreachable vault becomes an error within seconds instead of a hung request.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use aws_sdk_secretsmanager::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_secretsmanager::Client;
use serde::Deserialize;

use super::config::{is_label, TenantConfig};
use super::provider::{ConfigProvider, ProviderError, ProviderFuture};

pub mod client;
pub mod trust;

pub use client::{sdk_timeouts, MissingVariable};
pub use trust::VaultTrust;

/// The prefix of tenant secrets when none is configured.
pub const DEFAULT_PREFIX: &str = "ums-oneroster/tenants/";
/// The name, after the prefix, of the custom-domain index secret.
pub const HOST_INDEX: &str = "_hosts";

/// The custom-domain index: hostname → tenant id.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HostIndex {
    schema_version: u32,
    hosts: HashMap<String, String>,
}

/// Tenant configuration documents held as Secrets Manager secrets.
pub struct SecretsManagerProvider {
    client: Client,
    prefix: String,
    base_dir: PathBuf,
}

impl SecretsManagerProvider {
    /// A provider using `client`, reading `<prefix><tenant id>`.
    pub fn new(client: Client, prefix: &str) -> SecretsManagerProvider {
        SecretsManagerProvider {
            client,
            prefix: prefix.to_owned(),
            base_dir: PathBuf::from("."),
        }
    }

    /// The secret id of `tenant_id`'s configuration.
    pub fn secret_id(&self, tenant_id: &str) -> String {
        format!("{}{tenant_id}", self.prefix)
    }

    /// Writes `config` as its tenant's secret: creates it (under `kms_key_id` when given) or
    /// stores a new current version. Returns the secret's ARN.
    pub async fn put(
        &self,
        config: &TenantConfig,
        kms_key_id: Option<&str>,
    ) -> Result<String, ProviderError> {
        let id = self.secret_id(&config.tenant_id);
        let document = config
            .to_json()
            .map_err(|e| ProviderError::Invalid(e.to_string()))?;
        let created = self
            .client
            .create_secret()
            .name(&id)
            .description(format!("ums-oneroster tenant {}", config.display_name))
            .set_kms_key_id(kms_key_id.map(str::to_owned))
            .secret_string(&document)
            .send()
            .await;
        match created {
            Ok(output) => Ok(output.arn().unwrap_or(&id).to_owned()),
            Err(error) if error.code() == Some("ResourceExistsException") => {
                let output = self
                    .client
                    .put_secret_value()
                    .secret_id(&id)
                    .secret_string(document)
                    .send()
                    .await
                    .map_err(unavailable)?;
                Ok(output.arn().unwrap_or(&id).to_owned())
            }
            Err(error) => Err(unavailable(error)),
        }
    }

    /// The secret's string, or `None` when there is no such secret.
    async fn secret_string(&self, id: &str) -> Result<Option<String>, ProviderError> {
        match self.client.get_secret_value().secret_id(id).send().await {
            Ok(output) => Ok(output.secret_string().map(str::to_owned)),
            Err(error) if error.code() == Some("ResourceNotFoundException") => Ok(None),
            Err(error) => Err(unavailable(error)),
        }
    }

    async fn fetch_config(&self, tenant_id: &str) -> Result<Option<TenantConfig>, ProviderError> {
        if !is_label(tenant_id) {
            return Ok(None);
        }
        let id = self.secret_id(tenant_id);
        let Some(text) = self.secret_string(&id).await? else {
            return Ok(None);
        };
        let config = TenantConfig::from_json(&text)
            .map_err(|e| ProviderError::Invalid(format!("secret {id}: {e}")))?;
        if config.tenant_id != tenant_id {
            return Err(ProviderError::Invalid(format!(
                "secret {id} holds tenant '{}'",
                config.tenant_id
            )));
        }
        Ok(Some(config))
    }

    async fn indexed_tenant(&self, host: &str) -> Result<Option<String>, ProviderError> {
        let id = self.secret_id(HOST_INDEX);
        let Some(text) = self.secret_string(&id).await? else {
            return Ok(None);
        };
        let index: HostIndex = serde_json::from_str(&text)
            .map_err(|e| ProviderError::Invalid(format!("secret {id}: {e}")))?;
        if index.schema_version != 1 {
            return Err(ProviderError::Invalid(format!(
                "secret {id}: schemaVersion must be 1"
            )));
        }
        Ok(index.hosts.get(host).cloned())
    }
}

fn unavailable<E, R>(error: SdkError<E, R>) -> ProviderError
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    ProviderError::Unavailable(format!("Secrets Manager: {}", DisplayErrorContext(&error)))
}

impl ConfigProvider for SecretsManagerProvider {
    fn fetch<'a>(&'a self, tenant_id: &'a str) -> ProviderFuture<'a, Option<TenantConfig>> {
        Box::pin(self.fetch_config(tenant_id))
    }

    fn tenant_of_host<'a>(&'a self, host: &'a str) -> ProviderFuture<'a, Option<String>> {
        Box::pin(self.indexed_tenant(host))
    }

    fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    fn describe(&self) -> String {
        format!("AWS Secrets Manager, prefix {}", self.prefix)
    }
}
