//! A TDS relay between the store and the mock that makes the mock's statement matching exact.
//!
//! The mock finds a parameterized (RPC) statement by looking for the upper-cased registered text
//! anywhere in the request, so mixed-case SQL never matches, and its built-in `SELECT 1` matches
//! every `EXISTS (SELECT 1 ...)`. The relay reads the `sp_executesql` request the store sends,
//! looks its statement up among the primed ones (exact text), and overwrites it in place with a
//! tag such as `MOCKQ0007` (padded to the same length), which is what the mock is primed with.
//! It records every statement it sees, primed or not. Plaintext TDS only.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const HEADER: usize = 8;
const BATCH: u8 = 0x01;
const RPC: u8 = 0x03;
const END_OF_MESSAGE: u8 = 0x01;

#[derive(Default)]
struct Book {
    connections: usize,
    tags: HashMap<String, String>,
    sent: Vec<String>,
    unprimed: Vec<String>,
    split: Vec<String>,
    batches: Vec<String>,
}

/// The relay's address and what it saw.
#[derive(Clone)]
pub struct Relay {
    pub addr: SocketAddr,
    book: Arc<Mutex<Book>>,
    cut: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Relay {
    pub async fn start(upstream: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let relay = Relay {
            addr: listener.local_addr().unwrap(),
            book: Arc::default(),
            cut: Arc::new(tokio::sync::watch::channel(0).0),
        };
        let (book, cut) = (relay.book.clone(), relay.cut.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                book.lock().unwrap().connections += 1;
                let (book, mut cut) = (book.clone(), cut.subscribe());
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(upstream).await {
                        tokio::select! {
                            _ = pump(client, server, book) => {}
                            _ = cut.changed() => {}
                        }
                    }
                });
            }
        });
        relay
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.book.lock().unwrap().connections
    }

    /// Drops every open connection, as a restarted server or a firewall would.
    pub fn cut(&self) {
        self.cut.send_modify(|generation| *generation += 1);
    }

    /// The tag the mock must be primed with for `statement`.
    pub fn prime(&self, statement: &str) -> String {
        let mut book = self.book.lock().unwrap();
        let next = book.tags.len() + 1;
        book.tags
            .entry(statement.to_owned())
            .or_insert_with(|| format!("MOCKQ{next:04}"))
            .clone()
    }

    /// Every statement sent so far, in order.
    pub fn sent(&self) -> Vec<String> {
        self.book.lock().unwrap().sent.clone()
    }

    /// Statements sent that nobody primed, and requests too long for one packet.
    pub fn surprises(&self) -> Vec<String> {
        let book = self.book.lock().unwrap();
        book.unprimed
            .iter()
            .map(|s| format!("unprimed: {s}"))
            .chain(
                book.split
                    .iter()
                    .map(|s| format!("longer than one TDS packet: {s}")),
            )
            .collect()
    }

    /// Plain SQL batches sent so far (pings, `db` commands).
    pub fn batches(&self) -> Vec<String> {
        self.book.lock().unwrap().batches.clone()
    }

    pub fn forget_sent(&self) {
        self.book.lock().unwrap().sent.clear();
    }
}

async fn pump(client: TcpStream, server: TcpStream, book: Arc<Mutex<Book>>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let upstream = async move {
        loop {
            let mut header = [0u8; HEADER];
            if client_read.read_exact(&mut header).await.is_err() {
                break;
            }
            let length = usize::from(u16::from_be_bytes([header[2], header[3]]));
            let mut body = vec![0u8; length.saturating_sub(HEADER)];
            if client_read.read_exact(&mut body).await.is_err() {
                break;
            }
            match header[0] {
                RPC => tag(&mut body, header[1] & END_OF_MESSAGE != 0, &book),
                BATCH => record_batch(&body, &book),
                _ => {}
            }
            if server_write.write_all(&header).await.is_err()
                || server_write.write_all(&body).await.is_err()
            {
                break;
            }
        }
        let _ = server_write.shutdown().await;
    };
    let downstream = async move {
        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        let _ = client_write.shutdown().await;
    };
    tokio::join!(upstream, downstream);
}

/// A SQL batch is ALL_HEADERS followed by its text in UTF-16.
fn record_batch(body: &[u8], book: &Mutex<Book>) {
    let Some(headers) = body.get(0..4) else {
        return;
    };
    let start = u32::from_le_bytes([headers[0], headers[1], headers[2], headers[3]]) as usize;
    let units: Vec<u16> = body
        .get(start..)
        .unwrap_or_default()
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect();
    book.lock()
        .unwrap()
        .batches
        .push(String::from_utf16_lossy(&units));
}

/// Finds the statement of an `sp_executesql` request and replaces a primed one by its tag.
fn tag(body: &mut [u8], complete: bool, book: &Mutex<Book>) {
    let Some((start, end)) = statement_span(body) else {
        return;
    };
    let units: Vec<u16> = body[start..end]
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect();
    let statement = String::from_utf16_lossy(&units);
    let mut book = book.lock().unwrap();
    book.sent.push(statement.clone());
    if !complete {
        book.split.push(statement);
        return;
    }
    let Some(tag) = book.tags.get(&statement).cloned() else {
        book.unprimed.push(statement);
        return;
    };
    let padded = format!("{tag:<width$}", width = units.len());
    for (slot, unit) in body[start..end]
        .chunks_exact_mut(2)
        .zip(padded.encode_utf16())
    {
        slot.copy_from_slice(&unit.to_le_bytes());
    }
}

/// The byte range of the first parameter's value (`@stmt`, nvarchar) in an RPC request body:
/// ALL_HEADERS, the procedure (id or name), option flags, then name, status, type info, value.
fn statement_span(body: &[u8]) -> Option<(usize, usize)> {
    let u16_at = |at: usize| Some(u16::from_le_bytes([*body.get(at)?, *body.get(at + 1)?]));
    let headers = u32::from_le_bytes(body.get(0..4)?.try_into().ok()?) as usize;
    let mut at = headers;
    at += match u16_at(at)? {
        0xFFFF => 4,
        name => 2 + 2 * usize::from(name),
    };
    at += 2; // option flags
    at += 1 + 2 * usize::from(*body.get(at)?); // parameter name
    at += 1; // status
    if *body.get(at)? != 0xE7 {
        return None; // not nvarchar
    }
    let max = u16_at(at + 1)?;
    at += 1 + 2 + 5; // type, max length, collation
    if max == 0xFFFF {
        at += 8; // PLP total length (unknown)
        let chunk = u32::from_le_bytes(body.get(at..at + 4)?.try_into().ok()?) as usize;
        at += 4;
        Some((at, (at + chunk).min(body.len())))
    } else {
        let len = usize::from(u16_at(at)?);
        at += 2;
        Some((at, (at + len).min(body.len())))
    }
}
