//! The tenant configuration document: one JSON document per tenant (a municipality or school),
//! versioned by `schemaVersion` and validated on load with errors that name the offending field.
//!
//! The same document lives in a file (local use) or in AWS Secrets Manager (the cloud). Secrets
//! inside it (database password, signing keys) never appear in `Debug` output.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::auth::Scope;
use crate::oneroster::primitives::CalendarDate;
use crate::store::mssql::{self, SqlServerSettings};

/// The schema version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;
/// The shortest signing key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;
/// The shortest token lifetime accepted, in seconds (a full SDS pull must not outlive its token).
pub const MIN_TOKEN_LIFETIME: u64 = 3600;

/// A string that is a secret: serialized as is, never shown by `Debug`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One tenant's configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TenantConfig {
    pub schema_version: u32,
    /// Lowercase letters, digits and `-`: the `{tenant}` of `{tenant}.<base domain>`.
    pub tenant_id: String,
    pub display_name: String,
    /// Custom domains (the SDS profile's "Web access URL" hosts).
    #[serde(default)]
    pub hostnames: Vec<String>,
    pub data_source: DataSource,
    pub tokens: TokenSettings,
    #[serde(default = "default_clients")]
    pub clients: Vec<ClientSettings>,
    /// Scope URIs granted when a token request names none; absent: every rostering scope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_scopes: Option<Vec<String>>,
    pub entitlement: Entitlement,
    pub identity: Identity,
}

/// Where the tenant's roster lives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum DataSource {
    /// An embedded SQLite database (demo and tests).
    Sqlite { path: PathBuf },
    /// The municipality's on-prem UMS SQL Server, reached over the site-to-site VPN.
    SqlServer(SqlServerSource),
}

/// The SQL Server data source: address, login, encryption, trust, pool and time limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SqlServerSource {
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    pub database: String,
    pub user: String,
    pub password: Secret,
    pub encryption: Encryption,
    /// PEM CA bundle trusted on top of the webpki roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<String>,
    /// Skips certificate validation; only when set explicitly, and logged as a warning.
    #[serde(default)]
    pub trust_server_certificate: bool,
    /// The name the server certificate carries, when the host is dialled by another name or IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_name_in_certificate: Option<String>,
    /// Connections kept open per instance.
    #[serde(default = "default_pool_size")]
    pub pool_size: u32,
    /// Seconds an unused connection stays open.
    #[serde(default = "default_idle_seconds")]
    pub idle_seconds: u64,
    /// Seconds to resolve, connect, encrypt and log in.
    #[serde(default = "default_connect_timeout")]
    pub connect_timeout_seconds: u64,
    /// Seconds the server may take to answer each round trip of a query.
    #[serde(default = "default_command_timeout")]
    pub command_timeout_seconds: u64,
}

impl SqlServerSource {
    /// The store's settings for this source.
    pub fn settings(&self) -> SqlServerSettings {
        SqlServerSettings {
            host: self.host.clone(),
            port: self.port,
            database: self.database.clone(),
            user: self.user.clone(),
            password: self.password.0.clone(),
            encryption: match self.encryption {
                Encryption::Strict => mssql::Encryption::Strict,
                Encryption::Required => mssql::Encryption::Required,
            },
            ca_bundle: self.ca_bundle.clone(),
            trust_server_certificate: self.trust_server_certificate,
            host_name_in_certificate: self.host_name_in_certificate.clone(),
            pool_size: self.pool_size,
            idle_timeout: Duration::from_secs(self.idle_seconds),
            connect_timeout: Duration::from_secs(self.connect_timeout_seconds),
            command_timeout: Duration::from_secs(self.command_timeout_seconds),
        }
    }

    fn check(&self, issues: &mut Issues) {
        for (name, value) in [
            ("host", &self.host),
            ("database", &self.database),
            ("user", &self.user),
            ("password", &self.password.0),
        ] {
            if value.trim().is_empty() {
                issues.add(&format!("dataSource.{name}"), "must not be empty");
            }
        }
        if self
            .ca_bundle
            .as_deref()
            .is_some_and(|pem| !pem.contains("-----BEGIN CERTIFICATE-----"))
        {
            issues.add("dataSource.caBundle", "must be PEM certificates");
        }
        if self.trust_server_certificate && self.ca_bundle.is_some() {
            issues.add(
                "dataSource.trustServerCertificate",
                "cannot be combined with caBundle: trust either the bundle or any certificate",
            );
        }
        if !(1..=MAX_POOL_SIZE).contains(&self.pool_size) {
            issues.add(
                "dataSource.poolSize",
                format!("must be from 1 to {MAX_POOL_SIZE}"),
            );
        }
        if !(MIN_IDLE_SECONDS..=MAX_IDLE_SECONDS).contains(&self.idle_seconds) {
            issues.add(
                "dataSource.idleSeconds",
                format!("must be from {MIN_IDLE_SECONDS} to {MAX_IDLE_SECONDS}"),
            );
        }
        self.check_timeouts(issues);
    }

