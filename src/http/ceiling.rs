//! An optional ceiling on the size of one response, for hosts that cannot deliver more. A
//! buffered AWS Lambda response is capped at 6 MB: Lambda drops a larger one and the gateway
//! answers a bare 502. Over the ceiling the client gets a OneRoster 413 telling it to ask for a
//! smaller page (or for gzip) instead; a body is never truncated.
//!
//! The ceiling sits outside the compression layer, so it weighs what actually leaves the
//! service, and inside the request log, so the log line shows the status the client got.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;

use super::error::ApiError;
use super::version_of;

/// How a host weighs a response, and how much it can carry.
#[derive(Debug, Clone, Copy)]
pub struct ResponseCeiling {
    /// The heaviest response the host can deliver, in the unit of `measure`.
    pub max_bytes: usize,
    /// The size of a response (headers and body) in the form the host carries it.
    pub measure: fn(&HeaderMap, &[u8]) -> usize,
    /// That form, named in the error ("a buffered Lambda response").
    pub host_form: &'static str,
}

/// Middleware: passes responses within the ceiling, replaces heavier ones by a 413.
pub async fn enforce(
    State(ceiling): State<Option<ResponseCeiling>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(ceiling) = ceiling else {
        return next.run(request).await;
    };
    let version = version_of(request.uri().path());
    let (parts, body) = next.run(request).await.into_parts();
    // The handlers build each body in memory, so collecting it costs no extra copy.
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(e) => {
            return ApiError::Internal(format!("reading a response body: {e}"))
                .into_response_for(version)
        }
    };
    let bytes = (ceiling.measure)(&parts.headers, &body);
    if bytes <= ceiling.max_bytes {
        return Response::from_parts(parts, Body::from(body));
    }
    tracing::warn!(
        bytes,
        max_bytes = ceiling.max_bytes,
        "a response over the host's ceiling was refused"
    );
    let mut refusal = ApiError::ResponseTooLarge {
        bytes,
        max: ceiling.max_bytes,
        host_form: ceiling.host_form,
        compressed: parts.headers.contains_key(header::CONTENT_ENCODING),
    }
    .into_response_for(version);
    // Keeps the tenant for the request log.
    *refusal.extensions_mut() = parts.extensions;
    refusal
}
