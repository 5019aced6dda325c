//! The `ums-oneroster` binary's tenant commands, run as an operator runs them.

#![allow(clippy::unwrap_used)]

use std::process::Command;

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ums-oneroster"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn validate_accepts_the_shipped_examples() {
    for file in [
        "infra/tenants/example-sqlserver.json",
        "infra/tenants/example-sqlite.json",
    ] {
        let output = cli(&["tenant", "validate", file]);
        assert!(
            output.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("valid tenant"));
    }
}

#[test]
fn validate_names_every_bad_field_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    std::fs::write(
        &file,
        r#"{"schemaVersion":1,"tenantId":"X","displayName":"","dataSource":{"kind":"sqlite","path":"db"},
            "tokens":{"signingKeys":[]},"entitlement":{"modules":[],"expires":"2099-01-01"},
            "identity":{"upnDomains":[]}}"#,
    )
    .unwrap();
    let output = cli(&["tenant", "validate", file.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for field in ["tenantId", "displayName", "tokens.signingKeys"] {
        assert!(stderr.contains(field), "{stderr}");
    }
}

#[test]
fn secret_prints_the_compact_document_to_store() {
    let output = cli(&["tenant", "secret", "infra/tenants/example-sqlserver.json"]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let value: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(value["tenantId"], "aarhus");
    assert_eq!(stdout.trim().lines().count(), 1);
}

#[test]
fn serve_refuses_bad_tenant_sources_before_it_starts() {
    for (args, expected) in [
        (
            &["serve", "--secret-prefix", "tenants with spaces/"][..],
            "secret prefix",
        ),
        (
            &[
                "serve",
                "--db",
                "x.sqlite",
                "--base-domain",
                "oneroster.test",
            ][..],
            "--base-domain needs",
        ),
        (
            &[
                "serve",
                "--secret-prefix",
                "p/",
                "--tenant-cache-ttl",
                "600",
                "--tenant-max-stale",
                "60",
            ][..],
            "max stale",
        ),
    ] {
        let output = cli(args);
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