    fn check_timeouts(&self, issues: &mut Issues) {
        let (connect, command) = (self.connect_timeout_seconds, self.command_timeout_seconds);
        if connect == 0 {
            issues.add("dataSource.connectTimeoutSeconds", "must be at least 1");
        }
        if command == 0 {
            issues.add("dataSource.commandTimeoutSeconds", "must be at least 1");
        }
        let budget = mssql::GATEWAY_BUDGET.as_secs();
        if connect.saturating_add(command) >= budget {
            issues.add(
                "dataSource.commandTimeoutSeconds",
                format!(
                    "connectTimeoutSeconds + commandTimeoutSeconds must stay under {budget} \
                     (API Gateway's integration timeout), so the client gets a 503, not a 504"
                ),
            );
        }
    }
}

/// SQL Server encryption mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Encryption {
    /// TDS 8: TLS before any TDS traffic.
    Strict,
    /// TLS negotiated inside TDS (pre-login).
    Required,
}

/// Token signing: up to two keys (sign with the first, accept both, for rotation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenSettings {
    pub signing_keys: Vec<SigningKeyConfig>,
    #[serde(default = "default_lifetime")]
    pub lifetime_seconds: u64,
}

/// A signing key: its id (the JWT `kid`) and its base64 secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SigningKeyConfig {
    pub id: String,
    pub secret: Secret,
}

/// An OAuth client. Without `secretSha256` its secret is the one in the tenant database's
/// `WebServicesSettings`; with it, the vault's hash overrides the database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientSettings {
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_sha256: Option<String>,
}

/// What the tenant has licensed, and until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Entitlement {
    /// Licensed UMS modules; serving OneRoster needs `Office365Teams`.
    pub modules: Vec<String>,
    /// The last day of the licence.
    pub expires: CalendarDate,
}

/// The tenant's identity settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Identity {
    /// UPN domains of the tenant's users (the part after `@` in their emails).
    pub upn_domains: Vec<String>,
}

/// The most connections one instance keeps to one tenant's SQL Server.
pub const MAX_POOL_SIZE: u32 = 50;
/// The range of `idleSeconds`.
pub const MIN_IDLE_SECONDS: u64 = 10;
pub const MAX_IDLE_SECONDS: u64 = 3600;

fn default_port() -> u16 {
    1433
}

fn default_pool_size() -> u32 {
    mssql::DEFAULT_POOL_SIZE
}

fn default_idle_seconds() -> u64 {
    mssql::DEFAULT_IDLE_TIMEOUT.as_secs()
}

fn default_connect_timeout() -> u64 {
    mssql::DEFAULT_CONNECT_TIMEOUT.as_secs()
}

fn default_command_timeout() -> u64 {
    mssql::DEFAULT_COMMAND_TIMEOUT.as_secs()
}

fn default_lifetime() -> u64 {
    MIN_TOKEN_LIFETIME
}

fn default_clients() -> Vec<ClientSettings> {
    vec![ClientSettings {
        client_id: "WebserviceUser".to_owned(),
        secret_sha256: None,
    }]
}

/// The module a tenant must license for OneRoster to serve it.
pub const TEAMS_MODULE: &str = "Office365Teams";

/// One problem found in a configuration: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a configuration document was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("not a tenant configuration: {0}")]
    Json(#[from] serde_json::Error),
    #[error("invalid tenant configuration:\n{}", .0.iter().map(|i| format!("  - {i}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Issue>),
}

