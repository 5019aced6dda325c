//! Which certificates the vault client accepts (`--vault-trust`), against moto behind a TLS
//! endpoint whose certificate comes from a throw-away CA. With `platform` trust and that CA in
//! `SSL_CERT_FILE`, `serve` fetches its tenant; with the default `amazon` trust it must refuse
//! the same endpoint, since only Amazon Trust Services' roots are accepted.

#![allow(clippy::unwrap_used)]

use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream as AsyncTcpStream};

use crate::certs::TestPki;
use crate::moto::{free_port, sdk_environment, Moto};
use crate::tenants::ALPHA_SECRET;
use crate::vault::{alpha_document, databases, exchange, Server, PREFIX};

/// A TLS endpoint on `localhost` relaying to moto; returns its port.
async fn tls_in_front_of(moto: &Moto, pki: &TestPki) -> u16 {
    let acceptor =
        tokio_native_tls::TlsAcceptor::from(native_tls::TlsAcceptor::new(pki.identity()).unwrap());
    let upstream = moto.endpoint.trim_start_matches("http://").to_owned();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let (acceptor, upstream) = (acceptor.clone(), upstream.clone());
            tokio::spawn(async move {
                // A refused handshake is the point of one of the tests.
                let Ok(mut client) = acceptor.accept(client).await else {
                    return;
                };
                let mut server = AsyncTcpStream::connect(upstream).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            });
        }
    });
    port
}

/// The status of a token request to `serve --vault-trust trust`, whose vault is at `endpoint`
/// and whose platform roots are the file `roots`.
fn token_status(trust: &str, endpoint: &str, roots: &std::path::Path) -> u16 {
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_ums-oneroster"));
    command
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--base-domain", "oneroster.test", "--vault-trust", trust])
        .envs(sdk_environment(endpoint))
        .env("UMS_SECRET_PREFIX", PREFIX)
        .env("SSL_CERT_FILE", roots)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut server = Server(command.spawn().unwrap());
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(server.0.try_wait().unwrap().is_none(), "serve exited");
        std::thread::sleep(Duration::from_millis(50));
    }
    let body = format!(
        "grant_type=client_credentials&client_id=WebserviceUser&client_secret={ALPHA_SECRET}"
    );
    let request = format!(
        "POST /ims/oneroster/v1p1/token HTTP/1.1\r\nHost: alpha.oneroster.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    exchange(port, &request).0
}

#[tokio::test]
async fn the_vault_must_present_a_certificate_from_the_trusted_roots() {
    let moto = Moto::start();
    let dir = databases();
    moto.put_tenant(PREFIX, &alpha_document(dir.path())).await;
    let pki = TestPki::for_name("localhost");
    let roots = dir.path().join("test-ca.pem");
    std::fs::write(&roots, &pki.ca_pem).unwrap();
    let endpoint = format!("https://localhost:{}", tls_in_front_of(&moto, &pki).await);

    let statuses = tokio::task::spawn_blocking(move || {
        ["platform", "amazon"].map(|trust| token_status(trust, &endpoint, &roots))
    })
    .await
    .unwrap();
    assert_eq!(statuses, [200, 503], "platform, amazon");
}
