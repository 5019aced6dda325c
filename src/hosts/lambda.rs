//! The AWS Lambda host: the one router behind API Gateway, through lambda_http. It takes REST API
//! (payload v1) and HTTP API (payload v2) events, buffered or as a response stream.
//!
//! The configuration, the tenant source and the router are built once, before the first poll of
//! the runtime API, and reused by every invocation of the instance (tenants, with their stores
//! and keys, are cached per instance by the tenant source). A start-up failure is reported to
//! Lambda as an init error with the reason.

pub mod payload;

use std::ffi::OsString;

use axum::http::uri::PathAndQuery;
use axum::http::Uri;
use axum::Router;
use clap::{Parser, ValueEnum};
use lambda_http::request::RequestContext;
use lambda_http::RequestExt;
use tower::ServiceBuilder;

use crate::cli::serve::{self, CliError, ServeArgs};
use crate::http::ceiling::ResponseCeiling;

/// How responses go back to Lambda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResponseMode {
    /// One JSON document per response, at most 6 MB: any trigger (REST API, HTTP API, Function
    /// URL in BUFFERED mode).
    Buffered,
    /// A response stream: a REST API integration with `responseTransferMode = STREAM`, or a
    /// Function URL in RESPONSE_STREAM mode. Lambda must be invoked for streaming.
    Stream,
}

impl ResponseMode {
    fn ceiling(self) -> ResponseCeiling {
        match self {
            ResponseMode::Buffered => payload::BUFFERED,
            ResponseMode::Stream => payload::STREAMED,
        }
    }
}

/// The Lambda host's configuration, all from the function's environment.
#[derive(Debug, Parser)]
#[command(name = "bootstrap", no_binary_name = true)]
struct LambdaArgs {
    #[command(flatten)]
    serve: ServeArgs,
    /// How responses go back to Lambda; must match how the function is invoked.
    #[arg(
        long,
        env = "UMS_LAMBDA_RESPONSE_MODE",
        value_enum,
        default_value_t = ResponseMode::Buffered
    )]
    response_mode: ResponseMode,
}

/// Serves invocations until Lambda stops the instance.
pub fn run() -> Result<(), CliError> {
    let args = LambdaArgs::try_parse_from(std::iter::empty::<OsString>())?;
    // One invocation at a time per instance: a single-threaded runtime starts faster and
    // lighter; store calls still run on tokio's blocking pool.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(args))
}

async fn serve(args: LambdaArgs) -> Result<(), CliError> {
    let (_, mut state) = match serve::state(&args.serve, super::vault_from_variables).await {
        Ok(started) => started,
        Err(error) => {
            report_init_error(&error).await;
            return Err(error);
        }
    };
    state.response_ceiling = Some(args.response_mode.ceiling());
    let app = crate::http::app(state);
    tracing::info!(response_mode = ?args.response_mode, "serving Lambda invocations");
    let outcome = match args.response_mode {
        ResponseMode::Buffered => lambda_http::run(service(app)).await,
        ResponseMode::Stream => lambda_http::run_with_streaming_response(service(app)).await,
    };
    outcome.map_err(|e| e.to_string().into())
}

/// The router as the Lambda runtime calls it: with the path the client sent.
fn service(
    app: Router,
) -> impl tower::Service<
    lambda_http::Request,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future: Send,
> {
    let stage_added = std::env::var_os("AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH").is_none();
    ServiceBuilder::new()
        .map_request(move |request| {
            if stage_added {
                without_added_stage(request)
            } else {
                request
            }
        })
        .service(app)
}

/// lambda_http puts a named API Gateway stage in front of the path when the event's path lacks
/// it (unless `AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH` is set). The API is mapped at the root of
/// its custom domain, so the router must see the path without it.
fn without_added_stage(mut request: lambda_http::Request) -> lambda_http::Request {
    let stage = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(context)) => context.stage.clone(),
        Some(RequestContext::ApiGatewayV2(context)) => context.stage.clone(),
        _ => None,
    };
    let Some(prefix) = stage.filter(|s| s != "$default").map(|s| format!("/{s}")) else {
        return request;
    };
    if request.raw_http_path().starts_with(&format!("{prefix}/")) {
        return request;
    }
    if let Some(uri) = strip_path_prefix(request.uri(), &prefix) {
        *request.uri_mut() = uri;
    }
    request
}

/// `uri` without `prefix` at the start of its path (a whole segment), if it is there.
fn strip_path_prefix(uri: &Uri, prefix: &str) -> Option<Uri> {
    let rest = uri.path().strip_prefix(prefix)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let path = if rest.is_empty() { "/" } else { rest };
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(PathAndQuery::try_from(path_and_query).ok()?);
    Uri::from_parts(parts).ok()
}

/// Tells Lambda why the instance could not start (`/runtime/init/error`); Lambda then shows the
/// reason with the failed invocation instead of a bare exit status.
async fn report_init_error(error: &CliError) {
    let body = serde_json::json!({
        "errorType": "Runtime.InitError",
        "errorMessage": error.to_string(),
    })
    .to_string();
    let request = lambda_runtime_api_client::build_request()
        .method("POST")
        .uri("/2018-06-01/runtime/init/error")
        .header("Lambda-Runtime-Function-Error-Type", "Runtime.InitError")
        .header("Content-Type", "application/json")
        .body(lambda_runtime_api_client::body::Body::from(body));
    let client = lambda_runtime_api_client::PooledClient::builder().build();
    let sent = match request {
        Ok(request) => client.call(request).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    if let Err(e) = sent {
        tracing::error!(error = %e, "could not report the init error to the runtime API");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_prefix_is_removed_as_a_whole_segment() {
        let uri: Uri = "https://h.example/prod/ims/oneroster/v1p1/users?limit=5"
            .parse()
            .unwrap();
        assert_eq!(
            strip_path_prefix(&uri, "/prod").unwrap().to_string(),
            "https://h.example/ims/oneroster/v1p1/users?limit=5"
        );
        let production: Uri = "https://h.example/production/x".parse().unwrap();
        assert!(strip_path_prefix(&production, "/prod").is_none());
        let bare: Uri = "https://h.example/prod".parse().unwrap();
        assert_eq!(
            strip_path_prefix(&bare, "/prod").unwrap().to_string(),
            "https://h.example/"
        );
    }
}
