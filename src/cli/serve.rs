//! `ums-oneroster serve`: validates the configuration, opens the store and runs the local host.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use crate::config::{self, ServeConfig, SigningKey};
use crate::demo::{self, DemoSummary, Scale};
use crate::http::AppState;
use crate::store::sqlite::SqliteStore;
use crate::tenants::registry::{DEFAULT_MAX_STALE_SECS, DEFAULT_TTL_SECS};
use crate::tenants::secrets_manager::{client, VaultTrust};
use crate::tenants::{CachePolicy, Tenants};
use aws_sdk_secretsmanager::Config as VaultConfig;

/// The seed of the demo municipality everybody gets by default.
pub const DEMO_SEED: u64 = 2026;

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Create (or reuse) the demo municipality and print the SDS profile values.
    #[arg(long)]
    demo: bool,
    /// The SQLite database to serve (for --demo: where the demo lives).
    #[arg(long, env = "UMS_DB")]
    db: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "UMS_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Serve every tenant configuration (`<tenant id>.json`) in this directory, by hostname.
    #[arg(long, env = "UMS_TENANTS_DIR", conflicts_with_all = ["demo", "db"])]
    tenants: Option<PathBuf>,
    /// Serve tenants whose configurations are the AWS Secrets Manager secrets
    /// `<prefix><tenant id>` (the cloud set-up).
    #[arg(long, env = "UMS_SECRET_PREFIX", conflicts_with_all = ["demo", "db", "tenants"])]
    secret_prefix: Option<String>,
    /// With --secret-prefix: the root CAs the vault's TLS certificate must chain to. `amazon`
    /// (Amazon Trust Services, compiled in) or `platform` (the system's store, read at start-up).
    #[arg(long, env = "UMS_VAULT_TRUST", value_enum, default_value_t = VaultTrust::Amazon)]
    vault_trust: VaultTrust,
    /// With --tenants or --secret-prefix: also serve `{tenant}.<base domain>`.
    #[arg(long, env = "UMS_BASE_DOMAIN")]
    base_domain: Option<String>,
    /// Seconds a tenant configuration is cached before it is fetched again.
    #[arg(long, env = "UMS_TENANT_CACHE_TTL_SECS", default_value_t = DEFAULT_TTL_SECS)]
    tenant_cache_ttl: u64,
    /// Seconds past its last fetch a cached configuration is still served while the source
    /// fails.
    #[arg(long, env = "UMS_TENANT_MAX_STALE_SECS", default_value_t = DEFAULT_MAX_STALE_SECS)]
    tenant_max_stale: u64,
    /// Public origin (https://host) used in hrefs and Link headers; default: the request's Host.
    #[arg(long, env = "UMS_PUBLIC_URL")]
    public_url: Option<String>,
    /// Demo size for --demo.
    #[arg(long, default_value = "small")]
    scale: Scale,
    /// Access-token lifetime in seconds (at least 3600).
    #[arg(long, env = "UMS_TOKEN_LIFETIME_SECS", default_value_t = 3600)]
    token_lifetime: u64,
    /// Requests served at once before new ones are answered 429.
    #[arg(long, env = "UMS_MAX_IN_FLIGHT", default_value_t = 256)]
    max_in_flight: usize,
}

/// The error of a CLI command, printed as one line.
pub type CliError = Box<dyn std::error::Error>;

/// The single-tenant key from `UMS_TOKEN_SIGNING_KEY`, checked; `None` when it is not set.
fn signing_key() -> Result<Option<SigningKey>, CliError> {
    match std::env::var("UMS_TOKEN_SIGNING_KEY") {
        Ok(key) => Ok(Some(SigningKey::new(key.into_bytes())?)),
        Err(_) => Ok(None),
    }
}

/// Builds (or reuses) a demo database; `UMS_DEMO_CLIENT_SECRET` fixes its client secret.
pub fn demo_init(db: &Path, scale: Scale, seed: u64) -> Result<DemoSummary, CliError> {
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let secret = std::env::var("UMS_DEMO_CLIENT_SECRET")
        .ok()
        .filter(|s| !s.is_empty());
    let mut summary = demo::init(db, scale, seed, secret.as_deref())?;
    if let Some(secret) = secret {
        demo::set_client_secret(db, &secret)?;
        summary.client_secret = secret;
    }
    Ok(summary)
}

