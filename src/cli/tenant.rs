//! `ums-oneroster tenant …`: check a tenant configuration document before it goes live, and
//! print the exact JSON to store in the vault.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::serve::CliError;
use crate::tenants::config::TenantConfig;

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
            let config = load(&file)?;
            let today = time::OffsetDateTime::now_utc().date();
            for warning in config.warnings(today) {
                eprintln!("warning: {warning}");
            }
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
    }
}
