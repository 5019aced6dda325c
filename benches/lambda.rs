//! `make bench`, the Lambda host: the release `bootstrap` under the runtime API emulator of the
//! cloud tests (`tests/cloud/runtime_api.rs`), serving the L municipality from a tenants
//! directory, with API Gateway REST API (v1) events.
//!
//! 1. Init: from exec to the first poll of `/invocation/next`, for `bootstrap` (tenants from
//!    Secrets Manager, as deployed, and from a tenants directory) and for the hello-world
//!    lambda_http function `examples/lambda_hello`, built by the same `make bench`; alternating
//!    starts, medians.
//! 2. Peak RSS (`VmHWM`) while serving 5 000-record pages through the Lambda path.
//! 3. Every page of every collection of both trees at `limit=5000` (what SDS asks for) and
//!    `limit=10000`, gzip accepted: each must be delivered; the body raw and gzipped, and the
//!    buffered payload in both forms, against Lambda's 6 MB. The largest page is then asked for
//!    without gzip, to see the 413 when it does not fit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/cloud/runtime_api.rs"]
mod runtime_api;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use base64::Engine;
use serde_json::{json, Value};
use ums_oneroster::hosts::lambda::payload;
use ums_oneroster::http::routes::{Shape, OPERATIONS};
use ums_oneroster::oneroster::vocab::Version;

use runtime_api::{GatewayResponse, RuntimeApi};

const SECRET: &str = "lambda-bench-secret-0123456789";
const HOST: &str = "oneroster.bench-kommune.dk";
const STARTS: usize = 31;
const SDS_LIMIT: u32 = 5000;
const LARGE_LIMIT: u32 = 10_000;

/// A binary `make bench` built as `make lambda` builds it and linked into `target/bench-bin`.
fn bench_binary(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-bin")
        .join(name);
    assert!(
        path.exists(),
        "{} is missing: run `make bench`, which builds it",
        path.display()
    );
    path
}

/// `bootstrap`, without the dev-dependencies' features that `cargo bench` builds with.
fn bootstrap() -> PathBuf {
    bench_binary("bootstrap")
}

/// The hello-world function, built by the same `make bench`.
fn hello() -> PathBuf {
    bench_binary("lambda_hello")
}

fn ensure_database() -> PathBuf {
    let path = std::fs::canonicalize(".")
        .unwrap()
        .join("target/demo/ums-demo-L.sqlite");
    if !path.exists() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let status = Command::new(env!("CARGO_BIN_EXE_ums-oneroster"))
            .args(["demo", "init", "--scale", "L", "--db"])
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success());
    }
    path
}

/// A tenants directory serving the L database on `HOST`; the vault's hash of `SECRET` overrides
/// whatever secret the database holds.
fn tenants_dir(db: &Path) -> tempfile::TempDir {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let key = base64::engine::general_purpose::STANDARD.encode("b".repeat(32));
    let hash = format!("{:x}", sha2::Sha256::digest(SECRET.as_bytes()));
    let document = json!({
        "schemaVersion": 1,
        "tenantId": "bench",
        "displayName": "Bench Kommune",
        "hostnames": [HOST],
        "dataSource": {"kind": "sqlite", "path": db},
        "tokens": {"signingKeys": [{"id": "bench-1", "secret": key}]},
        "clients": [{"clientId": "WebserviceUser", "secretSha256": hash}],
        "entitlement": {"modules": ["Office365Teams"], "expires": "2099-12-31"},
        "identity": {"upnDomains": ["bench.dk"]}
    });
    std::fs::write(dir.path().join("bench.json"), document.to_string()).unwrap();
    dir
}

