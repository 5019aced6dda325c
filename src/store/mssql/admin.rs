//! Administration of a UMS database on SQL Server: `db init` applies the scripts of
//! `infra/sql/mssql/`, `db check` reports what the service needs from the database: the views,
//! the login's permissions (and any it should not have), rows per view, and how fresh the data is.
//!
//! Every statement here is constant text (no value from outside), sent as a plain batch.

use time::OffsetDateTime;

use super::connect::{self, TdsClient};
use super::failure::Failure;
use super::rows::TdsRow;
use super::settings::SqlServerSettings;
use crate::oneroster::entity::Entity;
use crate::store::hydrate::RowReader;
use crate::store::sql::views;

/// The scripts `db init` applies, in order.
pub const SCRIPTS: [(&str, &str); 3] = [
    (
        "001_ums_schema.sql",
        include_str!("../../../infra/sql/mssql/001_ums_schema.sql"),
    ),
    (
        "002_oneroster_views.sql",
        include_str!("../../../infra/sql/mssql/002_oneroster_views.sql"),
    ),
    (
        "003_reader_role.sql",
        include_str!("../../../infra/sql/mssql/003_reader_role.sql"),
    ),
];

/// The batches of a T-SQL script: the text between lines that hold only `GO`.
pub fn batches(script: &str) -> Vec<String> {
    let mut batches = vec![String::new()];
    for line in script.lines() {
        if line.trim().eq_ignore_ascii_case("GO") {
            batches.push(String::new());
        } else if let Some(batch) = batches.last_mut() {
            batch.push_str(line);
            batch.push('\n');
        }
    }
    batches.retain(|b| {
        b.lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"))
    });
    batches
}

/// Whether the reference UMS tables exist (then `db init` leaves them alone).
pub const SCHEMA_PRESENT: &str =
    "SELECT CAST(CASE WHEN OBJECT_ID(N'dbo.Institutions', N'U') IS NULL THEN 0 ELSE 1 END AS int)";

/// The views and `WebServicesSettings`: present, and readable by this login.
pub fn access_query() -> String {
    let names: Vec<String> = views::all().iter().map(|v| format!("(N'{v}')")).collect();
    format!(
        "SELECT v.name, CAST(CASE WHEN OBJECT_ID(N'dbo.' + v.name, N'V') IS NULL THEN 0 ELSE 1 END AS int), \
         CAST(ISNULL(HAS_PERMS_BY_NAME(N'dbo.' + v.name, N'OBJECT', N'SELECT'), 0) AS int) \
         FROM (VALUES {}) AS v(name) \
         UNION ALL \
         SELECT N'WebServicesSettings', CAST(CASE WHEN OBJECT_ID(N'dbo.WebServicesSettings', N'U') IS NULL THEN 0 ELSE 1 END AS int), \
         CAST(CASE WHEN HAS_PERMS_BY_NAME(N'dbo.WebServicesSettings', N'OBJECT', N'SELECT', N'UserName', N'COLUMN') = 1 \
         AND HAS_PERMS_BY_NAME(N'dbo.WebServicesSettings', N'OBJECT', N'SELECT', N'Password', N'COLUMN') = 1 THEN 1 ELSE 0 END AS int)",
        names.join(", ")
    )
}

/// More than the service needs: db_owner, ALTER on the database, SELECT on base tables.
pub const PRIVILEGES_QUERY: &str = "SELECT CAST(ISNULL(IS_ROLEMEMBER(N'db_owner'), 0) AS int), \
     CAST(ISNULL(HAS_PERMS_BY_NAME(NULL, N'DATABASE', N'ALTER'), 0) AS int), \
     (SELECT COUNT(*) FROM sys.tables t WHERE t.name <> N'WebServicesSettings' \
     AND HAS_PERMS_BY_NAME(QUOTENAME(SCHEMA_NAME(t.schema_id)) + N'.' + QUOTENAME(t.name), N'OBJECT', N'SELECT') = 1)";

