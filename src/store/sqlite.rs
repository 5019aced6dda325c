//! The embedded SQLite store: the demo municipality and the test suites run on it.
//!
//! rusqlite is synchronous, so each read runs on Tokio's blocking pool with a connection taken
//! from a small pool of read-only connections (opened lazily, reused across requests).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use time::{Date, OffsetDateTime};

use super::hydrate::{self, RowReader};
use super::sql::{self, Dialect, Param, SqlQuery};
use super::{Page, Selection, Store, StoreError, StoreFuture};
use crate::oneroster::datetime;
use crate::oneroster::v1p1::Record;

/// A read-only store over an SQLite file holding the UMS schema and the OneRoster views.
#[derive(Clone)]
pub struct SqliteStore {
    path: PathBuf,
    idle: Arc<Mutex<Vec<Connection>>>,
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        match error {
            rusqlite::Error::SqliteFailure(code, _)
                if matches!(
                    code.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                StoreError::Unavailable(error.to_string())
            }
            other => StoreError::Database(other.to_string()),
        }
    }
}

impl SqliteStore {
    /// Opens the store, checking what is cheap: the file opens read-only and is an SQLite
    /// database. SQLite parses the whole schema (the UMS tables, views and triggers: 1.5–2 ms)
    /// on a connection's first statement; leaving that to the first request keeps it out of
    /// every cloud instance's start-up, and a file without the OneRoster views fails there.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let store = SqliteStore {
            path: path.as_ref().to_path_buf(),
            idle: Arc::new(Mutex::new(Vec::new())),
        };
        let conn = store.connect()?;
        // The schema cookie sits in the file header: reading it parses no schema.
        conn.query_row("PRAGMA schema_version", [], |_| Ok(()))
            .map_err(|e| StoreError::Database(format!("not an SQLite database: {e}")))?;
        store.release(conn);
        Ok(store)
    }

    fn connect(&self) -> Result<Connection, StoreError> {
        if let Some(conn) = self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(conn)
    }

    fn release(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }

    async fn with_connection<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let conn = store.connect()?;
            let result = work(&conn);
            store.release(conn);
            result
        })
        .await
        .map_err(|e| StoreError::Database(format!("store task failed: {e}")))?
    }
}

fn bind(params: &[Param]) -> Vec<rusqlite::types::Value> {
    params
        .iter()
        .map(|p| match p {
            Param::Text(text) => rusqlite::types::Value::Text(text.clone()),
            Param::Int(n) => rusqlite::types::Value::Integer(*n),
            Param::Timestamp(t) => rusqlite::types::Value::Text(datetime::format_timestamp(*t)),
        })
        .collect()
}

struct SqliteRow<'a> {
    row: &'a rusqlite::Row<'a>,
    index: usize,
}

impl SqliteRow<'_> {
    fn next(&mut self) -> Result<ValueRef<'_>, StoreError> {
        let value = self.row.get_ref(self.index)?;
        self.index += 1;
        Ok(value)
    }
}

fn contract(detail: String) -> StoreError {
    StoreError::Contract {
        view: "sqlite",
        detail,
    }
}

impl RowReader for SqliteRow<'_> {
    fn text(&mut self) -> Result<Option<String>, StoreError> {
        Ok(match self.next()? {
            ValueRef::Null => None,
            ValueRef::Text(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
            ValueRef::Integer(n) => Some(n.to_string()),
            ValueRef::Real(x) => Some(x.to_string()),
            ValueRef::Blob(_) => return Err(contract("blob where text was expected".into())),
        })
    }

    fn timestamp(&mut self) -> Result<Option<OffsetDateTime>, StoreError> {
        match self.text()? {
            None => Ok(None),
            Some(text) => datetime::parse_timestamp(&text)
                .map(Some)
                .ok_or_else(|| contract(format!("bad timestamp {text}"))),
        }
    }

    fn date(&mut self) -> Result<Option<Date>, StoreError> {
        match self.text()? {
            None => Ok(None),
            Some(text) => datetime::parse_date(&text)
                .map(Some)
                .ok_or_else(|| contract(format!("bad date {text}"))),
        }
    }

    fn flag(&mut self) -> Result<Option<bool>, StoreError> {
        Ok(match self.next()? {
            ValueRef::Null => None,
            ValueRef::Integer(n) => Some(n != 0),
            ValueRef::Text(t) => Some(matches!(t, b"1" | b"true")),
            _ => return Err(contract("bad flag".into())),
        })
    }
}