/// The function's environment besides the runtime API's.
fn function_env(tenants: &Path, mode: &str) -> Vec<(&'static str, String)> {
    vec![
        ("UMS_TENANTS_DIR", tenants.display().to_string()),
        ("UMS_BASE_DOMAIN", "oneroster.example.dk".to_owned()),
        ("UMS_LAMBDA_RESPONSE_MODE", mode.to_owned()),
        ("AWS_LAMBDA_LOG_FORMAT", "JSON".to_owned()),
        ("RUST_LOG", "warn".to_owned()),
    ]
}

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(program: &Path, env: &[(&'static str, String)]) -> Process {
    let child = Command::new(program)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Process(child)
}

/// Time from exec to the first poll of the runtime API.
async fn init_time(program: &Path, env: &[(&'static str, String)]) -> Duration {
    let api = RuntimeApi::start().await;
    let mut env = env.to_vec();
    env.extend(api.env());
    let started = Instant::now();
    let _process = spawn(program, &env);
    api.first_poll().await - started
}

/// A REST API (payload v1) event, as API Gateway sends it for the custom domain.
fn rest_event(
    method: &str,
    path: &str,
    query: &[(&str, String)],
    headers: &[(&str, String)],
    body: Option<&str>,
) -> Value {
    let mut single = serde_json::Map::new();
    let mut multi = serde_json::Map::new();
    for (name, value) in headers.iter().chain(&[
        ("Host", HOST.to_owned()),
        ("X-Forwarded-Proto", "https".to_owned()),
    ]) {
        single.insert((*name).to_owned(), json!(value));
        multi.insert((*name).to_owned(), json!([value]));
    }
    let (query_single, query_multi): (serde_json::Map<_, _>, serde_json::Map<_, _>) = (
        query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!(v)))
            .collect(),
        query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!([v])))
            .collect(),
    );
    json!({
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": single,
        "multiValueHeaders": multi,
        "queryStringParameters": if query.is_empty() { Value::Null } else { query_single.into() },
        "multiValueQueryStringParameters": if query.is_empty() { Value::Null } else { query_multi.into() },
        "pathParameters": {"proxy": path.trim_start_matches('/')},
        "requestContext": {
            "resourcePath": "/{proxy+}", "httpMethod": method, "path": path, "stage": "prod",
            "accountId": "123456789012", "apiId": "a1b2c3d4e5", "domainName": HOST,
            "requestId": "bench", "identity": {"sourceIp": "20.190.128.10"}
        },
        "body": body.map(|b| base64::engine::general_purpose::STANDARD.encode(b)),
        "isBase64Encoded": body.is_some()
    })
}

struct Function {
    api: RuntimeApi,
    process: Process,
    bearer: String,
}

impl Function {
    async fn start(env: &[(&'static str, String)]) -> Function {
        let api = RuntimeApi::start().await;
        let mut env = env.to_vec();
        env.extend(api.env());
        let process = spawn(&bootstrap(), &env);
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("WebserviceUser:{SECRET}"));
        let event = rest_event(
            "POST",
            "/ims/oneroster/v1p1/token",
            &[],
            &[
                ("Authorization", format!("Basic {basic}")),
                (
                    "Content-Type",
                    "application/x-www-form-urlencoded".to_owned(),
                ),
            ],
            Some("grant_type=client_credentials"),
        );
        let reply = GatewayResponse::from_reply(api.invoke(&event).await);
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        let token: Value = serde_json::from_slice(&reply.body).unwrap();
        let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
        Function {
            api,
            process,
            bearer,
        }
    }

    async fn get(
        &self,
        path: &str,
        query: &[(&str, String)],
        gzip: bool,
    ) -> (GatewayResponse, Duration) {
        let mut headers = vec![("Authorization", self.bearer.clone())];
        if gzip {
            headers.push(("Accept-Encoding", "gzip".to_owned()));
        }
        let event = rest_event("GET", path, query, &headers, None);
        let started = Instant::now();
        let reply = GatewayResponse::from_reply(self.api.invoke(&event).await);
        (reply, started.elapsed())
    }

    fn peak_rss_mib(&self) -> f64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.process.0.id())).unwrap();
        let kib: f64 = status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap()
            .parse()
            .unwrap();
        kib / 1024.0
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// The production tenant source: Secrets Manager, whose tenants are fetched on first use, so
/// start-up only builds the SDK client. Nothing listens at the endpoint: init must not call it.
fn secrets_manager_env() -> Vec<(&'static str, String)> {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    vec![
        ("UMS_SECRET_PREFIX", "ums-oneroster/tenants/".to_owned()),
        (
            "AWS_ENDPOINT_URL_SECRETS_MANAGER",
            format!("http://{closed}"),
        ),
        ("AWS_REGION", "eu-north-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "bench".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "bench".to_owned()),
        ("AWS_LAMBDA_LOG_FORMAT", "JSON".to_owned()),
        ("RUST_LOG", "warn".to_owned()),
    ]
}