/// Rows of a view, and for an entity view its newest `dateLastModified`.
pub fn rows_query(view: &str) -> String {
    if is_entity_view(view) {
        format!("SELECT COUNT_BIG(*), MAX([dateLastModified]) FROM [dbo].[{view}]")
    } else {
        format!("SELECT COUNT_BIG(*) FROM [dbo].[{view}]")
    }
}

fn is_entity_view(view: &str) -> bool {
    Entity::ALL.iter().any(|e| views::view(*e) == view)
}

/// One object the service reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub name: String,
    pub present: bool,
    pub readable: bool,
}

/// What `db check` found.
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    pub access: Vec<Access>,
    /// Rows per readable view.
    pub rows: Vec<(String, u64)>,
    /// The newest `dateLastModified` of any entity view: the last change LiveAtEdu_Sync made.
    pub newest_change: Option<OffsetDateTime>,
    pub db_owner: bool,
    pub can_alter: bool,
    pub readable_tables: u64,
}

impl Health {
    /// What stops the service from working.
    pub fn problems(&self) -> Vec<String> {
        self.access
            .iter()
            .filter_map(|a| match (a.present, a.readable) {
                (false, _) => Some(format!(
                    "{} is missing (or invisible to this login)",
                    a.name
                )),
                (true, false) => Some(format!("this login may not SELECT {}", a.name)),
                _ => None,
            })
            .collect()
    }

    /// Privileges beyond least privilege (infra/sql/mssql/003_reader_role.sql).
    pub fn excess(&self) -> Vec<String> {
        let mut excess = Vec::new();
        if self.db_owner {
            excess.push("the login is db_owner".to_owned());
        }
        if self.can_alter {
            excess.push("the login may ALTER the database".to_owned());
        }
        if self.readable_tables > 0 {
            excess.push(format!(
                "the login may read {} base table(s); it needs only the views",
                self.readable_tables
            ));
        }
        excess
    }
}

/// A cell that breaks what the check expects, as a failure of the check.
fn contract(error: crate::store::StoreError) -> Failure {
    Failure::new(super::Cause::Protocol, error.to_string())
}

fn count(cell: Option<i64>) -> u64 {
    cell.and_then(|n| u64::try_from(n).ok()).unwrap_or(0)
}

/// One connection for administration.
pub struct Admin {
    client: TdsClient,
}

impl Admin {
    /// Connects with the same steps, TLS rules and timeouts as the store.
    pub async fn connect(settings: &SqlServerSettings) -> Result<Admin, Failure> {
        let client = connect::open(settings, &settings.tiberius_config()).await?;
        Ok(Admin { client })
    }

    async fn rows(&mut self, batch: &str) -> Result<Vec<tiberius::Row>, Failure> {
        let stream = self
            .client
            .simple_query(batch)
            .await
            .map_err(Failure::from_query)?;
        stream
            .into_first_result()
            .await
            .map_err(Failure::from_query)
    }

