//! The embedded demo store: a SQLite database with the reference UMS schema
//! (`infra/sql/sqlite/`) filled with a deterministic, Danish-looking municipality.
//!
//! The service reads it through the OneRoster views exactly as it reads a real UMS on SQL Server,
//! so the demo doubles as the test fixture. [`init`] creates a database file, [`populate`] fills
//! an open connection, and [`churn::random_round`] changes it the way LiveAtEdu_Sync would, so that
//! delta syncs and tombstones can be exercised.
//!
//! Layout: `generate` drives one run, `school` and `groups` build one school, `people` invents
//! persons, `writer` holds the INSERT statements shared with `churn`, `clock` the time stamps.

pub mod churn;
mod clock;
mod generate;
mod groups;
mod names;
mod people;
mod school;
mod writer;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_delta;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

/// The schema, then the views: the service's contract lives in the second file.
const SCHEMA_SQL: &str = include_str!("../../infra/sql/sqlite/001_ums_schema.sql");
const VIEWS_SQL: &str = include_str!("../../infra/sql/sqlite/002_oneroster_views.sql");

/// The SDS client id; inLogic documents it as always `WebserviceUser`.
pub const CLIENT_ID: &str = "WebserviceUser";

/// How big a municipality to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// 3 schools, about 600 students: quick enough for every test.
    #[default]
    Small,
    /// About 120 schools, 60k students, 10k classes and 500k enrollments: a large municipality.
    L,
    /// Five times `L`, for load tests.
    XL,
}

impl FromStr for Scale {
    type Err = DemoError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "small" => Ok(Self::Small),
            "l" => Ok(Self::L),
            "xl" => Ok(Self::XL),
            _ => Err(DemoError::UnknownScale(s.to_owned())),
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Small => "small",
            Self::L => "L",
            Self::XL => "XL",
        })
    }
}

/// What a demo database holds: active rows as the OneRoster views show them, and the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Active orgs of type `school`.
    pub schools: usize,
    /// Active users with role `student`.
    pub students: usize,
    /// Active users with role `teacher`, `aide` or `administrator`.
    pub staff: usize,
    /// Active users with role `guardian`.
    pub guardians: usize,
    /// Active classes (Teams-enabled groups).
    pub classes: usize,
    /// Active enrollments.
    pub enrollments: usize,
    /// The OAuth client secret of [`CLIENT_ID`], as stored in `WebServicesSettings`.
    pub client_secret: String,
}

/// Why the demo store could not be created or changed.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// SQLite refused a statement.
    #[error("demo database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A time stamp could not be formatted.
    #[error("demo time stamp: {0}")]
    Time(#[from] time::error::ComponentRange),
    /// The scale name is not `small`, `L` or `XL`.
    #[error("unknown demo scale {0:?} (expected small, L or XL)")]
    UnknownScale(String),
    /// An empty client secret was given.
    #[error("the client secret must not be empty")]
    EmptySecret,
    /// The database has the schema but no `WebserviceUser` row.
    #[error("the database has no {CLIENT_ID} row in WebServicesSettings")]
    MissingSecret,
}

/// The SQLite schema and views, applied in order (include_str! of the infra/sql/sqlite files,
/// path relative to src/demo/).
pub fn apply_schema(conn: &Connection) -> Result<(), DemoError> {
    conn.execute_batch(SCHEMA_SQL)?;
    conn.execute_batch(VIEWS_SQL)?;
    Ok(())
}

/// Creates the database at `path`, deterministic for a given (scale, seed, client_secret).
///
/// A file that already holds the schema is left alone and its summary returned, whatever scale
/// and seed it was made with, so a service can call this at every start.
pub fn init(
    path: &Path,
    scale: Scale,
    seed: u64,
    client_secret: Option<&str>,
) -> Result<DemoSummary, DemoError> {
    let mut conn = Connection::open(path)?;
    if has_schema(&conn)? {
        return summary(&conn);
    }
    // Big inserts with random-key indexes (user names, e-mails, stamps) thrash a small cache.
    conn.pragma_update(None, "cache_size", -262_144)?;
    let summary = populate(&mut conn, scale, seed, client_secret)?;
    // WAL only now: bulk pages would otherwise be written twice. Readers then run beside churn.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    Ok(summary)
}

/// Same, but into an open connection (used by tests with in-memory or temp DBs).
///
/// Applies the schema when it is missing; a connection that already has it is only summarised.
pub fn populate(
    conn: &mut Connection,
    scale: Scale,
    seed: u64,
    client_secret: Option<&str>,
) -> Result<DemoSummary, DemoError> {
    if client_secret.is_some_and(str::is_empty) {
        return Err(DemoError::EmptySecret);
    }
    if has_schema(conn)? {
        return summary(conn);
    }
    let tx = conn.transaction()?;
    apply_schema(&tx)?;
    generate::generate(&tx, scale, seed, client_secret)?;
    tx.commit()?;
    summary(conn)
}

/// Replaces the client secret of [`CLIENT_ID`] in an existing demo database, so an operator can
/// pin the secret of a database created earlier (e.g. from `UMS_DEMO_CLIENT_SECRET`).
pub fn set_client_secret(path: &Path, client_secret: &str) -> Result<(), DemoError> {
    if client_secret.is_empty() {
        return Err(DemoError::EmptySecret);
    }
    // Never create a file here: a typo in the path must fail, not make an empty database.
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    if !has_schema(&conn)? {
        return Err(DemoError::MissingSecret);
    }
    let changed = conn.execute(
        "UPDATE WebServicesSettings SET Password = ?2 WHERE UserName = ?1",
        [CLIENT_ID, client_secret],
    )?;
    if changed == 0 {
        return Err(DemoError::MissingSecret);
    }
    Ok(())
}

/// Whether the UMS schema is there; the credentials table is the one the service needs first.
fn has_schema(conn: &Connection) -> Result<bool, DemoError> {
    let found = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'WebServicesSettings'",
            [],
            |_| Ok(()),
        )
        .optional()?;
    Ok(found.is_some())
}

/// Counts what a full (`status='active'`) sync would see.
fn summary(conn: &Connection) -> Result<DemoSummary, DemoError> {
    let count = |sql: &str| -> Result<usize, DemoError> {
        let n: i64 = conn.query_row(sql, [], |row| row.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    };
    let client_secret = conn
        .query_row(
            "SELECT Password FROM WebServicesSettings WHERE UserName = ?1",
            [CLIENT_ID],
            |row| row.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten()
        .ok_or(DemoError::MissingSecret)?;
    Ok(DemoSummary {
        schools: count(
            "SELECT count(*) FROM oneroster_orgs WHERE type = 'school' AND status = 'active'",
        )?,
        students: count(
            "SELECT count(*) FROM oneroster_users WHERE role = 'student' AND status = 'active'",
        )?,
        staff: count(
            "SELECT count(*) FROM oneroster_users \
             WHERE role IN ('teacher', 'aide', 'administrator') AND status = 'active'",
        )?,
        guardians: count(
            "SELECT count(*) FROM oneroster_users WHERE role = 'guardian' AND status = 'active'",
        )?,
        classes: count("SELECT count(*) FROM oneroster_classes WHERE status = 'active'")?,
        enrollments: count("SELECT count(*) FROM oneroster_enrollments WHERE status = 'active'")?,
        client_secret,
    })
}
