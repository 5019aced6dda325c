//! The `ums-oneroster` command line: `serve` runs the API, `demo init` builds a demo
//! municipality database, `tenant` checks configuration documents, `db` sets up and checks a
//! tenant's SQL Server database.

mod db;
pub mod serve;
mod tenant;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::demo::Scale;

/// OneRoster 1.1 provider for inLogic UMS.
#[derive(Debug, Parser)]
#[command(name = "ums-oneroster", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the OneRoster API.
    Serve(serve::ServeArgs),
    /// Work with the demo municipality.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Work with tenant configuration documents.
    Tenant {
        #[command(subcommand)]
        command: tenant::TenantCommand,
    },
    /// Set up and check a UMS database on SQL Server.
    Db {
        #[command(subcommand)]
        command: db::DbCommand,
    },
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Create (or reuse) a demo municipality database.
    Init {
        /// small (2–3 schools), L (~60k students) or XL (5× L).
        #[arg(long, default_value = "small")]
        scale: Scale,
        /// The SQLite file to create.
        #[arg(long)]
        db: PathBuf,
        /// Seed of the deterministic generator.
        #[arg(long, default_value_t = serve::DEMO_SEED)]
        seed: u64,
    },
}

/// Runs the command line and reports failure as exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Demo {
            command: DemoCommand::Init { scale, db, seed },
        } => serve::demo_init(&db, scale, seed).map(|summary| {
            println!(
                "demo municipality ({scale}) in {}: {} schools, {} students, {} staff, {} guardians, {} classes, {} enrollments",
                db.display(),
                summary.schools,
                summary.students,
                summary.staff,
                summary.guardians,
                summary.classes,
                summary.enrollments
            );
        }),
        Command::Tenant { command } => tenant::run(command),
        Command::Db { command } => db::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ums-oneroster: {error}");
            ExitCode::FAILURE
        }
    }
}
