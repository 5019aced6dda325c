//! How the vault client is configured: its timeouts and retries, the roots it trusts, and where
//! its region, credentials and endpoint come from.
//!
//! The cloud hosts ([`from_variables`]) read region and credentials only from the variables
//! Lambda sets (`AWS_REGION` and the function role's `AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`). The SDK's full default chain
//! ([`from_default_chain`]: profiles, SSO, web identity, container and instance metadata) is for
//! the CLI on operators' machines and containers. It builds a client for each of those sources
//! at start-up and carries their code, about 3 MB of the binary; leaving it out of `bootstrap`
//! shortens every cold start.

use std::time::Duration;

use aws_config::environment::credentials::EnvironmentVariableCredentialsProvider;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::BehaviorVersion;
use aws_sdk_secretsmanager::config::{Config, Region};

use super::trust::VaultTrust;

/// Timeouts and retries that keep a vault call well inside the gateway's 30 s.
pub fn sdk_timeouts() -> (TimeoutConfig, RetryConfig) {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(2))
        .operation_attempt_timeout(Duration::from_secs(3))
        .operation_timeout(Duration::from_secs(5))
        .build();
    (timeouts, RetryConfig::standard().with_max_attempts(2))
}

/// A variable the cloud hosts need to reach the vault is not set.
#[derive(Debug, thiserror::Error)]
#[error(
    "{0} is not set: in the cloud the vault's region and credentials come from the environment, \
     as Lambda sets them"
)]
pub struct MissingVariable(&'static str);

/// The cloud hosts' configuration: region, credentials and endpoint from the environment only.
pub async fn from_variables(trust: VaultTrust) -> Result<Config, MissingVariable> {
    variables_config(trust, |name| std::env::var(name).ok())
}

/// The configuration from the variables `var` reads.
fn variables_config(
    trust: VaultTrust,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Config, MissingVariable> {
    let required = |name: &'static str| var(name).ok_or(MissingVariable(name));
    let region = required("AWS_REGION")?;
    required("AWS_ACCESS_KEY_ID")?;
    required("AWS_SECRET_ACCESS_KEY")?;
    let (timeouts, retries) = sdk_timeouts();
    let mut builder = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .credentials_provider(EnvironmentVariableCredentialsProvider::new())
        .http_client(trust.https_client())
        .timeout_config(timeouts)
        .retry_config(retries);
    if let Some(url) = endpoint_override(&var) {
        builder = builder.endpoint_url(url);
    }
    Ok(builder.build())
}

/// An endpoint set the way the SDK reads it: the service's own variable, else the global one,
/// unless configured endpoints are switched off.
fn endpoint_override(var: &impl Fn(&str) -> Option<String>) -> Option<String> {
    if var("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return None;
    }
    var("AWS_ENDPOINT_URL_SECRETS_MANAGER")
        .or_else(|| var("AWS_ENDPOINT_URL"))
        .filter(|url| !url.is_empty())
}

/// The AWS SDK's full default chain for region, credentials and endpoint.
pub async fn from_default_chain(trust: VaultTrust) -> Config {
    let (timeouts, retries) = sdk_timeouts();
    let shared = aws_config::defaults(BehaviorVersion::latest())
        .http_client(trust.https_client())
        .timeout_config(timeouts)
        .retry_config(retries)
        .load()
        .await;
    Config::from(&shared)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.get(name).cloned()
    }

    const LAMBDA: [(&str, &str); 3] = [
        ("AWS_REGION", "eu-north-1"),
        ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
    ];

    #[test]
    fn the_region_comes_from_the_variables() {
        let config = variables_config(VaultTrust::Amazon, lookup(&LAMBDA)).unwrap();
        assert_eq!(config.region().map(Region::as_ref), Some("eu-north-1"));
    }

    #[test]
    fn a_missing_variable_is_named() {
        for missing in ["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
            let vars: Vec<_> = LAMBDA.into_iter().filter(|(k, _)| *k != missing).collect();
            let error = variables_config(VaultTrust::Amazon, lookup(&vars)).unwrap_err();
            assert!(error.to_string().starts_with(missing), "{error}");
        }
    }
    #[test]
    fn the_service_endpoint_wins_over_the_global_one_unless_endpoints_are_ignored() {
        let both = [
            ("AWS_ENDPOINT_URL", "http://global"),
            ("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://vault"),
        ];
        assert_eq!(
            endpoint_override(&lookup(&both)).as_deref(),
            Some("http://vault")
        );
        assert_eq!(
            endpoint_override(&lookup(&both[..1])).as_deref(),
            Some("http://global")
        );
        let ignored = [both[1], ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE")];
        assert_eq!(endpoint_override(&lookup(&ignored)), None);
        assert_eq!(endpoint_override(&lookup(&[])), None);
    }
}
