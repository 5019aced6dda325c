//! `mssql://` URLs: how the command line (`db init`, `db check`) and the live test suite name a
//! SQL Server database.
//!
//! `mssql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?OPTION=VALUE&...]`, with user and password
//! percent-encoded. Options: `encrypt=strict|required` (default strict), `ca=PATH` (PEM CA
//! bundle), `trustServerCertificate=true`, `hostNameInCertificate=NAME`, `connectTimeout=SECONDS`,
//! `commandTimeout=SECONDS`. A URL without a password takes the one the caller supplies (the
//! command line reads `UMS_MSSQL_PASSWORD`), so it need not appear in a process list.

use std::time::Duration;

use percent_encoding::percent_decode_str;

use super::settings::{Encryption, SqlServerSettings};

/// Why a URL was refused.
#[derive(Debug, thiserror::Error)]
#[error(
    "bad SQL Server URL: {0} (expected mssql://USER:PASSWORD@HOST:PORT/DATABASE?encrypt=strict)"
)]
pub struct UrlError(String);

fn bad(message: impl Into<String>) -> UrlError {
    UrlError(message.into())
}

fn decoded(text: &str) -> Result<String, UrlError> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| bad("user and password must be UTF-8 when decoded"))
}

/// The settings a URL names; `password` is used when the URL carries none.
pub fn parse(url: &str, password: Option<&str>) -> Result<SqlServerSettings, UrlError> {
    let rest = url
        .strip_prefix("mssql://")
        .ok_or_else(|| bad("it must start with mssql://"))?;
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, database) = rest
        .split_once('/')
        .ok_or_else(|| bad("the database name is missing"))?;
    let (userinfo, hostport) = authority
        .rsplit_once('@')
        .ok_or_else(|| bad("the user is missing"))?;
    let (user, url_password) = match userinfo.split_once(':') {
        Some((user, password)) => (decoded(user)?, Some(decoded(password)?)),
        None => (decoded(userinfo)?, None),
    };
    let password = url_password
        .or_else(|| password.map(str::to_owned))
        .ok_or_else(|| bad("no password: put it in the URL or in UMS_MSSQL_PASSWORD"))?;
    let (host, port) = match hostport.rsplit_once(':') {
        Some((host, port)) => (
            host,
            port.parse()
                .map_err(|_| bad(format!("'{port}' is not a port")))?,
        ),
        None => (hostport, 1433),
    };
    if host.is_empty() || user.is_empty() || database.is_empty() {
        return Err(bad("host, user and database must not be empty"));
    }
    let mut settings = SqlServerSettings::new(host, port, decoded(database)?, user, password);
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        apply(&mut settings, &key, &value)?;
    }
    Ok(settings)
}

fn seconds(value: &str) -> Result<Duration, UrlError> {
    match value.parse::<u64>() {
        Ok(n) if n > 0 => Ok(Duration::from_secs(n)),
        _ => Err(bad(format!("'{value}' is not a number of seconds"))),
    }
}

fn apply(settings: &mut SqlServerSettings, key: &str, value: &str) -> Result<(), UrlError> {
    match key {
        "encrypt" => {
            settings.encryption = match value {
                "strict" => Encryption::Strict,
                "required" | "true" => Encryption::Required,
                _ => return Err(bad("encrypt must be strict or required")),
            }
        }
        "ca" => {
            let pem = std::fs::read_to_string(value)
                .map_err(|e| bad(format!("cannot read the CA bundle {value}: {e}")))?;
            settings.ca_bundle = Some(pem);
        }
        "trustServerCertificate" => settings.trust_server_certificate = value == "true",
        "hostNameInCertificate" => settings.host_name_in_certificate = Some(value.to_owned()),
        "connectTimeout" => settings.connect_timeout = seconds(value)?,
        "commandTimeout" => settings.command_timeout = seconds(value)?,
        other => return Err(bad(format!("unknown option '{other}'"))),
    }
    if settings.trust_server_certificate && settings.ca_bundle.is_some() {
        return Err(bad("ca and trustServerCertificate exclude each other"));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_full_url() {
        let s = parse(
            "mssql://ums_reader:p%40ss%3Aw0rd@sql.example:14330/UMS?encrypt=required&hostNameInCertificate=sql.internal&commandTimeout=15",
            None,
        )
        .unwrap();
        assert_eq!(
            (s.user.as_str(), s.password.as_str()),
            ("ums_reader", "p@ss:w0rd")
        );
        assert_eq!(
            (s.server(), s.database.as_str()),
            ("sql.example:14330".into(), "UMS")
        );
        assert_eq!(s.encryption, Encryption::Required);
        assert_eq!(s.host_name_in_certificate.as_deref(), Some("sql.internal"));
        assert_eq!(s.command_timeout, Duration::from_secs(15));
    }

    #[test]
    fn defaults_and_the_password_from_elsewhere() {
        let s = parse("mssql://sa@localhost/master", Some("from-env")).unwrap();
        assert_eq!((s.port, s.encryption), (1433, Encryption::Strict));
        assert_eq!(s.password, "from-env");
        assert!(parse("mssql://sa@localhost/master", None).is_err());
    }

    #[test]
    fn bad_urls_say_what_is_wrong() {
        for (url, wanted) in [
            ("postgres://a:b@h/db", "mssql://"),
            ("mssql://a:b@h", "database"),
            ("mssql://a:b@h:x/db", "port"),
            ("mssql://a:b@h/db?encrypt=off", "strict or required"),
            ("mssql://a:b@h/db?colour=blue", "unknown option"),
            ("mssql://a:b@h/db?commandTimeout=0", "seconds"),
        ] {
            let error = parse(url, None).unwrap_err().to_string();
            assert!(error.contains(wanted), "{url}: {error}");
        }
    }
}
