//! Host header values as tenant keys: lower-cased, without port or trailing dot.

/// The bare host name of a Host header value: `Skole.Example.DK.:443` → `skole.example.dk`.
pub fn host_of(header: &str) -> String {
    let header = header.trim();
    let without_port = match header.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => header,
    };
    without_port.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_normalized() {
        assert_eq!(host_of("Skole.Example.DK.:443"), "skole.example.dk");
        assert_eq!(
            host_of("aarhus.oneroster.inlogic.dk"),
            "aarhus.oneroster.inlogic.dk"
        );
        assert_eq!(host_of("localhost:8080"), "localhost");
    }
}