async fn bench_init(tenants: &Path) {
    let directory = function_env(tenants, "buffered");
    let vault = secrets_manager_env();
    let (mut from_directory, mut from_vault, mut baseline) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..STARTS + 3 {
        let a = init_time(&bootstrap(), &directory).await;
        let b = init_time(&bootstrap(), &vault).await;
        let c = init_time(&hello(), &directory).await;
        if round >= 3 {
            from_directory.push(a);
            from_vault.push(b);
            baseline.push(c);
        }
    }
    let baseline = median(baseline);
    println!("Init, exec to first runtime-API poll (median of {STARTS} alternating starts each)");
    println!("  hello-world lambda_http: {:.2} ms", ms(baseline));
    for (source, samples) in [
        (
            "tenants from Secrets Manager, fetched on first use",
            from_vault,
        ),
        (
            "the L tenant from a tenants directory, loaded at start",
            from_directory,
        ),
    ] {
        let ours = median(samples);
        println!(
            "  bootstrap, {source}: {:.2} ms, {:.2}x the hello world (target <= 1.5)",
            ms(ours),
            ours.as_secs_f64() / baseline.as_secs_f64()
        );
    }
    for (name, path) in [("bootstrap", bootstrap()), ("lambda_hello", hello())] {
        println!(
            "  {name} binary (x86_64 release): {:.2} MB",
            mb(std::fs::metadata(path).unwrap().len() as usize)
        );
    }
}

async fn bench_rss(tenants: &Path) {
    println!("Peak RSS serving {SDS_LIMIT}-record pages (filter=status='active', no gzip; VmHWM)");
    for mode in ["buffered", "stream"] {
        let function = Function::start(&function_env(tenants, mode)).await;
        let mut line = format!("  {mode}:");
        for collection in ["users", "classes", "enrollments"] {
            let query = [
                ("limit", SDS_LIMIT.to_string()),
                ("filter", "status='active'".to_owned()),
            ];
            let (reply, elapsed) = function
                .get(&format!("/ims/oneroster/v1p1/{collection}"), &query, false)
                .await;
            assert_eq!(reply.status, 200);
            line.push_str(&format!(
                " {collection} {:.2} MB in {:.0} ms, peak {:.1} MiB;",
                mb(reply.body.len()),
                ms(elapsed),
                function.peak_rss_mib()
            ));
        }
        println!("{line} (target <= 48 MiB)");
    }
}

/// The largest page of one collection at `limit=10000`.
#[derive(Default)]
struct Largest {
    pages: usize,
    raw: usize,
    gzip: usize,
    buffered_raw: usize,
    buffered_gzip: usize,
    slowest: Duration,
    over_without_gzip: usize,
}

