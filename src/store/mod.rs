//! Stores: where records come from. One trait, one implementation per database engine.
//!
//! Every store reads the same SQL views (docs/data-contract.md) through the same query builder
//! (`sql`), which differs per engine only in its dialect. Filtering, sorting and paging all run
//! in the database; a store never loads a table to filter it in memory.

pub mod hydrate;
pub mod plan;
pub mod sql;
pub mod sqlite;

use std::future::Future;
use std::pin::Pin;

pub use plan::{Restriction, Selection};

use crate::oneroster::v1p1::Record;

/// One page of a collection, with the total number of matching records before paging.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub total: u64,
    pub records: Vec<Record>,
}

/// Why a store could not answer. The message is for the log; clients see a generic 500/503.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(String),
    #[error("the database is busy or unreachable: {0}")]
    Unavailable(String),
    #[error("a row in view {view} breaks the data contract: {detail}")]
    Contract { view: &'static str, detail: String },
}

/// A boxed future, so stores can be held as `Arc<dyn Store>`.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Read access to one tenant's roster.
pub trait Store: Send + Sync {
    /// The page of records `selection` asks for, and the filtered total.
    fn list<'a>(&'a self, selection: &'a Selection) -> StoreFuture<'a, Page>;

    /// The OAuth client secret UMS holds for `client_id` in `WebServicesSettings`, if any.
    fn client_secret<'a>(&'a self, client_id: &'a str) -> StoreFuture<'a, Option<String>>;
}
