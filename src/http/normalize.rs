//! Request-path tolerance, applied before routing.
//!
//! Microsoft's connector takes a base URL "with or without a trailing '/'" and its own example
//! spells `oneRoster` with a capital R; clients that join paths naively send `//`. So the fixed
//! base segments are lower-cased, repeated slashes collapse and a trailing slash is dropped.
//! Ids further down the path are left exactly as sent.

use axum::extract::Request;
use axum::http::Uri;

/// The fixed prefixes matched case-insensitively, longest first.
const BASE_PREFIXES: [&[&str]; 4] = [
    &["ims", "oneroster", "rostering", "v1p2"],
    &["ims", "oneroster", "v1p1", "token"],
    &["ims", "oneroster", "v1p1"],
    &["token"],
];

/// The normalized form of `path`.
pub fn normalize_path(path: &str) -> String {
    let mut segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let matches = |prefix: &[&str]| {
        prefix.len() <= segments.len()
            && prefix
                .iter()
                .zip(&segments)
                .all(|(known, segment)| known.eq_ignore_ascii_case(segment))
    };
    if let Some(prefix) = BASE_PREFIXES.iter().find(|prefix| matches(prefix)) {
        for (segment, canonical) in segments.iter_mut().zip(prefix.iter()) {
            *segment = (*canonical).to_owned();
        }
    }
    format!("/{}", segments.join("/"))
}

/// Rewrites the request's path in place, keeping the query string.
pub fn normalize(mut request: Request) -> Request {
    let uri = request.uri();
    let path = normalize_path(uri.path());
    if path != uri.path() {
        let path_and_query = match uri.query() {
            Some(query) => format!("{path}?{query}"),
            None => path,
        };
        let mut parts = uri.clone().into_parts();
        if let Ok(pq) = path_and_query.parse() {
            parts.path_and_query = Some(pq);
            if let Ok(rewritten) = Uri::from_parts(parts) {
                *request.uri_mut() = rewritten;
            }
        }
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_segments_are_case_insensitive() {
        assert_eq!(
            normalize_path("/ims/oneRoster/v1p1/users"),
            "/ims/oneroster/v1p1/users"
        );
        assert_eq!(
            normalize_path("/IMS/OneRoster/V1P1/users/AbC"),
            "/ims/oneroster/v1p1/users/AbC"
        );
        assert_eq!(
            normalize_path("/ims/OneRoster/Rostering/V1p2/users"),
            "/ims/oneroster/rostering/v1p2/users"
        );
    }

    #[test]
    fn slashes_are_tidied() {
        assert_eq!(
            normalize_path("/ims/oneroster/v1p1/"),
            "/ims/oneroster/v1p1"
        );
        assert_eq!(
            normalize_path("/ims/oneroster/v1p1//users/"),
            "/ims/oneroster/v1p1/users"
        );
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path(""), "/");
    }

    #[test]
    fn token_paths_are_case_insensitive_too() {
        assert_eq!(
            normalize_path("/IMS/OneRoster/V1P1/Token"),
            "/ims/oneroster/v1p1/token"
        );
        assert_eq!(normalize_path("/Token/"), "/token");
        assert_eq!(
            normalize_path("/ims/oneroster/v1p1/tokens"),
            "/ims/oneroster/v1p1/tokens"
        );
    }

    #[test]
    fn other_paths_keep_their_case() {
        assert_eq!(normalize_path("/Health"), "/Health");
        assert_eq!(normalize_path("/ims/other/V1P1"), "/ims/other/V1P1");
    }
}
