//! The one handler behind every rostering read, in both trees: authenticate, parse the list
//! parameters, ask the store, render the version's representation.

use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::Response;

use super::error::ApiError;
use super::response;
use super::routes::{Operation, Shape};
use super::{AppState, TenantId};
use crate::auth::{AuthError, Claims};
use crate::oneroster::primitives::Hrefs;
use crate::oneroster::query::ListQuery;
use crate::oneroster::status::StatusInfo;
use crate::oneroster::v1p1::Record;
use crate::oneroster::v1p2;
use crate::oneroster::vocab::Version;
use crate::store::{Restriction, Selection};
use crate::tenants::Tenant;

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

/// Serves the request for its tenant; when the failure may come from rotated secrets (a token
/// signed with a key the tenant does not hold, a refused database login), once more with a
/// freshly fetched configuration.
async fn serve(
    state: &AppState,
    version: Version,
    operation: &'static Operation,
    parts: &mut Parts,
) -> Result<Response, ApiError> {
    let tenant = state.tenant(parts).await?;
    match serve_tenant(state, &tenant, version, operation, parts).await {
        Err(error) if error.may_follow_rotation() => match state.tenants.refresh(&tenant).await {
            Some(fresh) => serve_tenant(state, &fresh, version, operation, parts).await,
            None => Err(error),
        },
        result => result,
    }
}

async fn serve_tenant(
    state: &AppState,
    tenant: &Tenant,
    version: Version,
    operation: &'static Operation,
    parts: &mut Parts,
) -> Result<Response, ApiError> {
    if let Some(why) = &tenant.refusal {
        return Err(ApiError::Unlicensed(why.clone()));
    }
    let claims = authenticate(tenant, parts)?;
    if !operation.requirement.is_met(version, &claims.scopes()) {
        return Err(AuthError::InsufficientScope.into());
    }
    let ids = path_ids(parts).await?;
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let (query, warnings) = list_query(operation, version, &raw_query)?;
    let origin = state.origin(parts);
    let hrefs = Hrefs::new(format!("{origin}{}", version.base_path()));
    if version == Version::V1p2 {
        check_parents(tenant, operation, &ids, &hrefs).await?;
    }
    let selection = selection(operation, &ids, query, hrefs);
    let page = tenant.store.list(&selection).await?;
    let body = render(
        version,
        operation,
        &selection,
        page.records,
        &warnings,
        &ids,
    )?;
    let mut response = match operation.shape {
        Shape::Single => response::ok_json(body, 1, None),
        Shape::Collection => {
            // The router hands each tree the path below its base.
            let url = format!("{origin}{}{}", version.base_path(), parts.uri.path());
            let query = &selection.query;
            let link =
                response::link_header(&url, &raw_query, query.limit, query.offset, page.total);
            response::ok_json(body, page.total, Some(link))
        }
    };
    if version == Version::V1p2 {
        response::warning_headers(&mut response, &warnings);
    }
    response
        .extensions_mut()
        .insert(TenantId(tenant.id.clone()));
    Ok(response)
}

/// The checked list parameters and the warnings about names they dropped. A single-record read
/// takes only `fields`.
fn list_query(
    operation: &Operation,
    version: Version,
    raw_query: &str,
) -> Result<(ListQuery, Vec<StatusInfo>), ApiError> {
    let mut query = match operation.shape {
        Shape::Collection => ListQuery::parse(raw_query)?,
        Shape::Single => ListQuery {
            limit: 1,
            ..ListQuery::parse_single(raw_query)?
        },
    };
    let warnings = query.check(operation.entity, version)?;
    Ok((query, warnings))
}

/// What the store is asked for: the path's restrictions, plus the id of a single-record read.
fn selection(operation: &Operation, ids: &[String], query: ListQuery, hrefs: Hrefs) -> Selection {
    let mut restrictions = (operation.restrict)(ids);
    if operation.shape == Shape::Single {
        let id = ids.last().cloned().unwrap_or_default();
        restrictions.push(Restriction::column("sourcedId", id));
    }
    Selection {
        entity: operation.entity,
        restrictions,
        query,
        hrefs,
    }
}

/// In 1.2 a nested read whose parent does not exist is a 404 `unknownobject`.
async fn check_parents(
    tenant: &Tenant,
    operation: &Operation,
    ids: &[String],
    hrefs: &Hrefs,
) -> Result<(), ApiError> {
    for (parent, id) in operation.parents.iter().zip(ids) {
        let selection = Selection {
            entity: parent.entity,
            restrictions: parent.restrictions(id, ids),
            query: ListQuery {
                limit: 1,
                ..ListQuery::default()
            },
            hrefs: hrefs.clone(),
        };
        if tenant.store.list(&selection).await?.records.is_empty() {
            return Err(ApiError::UnknownObject(format!(
                "there is no {} with sourcedId '{id}'",
                parent.noun
            )));
        }
    }
    Ok(())
}

/// The body in `version`'s representation; 1.1 carries warnings in it, 1.2 cannot.
fn render(
    version: Version,
    operation: &Operation,
    selection: &Selection,
    records: Vec<Record>,
    warnings: &[StatusInfo],
    ids: &[String],
) -> Result<Vec<u8>, ApiError> {
    let fields = selection.query.fields.as_deref();
    let envelope = operation.envelope;
    let body = match (version, operation.shape) {
        (Version::V1p1, Shape::Collection) => {
            response::collection_body(envelope, &records, fields, warnings)
        }
        (Version::V1p2, Shape::Collection) => {
            let records: Vec<v1p2::Record> = records.into_iter().map(v1p2::Record::from).collect();
            response::collection_body(envelope, &records, fields, &[])
        }
        (_, Shape::Single) => {
            let record = records.into_iter().next().ok_or_else(|| {
                ApiError::UnknownObject(format!(
                    "there is no {envelope} with sourcedId '{}'",
                    ids.last().map_or("", String::as_str)
                ))
            })?;
            match version {
                Version::V1p1 => response::single_body(envelope, &record, fields, warnings),
                Version::V1p2 => {
                    response::single_body(envelope, &v1p2::Record::from(record), fields, &[])
                }
            }
        }
    };
    body.map_err(|e| ApiError::Internal(e.to_string()))
}

/// The bearer token's claims, verified.
fn authenticate(tenant: &Tenant, parts: &Parts) -> Result<Claims, AuthError> {
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
    tenant.tokens.verify(token.trim())
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
