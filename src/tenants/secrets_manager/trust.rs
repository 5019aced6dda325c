//! Which certificate authorities the Secrets Manager client trusts, and the HTTPS client built
//! from that choice.
//!
//! The AWS SDK's default client trusts the platform's root store, which it reads and parses at
//! start-up (about 150 certificates, most of the service's cold-start work beyond lambda_http's
//! own). AWS endpoints' certificates chain to Amazon Trust Services' roots, so the service
//! trusts only those by default: five certificates compiled into the binary. The platform store
//! stays available for set-ups that need it, such as a TLS-inspecting proxy in front of the
//! vault.

use aws_sdk_secretsmanager::config::SharedHttpClient;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode, TlsContext, TrustStore};
use clap::ValueEnum;

/// Amazon Root CA 1–4 and Starfield Services Root CA G2, as published at
/// <https://www.amazontrust.com/repository/>.
const AMAZON_TRUST_SERVICES: &[u8] = include_bytes!("amazon-trust-services.pem");

/// The roots the Secrets Manager client accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum VaultTrust {
    /// Amazon Trust Services' root CAs only, compiled in: nothing to read at start-up.
    #[default]
    Amazon,
    /// The platform's root store (`SSL_CERT_FILE`, `SSL_CERT_DIR` or the system's), read at
    /// start-up.
    Platform,
}

impl VaultTrust {
    fn trust_store(self) -> TrustStore {
        match self {
            VaultTrust::Amazon => TrustStore::empty().with_pem_certificate(AMAZON_TRUST_SERVICES),
            VaultTrust::Platform => TrustStore::default(),
        }
    }

    /// An HTTPS client (rustls on aws-lc) that trusts these roots.
    pub fn https_client(self) -> SharedHttpClient {
        let context = TlsContext::builder()
            .with_trust_store(self.trust_store())
            .build();
        let builder = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
        match context {
            Ok(context) => builder.tls_context(context).build_https(),
            // The builder cannot fail today; should it ever, the SDK's defaults still verify.
            Err(_) => builder.build_https(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;
    use sha2::{Digest, Sha256};

    /// The SHA-256 fingerprints Amazon Trust Services publishes for its roots.
    const PUBLISHED: [&str; 5] = [
        "8ecde6884f3d87b1125ba31ac3fcb13d7016de7f57cc904fe1cb97c6ae98196e",
        "1ba5b2aa8c65401a82960118f80bec4f62304d83cec4713a19c39c011ea46db4",
        "18ce6cfe7bf14e60b2e347b8dfe868cb31d02ebb3ada271569f50343b46db3a4",
        "e35d28419ed02025cfa69038cd623962458da5c695fbdea3c22b0bfb25897092",
        "568d6905a2c88708a4b3025190edcfedb1974a606a13c6e5290fcb2ae63edab5",
    ];

    #[test]
    fn the_compiled_in_roots_are_exactly_amazon_trust_services() {
        let fingerprints: Vec<String> = CertificateDer::pem_slice_iter(AMAZON_TRUST_SERVICES)
            .map(|cert| format!("{:x}", Sha256::digest(cert.unwrap().as_ref())))
            .collect();
        assert_eq!(fingerprints, PUBLISHED);
    }

    #[test]
    fn every_compiled_in_root_is_a_usable_trust_anchor() {
        let mut roots = rustls::RootCertStore::empty();
        let certs = CertificateDer::pem_slice_iter(AMAZON_TRUST_SERVICES).map(Result::unwrap);
        let (added, refused) = roots.add_parsable_certificates(certs);
        assert_eq!((added, refused), (5, 0));
    }
}
