//! The SQL Server store: a tenant's on-prem UMS database, reached over the site-to-site VPN with
//! tiberius (rustls, TDS 8 strict or TLS-in-pre-login), read through the same OneRoster views
//! and the same query builder as SQLite, in the T-SQL dialect.
//!
//! Every call is bounded by the connect timeout plus the command timeout, which the tenant
//! configuration keeps under API Gateway's 29 s, so an unreachable or slow server becomes a 503
//! with `Retry-After` rather than a gateway timeout. Failures are logged with their cause (DNS,
//! TCP, TLS, login, timeout, ...). A connection that breaks is evicted and the read is tried once
//! more on a new connection.

pub mod admin;
mod connect;
mod failure;
mod pool;
mod rows;
mod settings;
pub mod url;

use std::future::Future;
use std::sync::Arc;

use futures_util::TryStreamExt;

pub use failure::{Cause, Failure};
pub use rows::datetime2;
pub use settings::{
    Encryption, SqlServerSettings, DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT, DEFAULT_POOL_SIZE, GATEWAY_BUDGET,
};

use self::connect::TdsClient;
use self::pool::{Lease, Pool};
use self::rows::TdsRow;
use super::hydrate::{self, RowReader};
use super::sql::{self, Dialect, ListStatements, SqlQuery};
use super::{Page, Selection, Store, StoreError, StoreFuture};
use crate::oneroster::v1p1::Record;

/// A read-only store over one tenant's UMS SQL Server.
pub struct SqlServerStore {
    tenant: String,
    settings: Arc<SqlServerSettings>,
    pool: Pool,
}

/// Why a call on one connection failed: the server or the link ([`Failure`]), or a row that
/// breaks the data contract.
enum Fault {
    Sql(Failure),
    Data(StoreError),
}

impl From<Failure> for Fault {
    fn from(failure: Failure) -> Fault {
        Fault::Sql(failure)
    }
}

impl From<StoreError> for Fault {
    fn from(error: StoreError) -> Fault {
        Fault::Data(error)
    }
}

impl From<tiberius::error::Error> for Fault {
    fn from(error: tiberius::error::Error) -> Fault {
        Fault::Sql(Failure::from_query(error))
    }
}

impl SqlServerStore {
    /// A store for `tenant` (the name its log lines carry). Nothing is opened until the first
    /// read, so building tenants never waits for a database.
    pub fn new(tenant: impl Into<String>, settings: SqlServerSettings) -> SqlServerStore {
        let tenant = tenant.into();
        if settings.trust_server_certificate && settings.encryption != Encryption::Plaintext {
            tracing::warn!(
                tenant = %tenant,
                server = %settings.server(),
                "trustServerCertificate is set: the SQL Server certificate is not verified"
            );
        }
        let settings = Arc::new(settings);
        SqlServerStore {
            tenant,
            pool: Pool::new(settings.clone()),
            settings,
        }
    }

    /// Runs `work` on a connection within the deadline, once more on a new connection if the
    /// first one broke, and turns a failure into a logged [`StoreError`].
    ///
    /// `work` takes the lease by value and hands it back: its future then owns the connection,
    /// which keeps the store's futures `Send` (a closure borrowing `&mut` client for any lifetime
    /// runs into the compiler's higher-ranked `Send` limits).
    async fn call<T, F, Fut>(&self, work: F) -> Result<T, StoreError>
    where
        F: Fn(Lease) -> Fut,
        Fut: Future<Output = (Lease, Result<T, Fault>)>,
    {
        let deadline = self.settings.deadline();
        let outcome = match tokio::time::timeout(deadline, self.attempts(work)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(Fault::Sql(Failure::new(
                Cause::Timeout,
                format!("no answer within {} ms", deadline.as_millis()),
            ))),
        };
        outcome.map_err(|fault| self.report(fault))
    }

    async fn attempts<T, F, Fut>(&self, work: F) -> Result<T, Fault>
    where
        F: Fn(Lease) -> Fut,
        Fut: Future<Output = (Lease, Result<T, Fault>)>,
    {
        let (lease, result) = work(self.pool.checkout().await?).await;
        lease.release();
        match result {
            Err(Fault::Sql(failure)) if failure.worth_retrying() => {
                tracing::info!(
                    tenant = %self.tenant,
                    error = %failure,
                    "a SQL Server connection broke; trying once more on a new connection"
                );
                let (lease, result) = work(self.pool.fresh().await?).await;
                lease.release();
                result
            }
            other => other,
        }
    }

