//! The one place where errors become HTTP responses: OneRoster status payloads for the data
//! routes (in the version's shape) and RFC 6749 §5.2 bodies for the token endpoint.
//!
//! Infrastructure causes are logged here and never sent: a client sees a generic description.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::auth::AuthError;
use crate::oneroster::query::QueryError;
use crate::oneroster::status::{CodeMinor, StatusInfo};
use crate::oneroster::vocab::Version;
use crate::store::StoreError;
use crate::tenants::ResolveError;

/// Seconds a client should wait before retrying when the service is busy.
const RETRY_AFTER_SECONDS: &str = "5";
const REALM: &str = "Bearer realm=\"ums-oneroster\"";

/// Why a OneRoster read failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error("{0}")]
    UnknownObject(String),
    #[error("no such route")]
    UnknownRoute,
    #[error("no OneRoster service at this address")]
    UnknownTenant,
    #[error("the tenant configuration is unavailable")]
    TenantUnavailable,
    #[error("{0}")]
    Unlicensed(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("too many requests")]
    Busy,
    #[error(
        "the response is {bytes} bytes as {host_form}, above the {max} bytes this host can return"
    )]
    ResponseTooLarge {
        bytes: usize,
        max: usize,
        host_form: &'static str,
        compressed: bool,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// Whether a fresh copy of the tenant's configuration could cure this failure.
    pub fn may_follow_rotation(&self) -> bool {
        matches!(
            self,
            ApiError::Auth(AuthError::RejectedSignature) | ApiError::Store(StoreError::Login(_))
        )
    }

    fn status_and_info(&self) -> (StatusCode, StatusInfo) {
        use StatusInfo as S;
        match self {
            ApiError::Query(e) => (
                StatusCode::BAD_REQUEST,
                S::failure(e.code_minor(), e.to_string()),
            ),
            ApiError::Auth(AuthError::InsufficientScope) => (
                StatusCode::FORBIDDEN,
                S::failure(CodeMinor::Forbidden, self.to_string()),
            ),
            ApiError::Auth(e) => (
                StatusCode::UNAUTHORIZED,
                S::failure(CodeMinor::Unauthorized, e.to_string()),
            ),
            ApiError::UnknownObject(what) => (
                StatusCode::NOT_FOUND,
                S::failure(CodeMinor::UnknownObject, what.clone()),
            ),
            ApiError::UnknownTenant => (
                StatusCode::NOT_FOUND,
                S::failure(CodeMinor::UnknownObject, self.to_string()),
            ),
            ApiError::Unlicensed(why) => (
                StatusCode::FORBIDDEN,
                S::failure(CodeMinor::Forbidden, why.clone()),
            ),
            ApiError::UnknownRoute => (
                StatusCode::NOT_FOUND,
                S::failure(
                    CodeMinor::UnknownObject,
                    "no OneRoster operation has this path",
                ),
            ),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                S::failure(
                    CodeMinor::Unsupported,
                    "this service is read-only: only GET is allowed here",
                ),
            ),
            ApiError::Busy => (
                StatusCode::TOO_MANY_REQUESTS,
                S::failure(
                    CodeMinor::ServerBusy,
                    "too many requests in flight; retry later",
                ),
            ),
            ApiError::TenantUnavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                S::failure(
                    CodeMinor::ServerBusy,
                    "the service configuration is unavailable; retry later",
                ),
            ),
            ApiError::ResponseTooLarge {
                bytes,
                max,
                host_form,
                compressed,
            } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                S::failure(
                    CodeMinor::InvalidData,
                    too_large_advice(*bytes, *max, host_form, *compressed),
                ),
            ),
            ApiError::Store(StoreError::Unavailable(_) | StoreError::Login(_)) => (
                StatusCode::SERVICE_UNAVAILABLE,
                S::failure(
                    CodeMinor::ServerBusy,
                    "the roster database is unavailable; retry later",
                ),
            ),
            ApiError::Store(_) | ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                S::failure(CodeMinor::InternalServerError, "internal server error"),
            ),
        }
    }

    /// The response in `version`'s error shape.
    pub fn into_response_for(self, version: Version) -> Response {
        let (status, info) = self.status_and_info();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut response = (status, Json(info.body(version))).into_response();
        let headers = response.headers_mut();
        match status {
            StatusCode::UNAUTHORIZED => {
                let challenge = match self {
                    ApiError::Auth(AuthError::InvalidToken | AuthError::RejectedSignature) => {
                        format!("{REALM}, error=\"invalid_token\"")
                    }
                    _ => REALM.to_owned(),
                };
                if let Ok(value) = HeaderValue::from_str(&challenge) {
                    headers.insert(header::WWW_AUTHENTICATE, value);
                }
            }
            StatusCode::FORBIDDEN if matches!(self, ApiError::Auth(_)) => {
                let challenge = format!("{REALM}, error=\"insufficient_scope\"");
                if let Ok(value) = HeaderValue::from_str(&challenge) {
                    headers.insert(header::WWW_AUTHENTICATE, value);
                }
            }
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_static(RETRY_AFTER_SECONDS),
                );
            }
            StatusCode::METHOD_NOT_ALLOWED => {
                headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            }
            _ => {}
        }
        response
    }
}

