//! `POST /token`: the OAuth 2 client-credentials grant (RFC 6749 §4.4) that SDS calls first.
//!
//! The only client is UMS's `WebserviceUser`, whose secret lives in the tenant database's
//! `WebServicesSettings` table, where school admins read it today.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::error::OAuthError;
use super::{AppState, TenantId};
use crate::auth::client::{self, Credentials};
use crate::auth::scope::{self, Scope};
use crate::tenants::Tenant;

/// The form fields of a token request.
#[derive(Default)]
struct TokenForm {
    grant_type: Option<String>,
    scope: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn read_form(body: &[u8]) -> Result<TokenForm, OAuthError> {
    let mut form = TokenForm::default();
    for (name, value) in form_urlencoded::parse(body) {
        let slot = match name.as_ref() {
            "grant_type" => &mut form.grant_type,
            "scope" => &mut form.scope,
            "client_id" => &mut form.client_id,
            "client_secret" => &mut form.client_secret,
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(OAuthError::InvalidRequest(format!(
                "the parameter '{name}' is repeated"
            )));
        }
    }
    Ok(form)
}

/// Basic credentials or form credentials, but not both (RFC 6749 §2.3).
fn credentials(headers: &HeaderMap, form: &TokenForm) -> Result<Credentials, OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(|v| client::from_basic(v).ok_or(OAuthError::InvalidClient))
        .transpose()?;
    match (basic, &form.client_id, &form.client_secret) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(OAuthError::InvalidRequest(
            "send client credentials either in the Authorization header or in the body, not both"
                .into(),
        )),
        (Some(creds), None, None) => Ok(creds),
        (None, Some(id), Some(secret)) => Ok(Credentials {
            client_id: id.clone(),
            client_secret: secret.clone(),
        }),
        _ => Err(OAuthError::InvalidClient),
    }
}

fn granted_scopes(
    requested: Option<&str>,
    allowed: &[Scope],
    default: &[Scope],
) -> Result<Vec<Scope>, OAuthError> {
    let Some(requested) = requested.filter(|s| !s.trim().is_empty()) else {
        return Ok(default.to_vec());
    };
    let scopes = scope::parse_list(requested).map_err(OAuthError::InvalidScope)?;
    if scopes.iter().any(|s| !allowed.contains(s)) {
        return Err(OAuthError::ScopeNotGranted);
    }
    Ok(scopes)
}

/// Issues an access token.
pub async fn issue(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
        Ok(body) => body,
        Err(_) => {
            return OAuthError::InvalidRequest("the request body is too large".into())
                .into_response()
        }
    };
    let tenant = match state.tenant(&parts).await {
        Ok(tenant) => tenant,
        Err(error) => return OAuthError::from(error).into_response(),
    };
    let result = match issue_token(&tenant, &parts.headers, &body).await {
        Err(error) if error.may_follow_rotation() => match state.tenants.refresh(&tenant).await {
            Some(fresh) => issue_token(&fresh, &parts.headers, &body).await,
            None => Err(error),
        },
        result => result,
    };
    let mut response = result.unwrap_or_else(IntoResponse::into_response);
    response
        .extensions_mut()
        .insert(TenantId(tenant.id.clone()));
    response
}

/// Token requests are a few form fields; anything larger is refused before parsing.
const MAX_FORM_BYTES: usize = 16 * 1024;

async fn issue_token(
    tenant: &Tenant,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, OAuthError> {
    if let Some(why) = &tenant.refusal {
        return Err(OAuthError::Unlicensed(why.clone()));
    }
    let form = read_form(body)?;
    match form.grant_type.as_deref() {
        None => return Err(OAuthError::InvalidRequest("grant_type is missing".into())),
        Some("client_credentials") => {}
        Some(_) => return Err(OAuthError::UnsupportedGrantType),
    }
    let creds = credentials(headers, &form)?;
    let policy = &tenant.clients;
    if !policy.client_ids.contains(&creds.client_id) {
        return Err(OAuthError::InvalidClient);
    }
    let authentic = match policy.secret_hashes.get(&creds.client_id) {
        Some(hash) => client::secret_matches_hash(&creds.client_secret, hash),
        None => {
            let stored = tenant.store.client_secret(&creds.client_id).await?;
            stored.is_some_and(|stored| client::secret_matches(&creds.client_secret, &stored))
        }
    };
    if !authentic {
        tracing::warn!(client_id = %creds.client_id, "token request with a wrong client secret");
        return Err(OAuthError::InvalidClient);
    }
    let scopes = granted_scopes(
        form.scope.as_deref(),
        &policy.allowed_scopes,
        &policy.default_scopes,
    )?;
    let issued = tenant.tokens.issue(&creds.client_id, &scopes)?;
    let mut response = Json(json!({
        "access_token": issued.access_token,
        "token_type": "bearer",
        "expires_in": issued.expires_in,
        "scope": issued.scope,
    }))
    .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(response)
}
