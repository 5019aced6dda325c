//! How to reach one tenant's SQL Server: address, login, encryption and trust, pool and time
//! limits, and the tiberius configuration they make.

use std::fmt;
use std::time::Duration;

use tiberius::{AuthMethod, Config, EncryptionLevel};

/// Connections kept per tenant: a Lambda environment serves one request at a time, a local
/// server a few at once.
pub const DEFAULT_POOL_SIZE: u32 = 4;
/// How long an unused connection stays open.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(300);
/// DNS, TCP, TLS and login together.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Each server round trip of a query.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(20);
/// API Gateway's integration timeout is 29 s and SDS gives up after 30 s: connecting and
/// querying together must finish before it, so that the client gets our 503 and not the
/// gateway's 504.
pub const GATEWAY_BUDGET: Duration = Duration::from_secs(29);

/// How the connection is encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    /// TDS 8: TLS before any TDS traffic (SQL Server 2022 and later).
    Strict,
    /// TLS negotiated inside the TDS pre-login (SQL Server 2008 and later, given TLS 1.2).
    Required,
    /// No TLS at all. Tenant configurations cannot choose it: it exists for test servers
    /// (mssql-mock-tds) that speak plain TDS.
    Plaintext,
}

/// Everything the store needs to open connections to one SQL Server database.
#[derive(Clone)]
pub struct SqlServerSettings {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    pub password: String,
    pub encryption: Encryption,
    /// PEM CA certificates trusted on top of the webpki roots.
    pub ca_bundle: Option<String>,
    /// Accept any server certificate (no chain or name check).
    pub trust_server_certificate: bool,
    /// The name the server certificate must carry, when it differs from `host`.
    pub host_name_in_certificate: Option<String>,
    pub pool_size: u32,
    pub idle_timeout: Duration,
    pub connect_timeout: Duration,
    pub command_timeout: Duration,
}

impl fmt::Debug for SqlServerSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqlServerSettings")
            .field("server", &self.server())
            .field("database", &self.database)
            .field("user", &self.user)
            .field("encryption", &self.encryption)
            .field("trust_server_certificate", &self.trust_server_certificate)
            .field("pool_size", &self.pool_size)
            .field("connect_timeout", &self.connect_timeout)
            .field("command_timeout", &self.command_timeout)
            .finish_non_exhaustive()
    }
}

impl SqlServerSettings {
    /// Settings with the default encryption (strict), trust (webpki roots), pool and timeouts.
    pub fn new(
        host: impl Into<String>,
        port: u16,
        database: impl Into<String>,
        user: impl Into<String>,
        password: impl Into<String>,
    ) -> SqlServerSettings {
        SqlServerSettings {
            host: host.into(),
            port,
            database: database.into(),
            user: user.into(),
            password: password.into(),
            encryption: Encryption::Strict,
            ca_bundle: None,
            trust_server_certificate: false,
            host_name_in_certificate: None,
            pool_size: DEFAULT_POOL_SIZE,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            command_timeout: DEFAULT_COMMAND_TIMEOUT,
        }
    }

    /// `host:port`, for logs.
    pub fn server(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// The longest a store call may take: one connect and one query's worth of waiting.
    pub fn deadline(&self) -> Duration {
        self.connect_timeout + self.command_timeout
    }

    /// The tiberius configuration: TLS mode, trust anchors, login, and tiberius's own handshake
    /// and per-round-trip timers (the store bounds whole calls on top of them).
    pub fn tiberius_config(&self) -> Config {
        let mut config = Config::new();
        config.host(&self.host);
        config.port(self.port);
        config.database(&self.database);
        config.application_name("ums-oneroster");
        config.authentication(AuthMethod::sql_server(&self.user, &self.password));
        config.encryption(match self.encryption {
            Encryption::Strict => EncryptionLevel::Strict,
            Encryption::Required => EncryptionLevel::Required,
            Encryption::Plaintext => EncryptionLevel::NotSupported,
        });
        // tiberius panics if the bypass is combined with trust anchors: one or the other.
        if self.trust_server_certificate {
            config.trust_cert();
        } else {
            config.trust_webpki_roots();
            if let Some(pem) = &self.ca_bundle {
                config.trust_cert_ca_bundle(pem.as_bytes().to_vec());
            }
        }
        if let Some(name) = &self.host_name_in_certificate {
            config.hostname_in_certificate(name);
        }
        config.handshake_timeout(Some(self.connect_timeout));
        config.command_timeout(Some(self.command_timeout));
        config
    }
}