    fn report(&self, fault: Fault) -> StoreError {
        match fault {
            Fault::Sql(failure) => {
                tracing::warn!(
                    tenant = %self.tenant,
                    server = %self.settings.server(),
                    database = %self.settings.database,
                    cause = failure.cause.as_str(),
                    error = %failure.detail,
                    "SQL Server call failed"
                );
                failure.into_store_error()
            }
            Fault::Data(error) => error,
        }
    }
}

/// Runs `work` on the lease's client; the connection stays pooled only if the call ended
/// cleanly or with an error the server reported in step.
async fn on_lease<T>(
    mut lease: Lease,
    work: impl AsyncFnOnce(&mut TdsClient) -> Result<T, Fault>,
) -> (Lease, Result<T, Fault>) {
    lease.begin();
    let result = work(&mut lease.client).await;
    let usable = match &result {
        Ok(_) => true,
        Err(Fault::Sql(failure)) => !failure.breaks_connection(),
        Err(Fault::Data(_)) => false,
    };
    lease.end(usable);
    (lease, result)
}

async fn page(
    client: &mut TdsClient,
    selection: &Selection,
    statements: &ListStatements,
) -> Result<Page, Fault> {
    let mut records = records(client, selection, &statements.page).await?;
    let total = match super::total_from_page(&selection.query, records.len()) {
        Some(total) => total,
        None => count(client, &statements.count).await?,
    };
    let ids: Vec<String> = records
        .iter()
        .map(|r| r.common().sourced_id.clone())
        .collect();
    for (field, statement) in sql::link_statements(selection.entity, &ids, Dialect::MsSql) {
        let pairs = pairs(client, &statement).await?;
        hydrate::attach_links(&mut records, field, pairs, &selection.hrefs);
    }
    Ok(Page { total, records })
}

async fn records(
    client: &mut TdsClient,
    selection: &Selection,
    statement: &SqlQuery,
) -> Result<Vec<Record>, Fault> {
    let view = sql::views::view(selection.entity);
    let mut rows = rows::query(statement)
        .query(client)
        .await?
        .into_row_stream();
    let mut records = Vec::new();
    while let Some(row) = rows.try_next().await? {
        let mut reader = TdsRow::new(&row, view);
        records.push(hydrate::record(
            selection.entity,
            &mut reader,
            &selection.hrefs,
        )?);
    }
    Ok(records)
}

async fn count(client: &mut TdsClient, statement: &SqlQuery) -> Result<u64, Fault> {
    let row = rows::query(statement)
        .query(client)
        .await?
        .into_row()
        .await?;
    let total = match &row {
        Some(row) => TdsRow::new(row, "count").integer()?,
        None => None,
    };
    Ok(total.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

async fn pairs(
    client: &mut TdsClient,
    statement: &SqlQuery,
) -> Result<Vec<(String, String)>, Fault> {
    let rows = rows::query(statement)
        .query(client)
        .await?
        .into_first_result()
        .await?;
    let mut pairs = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut reader = TdsRow::new(row, "link");
        if let (Some(owner), Some(target)) = (reader.text()?, reader.text()?) {
            pairs.push((owner, target));
        }
    }
    Ok(pairs)
}

async fn secret(client: &mut TdsClient, statement: &SqlQuery) -> Result<Option<String>, Fault> {
    let row = rows::query(statement)
        .query(client)
        .await?
        .into_row()
        .await?;
    Ok(match &row {
        Some(row) => TdsRow::new(row, "WebServicesSettings").text()?,
        None => None,
    })
}

impl Store for SqlServerStore {
    fn list<'a>(&'a self, selection: &'a Selection) -> StoreFuture<'a, Page> {
        let statements = sql::list_statements(selection, Dialect::MsSql);
        Box::pin(async move {
            let statements = &statements;
            self.call(|lease| {
                on_lease(lease, async move |client: &mut TdsClient| {
                    page(client, selection, statements).await
                })
            })
            .await
        })
    }

    fn client_secret<'a>(&'a self, client_id: &'a str) -> StoreFuture<'a, Option<String>> {
        let statement = sql::client_secret_statement(client_id, Dialect::MsSql);
        Box::pin(async move {
            let statement = &statement;
            self.call(|lease| {
                on_lease(lease, async move |client: &mut TdsClient| {
                    secret(client, statement).await
                })
            })
            .await
        })
    }
}

#[cfg(test)]
mod tests;
