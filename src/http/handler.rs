//! The one handler behind every rostering read, in both trees: authenticate, parse the list
//! parameters, ask the store, render the version's representation.

use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::Response;

use super::error::ApiError;
use super::response;
use super::routes::{Operation, Shape};
use super::AppState;
use crate::auth::{AuthError, Claims};
use crate::oneroster::primitives::Hrefs;
use crate::oneroster::query::ListQuery;
use crate::oneroster::vocab::Version;
use crate::store::{Restriction, Selection};

/// Serves `operation` in `version`'s tree.
pub async fn read(
    state: AppState,
    version: Version,
    operation: &'static Operation,
    request: Request,
) -> Response {
    let (mut parts, _) = request.into_parts();
    match serve(&state, version, operation, &mut parts).await {
        Ok(response) => response,
        Err(error) => error.into_response_for(version),
    }
}

async fn serve(
    state: &AppState,
    version: Version,
    operation: &'static Operation,
    parts: &mut Parts,
) -> Result<Response, ApiError> {
    let claims = authenticate(state, parts)?;
    if !operation.requirement.is_met(version, &claims.scopes()) {
        return Err(AuthError::InsufficientScope.into());
    }
    let ids = path_ids(parts).await?;
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let mut query = match operation.shape {
        Shape::Collection => ListQuery::parse(&raw_query)?,
        Shape::Single => ListQuery {
            limit: 1,
            ..ListQuery::parse_single(&raw_query)?
        },
    };
    let warnings = query.check(operation.entity)?;
    let mut restrictions = (operation.restrict)(&ids);
    if operation.shape == Shape::Single {
        restrictions.push(Restriction::column(
            "sourcedId",
            ids.last().cloned().unwrap_or_default(),
        ));
    }
    let origin = state.origin(parts);
    let selection = Selection {
        entity: operation.entity,
        restrictions,
        query,
        hrefs: Hrefs::new(format!("{origin}{}", version.base_path())),
    };
    let page = state.store.list(&selection).await?;
    let fields = selection.query.fields.as_deref();
    match operation.shape {
        Shape::Single => {
            let record = page.records.first().ok_or_else(|| {
                ApiError::UnknownObject(format!(
                    "there is no {} with sourcedId '{}'",
                    operation.envelope,
                    ids.last().map_or("", String::as_str)
                ))
            })?;
            let body = response::single_body(operation.envelope, record, fields, &warnings)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(response::ok_json(body, 1, None))
        }
        Shape::Collection => {
            let body =
                response::collection_body(operation.envelope, &page.records, fields, &warnings)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
            let url = format!("{origin}{}", parts.uri.path());
            let link = response::link_header(
                &url,
                &raw_query,
                selection.query.limit,
                selection.query.offset,
                page.total,
            );
            Ok(response::ok_json(body, page.total, Some(link)))
        }
    }
}

/// The bearer token's claims, verified.
fn authenticate(state: &AppState, parts: &Parts) -> Result<Claims, AuthError> {
    let header = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(AuthError::MissingToken)?;
    let (scheme, token) = header
        .trim()
        .split_once(' ')
        .ok_or(AuthError::MissingToken)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::MissingToken);
    }
    state.tokens.verify(token.trim())
}

/// The path parameters in path order (percent-decoded by the router).
async fn path_ids(parts: &mut Parts) -> Result<Vec<String>, ApiError> {
    match RawPathParams::from_request_parts(parts, &()).await {
        Ok(params) => Ok(params.iter().map(|(_, value)| value.to_owned()).collect()),
        Err(_) if !parts.uri.path().contains('%') => Ok(Vec::new()),
        Err(_) => Err(ApiError::UnknownObject(
            "a path parameter is not valid UTF-8".to_owned(),
        )),
    }
}
