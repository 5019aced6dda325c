//! Success responses: the envelope body, field selection, warnings, and the paging headers
//! (`X-Total-Count`, `Link`), all written in this one place.

use std::io::Write;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;

use serde::Serialize;

use crate::oneroster::status::StatusInfo;

/// The header OneRoster uses for the filtered total.
pub const TOTAL_COUNT: &str = "x-total-count";
/// Where the 1.2 tree puts warnings, since its bodies may carry nothing but the envelope.
pub const WARNING: &str = "x-oneroster-warning";

/// Writes one record, keeping only the `fields` selected when a selection was made.
fn write_record<R: Serialize>(
    out: &mut Vec<u8>,
    record: &R,
    fields: Option<&[String]>,
) -> serde_json::Result<()> {
    match fields {
        None => serde_json::to_writer(out, record),
        Some(fields) => {
            let mut value = serde_json::to_value(record)?;
            if let Value::Object(map) = &mut value {
                map.retain(|key, _| fields.iter().any(|f| f == key));
            }
            serde_json::to_writer(out, &value)
        }
    }
}

fn write_warnings(out: &mut Vec<u8>, warnings: &[StatusInfo]) -> serde_json::Result<()> {
    if warnings.is_empty() {
        return Ok(());
    }
    let entries: Vec<Value> = warnings.iter().map(StatusInfo::v1p1_entry).collect();
    out.extend_from_slice(br#","statusInfoSet":"#);
    serde_json::to_writer(out, &entries)
}

/// `{"<envelope>": [records…]}`, plus a 1.1 `statusInfoSet` when there are warnings.
pub fn collection_body<R: Serialize>(
    envelope: &str,
    records: &[R],
    fields: Option<&[String]>,
    warnings: &[StatusInfo],
) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256 + records.len() * 512);
    out.push(b'{');
    serde_json::to_writer(&mut out, envelope)?;
    out.extend_from_slice(b":[");
    for (i, record) in records.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_record(&mut out, record, fields)?;
    }
    out.push(b']');
    write_warnings(&mut out, warnings)?;
    out.push(b'}');
    Ok(out)
}

/// `{"<envelope>": record}`, plus warnings as above.
pub fn single_body<R: Serialize>(
    envelope: &str,
    record: &R,
    fields: Option<&[String]>,
    warnings: &[StatusInfo],
) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(1024);
    out.push(b'{');
    serde_json::to_writer(&mut out, envelope)?;
    out.push(b':');
    write_record(&mut out, record, fields)?;
    write_warnings(&mut out, warnings)?;
    out.push(b'}');
    Ok(out)
}

/// A 200 JSON response carrying `X-Total-Count`, and `Link` when given.
pub fn ok_json(body: Vec<u8>, total: u64, link: Option<String>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(TOTAL_COUNT, HeaderValue::from(total));
    if let Some(value) = link.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LINK, value);
    }
    response
}

/// Warnings as `X-OneRoster-Warning: <codeMinor>: <description>` headers (the 1.2 tree).
pub fn warning_headers(response: &mut Response, warnings: &[StatusInfo]) {
    for warning in warnings {
        let text = format!(
            "{}: {}",
            warning
                .code_minor
                .spelling(crate::oneroster::vocab::Version::V1p2),
            warning.description
        );
        if let Ok(value) = HeaderValue::from_str(&text) {
            response.headers_mut().append(WARNING, value);
        }
    }
}

/// The `Link` header for a page: `first` and `last` always, `prev` when not on the first page,
/// `next` only when more records follow. Each URL is absolute and keeps the request's other
/// parameters. Following the specification's example, `last` carries the remainder as its limit.
pub fn link_header(url: &str, raw_query: &str, limit: u32, offset: u64, total: u64) -> String {
    let limit64 = u64::from(limit);
    let kept: Vec<(String, String)> = form_urlencoded::parse(raw_query.as_bytes())
        .filter(|(k, _)| k != "limit" && k != "offset")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let href = |limit: u64, offset: u64| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &kept {
            query.append_pair(k, v);
        }
        query.append_pair("limit", &limit.to_string());
        query.append_pair("offset", &offset.to_string());
        format!("{url}?{}", query.finish())
    };
    let last_offset = total.saturating_sub(1) / limit64 * limit64;
    let last_limit = match total - last_offset.min(total) {
        0 => limit64,
        remainder => remainder.min(limit64),
    };
    let mut links = vec![(href(limit64, 0), "first")];
    if offset > 0 {
        links.push((href(limit64, offset.saturating_sub(limit64)), "prev"));
    }
    if offset.saturating_add(limit64) < total {
        links.push((href(limit64, offset + limit64), "next"));
    }
    links.push((href(last_limit, last_offset), "last"));
    let mut header = Vec::new();
    for (i, (target, rel)) in links.iter().enumerate() {
        let sep = if i > 0 { ", " } else { "" };
        let _ = write!(header, "{sep}<{target}>; rel=\"{rel}\"");
    }
    String::from_utf8_lossy(&header).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_header_matches_the_specification_example() {
        // 503 students, page size 10, current offset 10.
        let header = link_header(
            "http://h/ims/oneroster/v1p1/students",
            "limit=10&offset=10",
            10,
            10,
            503,
        );
        assert_eq!(
            header,
            "<http://h/ims/oneroster/v1p1/students?limit=10&offset=0>; rel=\"first\", \
             <http://h/ims/oneroster/v1p1/students?limit=10&offset=0>; rel=\"prev\", \
             <http://h/ims/oneroster/v1p1/students?limit=10&offset=20>; rel=\"next\", \
             <http://h/ims/oneroster/v1p1/students?limit=3&offset=500>; rel=\"last\""
        );
    }

    #[test]
    fn link_header_keeps_other_parameters_and_omits_next_on_the_last_page() {
        let header = link_header(
            "http://h/x",
            "filter=status%3D%27active%27&limit=5&fields=a",
            5,
            5,
            10,
        );
        assert!(header
            .contains("filter=status%3D%27active%27&fields=a&limit=5&offset=0>; rel=\"first\""));
        assert!(!header.contains("rel=\"next\""));
        assert!(header.contains("limit=5&offset=5>; rel=\"last\""));
    }

    #[test]
    fn empty_collections_link_to_offset_zero() {
        let header = link_header("http://h/x", "", 100, 0, 0);
        assert_eq!(
            header,
            "<http://h/x?limit=100&offset=0>; rel=\"first\", <http://h/x?limit=100&offset=0>; rel=\"last\""
        );
    }
}
