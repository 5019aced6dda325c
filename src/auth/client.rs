//! Client credentials as OAuth 2 clients present them: HTTP Basic (`client_secret_basic`) or
//! form fields (`client_secret_post`), and the constant-time secret check.

use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A client id and secret as presented.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// Reads an `Authorization: Basic …` value. RFC 6749 §2.3.1 form-encodes id and secret before
/// base64, so both are form-decoded after the split.
pub fn from_basic(header: &str) -> Option<Credentials> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some(Credentials {
        client_id: form_decode(id),
        client_secret: form_decode(secret),
    })
}

fn form_decode(text: &str) -> String {
    form_urlencoded::parse(format!("v={text}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// Compares a presented secret with the stored one in constant time. Both are hashed first,
/// so neither the content nor the length of the stored secret leaks through timing.
pub fn secret_matches(presented: &str, stored: &str) -> bool {
    let presented = Sha256::digest(presented.as_bytes());
    let stored = Sha256::digest(stored.as_bytes());
    presented.ct_eq(&stored).into()
}

/// Compares a presented secret with a stored SHA-256 (hex) of the real one, in constant time.
pub fn secret_matches_hash(presented: &str, sha256_hex: &str) -> bool {
    let presented = Sha256::digest(presented.as_bytes());
    let expected: Vec<u8> = (0..sha256_hex.len())
        .step_by(2)
        .filter_map(|i| sha256_hex.get(i..i + 2))
        .filter_map(|pair| u8::from_str_radix(pair, 16).ok())
        .collect();
    expected.len() == presented.len() && bool::from(presented[..].ct_eq(&expected[..]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn basic(raw: &str) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    #[test]
    fn basic_credentials_are_decoded() {
        let creds = from_basic(&basic("WebserviceUser:s3cr%3At")).unwrap();
        assert_eq!(creds.client_id, "WebserviceUser");
        assert_eq!(creds.client_secret, "s3cr:t");
        assert!(from_basic("Bearer abc").is_none());
        assert!(from_basic("Basic !!!").is_none());
        assert!(from_basic(&basic("no-colon")).is_none());
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(secret_matches("abc", "abc"));
        assert!(!secret_matches("abc", "abd"));
        assert!(!secret_matches("abc", "abcd"));
        assert!(!secret_matches("", "abc"));
    }

    #[test]
    fn secrets_compare_with_their_hash() {
        // sha256("abc")
        let hash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert!(secret_matches_hash("abc", hash));
        assert!(secret_matches_hash("abc", &hash.to_uppercase()));
        assert!(!secret_matches_hash("abd", hash));
        assert!(!secret_matches_hash("abc", "zz"));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let creds = Credentials {
            client_id: "a".into(),
            client_secret: "hunter2".into(),
        };
        assert!(!format!("{creds:?}").contains("hunter2"));
    }
}
