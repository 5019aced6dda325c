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
    let DataSource::SqlServer(source) = &config.data_source else {
        panic!("the production example reads SQL Server");
    };
    assert_eq!((source.port, source.encryption), (1433, Encryption::Strict));
    assert_eq!(
        (
            source.pool_size,
            source.connect_timeout_seconds,
            source.command_timeout_seconds
        ),
        (4, 5, 20),
        "the defaults"
    );
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

#[test]
fn sql_server_limits_are_checked() {
    let paths = issue_paths(edited(|v| {
        v["dataSource"]["poolSize"] = 0.into();
        v["dataSource"]["idleSeconds"] = 5.into();
        v["dataSource"]["connectTimeoutSeconds"] = 0.into();
    }));
    assert_eq!(
        paths,
        [
            "dataSource.poolSize",
            "dataSource.idleSeconds",
            "dataSource.connectTimeoutSeconds"
        ]
    );
}

#[test]
fn timeouts_must_fit_inside_the_gateway_timeout() {
    let fits = edited(|v| {
        v["dataSource"]["connectTimeoutSeconds"] = 8.into();
        v["dataSource"]["commandTimeoutSeconds"] = 20.into();
    });
    assert!(fits.is_ok(), "8 + 20 < 29");
    let paths = issue_paths(edited(|v| {
        v["dataSource"]["connectTimeoutSeconds"] = 5.into();
        v["dataSource"]["commandTimeoutSeconds"] = 24.into();
    }));
    assert_eq!(paths, ["dataSource.commandTimeoutSeconds"]);
}

#[test]
fn trusting_any_certificate_excludes_a_ca_bundle_and_warns() {
    let pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let paths = issue_paths(edited(|v| {
        v["dataSource"]["trustServerCertificate"] = true.into();
        v["dataSource"]["caBundle"] = pem.into();
    }));
    assert_eq!(paths, ["dataSource.trustServerCertificate"]);
    let config = edited(|v| v["dataSource"]["trustServerCertificate"] = true.into()).unwrap();
    let warnings = config.warnings(time::macros::date!(2026 - 11 - 28));
    assert!(warnings
        .iter()
        .any(|w| w.contains("trustServerCertificate")));
}

#[test]
fn unknown_data_source_fields_are_refused() {
    let unknown = edited(|v| v["dataSource"]["encrypt"] = "yes".into());
    assert!(matches!(unknown, Err(ConfigError::Json(e)) if e.to_string().contains("encrypt")));
}

#[test]
fn the_store_settings_carry_the_document() {
    let config = edited(|v| {
        v["dataSource"]["hostNameInCertificate"] = "sql.aarhus.dk".into();
        v["dataSource"]["commandTimeoutSeconds"] = 15.into();
    })
    .unwrap();
    let DataSource::SqlServer(source) = &config.data_source else {
        panic!("SQL Server example");
    };
    let settings = source.settings();
    assert_eq!(settings.server(), "ums-sql.aarhus.internal:1433");
    assert_eq!(
        settings.host_name_in_certificate.as_deref(),
        Some("sql.aarhus.dk")
    );
    assert_eq!(settings.deadline(), std::time::Duration::from_secs(20));
    assert!(
        !format!("{settings:?}").contains("REPLACE-WITH"),
        "no password in Debug"
    );
}
