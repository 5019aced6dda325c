//! A throw-away CA and a server certificate it issued, as a real SQL Server (or a TLS endpoint in
//! front of the vault) would present one (rustls refuses a self-signed CA certificate used as the
//! server's own).

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
};

/// The name in the server certificate.
pub const SERVER_NAME: &str = "sql.test.internal";

pub struct TestPki {
    /// The CA certificate (PEM): what a tenant's `caBundle` holds.
    pub ca_pem: String,
    /// The server certificate (PEM) and its PKCS#8 key.
    pub server_pem: String,
    pub server_key_pem: String,
}

impl TestPki {
    /// A CA and a certificate for [`SERVER_NAME`].
    pub fn new() -> TestPki {
        TestPki::for_name(SERVER_NAME)
    }

    /// A CA and a certificate for `name`.
    pub fn for_name(name: &str) -> TestPki {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "ums-oneroster test CA");
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);

        let server_key = KeyPair::generate().unwrap();
        let mut server = CertificateParams::new(vec![name.to_owned()]).unwrap();
        server.distinguished_name.push(DnType::CommonName, name);
        server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let server_cert = server.signed_by(&server_key, &issuer).unwrap();
        TestPki {
            ca_pem: ca_cert.pem(),
            server_pem: server_cert.pem(),
            server_key_pem: server_key.serialize_pem(),
        }
    }

    /// The identity the mock server presents.
    pub fn identity(&self) -> native_tls::Identity {
        native_tls::Identity::from_pkcs8(self.server_pem.as_bytes(), self.server_key_pem.as_bytes())
            .unwrap()
    }
}
