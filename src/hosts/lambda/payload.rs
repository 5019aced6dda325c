//! What a response weighs on its way back through the Lambda runtime API, and what Lambda
//! accepts.
//!
//! A buffered response travels as one JSON document (`statusCode`, headers, `body`,
//! `isBase64Encoded`), and Lambda refuses a document over 6 MB. lambda_http sends a JSON or text
//! body as a JSON string (every `"` becomes `\"`) and anything else, gzip included, as base64 (4
//! bytes for every 3). A streamed response carries the body as it is, after a small JSON prelude.

use axum::http::{header, HeaderMap};

use crate::http::ceiling::ResponseCeiling;

/// The largest buffered response payload Lambda accepts: 6 MiB, the "6 MB" of the Lambda quotas
/// (Lambda's own error message names 6 291 556 bytes; the 100 bytes are left as a margin).
pub const BUFFERED_MAX_BYTES: usize = 6 * 1024 * 1024;

/// The largest streamed response this host sends. The Lambda documentation has given both 20 MB
/// and 200 MB as the streamed-response quota; the lower one is kept, which still carries three
/// 10 000-record pages of the L municipality.
pub const STREAMED_MAX_BYTES: usize = 20 * 1024 * 1024;

/// An upper bound for the JSON around the body and headers of a buffered response: the
/// `statusCode`, `headers`, `multiValueHeaders`, `cookies`, `body` and `isBase64Encoded` members.
const ENVELOPE_BYTES: usize = 160;

/// The ceiling of a buffered Lambda response.
pub const BUFFERED: ResponseCeiling = ResponseCeiling {
    max_bytes: BUFFERED_MAX_BYTES,
    measure: buffered_bytes,
    host_form: "a buffered Lambda response",
};

/// The ceiling of a streamed Lambda response.
pub const STREAMED: ResponseCeiling = ResponseCeiling {
    max_bytes: STREAMED_MAX_BYTES,
    measure: streamed_bytes,
    host_form: "a streamed Lambda response",
};

/// An upper bound of the size of the JSON document lambda_http posts for this response.
pub fn buffered_bytes(headers: &HeaderMap, body: &[u8]) -> usize {
    let body = if sent_as_text(headers) {
        json_string_bytes(body)
    } else {
        base64_bytes(body.len())
    };
    ENVELOPE_BYTES + headers_bytes(headers) + body
}

/// The size of a streamed response: its prelude (status and headers) and the body as it is.
pub fn streamed_bytes(headers: &HeaderMap, body: &[u8]) -> usize {
    ENVELOPE_BYTES + headers_bytes(headers) + body.len()
}

/// Each header as `"name":["value"],` (the REST API form; the HTTP API form is shorter).
fn headers_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + json_string_bytes(value.as_bytes()) + 6)
        .sum()
}

/// lambda_http's rule (`response.rs`, `ConvertBody`): an encoded body is binary; a body without
/// a content type, or with a textual one, is text; anything else is binary.
fn sent_as_text(headers: &HeaderMap) -> bool {
    if headers.contains_key(header::CONTENT_ENCODING) {
        return false;
    }
    let Some(content_type) = headers.get(header::CONTENT_TYPE) else {
        return true;
    };
    let content_type = content_type.to_str().unwrap_or_default();
    let mime = content_type.split(';').next().unwrap_or_default().trim();
    const TEXT_PREFIXES: [&str; 5] = [
        "text",
        "application/json",
        "application/javascript",
        "application/xml",
        "application/yaml",
    ];
    TEXT_PREFIXES.iter().any(|p| content_type.starts_with(p))
        || ["+xml", "+yaml", "+json"].iter().any(|s| mime.ends_with(s))
        || headers
            .get("x-lambda-http-content-encoding")
            .is_some_and(|v| v == "text")
}

/// The length of `text` as a JSON string, quotes included, escaped as serde_json escapes.
fn json_string_bytes(text: &[u8]) -> usize {
    2 + text
        .iter()
        .map(|&byte| match byte {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0x00..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// The length of standard base64 with padding, quotes included.
fn base64_bytes(len: usize) -> usize {
    2 + len.div_ceil(3) * 4
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn json_is_weighed_as_an_escaped_string() {
        let body = br#"{"a":"b\c"}"#;
        let escaped = serde_json::to_string(std::str::from_utf8(body).unwrap()).unwrap();
        assert_eq!(json_string_bytes(body), escaped.len());
        let json = headers(&[("content-type", "application/json")]);
        assert_eq!(
            buffered_bytes(&json, body),
            ENVELOPE_BYTES + headers_bytes(&json) + escaped.len()
        );
    }

    #[test]
    fn control_characters_count_as_serde_json_writes_them() {
        let text = "a\n\u{1}\"";
        let escaped = serde_json::to_string(text).unwrap();
        assert_eq!(json_string_bytes(text.as_bytes()), escaped.len());
    }

    #[test]
    fn gzip_and_unknown_types_are_weighed_as_base64() {
        let body = [0u8; 10];
        let gzip = headers(&[
            ("content-type", "application/json"),
            ("content-encoding", "gzip"),
        ]);
        assert_eq!(base64_bytes(10), 2 + 16);
        assert_eq!(
            buffered_bytes(&gzip, &body),
            ENVELOPE_BYTES + headers_bytes(&gzip) + 18
        );
        assert!(!sent_as_text(&headers(&[(
            "content-type",
            "application/octet-stream"
        )])));
        assert!(sent_as_text(&headers(&[(
            "content-type",
            "application/problem+json; charset=utf-8"
        )])));
        assert!(sent_as_text(&HeaderMap::new()));
    }

    #[test]
    fn a_streamed_body_counts_as_it_is() {
        let none = HeaderMap::new();
        assert_eq!(streamed_bytes(&none, &[b'"'; 100]), ENVELOPE_BYTES + 100);
    }
}
