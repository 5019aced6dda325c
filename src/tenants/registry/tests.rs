//! Unit tests of the tenant cache, on tokio's paused clock, with a provider held in memory
//! whose answers and availability each test controls.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::tenants::provider::ProviderFuture;

const SQLITE: &str = include_str!("../../../infra/tenants/example-sqlite.json");

/// How the in-memory source behaves.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Up,
    Down,
    Hanging,
}

struct MemoryProvider {
    dir: PathBuf,
    configs: Mutex<HashMap<String, TenantConfig>>,
    hosts: HashMap<String, String>,
    mode: Mutex<Mode>,
    fetches: AtomicUsize,
}

impl MemoryProvider {
    fn set(&self, config: TenantConfig) {
        let mut configs = self.configs.lock().unwrap();
        configs.insert(config.tenant_id.clone(), config);
    }

    fn mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }

    async fn answer<T>(&self, value: T) -> Result<T, ProviderError> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        let mode = *self.mode.lock().unwrap();
        match mode {
            Mode::Up => Ok(value),
            Mode::Down => Err(ProviderError::Unavailable("connection refused".into())),
            Mode::Hanging => std::future::pending().await,
        }
    }
}

impl ConfigProvider for MemoryProvider {
    fn fetch<'a>(&'a self, tenant_id: &'a str) -> ProviderFuture<'a, Option<TenantConfig>> {
        let config = self.configs.lock().unwrap().get(tenant_id).cloned();
        Box::pin(self.answer(config))
    }

    fn tenant_of_host<'a>(&'a self, host: &'a str) -> ProviderFuture<'a, Option<String>> {
        Box::pin(self.answer(self.hosts.get(host).cloned()))
    }

    fn base_dir(&self) -> &std::path::Path {
        &self.dir
    }

    fn describe(&self) -> String {
        "memory".to_owned()
    }
}

fn config(id: &str, key_id: &str) -> TenantConfig {
    let mut config = TenantConfig::from_json(SQLITE).unwrap();
    config.tenant_id = id.to_owned();
    config.data_source = crate::tenants::config::DataSource::Sqlite {
        path: "roster.sqlite".into(),
    };
    config.tokens.signing_keys[0].id = key_id.to_owned();
    config
}

const POLICY: CachePolicy = CachePolicy {
    ttl: Duration::from_secs(300),
    max_stale: Duration::from_secs(3600),
    fetch_timeout: Duration::from_secs(6),
    backoff: Duration::from_secs(5),
    min_forced_interval: Duration::from_secs(10),
};

/// A registry over a provider that knows tenant `alpha` (also at `oneroster.alpha.dk`).
fn registry() -> (Registry, Arc<MemoryProvider>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = rusqlite::Connection::open(dir.path().join("roster.sqlite")).unwrap();
    db.execute_batch("CREATE TABLE oneroster_orgs (sourcedId TEXT)")
        .unwrap();
    let provider = Arc::new(MemoryProvider {
        dir: dir.path().to_owned(),
        configs: Mutex::new(HashMap::new()),
        hosts: HashMap::from([("oneroster.alpha.dk".to_owned(), "alpha".to_owned())]),
        mode: Mutex::new(Mode::Up),
        fetches: AtomicUsize::new(0),
    });
    provider.set(config("alpha", "k1"));
    let registry = Registry::new(provider.clone(), Some("oneroster.test"), POLICY);
    (registry, provider, dir)
}

async fn advance(seconds: u64) {
    tokio::time::advance(Duration::from_secs(seconds)).await;
}

