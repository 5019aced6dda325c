//! What the cloud tests share: a tenants directory with one municipality on a custom domain,
//! the `bootstrap` process, and a minimal HTTP/1.1 client.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};
use ums_oneroster::demo::{self, Scale};

/// The client secret of the test municipality (the fixtures' Basic credentials carry it).
pub const SECRET: &str = "cloud-secret-0123456789";
/// The municipality's custom domain: the Host of every fixture.
pub const CUSTOM_DOMAIN: &str = "oneroster.eksempel-kommune.dk";
pub const BASE_DOMAIN: &str = "oneroster.example.dk";
pub const TENANT: &str = "eksempel";

/// A tenants directory holding the municipality `eksempel` (small demo data) on its custom
/// domain, as `UMS_TENANTS_DIR` expects it.
pub fn tenants_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    demo::init(
        &dir.path().join("eksempel.sqlite"),
        Scale::Small,
        2026,
        Some(SECRET),
    )
    .unwrap();
    write_tenant(dir.path(), "eksempel.sqlite");
    dir
}

/// Writes the configuration of `eksempel`, whose data is the SQLite file `db` (relative to `dir`).
pub fn write_tenant(dir: &Path, db: &str) {
    std::fs::write(dir.join("eksempel.json"), tenant_document(db).to_string()).unwrap();
}

/// The configuration document of `eksempel`, whose data is the SQLite file `db`.
pub fn tenant_document(db: &str) -> Value {
    let key = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "k".repeat(32));
    json!({
        "schemaVersion": 1,
        "tenantId": TENANT,
        "displayName": "Eksempel Kommune",
        "hostnames": [CUSTOM_DOMAIN],
        "dataSource": {"kind": "sqlite", "path": db},
        "tokens": {"signingKeys": [{"id": "eksempel-1", "secret": key}]},
        "entitlement": {"modules": ["Office365Teams"], "expires": "2099-12-31"},
        "identity": {"upnDomains": ["eksempel.dk"]}
    })
}

/// The environment that selects the tenants directory as the tenant source.
pub fn tenant_env(dir: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("UMS_TENANTS_DIR", dir.display().to_string()),
        ("UMS_BASE_DOMAIN", BASE_DOMAIN.to_owned()),
    ]
}

/// A running `bootstrap`, killed when dropped.
pub struct Bootstrap(pub Child);

impl Bootstrap {
    /// Starts `bootstrap` with only `env`, as a cloud host starts it: no arguments, a clean
    /// environment. Its log goes to the test's output unless `capture_log`.
    pub fn start(env: &[(&str, String)], capture_log: bool) -> Bootstrap {
        Self::start_from(
            Path::new(env!("CARGO_BIN_EXE_bootstrap")),
            None,
            env,
            capture_log,
        )
    }

    /// Starts the executable at `program` in `dir`, as above.
    pub fn start_from(
        program: &Path,
        dir: Option<&Path>,
        env: &[(&str, String)],
        capture_log: bool,
    ) -> Bootstrap {
        let mut command = Command::new(program);
        if let Some(dir) = dir {
            command.current_dir(dir);
        }
        command.env_clear().envs(env.iter().map(|(k, v)| (k, v)));
        command.stdout(Stdio::null());
        if capture_log {
            command.stderr(Stdio::piped());
        }
        Bootstrap(command.spawn().unwrap())
    }

    /// Stops the process and returns what it logged (when captured).
    pub fn stop(mut self) -> String {
        let _ = self.0.kill();
        let mut log = String::new();
        if let Some(mut stderr) = self.0.stderr.take() {
            stderr.read_to_string(&mut log).unwrap();
        }
        log
    }

    /// Waits for the process to end by itself and returns its exit code.
    pub fn exit_code(&mut self) -> Option<i32> {
        for _ in 0..600 {
            if let Some(status) = self.0.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("bootstrap did not stop");
    }
}

impl Drop for Bootstrap {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 exchange on a fresh connection.
pub struct HttpReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpReply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// Sends `method target` with `headers` and `body` to `port` on loopback.
pub fn http(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> HttpReply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        let Some((name, value)) = line.trim_end().split_once(':') else {
            break;
        };
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut body = Vec::new();
    reader.read_to_end(&mut body).unwrap();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    HttpReply {
        status,
        headers,
        body,
    }
}

/// The data of a chunked body (RFC 9112 §7.1), without extensions or trailers.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut data = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size_text = std::str::from_utf8(&raw[..line_end]).unwrap();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            return data;
        }
        let start = line_end + 2;
        data.extend_from_slice(&raw[start..start + size]);
        raw = &raw[start + size + 2..];
    }
}

/// Whether anything listens on `port` yet.
pub fn answers(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Undoes gzip.
pub fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut out)
        .unwrap();
    out
}
