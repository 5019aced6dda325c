//! `make bench`: a full SDS pull over HTTP against the L municipality, and the raw cost of the
//! same work (the same SQL and serde_json of the same rows, without HTTP) measured in the same
//! run, so the ratio is meaningful on a noisy machine.
//!
//! The server is the real binary (`ums-oneroster serve`) in a child process, so its peak RSS is
//! the serving process's own. The client is a minimal HTTP/1.1 keep-alive client over a
//! loopback socket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ums_oneroster::oneroster::entity::Entity;
use ums_oneroster::oneroster::primitives::Hrefs;
use ums_oneroster::oneroster::query::ListQuery;
use ums_oneroster::store::sqlite::SqliteStore;
use ums_oneroster::store::{Selection, Store};

const SECRET: &str = "bench-secret-0123456789";
const PORT: u16 = 18181;
const LIMIT: u32 = 5000;
const COLLECTIONS: [(&str, Entity); 5] = [
    ("academicSessions", Entity::AcademicSession),
    ("orgs", Entity::Org),
    ("users", Entity::User),
    ("classes", Entity::Class),
    ("enrollments", Entity::Enrollment),
];

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_ums-oneroster")
}

fn ensure_database() -> PathBuf {
    let path = PathBuf::from("target/demo/ums-demo-L.sqlite");
    if !path.exists() {
        std::fs::create_dir_all("target/demo").unwrap();
        let started = Instant::now();
        let status = Command::new(binary())
            .args(["demo", "init", "--scale", "L", "--db"])
            .arg(&path)
            .env("UMS_DEMO_CLIENT_SECRET", SECRET)
            .status()
            .unwrap();
        assert!(status.success());
        println!(
            "generated the L municipality in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    path
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(db: &Path) -> Server {
    let child = Command::new(binary())
        .args(["serve", "--listen", &format!("127.0.0.1:{PORT}"), "--db"])
        .arg(db)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", PORT)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("server did not start");
}

/// A keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
}

struct Reply {
    status: u16,
    total: Option<u64>,
    body: Vec<u8>,
}

impl Client {
    fn connect() -> Client {
        let stream = TcpStream::connect(("127.0.0.1", PORT)).unwrap();
        stream.set_nodelay(true).unwrap();
        Client {
            reader: BufReader::new(stream),
        }
    }

    fn send(&mut self, request: &str, body: &[u8]) -> Reply {
        let stream = self.reader.get_mut();
        stream.write_all(request.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status = line.split(' ').nth(1).unwrap().parse().unwrap();
        let (mut length, mut total) = (0usize, None);
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap(),
                "x-total-count" => total = value.trim().parse().ok(),
                _ => {}
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        Reply {
            status,
            total,
            body,
        }
    }

    fn token(&mut self) -> String {
        use base64::Engine;
        let basic =
            base64::engine::general_purpose::STANDARD.encode(format!("WebserviceUser:{SECRET}"));
        let form = b"grant_type=client_credentials";
        let request = format!(
            "POST /ims/oneroster/v1p1/token HTTP/1.1\r\nHost: bench\r\nAuthorization: Basic {basic}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            form.len()
        );
        let reply = self.send(&request, form);
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        json["access_token"].as_str().unwrap().to_owned()
    }

    fn get(&mut self, path_and_query: &str, token: &str) -> Reply {
        let request = format!(
            "GET {path_and_query} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n\r\n"
        );
        self.send(&request, b"")
    }
}

fn query(offset: u64) -> String {
    format!("limit={LIMIT}&offset={offset}&filter=status%3D%27active%27")
}

struct PageTiming {
    collection: &'static str,
    offset: u64,
    records: usize,
    bytes: usize,
    elapsed: Duration,
}

fn http_pull(client: &mut Client, token: &str) -> Vec<PageTiming> {
    let mut pages = Vec::new();
    for (collection, _) in COLLECTIONS {
        let mut offset = 0;
        loop {
            let started = Instant::now();
            let reply = client.get(
                &format!("/ims/oneroster/v1p1/{collection}?{}", query(offset)),
                token,
            );
            let elapsed = started.elapsed();
            assert_eq!(reply.status, 200);
            let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
            let records = json[collection].as_array().unwrap().len();
            pages.push(PageTiming {
                collection,
                offset,
                records,
                bytes: reply.body.len(),
                elapsed,
            });
            offset += records as u64;
            if offset >= reply.total.unwrap() || records == 0 {
                break;
            }
        }
    }
    pages
}

fn raw_pull(store: &SqliteStore, runtime: &tokio::runtime::Runtime) -> (Duration, usize) {
    let mut elapsed = Duration::ZERO;
    let mut records_total = 0;
    for (collection, entity) in COLLECTIONS {
        let mut offset = 0;
        loop {
            let started = Instant::now();
            let mut list = ListQuery::parse(&query(offset)).unwrap();
            list.check(entity, ums_oneroster::oneroster::vocab::Version::V1p1)
                .unwrap();
            let selection = Selection {
                entity,
                restrictions: Vec::new(),
                query: list,
                hrefs: Hrefs::new("http://bench/ims/oneroster/v1p1"),
            };
            let page = runtime.block_on(store.list(&selection)).unwrap();
            let body = ums_oneroster::http::response::collection_body(
                collection,
                &page.records,
                None,
                &[],
            )
            .unwrap();
            elapsed += started.elapsed();
            std::hint::black_box(body);
            offset += page.records.len() as u64;
            records_total += page.records.len();
            if offset >= page.total || page.records.is_empty() {
                break;
            }
        }
    }
    (elapsed, records_total)
}

/// How often the first and the deepest page are re-requested for the offset-cost comparison.
const REPEATS: usize = 7;

/// Median latencies (ms) of the first page and of the page at `deep_offset`, requested
/// alternately so that both see the same machine noise.
fn repeated_medians(
    client: &mut Client,
    token: &str,
    collection: &str,
    deep_offset: u64,
) -> (f64, f64) {
    let mut first = Vec::with_capacity(REPEATS);
    let mut deep = Vec::with_capacity(REPEATS);
    for _ in 0..REPEATS {
        for (offset, samples) in [(0, &mut first), (deep_offset, &mut deep)] {
            let started = Instant::now();
            let reply = client.get(
                &format!("/ims/oneroster/v1p1/{collection}?{}", query(offset)),
                token,
            );
            samples.push(ms(started.elapsed()));
            assert_eq!(reply.status, 200);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(&mut first), median(&mut deep))
}

fn peak_rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let db = ensure_database();
    let server = start_server(&db);
    let mut client = Client::connect();
    let token = client.token();

    // Warm both paths once (page cache, prepared statements), then measure both.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = SqliteStore::open(&db).unwrap();
    http_pull(&mut client, &token);
    raw_pull(&store, &runtime);

    let started = Instant::now();
    let pages = http_pull(&mut client, &token);
    let http_elapsed = started.elapsed();
    let (raw_elapsed, raw_records) = raw_pull(&store, &runtime);
    let rss = peak_rss_mib(server.0.id());

    let records: usize = pages.iter().map(|p| p.records).sum();
    assert_eq!(
        records, raw_records,
        "HTTP and raw pulls saw the same records"
    );
    let mut latencies: Vec<Duration> = pages.iter().map(|p| p.elapsed).collect();
    latencies.sort();

    println!("SDS full pull (limit={LIMIT}, filter=status='active') over HTTP, L municipality");
    println!("  pages: {}, records: {records}", pages.len());
    println!(
        "  HTTP: {:.0} ms, {:.0} records/s",
        ms(http_elapsed),
        records as f64 / http_elapsed.as_secs_f64()
    );
    println!(
        "  raw (same SQL + serde_json, no HTTP): {:.0} ms",
        ms(raw_elapsed)
    );
    println!(
        "  HTTP/raw: {:.2} (target <= 1.3)",
        http_elapsed.as_secs_f64() / raw_elapsed.as_secs_f64()
    );
    println!(
        "  page latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (SDS limit 30 000 ms)",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap())
    );
    for (collection, _) in COLLECTIONS {
        let of: Vec<&PageTiming> = pages
            .iter()
            .filter(|p| p.collection == collection)
            .collect();
        let last = of[of.len() - 1];
        // The last page is usually short, so the offset cost is judged on the deepest full page.
        let deepest = of
            .iter()
            .rev()
            .find(|p| p.records == LIMIT as usize)
            .copied()
            .unwrap_or(last);
        let (first_ms, deep_ms) = repeated_medians(&mut client, &token, collection, deepest.offset);
        println!(
            "  {collection}: {} pages; first page {:.1} ms, deepest full page (offset {}) {:.1} ms: {:.2}x (median of {REPEATS} alternating requests; target <= 1.5); last page {:.1} ms ({} rec); largest body {:.2} MB",
            of.len(),
            first_ms,
            deepest.offset,
            deep_ms,
            deep_ms / first_ms,
            ms(last.elapsed),
            last.records,
            of.iter().map(|p| p.bytes).max().unwrap_or(0) as f64 / 1e6
        );
    }
    println!("  server peak RSS: {rss:.1} MiB (target <= 48)");
    drop(server);
}