#[tokio::test(start_paused = true)]
async fn tenants_are_found_by_wildcard_and_by_custom_domain() {
    let (registry, _provider, _dir) = registry();
    let by_wildcard = registry.resolve("Alpha.OneRoster.test:443").await.unwrap();
    let by_domain = registry.resolve("oneroster.alpha.dk").await.unwrap();
    assert_eq!(by_wildcard.id, "alpha");
    assert!(
        Arc::ptr_eq(&by_wildcard, &by_domain),
        "one tenant, built once"
    );
    for unknown in ["beta.oneroster.test", "oneroster.test", "elsewhere.dk", ""] {
        assert_eq!(
            registry.resolve(unknown).await.err(),
            Some(ResolveError::UnknownTenant),
            "{unknown}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_copy_is_served_for_its_ttl_then_fetched_again() {
    let (registry, provider, _dir) = registry();
    let first = registry.resolve("alpha.oneroster.test").await.unwrap();
    advance(299).await;
    registry.resolve("alpha.oneroster.test").await.unwrap();
    assert_eq!(provider.fetches(), 1, "within the TTL, no fetch");
    advance(2).await;
    let unchanged = registry.resolve("alpha.oneroster.test").await.unwrap();
    assert_eq!(provider.fetches(), 2, "past the TTL, one fetch");
    assert!(
        Arc::ptr_eq(&first, &unchanged),
        "an unchanged configuration keeps the tenant (and its pool)"
    );
    provider.set(config("alpha", "k2"));
    advance(301).await;
    let changed = registry.resolve("alpha.oneroster.test").await.unwrap();
    assert!(
        !Arc::ptr_eq(&first, &changed),
        "a new configuration, a new tenant"
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_source_keeps_the_last_good_copy_until_its_hard_expiry() {
    let (registry, provider, _dir) = registry();
    let good = registry.resolve("alpha.oneroster.test").await.unwrap();
    provider.mode(Mode::Down);
    advance(301).await;
    let stale = registry.resolve("alpha.oneroster.test").await.unwrap();
    assert!(Arc::ptr_eq(&good, &stale));
    let fetches = provider.fetches();
    registry.resolve("alpha.oneroster.test").await.unwrap();
    assert_eq!(
        provider.fetches(),
        fetches,
        "no new fetch within the back-off"
    );
    advance(3600).await;
    assert_eq!(
        registry.resolve("alpha.oneroster.test").await.err(),
        Some(ResolveError::Unavailable),
        "past the hard expiry"
    );
    provider.mode(Mode::Up);
    advance(5).await;
    assert!(
        registry.resolve("alpha.oneroster.test").await.is_ok(),
        "recovers"
    );
}

#[tokio::test(start_paused = true)]
async fn with_nothing_cached_a_hanging_source_is_unavailable_after_the_fetch_timeout() {
    let (registry, provider, _dir) = registry();
    provider.mode(Mode::Hanging);
    let started = Instant::now();
    assert_eq!(
        registry.resolve("alpha.oneroster.test").await.err(),
        Some(ResolveError::Unavailable)
    );
    assert_eq!(started.elapsed(), POLICY.fetch_timeout);
    assert_eq!(
        registry.resolve("oneroster.alpha.dk").await.err(),
        Some(ResolveError::Unavailable),
        "the custom-domain index too"
    );
}

#[tokio::test(start_paused = true)]
async fn unknown_tenants_are_remembered_for_the_ttl() {
    let (registry, provider, _dir) = registry();
    for _ in 0..3 {
        assert!(registry.resolve("nobody.oneroster.test").await.is_err());
        assert!(registry.resolve("nowhere.dk").await.is_err());
    }
    assert_eq!(provider.fetches(), 2, "one fetch per unknown name");
    provider.set(config("nobody", "k1"));
    advance(301).await;
    assert!(registry.resolve("nobody.oneroster.test").await.is_ok());
}

#[tokio::test(start_paused = true)]
async fn a_forced_refresh_picks_up_rotated_secrets_at_most_once_per_interval() {
    let (registry, provider, _dir) = registry();
    let before = registry.resolve("alpha.oneroster.test").await.unwrap();
    assert!(registry.refresh(&before).await.is_none(), "nothing changed");
    provider.set(config("alpha", "k2"));
    assert!(
        registry.refresh(&before).await.is_none(),
        "a second forced refresh within the interval does not fetch"
    );
    advance(10).await;
    let after = registry.refresh(&before).await.unwrap();
    let token = after.tokens.issue("c", &[]).unwrap().access_token;
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(header.kid.as_deref(), Some("k2"), "signs with the new key");
    assert!(
        Arc::ptr_eq(&registry.refresh(&before).await.unwrap(), &after),
        "a request holding the old copy gets the new one without a fetch"
    );
    assert_eq!(provider.fetches(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_configuration_that_cannot_be_built_keeps_the_previous_tenant() {
    let (registry, provider, _dir) = registry();
    let good = registry.resolve("alpha.oneroster.test").await.unwrap();
    let mut broken = config("alpha", "k2");
    broken.data_source = crate::tenants::config::DataSource::Sqlite {
        path: "missing.sqlite".into(),
    };
    provider.set(broken);
    advance(301).await;
    let served = registry.resolve("alpha.oneroster.test").await.unwrap();
    assert!(Arc::ptr_eq(&good, &served));
}