fn header_map(reply: &GatewayResponse, drop_encoding: bool) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in &reply.headers {
        if drop_encoding && name == "content-encoding" {
            continue;
        }
        map.append(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

async fn largest_page(function: &Function, path: &str, limit: u32) -> Largest {
    let mut largest = Largest::default();
    let mut offset = 0u64;
    loop {
        let query = [("limit", limit.to_string()), ("offset", offset.to_string())];
        let (reply, elapsed) = function.get(path, &query, true).await;
        assert_eq!(
            reply.status,
            200,
            "{path} offset {offset}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        let raw = match reply.header("content-encoding") {
            Some("gzip") => {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&reply.body[..])
                    .read_to_end(&mut plain)
                    .unwrap();
                plain
            }
            _ => reply.body.clone(),
        };
        let buffered_raw = payload::buffered_bytes(&header_map(&reply, true), &raw);
        largest.pages += 1;
        largest.raw = largest.raw.max(raw.len());
        largest.gzip = largest.gzip.max(reply.body.len());
        largest.buffered_raw = largest.buffered_raw.max(buffered_raw);
        largest.buffered_gzip = largest.buffered_gzip.max(reply.payload_bytes);
        largest.slowest = largest.slowest.max(elapsed);
        largest.over_without_gzip += usize::from(buffered_raw > payload::BUFFERED_MAX_BYTES);
        let total: u64 = reply.header("x-total-count").unwrap().parse().unwrap();
        offset += u64::from(limit);
        if offset >= total {
            return largest;
        }
    }
}

/// Every top-level collection of both trees.
fn collections() -> Vec<String> {
    [Version::V1p1, Version::V1p2]
        .iter()
        .flat_map(|version| {
            OPERATIONS
                .iter()
                .filter(|o| o.shape == Shape::Collection && !o.path.contains('{'))
                .map(|o| format!("{}{}", version.base_path(), o.path))
        })
        .collect()
}

async fn bench_page_sizes(tenants: &Path) {
    let function = Function::start(&function_env(tenants, "buffered")).await;
    for limit in [SDS_LIMIT, LARGE_LIMIT] {
        println!(
            "Every page at limit={limit} of every collection, both trees, all records (tombstones too), gzip accepted, buffered"
        );
        let mut overall: Option<(String, Largest)> = None;
        let mut over = 0;
        for path in collections() {
            let largest = largest_page(&function, &path, limit).await;
            if limit == LARGE_LIMIT {
                println!(
                    "  {path}: {} pages; largest body {:.2} MB raw, {:.2} MB gzip; buffered payload {:.2} MB raw, {:.2} MB gzip; slowest page {:.0} ms; pages over 6 MB without gzip: {}",
                    largest.pages,
                    mb(largest.raw),
                    mb(largest.gzip),
                    mb(largest.buffered_raw),
                    mb(largest.buffered_gzip),
                    ms(largest.slowest),
                    largest.over_without_gzip
                );
            }
            over += largest.over_without_gzip;
            if overall.as_ref().is_none_or(|(_, l)| largest.raw > l.raw) {
                overall = Some((path, largest));
            }
        }
        let (path, largest) = overall.unwrap();
        println!(
            "  largest page: {path}, {:.2} MB raw / {:.2} MB gzip; buffered payload {:.2} MB without gzip, {:.2} MB with (limit {:.2} MB); {over} pages would exceed the limit without gzip; slowest page {:.0} ms",
            mb(largest.raw),
            mb(largest.gzip),
            mb(largest.buffered_raw),
            mb(largest.buffered_gzip),
            mb(payload::BUFFERED_MAX_BYTES),
            ms(largest.slowest)
        );
        if largest.over_without_gzip > 0 {
            let query = [("limit", limit.to_string())];
            let (refused, _) = function.get(&path, &query, false).await;
            let body: Value = serde_json::from_slice(&refused.body).unwrap();
            println!(
                "  its first page without gzip: {} {}",
                refused.status, body["imsx_description"]
            );
        }
    }
}

/// The sections named on the command line (`cargo bench --bench lambda -- init rss pages`);
/// none means all of them.
fn sections() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let db = ensure_database();
    let tenants = tenants_dir(&db);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let wanted = sections();
    let runs = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    runtime.block_on(async {
        if runs("init") {
            bench_init(tenants.path()).await;
        }
        if runs("rss") {
            bench_rss(tenants.path()).await;
        }
        if runs("pages") {
            bench_page_sizes(tenants.path()).await;
        }
    });
}
