//! The HTTP surface: the router that every host (local server, Lambda, Azure) runs.
//!
//! [`app`] builds the whole service from an [`AppState`]; tests drive the same function.
//!
//! Responses are gzip-compressed for clients that send `Accept-Encoding: gzip`, in every host:
//! a 5 000-record page shrinks 10 to 20 times, which matters most where a host caps the
//! response size (a buffered Lambda response, see [`ceiling`]) but also on any slow link.

pub mod ceiling;
pub mod error;
pub mod handler;
pub mod normalize;
pub mod openapi;
pub mod response;
pub mod routes;
pub mod telemetry;
pub mod token;

use std::collections::HashMap;
use std::sync::Arc;

use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::http::{header, request::Parts, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Extension, Json, Router};
use tower::ServiceBuilder;
use tower_http::add_extension::{AddExtension, AddExtensionLayer};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

use crate::auth::Scope;
use crate::oneroster::vocab::Version;
use crate::tenants::{ResolveError, Tenant, Tenants};
use ceiling::ResponseCeiling;
use error::ApiError;

/// Which clients may ask for tokens, and what they get.
#[derive(Debug, Clone)]
pub struct ClientPolicy {
    /// Client ids whose secrets are looked up in `WebServicesSettings`.
    pub client_ids: Vec<String>,
    /// Scopes a client may request.
    pub allowed_scopes: Vec<Scope>,
    /// Scopes granted when a request names none.
    pub default_scopes: Vec<Scope>,
    /// SHA-256 (hex) of secrets kept in the vault, by client id; they override the database.
    pub secret_hashes: HashMap<String, String>,
}

impl Default for ClientPolicy {
    fn default() -> Self {
        ClientPolicy {
            client_ids: vec!["WebserviceUser".to_owned()],
            allowed_scopes: Scope::all(),
            default_scopes: Scope::all(),
            secret_hashes: HashMap::new(),
        }
    }
}

/// Everything a request needs, shared by all requests of one instance.
#[derive(Clone)]
pub struct AppState {
    /// Finds each request's tenant (its store, keys and clients) from the Host.
    pub tenants: Arc<Tenants>,
    /// A fixed public origin (`https://host`) for hrefs and links; `None` derives it per request.
    pub public_origin: Option<String>,
    /// Requests served at once before new ones get 429.
    pub max_in_flight: usize,
    /// The heaviest response the host can deliver, if it is limited (a buffered Lambda response).
    pub response_ceiling: Option<ResponseCeiling>,
}

/// The tenant that served a request, left on the response for the request log.
#[derive(Debug, Clone)]
pub struct TenantId(pub String);

impl AppState {
    /// The tenant the request's Host names.
    pub async fn tenant(&self, parts: &Parts) -> Result<Arc<Tenant>, ResolveError> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .or(parts.uri.host())
            .unwrap_or("");
        self.tenants.resolve(host).await
    }

    /// The scheme and host clients reached us at, for absolute hrefs and `Link` URLs.
    pub fn origin(&self, parts: &Parts) -> String {
        if let Some(origin) = &self.public_origin {
            return origin.trim_end_matches('/').to_owned();
        }
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let scheme = header("x-forwarded-proto")
            .or(parts.uri.scheme_str())
            .unwrap_or("http");
        let host = header(header::HOST.as_str())
            .or(parts.uri.authority().map(|a| a.as_str()))
            .unwrap_or("localhost");
        format!("{scheme}://{host}")
    }
}

/// The tree a path belongs to, for the shape of its error bodies.
fn version_of(path: &str) -> Version {
    if path.contains("/v1p2") {
        Version::V1p2
    } else {
        Version::V1p1
    }
}

/// The tree serving a request: the one it is mounted in, else the one its path names.
fn tree_version(mounted: Option<Extension<Version>>, uri: &Uri) -> Version {
    mounted.map_or_else(|| version_of(uri.path()), |Extension(version)| version)
}

async fn unknown_route(mounted: Option<Extension<Version>>, uri: Uri) -> Response {
    ApiError::UnknownRoute.into_response_for(tree_version(mounted, &uri))
}

async fn method_not_allowed(mounted: Option<Extension<Version>>, uri: Uri) -> Response {
    ApiError::MethodNotAllowed.into_response_for(tree_version(mounted, &uri))
}

async fn discovery_v1p2(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    Json(openapi::rostering_v1p2(&state.origin(&parts))).into_response()
}

async fn whole_api(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    Json(openapi::whole_api(&state.origin(&parts))).into_response()
}

async fn health() -> Response {
    Json(serde_json::json!({"status": "ok"})).into_response()
}

/// Every rostering read, with paths relative to a tree's base. It is built once and mounted under
/// both bases; the mount tells each request its version.
///
/// Each handler holds the state itself rather than taking it from the router: `with_state` would
/// rebuild all 41 routes once more at every cold start.
fn rostering_tree(state: &AppState) -> Router {
    let mut router = Router::new();
    for operation in routes::OPERATIONS.iter() {
        let state = state.clone();
        router = router.route(
            operation.path,
            get(
                move |Extension(version): Extension<Version>, request: Request| {
                    handler::read(state.clone(), version, operation, request)
                },
            ),
        );
    }
    router
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
}

/// `tree` mounted as `version`'s tree.
fn mounted(tree: &Router, version: Version) -> AddExtension<Router, Version> {
    ServiceBuilder::new()
        .layer(AddExtensionLayer::new(version))
        .service(tree.clone())
}

/// The whole service.
pub fn app(state: AppState) -> Router {
    let max_in_flight = state.max_in_flight;
    let response_ceiling = state.response_ceiling;
    let tree = rostering_tree(&state);
    let routes = Router::new()
        .nest_service(Version::V1p1.base_path(), mounted(&tree, Version::V1p1))
        .nest_service(Version::V1p2.base_path(), mounted(&tree, Version::V1p2))
        .route("/token", post(token::issue))
        .route("/ims/oneroster/v1p1/token", post(token::issue))
        .route("/health", get(health))
        .route(openapi::WHOLE_API_PATH, get(whole_api))
        .route(
            &format!("{}{}", Version::V1p2.base_path(), openapi::DISCOVERY_PATH),
            get(discovery_v1p2),
        )
        .route(
            &format!("{}{}", Version::V1p2.base_path(), openapi::DISCOVERY_ALIAS),
            get(discovery_v1p2),
        )
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);
    let normalized = ServiceBuilder::new()
        .map_request(normalize::normalize)
        .service(routes);
    let overload = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(
            |uri: Uri, _: tower::BoxError| async move {
                ApiError::Busy.into_response_for(version_of(uri.path()))
            },
        ))
        .load_shed()
        .concurrency_limit(max_in_flight.max(1));
    Router::new()
        .fallback_service(normalized)
        .layer(overload)
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal("a handler panicked".into()).into_response_for(Version::V1p1)
        }))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            response_ceiling,
            ceiling::enforce,
        ))
        .layer(middleware::from_fn(telemetry::log_request))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
