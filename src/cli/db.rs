//! `ums-oneroster db …`: set up and check a tenant's UMS database on SQL Server.
//!
//! A database is named by an `mssql://` URL (`store::mssql::url`), whose password may instead
//! come from `UMS_MSSQL_PASSWORD`, or, for `check`, by a tenant configuration document.

use std::path::PathBuf;

use clap::Subcommand;
use time::OffsetDateTime;

use super::serve::CliError;
use crate::oneroster::datetime;
use crate::store::mssql::admin::{Admin, Health};
use crate::store::mssql::{url, SqlServerSettings};
use crate::tenants::config::{DataSource, TenantConfig};

/// Where `db check` warns that LiveAtEdu_Sync may have stopped: it runs every night.
const DEFAULT_MAX_SYNC_AGE_HOURS: u64 = 26;

/// Database commands.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Apply infra/sql/mssql/: the reference UMS schema (only where its tables do not exist),
    /// the OneRoster views and the oneroster_reader role.
    Init {
        /// mssql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?encrypt=strict|required&ca=PATH&...]
        #[arg(long, value_name = "URL")]
        mssql: String,
    },
    /// Check the views and their permissions, count rows per view, and report the age of the
    /// last change LiveAtEdu_Sync made. Exits 1 when the service could not read what it needs.
    Check {
        /// The database, as for `db init`.
        #[arg(long, value_name = "URL", required_unless_present = "tenant")]
        mssql: Option<String>,
        /// Or: the tenant configuration document whose SQL Server data source to check.
        #[arg(long, value_name = "FILE", conflicts_with = "mssql")]
        tenant: Option<PathBuf>,
        /// Warn when the newest change is older than this.
        #[arg(long, default_value_t = DEFAULT_MAX_SYNC_AGE_HOURS)]
        max_sync_age_hours: u64,
    },
}

fn from_url(text: &str) -> Result<SqlServerSettings, CliError> {
    let password = std::env::var("UMS_MSSQL_PASSWORD").ok();
    Ok(url::parse(text, password.as_deref())?)
}

fn from_tenant(file: &PathBuf) -> Result<SqlServerSettings, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    match TenantConfig::from_json(&text)?.data_source {
        DataSource::SqlServer(source) => Ok(source.settings()),
        DataSource::Sqlite { .. } => {
            Err(format!("{}: not a SQL Server tenant", file.display()).into())
        }
    }
}

/// Runs a database command.
pub fn run(command: DbCommand) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match command {
            DbCommand::Init { mssql } => init(&from_url(&mssql)?).await,
            DbCommand::Check {
                mssql,
                tenant,
                max_sync_age_hours,
            } => {
                let settings = match (mssql, tenant) {
                    (Some(url), _) => from_url(&url)?,
                    (None, Some(file)) => from_tenant(&file)?,
                    (None, None) => {
                        return Err("db check needs --mssql URL or --tenant FILE".into())
                    }
                };
                check(&settings, max_sync_age_hours).await
            }
        }
    })
}

fn describe(settings: &SqlServerSettings) -> String {
    format!(
        "SQL Server {}, database {}, login {}",
        settings.server(),
        settings.database,
        settings.user
    )
}

async fn init(settings: &SqlServerSettings) -> Result<(), CliError> {
    println!("{}", describe(settings));
    let mut admin = Admin::connect(settings).await?;
    let applied = admin.init().await?;
    if !applied.iter().any(|name| name.starts_with("001")) {
        println!("  the UMS tables exist: 001_ums_schema.sql left out");
    }
    for name in applied {
        println!("  applied {name}");
    }
    Ok(())
}

async fn check(settings: &SqlServerSettings, max_sync_age_hours: u64) -> Result<(), CliError> {
    println!("{}", describe(settings));
    let health = Admin::connect(settings).await?.check().await?;
    print!(
        "{}",
        report(&health, OffsetDateTime::now_utc(), max_sync_age_hours)
    );
    match health.problems().len() {
        0 => Ok(()),
        n => Err(format!("db check found {n} problem(s)").into()),
    }
}

/// The report `db check` prints.
pub fn report(health: &Health, now: OffsetDateTime, max_sync_age_hours: u64) -> String {
    let mut out = String::new();
    for access in &health.access {
        let rows = health
            .rows
            .iter()
            .find(|(view, _)| *view == access.name)
            .map(|(_, n)| format!("{n} rows"))
            .unwrap_or_default();
        let state = match (access.present, access.readable) {
            (false, _) => "MISSING",
            (true, false) => "DENIED",
            (true, true) => "ok",
        };
        out.push_str(&format!("  {state:<8} {:<28} {rows}\n", access.name));
    }
    match health.newest_change {
        Some(newest) => {
            let hours = (now - newest).whole_hours();
            out.push_str(&format!(
                "  last change (LiveAtEdu_Sync): {} ({hours} h ago)\n",
                datetime::format_timestamp(newest)
            ));
            if hours > i64::try_from(max_sync_age_hours).unwrap_or(i64::MAX) {
                out.push_str(&format!(
                    "  warning: nothing changed for more than {max_sync_age_hours} h: is LiveAtEdu_Sync running?\n"
                ));
            }
        }
        None => out.push_str("  last change (LiveAtEdu_Sync): none (no readable rows)\n"),
    }
    let excess = health.excess();
    if excess.is_empty() {
        out.push_str("  privileges: only what the service needs\n");
    }
    for line in excess {
        out.push_str(&format!(
            "  warning: {line} (the service's login needs only infra/sql/mssql/003_reader_role.sql)\n"
        ));
    }
    for problem in health.problems() {
        out.push_str(&format!("  problem: {problem}\n"));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::store::mssql::admin::Access;

    #[test]
    fn the_report_names_rows_age_and_problems() {
        let health = Health {
            access: vec![
                Access {
                    name: "oneroster_users".into(),
                    present: true,
                    readable: true,
                },
                Access {
                    name: "WebServicesSettings".into(),
                    present: true,
                    readable: false,
                },
            ],
            rows: vec![("oneroster_users".into(), 612)],
            newest_change: Some(time::macros::datetime!(2026-11-26 02:00 UTC)),
            db_owner: false,
            can_alter: false,
            readable_tables: 0,
        };
        let report = report(&health, time::macros::datetime!(2026-11-28 08:00 UTC), 26);
        assert!(report.contains("ok       oneroster_users"), "{report}");
        assert!(report.contains("612 rows"), "{report}");
        assert!(report.contains("DENIED   WebServicesSettings"), "{report}");
        assert!(report.contains("(54 h ago)") && report.contains("is LiveAtEdu_Sync running"));
        assert!(report.contains("problem: this login may not SELECT WebServicesSettings"));
    }
}
