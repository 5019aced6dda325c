//! Stores: where records come from. One trait, one implementation per database engine.
//!
//! Every store reads the same SQL views (docs/data-contract.md) through the same query builder
//! (`sql`), which differs per engine only in its dialect. Filtering, sorting and paging all run
//! in the database; a store never loads a table to filter it in memory.

pub mod hydrate;
pub mod mssql;
pub mod plan;
pub mod sql;
pub mod sqlite;

use std::future::Future;
use std::pin::Pin;

pub use plan::{Restriction, Selection};

use crate::oneroster::query::ListQuery;
use crate::oneroster::v1p1::Record;

/// One page of a collection, with the total number of matching records before paging.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub total: u64,
    pub records: Vec<Record>,
}

/// The total implied by a page alone: a page shorter than the limit is the last one, so the
/// total is its offset plus its length, and the count query can be skipped. An empty page past
/// the first says nothing (the offset may lie beyond the end).
pub fn total_from_page(query: &ListQuery, page_len: usize) -> Option<u64> {
    let len = u64::try_from(page_len).ok()?;
    let short = len < u64::from(query.limit);
    (short && (len > 0 || query.offset == 0)).then(|| query.offset + len)
}

/// Why a store could not answer. The message is for the log; clients see a generic 500/503.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(String),
    #[error("the database is busy or unreachable: {0}")]
    Unavailable(String),
    /// The database refused the service's login: its credentials may have been rotated.
    #[error("the database refused the login: {0}")]
    Login(String),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn query(limit: u32, offset: u64) -> ListQuery {
        ListQuery {
            limit,
            offset,
            ..ListQuery::default()
        }
    }

    #[test]
    fn short_pages_imply_the_total() {
        assert_eq!(total_from_page(&query(100, 0), 7), Some(7));
        assert_eq!(total_from_page(&query(100, 0), 0), Some(0));
        assert_eq!(total_from_page(&query(5000, 425_000), 4590), Some(429_590));
    }

    #[test]
    fn full_or_empty_deep_pages_need_a_count() {
        assert_eq!(total_from_page(&query(100, 0), 100), None);
        assert_eq!(total_from_page(&query(100, 500), 0), None);
    }
}
