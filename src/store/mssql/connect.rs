//! Opening one connection in named steps (DNS, TCP, then TLS and login inside tiberius), all
//! within the connect timeout, so that a failure says which step failed.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use tiberius::Client;
use tokio::net::TcpStream;
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

use super::failure::{Cause, Failure};
use super::settings::{Encryption, SqlServerSettings};

/// A tiberius client over a Tokio TCP stream.
pub type TdsClient = Client<Compat<TcpStream>>;

/// The step a connection attempt is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Dns,
    Tcp,
    Handshake,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Dns => "resolving the host name",
            Step::Tcp => "opening the TCP connection",
            Step::Handshake => "the TLS handshake and login",
        })
    }
}

/// Opens and logs in one connection, or says why not.
pub async fn open(
    settings: &SqlServerSettings,
    config: &tiberius::Config,
) -> Result<TdsClient, Failure> {
    let mut step = Step::Dns;
    let attempt = attempt(settings, config, &mut step);
    match tokio::time::timeout(settings.connect_timeout, attempt).await {
        Ok(result) => result,
        Err(_) => Err(timed_out(settings.connect_timeout, step)),
    }
}

fn timed_out(limit: Duration, step: Step) -> Failure {
    Failure::new(
        Cause::Timeout,
        format!("no answer within {} ms while {step}", limit.as_millis()),
    )
}

async fn attempt(
    settings: &SqlServerSettings,
    config: &tiberius::Config,
    step: &mut Step,
) -> Result<TdsClient, Failure> {
    *step = Step::Dns;
    let addresses: Vec<SocketAddr> =
        tokio::net::lookup_host((settings.host.as_str(), settings.port))
            .await
            .map_err(|e| {
                Failure::new(Cause::Dns, format!("cannot resolve {}: {e}", settings.host))
            })?
            .collect();
    if addresses.is_empty() {
        return Err(Failure::new(
            Cause::Dns,
            format!("{} resolves to no address", settings.host),
        ));
    }
    *step = Step::Tcp;
    let tcp = connect_any(&addresses).await.map_err(|e| {
        Failure::new(
            Cause::Tcp,
            format!("cannot connect to {}: {e}", settings.server()),
        )
    })?;
    // Requests are small and answered at once; Nagle would only add latency.
    tcp.set_nodelay(true)
        .map_err(|e| Failure::new(Cause::Tcp, e.to_string()))?;
    *step = Step::Handshake;
    let encrypted = settings.encryption != Encryption::Plaintext;
    Client::connect(config.clone(), tcp.compat_write())
        .await
        .map_err(|e| Failure::from_handshake(e, encrypted))
}

/// The first address that accepts, trying them in the resolver's order.
async fn connect_any(addresses: &[SocketAddr]) -> std::io::Result<TcpStream> {
    let mut last = None;
    for address in addresses {
        match TcpStream::connect(address).await {
            Ok(tcp) => return Ok(tcp),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no address to connect to")))
}
