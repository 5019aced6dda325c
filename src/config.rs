//! Typed service configuration, validated once at start-up. Secrets are wrapped so that they
//! never appear in `Debug` output or logs.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rand::RngCore;

use crate::auth::TokenIssuer;
use crate::http::{AppState, ClientPolicy};
use crate::store::Store;
use crate::tenants::{Tenant, Tenants};

/// The id of the one tenant of a single-tenant process (the local demo).
pub const LOCAL_TENANT: &str = "local";

/// The shortest HMAC key accepted for signing tokens.
pub const MIN_SIGNING_KEY_BYTES: usize = 32;

/// Why the configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("the public URL '{0}' must look like https://host[:port], without a path")]
    InvalidPublicUrl(String),
    #[error("the token signing key must be at least {MIN_SIGNING_KEY_BYTES} bytes")]
    SigningKeyTooShort,
    #[error("max in-flight requests must be at least 1")]
    NoCapacity,
}

/// The HMAC key that signs access tokens.
#[derive(Clone)]
pub struct SigningKey(Vec<u8>);

impl SigningKey {
    /// A key from configuration; refused when too short to be safe.
    pub fn new(bytes: Vec<u8>) -> Result<SigningKey, ConfigError> {
        if bytes.len() < MIN_SIGNING_KEY_BYTES {
            return Err(ConfigError::SigningKeyTooShort);
        }
        Ok(SigningKey(bytes))
    }

    /// A fresh random key: tokens then live as long as this process.
    pub fn random() -> SigningKey {
        let mut bytes = vec![0u8; MIN_SIGNING_KEY_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        SigningKey(bytes)
    }

    /// The key material.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// Configuration of one serving process.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub database: PathBuf,
    pub public_origin: Option<String>,
    /// The single-tenant signing key; `None` signs with a random key per process. Tenants from a
    /// directory or the vault bring their own keys.
    pub signing_key: Option<SigningKey>,
    pub token_lifetime: Duration,
    pub max_in_flight: usize,
}

/// Checks a public origin such as `https://skole.example.dk` (no path, no query).
pub fn parse_public_origin(text: &str) -> Result<String, ConfigError> {
    let invalid = || ConfigError::InvalidPublicUrl(text.to_owned());
    let uri: axum::http::Uri = text.parse().map_err(|_| invalid())?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let path_ok = matches!(uri.path(), "" | "/") && uri.query().is_none();
    if !scheme_ok || uri.authority().is_none() || !path_ok {
        return Err(invalid());
    }
    Ok(text.trim_end_matches('/').to_owned())
}

impl ServeConfig {
    /// Validates the parts that cannot be checked by their types alone.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.max_in_flight == 0 {
            return Err(ConfigError::NoCapacity);
        }
        if let Some(origin) = &self.public_origin {
            parse_public_origin(origin)?;
        }
        Ok(())
    }

    /// A single-tenant state: `store` serves every host, with this configuration's key.
    pub fn state(&self, store: Arc<dyn Store>) -> AppState {
        let key = self.signing_key.clone().unwrap_or_else(|| {
            tracing::info!(
                "UMS_TOKEN_SIGNING_KEY is not set: tokens are signed with a per-process random key"
            );
            SigningKey::random()
        });
        let tenant = Tenant {
            id: LOCAL_TENANT.to_owned(),
            store,
            tokens: TokenIssuer::new(
                key.bytes(),
                "ums-oneroster",
                &Tenant::audience(LOCAL_TENANT),
                self.token_lifetime,
            ),
            clients: ClientPolicy::default(),
            refusal: None,
        };
        self.state_for(Tenants::Single(Arc::new(tenant)))
    }

    /// The shared request state serving `tenants`.
    pub fn state_for(&self, tenants: Tenants) -> AppState {
        AppState {
            tenants: Arc::new(tenants),
            public_origin: self.public_origin.clone(),
            max_in_flight: self.max_in_flight,
            response_ceiling: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_origins_are_checked() {
        assert_eq!(
            parse_public_origin("https://a.example/").ok().as_deref(),
            Some("https://a.example")
        );
        assert!(parse_public_origin("https://a.example/ims").is_err());
        assert!(parse_public_origin("ftp://a.example").is_err());
        assert!(parse_public_origin("a.example").is_err());
    }

    #[test]
    fn short_keys_are_refused_and_keys_never_print() {
        assert!(SigningKey::new(vec![1; 8]).is_err());
        let key = SigningKey::new(vec![1; 32]).ok();
        assert_eq!(format!("{key:?}"), "Some(SigningKey(<redacted>))");
    }
}
