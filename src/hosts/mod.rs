//! Hosts: the ways the one router is run. Locally it is a plain HTTP server ([`local`]); in the
//! cloud the `bootstrap` binary runs it as an AWS Lambda function ([`lambda`]) or as an Azure
//! Functions custom handler ([`azure`]), whichever started it. Each host builds its state with
//! `cli::serve::state` from `UMS_*` variables and serves `http::app` unchanged.

pub mod azure;
pub mod lambda;
pub mod local;

use std::process::ExitCode;

use aws_sdk_secretsmanager::Config as VaultConfig;

use crate::cli::serve::CliError;
use crate::tenants::secrets_manager::{client, VaultTrust};

/// The cloud host that started this process, known from the variable each one sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudHost {
    /// The Lambda runtime sets `AWS_LAMBDA_RUNTIME_API`.
    Lambda,
    /// The Functions host sets `FUNCTIONS_CUSTOMHANDLER_PORT`.
    Azure,
}

impl CloudHost {
    /// The host named by the environment, if any.
    pub fn from_env() -> Option<CloudHost> {
        if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
            Some(CloudHost::Lambda)
        } else if std::env::var_os("FUNCTIONS_CUSTOMHANDLER_PORT").is_some() {
            Some(CloudHost::Azure)
        } else {
            None
        }
    }
}

/// The vault client of the cloud hosts: region and credentials from the function's variables.
async fn vault_from_variables(trust: VaultTrust) -> Result<VaultConfig, CliError> {
    Ok(client::from_variables(trust).await?)
}

/// The `bootstrap` binary: serves in the cloud host that started it; logs why it could not.
pub fn cloud_main() -> ExitCode {
    crate::telemetry::init();
    let result = match CloudHost::from_env() {
        Some(CloudHost::Lambda) => lambda::run(),
        Some(CloudHost::Azure) => azure::run(),
        None => Err(
            "bootstrap runs under AWS Lambda (AWS_LAMBDA_RUNTIME_API) or as an Azure \
                     Functions custom handler (FUNCTIONS_CUSTOMHANDLER_PORT); neither is set. \
                     Locally, use `ums-oneroster serve`."
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %error, "bootstrap stopped");
            ExitCode::FAILURE
        }
    }
}