fn count(conn: &Connection, query: &SqlQuery) -> Result<u64, StoreError> {
    let mut stmt = conn.prepare_cached(&query.text)?;
    let total: i64 = stmt.query_row(rusqlite::params_from_iter(bind(&query.params)), |row| {
        row.get(0)
    })?;
    Ok(u64::try_from(total).unwrap_or(0))
}

fn rows(
    conn: &Connection,
    selection: &Selection,
    query: &SqlQuery,
) -> Result<Vec<Record>, StoreError> {
    let mut stmt = conn.prepare_cached(&query.text)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(bind(&query.params)))?;
    let mut records = Vec::new();
    while let Some(row) = rows.next()? {
        let mut reader = SqliteRow { row, index: 0 };
        records.push(hydrate::record(
            selection.entity,
            &mut reader,
            &selection.hrefs,
        )?);
    }
    Ok(records)
}

fn links(
    conn: &Connection,
    selection: &Selection,
    records: &mut [Record],
) -> Result<(), StoreError> {
    let ids: Vec<String> = records
        .iter()
        .map(|r| r.common().sourced_id.clone())
        .collect();
    for (field, query) in sql::link_statements(selection.entity, &ids, Dialect::Sqlite) {
        let mut stmt = conn.prepare_cached(&query.text)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(bind(&query.params)))?;
        let mut pairs = Vec::new();
        while let Some(row) = rows.next()? {
            pairs.push((row.get::<_, String>(0)?, row.get::<_, String>(1)?));
        }
        hydrate::attach_links(records, field, pairs, &selection.hrefs);
    }
    Ok(())
}

impl Store for SqliteStore {
    fn list<'a>(&'a self, selection: &'a Selection) -> StoreFuture<'a, Page> {
        let selection = selection.clone();
        Box::pin(self.with_connection(move |conn| {
            let statements = sql::list_statements(&selection, Dialect::Sqlite);
            // One read transaction: the page and its total come from the same snapshot.
            let snapshot = conn.unchecked_transaction()?;
            let mut records = rows(conn, &selection, &statements.page)?;
            let total = match super::total_from_page(&selection.query, records.len()) {
                Some(total) => total,
                None => count(conn, &statements.count)?,
            };
            links(conn, &selection, &mut records)?;
            snapshot.finish()?;
            Ok(Page { total, records })
        }))
    }

    fn client_secret<'a>(&'a self, client_id: &'a str) -> StoreFuture<'a, Option<String>> {
        let query = sql::client_secret_statement(client_id, Dialect::Sqlite);
        Box::pin(self.with_connection(move |conn| {
            let mut stmt = conn.prepare_cached(&query.text)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(bind(&query.params)))?;
            match rows.next()? {
                Some(row) => Ok(row.get::<_, Option<String>>(0)?),
                None => Ok(None),
            }
        }))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_or_one_that_is_not_sqlite_is_refused_at_open() {
        let dir = tempfile::tempdir().unwrap();
        assert!(SqliteStore::open(dir.path().join("missing.sqlite")).is_err());
        let text = dir.path().join("notes.sqlite");
        std::fs::write(
            &text,
            "these are notes, not a database, and long enough to be read",
        )
        .unwrap();
        let error = SqliteStore::open(&text).err().unwrap();
        assert!(
            error.to_string().contains("not an SQLite database"),
            "{error}"
        );
    }
}