    /// Applies the scripts; the schema script only where the UMS tables do not exist yet.
    /// Returns what was applied.
    pub async fn init(&mut self) -> Result<Vec<&'static str>, Failure> {
        let schema_present = self.first_integer(SCHEMA_PRESENT).await? == Some(1);
        let mut applied = Vec::new();
        for (name, script) in SCRIPTS {
            if schema_present && name.starts_with("001") {
                continue;
            }
            for (i, batch) in batches(script).iter().enumerate() {
                let stream = self.client.simple_query(batch.as_str()).await;
                let done = match stream {
                    Ok(stream) => stream.into_results().await.map(|_| ()),
                    Err(e) => Err(e),
                };
                done.map_err(|e| {
                    let mut failure = Failure::from_query(e);
                    failure.detail = format!("{name}, batch {}: {}", i + 1, failure.detail);
                    failure
                })?;
            }
            applied.push(name);
        }
        Ok(applied)
    }

    async fn first_integer(&mut self, batch: &str) -> Result<Option<i64>, Failure> {
        match self.rows(batch).await?.first() {
            Some(row) => TdsRow::new(row, "check").integer().map_err(contract),
            None => Ok(None),
        }
    }

    /// What the service needs from the database, as this login sees it.
    pub async fn check(&mut self) -> Result<Health, Failure> {
        let contract =
            |e: crate::store::StoreError| Failure::new(super::Cause::Server, e.to_string());
        let mut access = Vec::new();
        for row in &self.rows(&access_query()).await? {
            let mut r = TdsRow::new(row, "check");
            access.push(Access {
                name: r.text().map_err(contract)?.unwrap_or_default(),
                present: r.integer().map_err(contract)? == Some(1),
                readable: r.integer().map_err(contract)? == Some(1),
            });
        }
        let privileges = self.rows(PRIVILEGES_QUERY).await?;
        let (mut db_owner, mut can_alter, mut readable_tables) = (false, false, 0);
        if let Some(row) = privileges.first() {
            let mut r = TdsRow::new(row, "check");
            db_owner = r.integer().map_err(contract)? == Some(1);
            can_alter = r.integer().map_err(contract)? == Some(1);
            readable_tables = count(r.integer().map_err(contract)?);
        }
        let mut rows = Vec::new();
        let mut newest_change: Option<OffsetDateTime> = None;
        let readable: Vec<String> = access
            .iter()
            .filter(|a| a.readable && a.name.starts_with("oneroster_"))
            .map(|a| a.name.clone())
            .collect();
        for view in readable {
            for row in &self.rows(&rows_query(&view)).await? {
                let mut r = TdsRow::new(row, "check");
                let rows_in_view = count(r.integer().map_err(contract)?);
                if is_entity_view(&view) {
                    if let Some(stamp) = r.timestamp().map_err(contract)? {
                        newest_change = newest_change.max(Some(stamp));
                    }
                }
                rows.push((view.clone(), rows_in_view));
            }
        }
        Ok(Health {
            access,
            rows,
            newest_change,
            db_owner,
            can_alter,
            readable_tables,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn scripts_split_into_batches_at_go_lines() {
        let batches =
            batches("SET X ON;\nGO\n-- only a comment\nGO\nCREATE VIEW v AS\nSELECT 1;\ngo  \n");
        assert_eq!(batches, ["SET X ON;\n", "CREATE VIEW v AS\nSELECT 1;\n"]);
        for (name, script) in SCRIPTS {
            let batches = super::batches(script);
            assert!(batches.len() > 1, "{name}");
            assert!(batches
                .iter()
                .all(|b| !b.to_ascii_uppercase().lines().any(|l| l.trim() == "GO")));
        }
    }

    #[test]
    fn the_check_reads_every_view_and_the_settings_table() {
        let query = access_query();
        for view in views::all() {
            assert!(query.contains(&format!("(N'{view}')")), "{view}");
        }
        assert!(rows_query("oneroster_users").contains("MAX([dateLastModified])"));
        assert!(!rows_query("oneroster_user_orgs").contains("dateLastModified"));
    }

    #[test]
    fn health_names_problems_and_excess_privileges() {
        let health = Health {
            access: vec![
                Access {
                    name: "oneroster_users".into(),
                    present: true,
                    readable: true,
                },
                Access {
                    name: "oneroster_orgs".into(),
                    present: false,
                    readable: false,
                },
                Access {
                    name: "WebServicesSettings".into(),
                    present: true,
                    readable: false,
                },
            ],
            rows: vec![],
            newest_change: None,
            db_owner: true,
            can_alter: false,
            readable_tables: 3,
        };
        assert_eq!(health.problems().len(), 2);
        assert_eq!(health.excess().len(), 2);
    }
}
