//! A real Secrets Manager endpoint for the tests: moto's server mode (`moto[server]` from
//! PyPI), started per test on a free loopback port. `make moto` installs it into
//! `target/tools/moto`; `MOTO_SERVER` may name another `moto_server` executable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_secretsmanager::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_secretsmanager::Client;
use ums_oneroster::tenants::config::TenantConfig;
use ums_oneroster::tenants::secrets_manager::{sdk_timeouts, SecretsManagerProvider};

/// A running `moto_server`, stopped when dropped.
pub struct Moto {
    child: Child,
    pub endpoint: String,
}

fn executable() -> PathBuf {
    std::env::var_os("MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tools/moto/bin/moto_server")
        })
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Moto {
    /// Starts moto and waits until it accepts connections.
    pub fn start() -> Moto {
        let server = executable();
        assert!(
            server.exists(),
            "moto_server not found at {}: run `make moto` (or set MOTO_SERVER)",
            server.display()
        );
        let port = free_port();
        let child = Command::new(&server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }

    /// An SDK client for this endpoint, with the service's own timeouts.
    pub fn client(&self) -> Client {
        client_for(&self.endpoint)
    }

    /// Stores `document` as its tenant's secret under `prefix`, as `tenant put` does.
    pub async fn put_tenant(&self, prefix: &str, document: &serde_json::Value) {
        let config = TenantConfig::from_json(&document.to_string()).unwrap();
        SecretsManagerProvider::new(self.client(), prefix)
            .put(&config, None)
            .await
            .unwrap();
    }

    /// Writes the custom-domain index `<prefix>_hosts` (hostname → tenant id) as Terraform does.
    pub async fn put_host_index(&self, prefix: &str, hosts: serde_json::Value) {
        let index = serde_json::json!({"schemaVersion": 1, "hosts": hosts});
        self.client()
            .create_secret()
            .name(format!("{prefix}_hosts"))
            .secret_string(index.to_string())
            .send()
            .await
            .unwrap();
    }

    /// Stops the server: the vault becomes unreachable.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The environment that points the AWS SDK of a child process at `endpoint`.
pub fn sdk_environment(endpoint: &str) -> [(&'static str, String); 4] {
    [
        ("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint.to_owned()),
        ("AWS_REGION", "eu-north-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
    ]
}

/// An SDK client for any endpoint (a stopped or silent one, too).
pub fn client_for(endpoint: &str) -> Client {
    let (timeouts, retries) = sdk_timeouts();
    let config = aws_sdk_secretsmanager::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("eu-north-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
        .timeout_config(timeouts)
        .retry_config(retries)
        .build();
    Client::from_conf(config)
}
