//! Unit tests of the tenant configuration document.

#![allow(clippy::unwrap_used)]

use super::*;

const SQL_SERVER: &str = include_str!("../../../infra/tenants/example-sqlserver.json");
const SQLITE: &str = include_str!("../../../infra/tenants/example-sqlite.json");

fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> Result<TenantConfig, ConfigError> {
    let mut value: serde_json::Value = serde_json::from_str(SQL_SERVER).unwrap();
    edit(&mut value);
    TenantConfig::from_json(&value.to_string())
}

fn issue_paths(result: Result<TenantConfig, ConfigError>) -> Vec<String> {
    match result {
        Err(ConfigError::Invalid(issues)) => issues.into_iter().map(|i| i.path).collect(),
        other => panic!("expected issues, got {other:?}"),
    }
}

#[test]
fn the_shipped_examples_are_valid() {
    let config = TenantConfig::from_json(SQL_SERVER).unwrap();
    assert_eq!(config.tenant_id, "aarhus");
    assert_eq!(config.tokens.signing_keys.len(), 2);
    assert!(matches!(
        config.data_source,
        DataSource::SqlServer {
            port: 1433,
            encryption: Encryption::Strict,
            ..
        }
    ));
    let config = TenantConfig::from_json(SQLITE).unwrap();
    assert_eq!(
        config.clients[0].client_id, "WebserviceUser",
        "the default client"
    );
    assert_eq!(config.tokens.lifetime_seconds, 3600);
}

#[test]
fn the_stored_form_round_trips() {
    let config = TenantConfig::from_json(SQL_SERVER).unwrap();
    let stored = config.to_json().unwrap();
    assert_eq!(TenantConfig::from_json(&stored).unwrap(), config);
    assert!(
        stored.contains("REPLACE-WITH-THE-LOGIN-PASSWORD"),
        "the vault copy carries the secret"
    );
}

#[test]
fn secrets_never_show_in_debug_output() {
    let config = TenantConfig::from_json(SQL_SERVER).unwrap();
    let debug = format!("{config:?}");
    assert!(!debug.contains("REPLACE-WITH"));
    assert!(!debug.contains("c2lnbmluZy"));
}

#[test]
fn unknown_fields_and_versions_are_refused() {
    let unknown = edited(|v| v["colour"] = "blue".into());
    assert!(matches!(unknown, Err(ConfigError::Json(e)) if e.to_string().contains("colour")));
    assert_eq!(
        issue_paths(edited(|v| v["schemaVersion"] = 2.into())),
        ["schemaVersion"]
    );
}

#[test]
fn every_rule_names_its_field() {
    let paths = issue_paths(edited(|v| {
        v["tenantId"] = "Aarhus Kommune".into();
        v["hostnames"] = serde_json::json!(["Not A Host"]);
        v["dataSource"]["password"] = "".into();
        v["dataSource"]["caBundle"] = "not pem".into();
        v["tokens"]["signingKeys"][0]["secret"] = "c2hvcnQ=".into();
        v["tokens"]["signingKeys"][1]["id"] = "2026-11".into();
        v["tokens"]["lifetimeSeconds"] = 60.into();
        v["clients"][0]["secretSha256"] = "abc".into();
        v["defaultScopes"] = serde_json::json!(["organisation"]);
        v["identity"]["upnDomains"] = serde_json::json!(["UPPER.DK"]);
    }));
    assert_eq!(
        paths,
        [
            "tenantId",
            "hostnames[0]",
            "dataSource.password",
            "dataSource.caBundle",
            "tokens.signingKeys[0].secret",
            "tokens.signingKeys[1].id",
            "tokens.lifetimeSeconds",
            "clients[0].secretSha256",
            "defaultScopes[0]",
            "identity.upnDomains",
        ]
    );
}

#[test]
fn key_counts_are_one_or_two() {
    assert_eq!(
        issue_paths(edited(
            |v| v["tokens"]["signingKeys"] = serde_json::json!([])
        )),
        ["tokens.signingKeys"]
    );
}

#[test]
fn licence_problems_are_warnings_not_errors() {
    let config = edited(|v| {
        v["entitlement"]["modules"] = serde_json::json!(["UniLogin"]);
        v["entitlement"]["expires"] = "2020-07-31".into();
    })
    .unwrap();
    let warnings = config.warnings(time::macros::date!(2026 - 11 - 28));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

#[test]
fn labels_and_hostnames() {
    assert!(is_label("aarhus") && is_label("a-1"));
    assert!(!is_label("-a") && !is_label("A") && !is_label(""));
    assert!(is_hostname("skole.aarhus.dk"));
    assert!(!is_hostname("localhost") && !is_hostname("skole..dk"));
}
