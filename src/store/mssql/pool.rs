//! One tenant's connections: a bb8 pool over a small connection manager (the published
//! bb8/deadpool adapters pin tiberius 0.12), created on first use and kept for the life of the
//! process, so warm Lambda invocations reuse their connections.
//!
//! New connections are opened in the foreground, by the request that needs one, so that its
//! failure (DNS, TCP, TLS, login, timeout) reaches that request at once instead of surfacing as
//! a pool wait that timed out; a clean connection then joins the pool. A semaphore keeps the
//! connections in use at the configured pool size.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bb8::{ManageConnection, PooledConnection};
use tokio::sync::{OnceCell, OwnedSemaphorePermit, Semaphore};

use super::connect::{self, TdsClient};
use super::failure::{Cause, Failure};
use super::settings::SqlServerSettings;

/// A connection idle for longer than this (or half the idle timeout, if shorter) is pinged
/// before use: the server, a firewall or the VPN may have dropped it, or the Lambda
/// environment may have been frozen since.
const PING_AFTER: Duration = Duration::from_secs(30);
/// Connections are replaced after this long, so a server fail-over or a DNS change is followed.
const MAX_LIFETIME: Duration = Duration::from_secs(1800);

/// A logged-in connection and whether it is known to be in step with the server.
pub struct Connection {
    pub client: TdsClient,
    clean: bool,
    last_used: Instant,
}

impl Connection {
    fn new(client: TdsClient) -> Connection {
        Connection {
            client,
            clean: true,
            last_used: Instant::now(),
        }
    }

    /// Marks the start of a call: until [`Connection::end`], the connection counts as broken,
    /// so a call cancelled halfway (the deadline passed) evicts it instead of pooling it
    /// mid-response.
    pub fn begin(&mut self) {
        self.clean = false;
    }

    /// Marks the end of a call that left the connection usable (or not).
    pub fn end(&mut self, usable: bool) {
        self.clean = usable;
        self.last_used = Instant::now();
    }
}

/// Opens, checks and judges connections for bb8.
pub struct Manager {
    settings: Arc<SqlServerSettings>,
    config: tiberius::Config,
}

impl ManageConnection for Manager {
    type Connection = Connection;
    type Error = Failure;

    async fn connect(&self) -> Result<Connection, Failure> {
        connect::open(&self.settings, &self.config)
            .await
            .map(Connection::new)
    }

    async fn is_valid(&self, conn: &mut Connection) -> Result<(), Failure> {
        if conn.last_used.elapsed() < PING_AFTER.min(self.settings.idle_timeout / 2) {
            return Ok(());
        }
        conn.begin();
        let ping = async { conn.client.simple_query("SELECT 1").await?.into_row().await };
        match tokio::time::timeout(self.settings.connect_timeout, ping).await {
            Ok(Ok(_)) => {
                conn.end(true);
                Ok(())
            }
            Ok(Err(e)) => Err(Failure::from_query(e)),
            Err(_) => Err(Failure::new(Cause::Timeout, "no answer to a ping")),
        }
    }

    fn has_broken(&self, conn: &mut Connection) -> bool {
        !conn.clean
    }
}

/// The lazily built pool of one tenant's SQL Server.
pub struct Pool {
    settings: Arc<SqlServerSettings>,
    in_use: Arc<Semaphore>,
    pool: OnceCell<bb8::Pool<Manager>>,
}

impl Pool {
    /// A pool that opens nothing until the first call.
    pub fn new(settings: Arc<SqlServerSettings>) -> Pool {
        let size = usize::try_from(settings.pool_size).unwrap_or(1).max(1);
        Pool {
            settings,
            in_use: Arc::new(Semaphore::new(size)),
            pool: OnceCell::new(),
        }
    }

    // bb8 starts its reaper task when the pool is built, which needs the runtime: building
    // on first use keeps the store's constructor synchronous. (bb8 panics on zero durations;
    // validated configurations never have them.)
    async fn pool(&self) -> &bb8::Pool<Manager> {
        let nonzero = |d: Duration| d.max(Duration::from_millis(1));
        self.pool
            .get_or_init(|| async {
                bb8::Pool::builder()
                    .max_size(self.settings.pool_size.max(1))
                    .min_idle(None)
                    .idle_timeout(Some(nonzero(self.settings.idle_timeout)))
                    .max_lifetime(Some(MAX_LIFETIME))
                    .connection_timeout(nonzero(self.settings.connect_timeout))
                    .test_on_check_out(true)
                    .build_unchecked(Manager {
                        settings: self.settings.clone(),
                        config: self.settings.tiberius_config(),
                    })
            })
            .await
    }

    /// A connection for one call: an idle pooled one if there is any, else a new one.
    pub async fn checkout(&self) -> Result<Lease, Failure> {
        let permit = self.permit().await?;
        let pool = self.pool().await.clone();
        if pool.state().idle_connections > 0 {
            if let Ok(conn) = pool.get_owned().await {
                return Ok(Lease::pooled(conn, permit, pool));
            }
        }
        Self::open(pool, permit).await
    }

    /// A newly opened connection, whatever the pool holds: the one retry after a pooled
    /// connection broke.
    pub async fn fresh(&self) -> Result<Lease, Failure> {
        let permit = self.permit().await?;
        let pool = self.pool().await.clone();
        Self::open(pool, permit).await
    }

    async fn open(
        pool: bb8::Pool<Manager>,
        permit: OwnedSemaphorePermit,
    ) -> Result<Lease, Failure> {
        let conn = pool.dedicated_connection().await?;
        Ok(Lease {
            held: Held::New(conn),
            pool,
            _permit: permit,
        })
    }

    async fn permit(&self) -> Result<OwnedSemaphorePermit, Failure> {
        self.in_use
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Failure::new(Cause::Connection, "the connection pool has been closed"))
    }
}

enum Held {
    Pooled(PooledConnection<'static, Manager>),
    New(Connection),
}

/// A connection checked out for one call. [`Lease::release`] hands a clean connection back;
/// a lease dropped without it (its call was cancelled) closes a new connection, and bb8 closes
/// a pooled one that is not clean.
pub struct Lease {
    held: Held,
    pool: bb8::Pool<Manager>,
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    fn pooled(
        conn: PooledConnection<'static, Manager>,
        permit: OwnedSemaphorePermit,
        pool: bb8::Pool<Manager>,
    ) -> Lease {
        Lease {
            held: Held::Pooled(conn),
            pool,
            _permit: permit,
        }
    }

    /// Ends the lease: a clean new connection joins the pool if there is room.
    pub fn release(self) {
        if let Held::New(conn) = self.held {
            if conn.clean {
                // A full pool (or a broken connection) hands it back: it is closed here.
                let _ = self.pool.add(conn);
            }
        }
    }
}

impl Deref for Lease {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match &self.held {
            Held::Pooled(conn) => conn,
            Held::New(conn) => conn,
        }
    }
}

impl DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut Connection {
        match &mut self.held {
            Held::Pooled(conn) => conn,
            Held::New(conn) => conn,
        }
    }
}