impl TenantConfig {
    /// Parses and validates a document.
    pub fn from_json(text: &str) -> Result<TenantConfig, ConfigError> {
        let config: TenantConfig = serde_json::from_str(text)?;
        let issues = config.issues();
        if issues.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError::Invalid(issues))
        }
    }

    /// The document in the compact form stored in the vault.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// Every rule the document breaks.
    pub fn issues(&self) -> Vec<Issue> {
        let mut issues = Issues::default();
        if self.schema_version != SCHEMA_VERSION {
            issues.add("schemaVersion", format!("must be {SCHEMA_VERSION}"));
        }
        if !is_label(&self.tenant_id) {
            issues.add(
                "tenantId",
                "must be 1-63 lowercase letters, digits or '-', not starting or ending with '-'",
            );
        }
        if self.display_name.trim().is_empty() {
            issues.add("displayName", "must not be empty");
        }
        for (i, host) in self.hostnames.iter().enumerate() {
            if !is_hostname(host) {
                issues.add(
                    &format!("hostnames[{i}]"),
                    "must be a lowercase DNS name such as skole.example.dk",
                );
            }
        }
        self.check_data_source(&mut issues);
        self.check_tokens(&mut issues);
        self.check_clients(&mut issues);
        self.check_scopes(&mut issues);
        if self.identity.upn_domains.iter().any(|d| !is_hostname(d)) {
            issues.add("identity.upnDomains", "must be lowercase domain names");
        }
        issues.0
    }

    /// Facts that do not make the document invalid but that an operator should see: a tenant
    /// without the Teams module, or with an expired licence, is answered 403.
    pub fn warnings(&self, today: time::Date) -> Vec<String> {
        let mut warnings = Vec::new();
        if !self.entitlement.modules.iter().any(|m| m == TEAMS_MODULE) {
            warnings.push(format!(
                "entitlement.modules lacks {TEAMS_MODULE}: requests will get 403"
            ));
        }
        if self.entitlement.expires.0 < today {
            warnings.push(
                "the licence (entitlement.expires) has expired: requests will get 403".to_owned(),
            );
        }
        if matches!(
            &self.data_source,
            DataSource::SqlServer(source) if source.trust_server_certificate
        ) {
            warnings.push(
                "dataSource.trustServerCertificate is set: the server certificate is not verified"
                    .to_owned(),
            );
        }
        warnings
    }

    fn check_data_source(&self, issues: &mut Issues) {
        match &self.data_source {
            DataSource::Sqlite { path } if path.as_os_str().is_empty() => {
                issues.add("dataSource.path", "must not be empty");
            }
            DataSource::Sqlite { .. } => {}
            DataSource::SqlServer(source) => source.check(issues),
        }
    }

    fn check_tokens(&self, issues: &mut Issues) {
        let keys = &self.tokens.signing_keys;
        if !(1..=2).contains(&keys.len()) {
            issues.add(
                "tokens.signingKeys",
                "must hold one or two keys (the current one first)",
            );
        }
        for (i, key) in keys.iter().enumerate() {
            if key.id.trim().is_empty() {
                issues.add(&format!("tokens.signingKeys[{i}].id"), "must not be empty");
            }
            match base64::engine::general_purpose::STANDARD.decode(&key.secret.0) {
                Ok(bytes) if bytes.len() >= MIN_KEY_BYTES => {}
                Ok(_) => issues.add(
                    &format!("tokens.signingKeys[{i}].secret"),
                    format!("must decode to at least {MIN_KEY_BYTES} bytes"),
                ),
                Err(_) => issues.add(&format!("tokens.signingKeys[{i}].secret"), "must be base64"),
            }
        }
        if keys.len() == 2 && keys[0].id == keys[1].id {
            issues.add(
                "tokens.signingKeys[1].id",
                "must differ from the current key's id",
            );
        }
        if self.tokens.lifetime_seconds < MIN_TOKEN_LIFETIME {
            issues.add(
                "tokens.lifetimeSeconds",
                format!("must be at least {MIN_TOKEN_LIFETIME}"),
            );
        }
    }

    fn check_clients(&self, issues: &mut Issues) {
        if self.clients.is_empty() {
            issues.add("clients", "must name at least one client");
        }
        for (i, client) in self.clients.iter().enumerate() {
            if client.client_id.trim().is_empty() {
                issues.add(&format!("clients[{i}].clientId"), "must not be empty");
            }
            let hash_ok = |h: &String| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit());
            if client.secret_sha256.as_ref().is_some_and(|h| !hash_ok(h)) {
                issues.add(
                    &format!("clients[{i}].secretSha256"),
                    "must be 64 hex digits (SHA-256)",
                );
            }
        }
    }

    fn check_scopes(&self, issues: &mut Issues) {
        for (i, uri) in self.default_scopes.iter().flatten().enumerate() {
            if Scope::parse(uri).is_none() {
                issues.add(
                    &format!("defaultScopes[{i}]"),
                    format!("'{uri}' is not a rostering scope this service grants"),
                );
            }
        }
    }
}

#[derive(Default)]
struct Issues(Vec<Issue>);

impl Issues {
    fn add(&mut self, path: &str, message: impl Into<String>) {
        self.0.push(Issue {
            path: path.to_owned(),
            message: message.into(),
        });
    }
}

/// A DNS label: 1–63 of `[a-z0-9-]`, not starting or ending with `-`.
pub fn is_label(text: &str) -> bool {
    (1..=63).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

/// A lowercase DNS name of at least two labels.
pub fn is_hostname(text: &str) -> bool {
    text.len() <= 253 && text.split('.').count() >= 2 && text.split('.').all(is_label)
}

#[cfg(test)]
mod tests;