fn config(args: &ServeArgs) -> Result<ServeConfig, CliError> {
    let multi_tenant = args.tenants.is_some() || args.secret_prefix.is_some();
    let database = match (&args.db, args.demo) {
        (Some(db), _) => db.clone(),
        (None, true) => PathBuf::from(format!("ums-demo-{}.sqlite", args.scale)),
        (None, false) if multi_tenant => PathBuf::new(),
        (None, false) => {
            return Err(
                "serve needs --db PATH, --demo, --tenants DIR or --secret-prefix PREFIX".into(),
            )
        }
    };
    if args.base_domain.is_some() && !multi_tenant {
        return Err("--base-domain needs --tenants DIR or --secret-prefix PREFIX".into());
    }
    if let Some(prefix) = &args.secret_prefix {
        let allowed = |c: char| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c);
        if prefix.is_empty() || !prefix.chars().all(allowed) {
            return Err(format!(
                "the secret prefix '{prefix}' must be letters, digits and /_+=.@- (a Secrets Manager name)"
            )
            .into());
        }
    }
    if args.tenant_max_stale < args.tenant_cache_ttl {
        return Err("the tenant cache's max stale age must be at least its TTL".into());
    }
    let config = ServeConfig {
        listen: args.listen,
        database,
        public_origin: args
            .public_url
            .as_deref()
            .map(config::parse_public_origin)
            .transpose()?,
        signing_key: signing_key()?,
        token_lifetime: Duration::from_secs(args.token_lifetime),
        max_in_flight: args.max_in_flight,
    };
    config.validate()?;
    Ok(config)
}

fn print_profile(origin: &str, summary: &DemoSummary) {
    println!(
        "ums-oneroster demo municipality: {} schools, {} students, {} staff, {} classes",
        summary.schools, summary.students, summary.staff, summary.classes
    );
    println!("  Base URL:          {origin}/ims/oneroster/v1p1");
    println!("  Token endpoint:    {origin}/ims/oneroster/v1p1/token");
    println!("  Client ID:         WebserviceUser");
    println!("  Client secret:     {}", summary.client_secret);
}

/// The validated configuration and application state `args` describe: one database (the demo)
/// or tenants by hostname. Every host (local, Lambda, Azure) starts from here; `vault`
/// configures the Secrets Manager client when tenants come from there.
pub async fn state<V>(args: &ServeArgs, vault: V) -> Result<(ServeConfig, AppState), CliError>
where
    V: AsyncFnOnce(VaultTrust) -> Result<VaultConfig, CliError>,
{
    let config = config(args)?;
    let base_domain = args.base_domain.as_deref();
    let policy = CachePolicy {
        ttl: Duration::from_secs(args.tenant_cache_ttl),
        max_stale: Duration::from_secs(args.tenant_max_stale),
        ..CachePolicy::default()
    };
    let state = match (&args.tenants, &args.secret_prefix) {
        (Some(dir), _) => config.state_for(Tenants::from_directory(dir, base_domain, policy)?),
        (None, Some(prefix)) => {
            tracing::info!(%prefix, "tenant configurations come from AWS Secrets Manager");
            let vault = vault(args.vault_trust).await?;
            config.state_for(Tenants::from_secrets_manager(
                prefix,
                vault,
                base_domain,
                policy,
            ))
        }
        (None, None) => config.state(Arc::new(SqliteStore::open(&config.database)?)),
    };
    Ok((config, state))
}

/// The vault client of `serve`, run by an operator or in a container: the AWS SDK's usual chain.
async fn vault_with_default_chain(trust: VaultTrust) -> Result<VaultConfig, CliError> {
    Ok(client::from_default_chain(trust).await)
}

/// Runs `serve` until stopped.
pub fn run(args: ServeArgs) -> Result<(), CliError> {
    let summary = if args.demo {
        Some(demo_init(&config(&args)?.database, args.scale, DEMO_SEED)?)
    } else {
        None
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (config, state) = state(&args, vault_with_default_chain).await?;
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        let local = listener.local_addr()?;
        let origin = config
            .public_origin
            .clone()
            .unwrap_or_else(|| format!("http://{local}"));
        if let Some(summary) = &summary {
            print_profile(&origin, summary);
        }
        println!("listening on http://{local}");
        tracing::info!(%local, database = %config.database.display(), "serving");
        let app = crate::http::app(state);
        crate::hosts::local::serve(listener, app).await?;
        Ok(())
    })
}
