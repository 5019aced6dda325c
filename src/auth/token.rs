//! Stateless access tokens: HS256-signed JWTs that any instance holding the key can verify.
//!
//! Nothing is stored per token, so a new token never revokes an older one (consumers run
//! concurrent threads, each with its own token) and a Lambda instance that never saw the token
//! request still accepts the token.

use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::scope::{self, Scope};
use super::AuthError;

/// The shortest token lifetime allowed: a full SDS pull must not outlive its token.
pub const MIN_LIFETIME: Duration = Duration::from_secs(3600);

/// The claims carried by an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub scope: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

impl Claims {
    /// The granted scopes this service knows (unknown ones are ignored).
    pub fn scopes(&self) -> Vec<Scope> {
        self.scope
            .split_whitespace()
            .filter_map(Scope::parse)
            .collect()
    }
}

/// One signing key and its id (the JWT `kid`).
struct Key {
    id: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// Issues and verifies access tokens for one issuer/audience pair.
///
/// It holds one or two keys: tokens are signed with the first (the current key) and accepted
/// with either, so a key can be rotated without invalidating tokens already handed out.
pub struct TokenIssuer {
    keys: Vec<Key>,
    issuer: String,
    audience: String,
    lifetime: Duration,
}

/// A freshly issued token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub access_token: String,
    pub expires_in: u64,
    pub scope: String,
}

impl TokenIssuer {
    /// An issuer with one key; `key` is the HMAC secret (at least 32 bytes) and `lifetime` is
    /// raised to [`MIN_LIFETIME`].
    pub fn new(key: &[u8], issuer: &str, audience: &str, lifetime: Duration) -> TokenIssuer {
        TokenIssuer::with_keys(&[("current", key)], issuer, audience, lifetime)
    }

    /// An issuer with several `(id, secret)` keys, the signing key first.
    pub fn with_keys(
        keys: &[(&str, &[u8])],
        issuer: &str,
        audience: &str,
        lifetime: Duration,
    ) -> TokenIssuer {
        TokenIssuer {
            keys: keys
                .iter()
                .map(|(id, secret)| Key {
                    id: (*id).to_owned(),
                    encoding: EncodingKey::from_secret(secret),
                    decoding: DecodingKey::from_secret(secret),
                })
                .collect(),
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            lifetime: lifetime.max(MIN_LIFETIME),
        }
    }

    /// Signs a token for `client_id` with `scopes`.
    pub fn issue(&self, client_id: &str, scopes: &[Scope]) -> Result<IssuedToken, AuthError> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let lifetime = i64::try_from(self.lifetime.as_secs()).unwrap_or(i64::MAX);
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: client_id.to_owned(),
            scope: scope::render_list(scopes),
            iat: now,
            exp: now.saturating_add(lifetime),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let key = self.keys.first().ok_or(AuthError::InvalidToken)?;
        let header = Header {
            kid: Some(key.id.clone()),
            ..Header::new(Algorithm::HS256)
        };
        let access_token = jsonwebtoken::encode(&header, &claims, &key.encoding)
            .map_err(|_| AuthError::InvalidToken)?;
        Ok(IssuedToken {
            access_token,
            expires_in: self.lifetime.as_secs(),
            scope: claims.scope,
        })
    }

    /// Verifies signature, algorithm, expiry, issuer and audience, with the key the token's
    /// `kid` names.
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| AuthError::InvalidToken)?;
        let key = self
            .keys
            .iter()
            .find(|key| header.kid.as_deref() == Some(key.id.as_str()))
            .ok_or(AuthError::RejectedSignature)?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.leeway = 30;
        jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::InvalidSignature => AuthError::RejectedSignature,
                _ => AuthError::InvalidToken,
            })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn issuer(key: &[u8]) -> TokenIssuer {
        TokenIssuer::new(key, "ums-oneroster", "local", Duration::from_secs(60))
    }

    #[test]
    fn issued_tokens_verify_and_carry_scopes() {
        let tokens = issuer(&[7; 32]);
        let issued = tokens.issue("WebserviceUser", &Scope::all()).unwrap();
        assert_eq!(issued.expires_in, 3600, "lifetime is at least an hour");
        let claims = tokens.verify(&issued.access_token).unwrap();
        assert_eq!(claims.sub, "WebserviceUser");
        assert_eq!(claims.scopes(), Scope::all());
    }

    #[test]
    fn a_new_token_does_not_revoke_an_old_one() {
        let tokens = issuer(&[7; 32]);
        let first = tokens.issue("c", &[]).unwrap();
        let second = tokens.issue("c", &[]).unwrap();
        assert_ne!(first.access_token, second.access_token);
        assert!(tokens.verify(&first.access_token).is_ok());
    }

    #[test]
    fn other_keys_audiences_and_garbage_are_refused() {
        let issued = issuer(&[7; 32]).issue("c", &[]).unwrap();
        assert_eq!(
            issuer(&[8; 32]).verify(&issued.access_token).unwrap_err(),
            AuthError::RejectedSignature,
            "a signature by another key may mean rotated keys"
        );
        let other_audience = TokenIssuer::new(&[7; 32], "ums-oneroster", "tenant-b", MIN_LIFETIME);
        assert_eq!(
            other_audience.verify(&issued.access_token).unwrap_err(),
            AuthError::InvalidToken
        );
        assert_eq!(
            issuer(&[7; 32]).verify("not.a.jwt").unwrap_err(),
            AuthError::InvalidToken
        );
        let unknown_kid = TokenIssuer::with_keys(&[("k9", &[7; 32])], "i", "a", MIN_LIFETIME);
        assert_eq!(
            unknown_kid.verify(&issued.access_token).unwrap_err(),
            AuthError::RejectedSignature
        );
    }

    #[test]
    fn a_rotated_key_keeps_older_tokens_valid() {
        let before = TokenIssuer::with_keys(&[("k1", &[1; 32])], "i", "a", MIN_LIFETIME);
        let old_token = before.issue("c", &[]).unwrap().access_token;
        let after = TokenIssuer::with_keys(
            &[("k2", &[2; 32]), ("k1", &[1; 32])],
            "i",
            "a",
            MIN_LIFETIME,
        );
        assert!(
            after.verify(&old_token).is_ok(),
            "the previous key still verifies"
        );
        let new_token = after.issue("c", &[]).unwrap().access_token;
        let header = jsonwebtoken::decode_header(&new_token).unwrap();
        assert_eq!(
            header.kid.as_deref(),
            Some("k2"),
            "signed with the current key"
        );
        assert!(
            before.verify(&new_token).is_err(),
            "an instance without the new key refuses it"
        );
        let retired = TokenIssuer::with_keys(&[("k2", &[2; 32])], "i", "a", MIN_LIFETIME);
        assert!(
            retired.verify(&old_token).is_err(),
            "a retired key no longer verifies"
        );
    }
}