/// What a client whose page is too large for the host should do: fewer records per page, and
/// gzip when it did not already get it.
fn too_large_advice(bytes: usize, max: usize, host_form: &str, compressed: bool) -> String {
    let gzip = if compressed {
        ""
    } else {
        ", or accept gzip (Accept-Encoding: gzip)"
    };
    format!(
        "this page would be {bytes} bytes as {host_form}, above the {max} bytes this deployment \
         can return in one response; request fewer records per page (a smaller limit){gzip}"
    )
}

impl From<ResolveError> for ApiError {
    fn from(error: ResolveError) -> ApiError {
        match error {
            ResolveError::UnknownTenant => ApiError::UnknownTenant,
            ResolveError::Unavailable => ApiError::TenantUnavailable,
        }
    }
}

impl From<ResolveError> for OAuthError {
    fn from(error: ResolveError) -> OAuthError {
        match error {
            ResolveError::UnknownTenant => OAuthError::UnknownTenant,
            ResolveError::Unavailable => OAuthError::TenantUnavailable,
        }
    }
}

/// Why a token request failed (RFC 6749 §5.2).
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error("client authentication failed")]
    InvalidClient,
    #[error("only grant_type=client_credentials is supported")]
    UnsupportedGrantType,
    #[error("unknown scope: {0}")]
    InvalidScope(String),
    #[error("the requested scope exceeds the client's grant")]
    ScopeNotGranted,
    #[error("no OneRoster service at this address")]
    UnknownTenant,
    #[error("the tenant configuration is unavailable")]
    TenantUnavailable,
    #[error("{0}")]
    Unlicensed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Auth(#[from] AuthError),
}

impl OAuthError {
    /// Whether a fresh copy of the tenant's configuration could cure this failure: a client
    /// secret held in the vault, or the database login, may have been rotated.
    pub fn may_follow_rotation(&self) -> bool {
        matches!(
            self,
            OAuthError::InvalidClient | OAuthError::Store(StoreError::Login(_))
        )
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            OAuthError::InvalidRequest(_) => (StatusCode::BAD_REQUEST, "invalid_request"),
            OAuthError::InvalidClient => (StatusCode::UNAUTHORIZED, "invalid_client"),
            OAuthError::UnsupportedGrantType => (StatusCode::BAD_REQUEST, "unsupported_grant_type"),
            OAuthError::UnknownTenant => (StatusCode::NOT_FOUND, "invalid_request"),
            OAuthError::Unlicensed(_) => (StatusCode::FORBIDDEN, "unauthorized_client"),
            OAuthError::InvalidScope(_) | OAuthError::ScopeNotGranted => {
                (StatusCode::BAD_REQUEST, "invalid_scope")
            }
            OAuthError::TenantUnavailable
            | OAuthError::Store(StoreError::Unavailable(_) | StoreError::Login(_)) => {
                (StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable")
            }
            OAuthError::Store(_) | OAuthError::Auth(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "server_error")
            }
        };
        let description = if status.is_server_error() {
            tracing::error!(error = %self, "token request failed");
            "the token service failed; retry later".to_owned()
        } else {
            self.to_string()
        };
        let mut response = (
            status,
            Json(json!({"error": code, "error_description": description})),
        )
            .into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"ums-oneroster\""),
            );
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}
