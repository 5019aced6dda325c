//! A Lambda runtime API on loopback, as the Lambda service (or `cargo lambda watch`) offers it to
//! a function: `bootstrap` polls `/invocation/next` for events and posts each answer to
//! `/invocation/{id}/response` (buffered or streamed) or `/error`, and start-up failures to
//! `/init/error`. Shared by the cloud tests and the Lambda bench.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot, Notify};

const BASE: &str = "/2018-06-01/runtime";
/// The largest buffered response Lambda accepts (its error message names this figure); a
/// larger one fails the invocation, here as in Lambda.
pub const BUFFERED_PAYLOAD_LIMIT: usize = 6_291_556;
/// How long a test waits for the function before it fails.
const PATIENCE: Duration = Duration::from_secs(60);

/// What the function posted for one invocation.
#[derive(Debug)]
pub enum Reply {
    /// The posted payload, exactly as Lambda would weigh it.
    Response { payload: Bytes, streamed: bool },
    /// An invocation error (`/error`).
    Error(String),
}

struct Invocation {
    id: String,
    event: Vec<u8>,
    reply: oneshot::Sender<Reply>,
}

struct Shared {
    events: tokio::sync::Mutex<mpsc::Receiver<Invocation>>,
    replies: Mutex<HashMap<String, oneshot::Sender<Reply>>>,
    first_poll: OnceLock<Instant>,
    polled: Notify,
    init_error: OnceLock<String>,
    init_failed: Notify,
}

/// The emulator; it serves until dropped with its tokio runtime.
pub struct RuntimeApi {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    events: mpsc::Sender<Invocation>,
    next_id: std::sync::atomic::AtomicU64,
}

impl RuntimeApi {
    pub async fn start() -> RuntimeApi {
        let (events, receiver) = mpsc::channel(16);
        let shared = Arc::new(Shared {
            events: tokio::sync::Mutex::new(receiver),
            replies: Mutex::new(HashMap::new()),
            first_poll: OnceLock::new(),
            polled: Notify::new(),
            init_error: OnceLock::new(),
            init_failed: Notify::new(),
        });
        let app = Router::new()
            .route(&format!("{BASE}/invocation/next"), get(next))
            .route(
                &format!("{BASE}/invocation/{{id}}/response"),
                post(response),
            )
            .route(&format!("{BASE}/invocation/{{id}}/error"), post(error))
            .route(&format!("{BASE}/init/error"), post(init_error))
            .layer(axum::extract::DefaultBodyLimit::max(256 * 1024 * 1024))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        RuntimeApi {
            addr,
            shared,
            events,
            next_id: std::sync::atomic::AtomicU64::new(1),
        }
    }

    /// The variables Lambda gives a function's process.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_LAMBDA_RUNTIME_API", self.addr.to_string()),
            ("AWS_LAMBDA_FUNCTION_NAME", "ums-oneroster".into()),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512".into()),
            ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".into()),
            ("AWS_REGION", "eu-north-1".into()),
        ]
    }

    /// Hands `event` to the function and waits for its answer.
    pub async fn invoke(&self, event: &Value) -> Reply {
        let id = format!(
            "req-{}",
            self.next_id
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let (reply, answer) = oneshot::channel();
        let invocation = Invocation {
            id,
            event: serde_json::to_vec(event).unwrap(),
            reply,
        };
        self.events.send(invocation).await.unwrap();
        tokio::time::timeout(PATIENCE, answer)
            .await
            .expect("the function did not answer in time")
            .expect("the emulator dropped the invocation")
    }

    /// When the function first asked for an event.
    pub async fn first_poll(&self) -> Instant {
        let polled = self.shared.polled.notified();
        if let Some(at) = self.shared.first_poll.get() {
            return *at;
        }
        tokio::time::timeout(PATIENCE, polled)
            .await
            .expect("the function never polled");
        *self.shared.first_poll.get().unwrap()
    }

    /// The reason the function reported for failing to start.
    pub async fn init_error(&self) -> String {
        let failed = self.shared.init_failed.notified();
        if let Some(reason) = self.shared.init_error.get() {
            return reason.clone();
        }
        tokio::time::timeout(PATIENCE, failed)
            .await
            .expect("the function reported no init error");
        self.shared.init_error.get().unwrap().clone()
    }
}

