//! `ums-oneroster tenant …`: check a tenant configuration document before it goes live, print
//! the exact JSON the vault holds, and write it to AWS Secrets Manager.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::serve::CliError;
use crate::tenants::config::TenantConfig;
use aws_sdk_secretsmanager::Client;

use crate::tenants::secrets_manager::{client, SecretsManagerProvider, VaultTrust, DEFAULT_PREFIX};

/// Tenant configuration commands.
#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Validate a tenant configuration file; prints every problem with its field.
    Validate {
        /// The JSON document.
        file: PathBuf,
    },
    /// Validate a file and print the compact JSON to store as the tenant's secret.
    Secret {
        /// The JSON document.
        file: PathBuf,
    },
    /// Validate a file and write it to AWS Secrets Manager as `<prefix><tenant id>`: creates
    /// the secret, or stores a new current version. Region and credentials come from the usual
    /// AWS environment.
    Put {
        /// The JSON document.
        file: PathBuf,
        /// The prefix of tenant secrets (the deployment's `UMS_SECRET_PREFIX`).
        #[arg(long, env = "UMS_SECRET_PREFIX", default_value = DEFAULT_PREFIX)]
        secret_prefix: String,
        /// The KMS key that encrypts a newly created secret (Terraform creates secrets with
        /// the deployment's key; this matters only for a secret `put` creates).
        #[arg(long)]
        kms_key_id: Option<String>,
    },
}

fn load(file: &Path) -> Result<TenantConfig, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Ok(TenantConfig::from_json(&text)?)
}

/// Runs a tenant command.
pub fn run(command: TenantCommand) -> Result<(), CliError> {
    match command {
        TenantCommand::Validate { file } => {
            let config = load_and_warn(&file)?;
            println!(
                "{}: valid tenant '{}' ({})",
                file.display(),
                config.tenant_id,
                config.display_name
            );
            Ok(())
        }
        TenantCommand::Secret { file } => {
            println!("{}", load(&file)?.to_json()?);
            Ok(())
        }
        TenantCommand::Put {
            file,
            secret_prefix,
            kms_key_id,
        } => put(&file, &secret_prefix, kms_key_id.as_deref()),
    }
}

fn load_and_warn(file: &Path) -> Result<TenantConfig, CliError> {
    let config = load(file)?;
    let today = time::OffsetDateTime::now_utc().date();
    for warning in config.warnings(today) {
        eprintln!("warning: {warning}");
    }
    Ok(config)
}

fn put(file: &Path, prefix: &str, kms_key_id: Option<&str>) -> Result<(), CliError> {
    let config = load_and_warn(file)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let arn = runtime.block_on(async {
        // An operator's machine: its profiles and SSO, and the roots it trusts (a corporate
        // proxy's CA included).
        let sdk = client::from_default_chain(VaultTrust::Platform).await;
        let vault = SecretsManagerProvider::new(Client::from_conf(sdk), prefix);
        vault.put(&config, kms_key_id).await
    })?;
    println!("stored tenant '{}' as {arn}", config.tenant_id);
    if !config.hostnames.is_empty() {
        println!(
            "its custom domains ({}) are served once the deployment's host index lists them",
            config.hostnames.join(", ")
        );
    }
    Ok(())
}