async fn next(State(shared): State<Arc<Shared>>) -> Response {
    if shared.first_poll.set(Instant::now()).is_ok() {
        shared.polled.notify_waiters();
    }
    let Some(invocation) = shared.events.lock().await.recv().await else {
        // No more events will come: the function waits, as a frozen Lambda instance does.
        return std::future::pending().await;
    };
    shared
        .replies
        .lock()
        .unwrap()
        .insert(invocation.id.clone(), invocation.reply);
    let deadline = SystemTime::now().duration_since(UNIX_EPOCH).unwrap() + PATIENCE;
    (
        [
            ("lambda-runtime-aws-request-id", invocation.id),
            (
                "lambda-runtime-deadline-ms",
                deadline.as_millis().to_string(),
            ),
            (
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:eu-north-1:123456789012:function:ums-oneroster".to_owned(),
            ),
            (
                "lambda-runtime-trace-id",
                "Root=1-67890abc-0123456789abcdef01234567;Sampled=0".to_owned(),
            ),
            ("content-type", "application/json".to_owned()),
        ],
        invocation.event,
    )
        .into_response()
}

fn answer(shared: &Shared, id: &str, reply: Reply) -> StatusCode {
    match shared.replies.lock().unwrap().remove(id) {
        Some(waiting) => {
            let _ = waiting.send(reply);
            StatusCode::ACCEPTED
        }
        None => StatusCode::BAD_REQUEST,
    }
}

async fn response(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    payload: Bytes,
) -> StatusCode {
    let streamed = headers
        .get("lambda-runtime-function-response-mode")
        .is_some_and(|mode| mode == "streaming");
    if !streamed && payload.len() > BUFFERED_PAYLOAD_LIMIT {
        let reason = format!("Function.ResponseSizeTooLarge: {} bytes", payload.len());
        answer(&shared, &id, Reply::Error(reason));
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    answer(&shared, &id, Reply::Response { payload, streamed })
}

async fn error(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> StatusCode {
    let reason = String::from_utf8_lossy(&body).into_owned();
    answer(&shared, &id, Reply::Error(reason))
}

async fn init_error(State(shared): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    let _ = shared
        .init_error
        .set(String::from_utf8_lossy(&body).into_owned());
    shared.init_failed.notify_waiters();
    StatusCode::ACCEPTED
}

/// An HTTP response as API Gateway rebuilds it from the function's answer.
#[derive(Debug)]
pub struct GatewayResponse {
    pub status: u16,
    /// Header names in lower case, in order, repeated names kept.
    pub headers: Vec<(String, String)>,
    /// The body as the client receives it (still gzip if it was gzipped).
    pub body: Vec<u8>,
    /// The size of the payload the function posted: what Lambda's limits count.
    pub payload_bytes: usize,
}

impl GatewayResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Decodes the function's answer: a buffered JSON document or a streamed prelude and body.
    pub fn from_reply(reply: Reply) -> GatewayResponse {
        match reply {
            Reply::Error(reason) => panic!("the invocation failed: {reason}"),
            Reply::Response {
                payload,
                streamed: false,
            } => Self::buffered(&payload),
            Reply::Response {
                payload,
                streamed: true,
            } => Self::streamed(&payload),
        }
    }

    fn buffered(payload: &[u8]) -> GatewayResponse {
        let document: Value = serde_json::from_slice(payload).unwrap();
        let mut headers = Vec::new();
        // REST API answers carry multiValueHeaders, HTTP API answers plain headers.
        for (name, values) in document["multiValueHeaders"]
            .as_object()
            .into_iter()
            .flatten()
        {
            for value in values.as_array().unwrap() {
                headers.push((
                    name.to_ascii_lowercase(),
                    value.as_str().unwrap().to_owned(),
                ));
            }
        }
        for (name, value) in document["headers"].as_object().into_iter().flatten() {
            headers.push((
                name.to_ascii_lowercase(),
                value.as_str().unwrap().to_owned(),
            ));
        }
        let text = document["body"].as_str().unwrap_or("");
        let body = if document["isBase64Encoded"].as_bool().unwrap_or(false) {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap()
        } else {
            text.as_bytes().to_vec()
        };
        GatewayResponse {
            status: document["statusCode"].as_u64().unwrap() as u16,
            headers,
            body,
            payload_bytes: payload.len(),
        }
    }

    fn streamed(payload: &[u8]) -> GatewayResponse {
        const DELIMITER: &[u8] = &[0; 8];
        let split = payload
            .windows(DELIMITER.len())
            .position(|w| w == DELIMITER)
            .expect("a streamed response starts with a prelude and eight NUL bytes");
        let prelude: Value = serde_json::from_slice(&payload[..split]).unwrap();
        let headers = prelude["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.as_str().unwrap().to_owned()))
            .collect();
        GatewayResponse {
            status: prelude["statusCode"].as_u64().unwrap() as u16,
            headers,
            body: payload[split + DELIMITER.len()..].to_vec(),
            payload_bytes: payload.len(),
        }
    }
}
