//! A fake Lambda Runtime API driving the real `rekey-function` binary, as
//! AWS would: it hands out API Gateway HTTP API (payload v2) events and
//! collects the answers. Used by the Lambda tests and the server benchmark.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot, Mutex};

use crate::server::Server;

/// The Runtime API: hands out queued events, collects the answers.
pub struct FakeRuntime {
    events: Mutex<mpsc::Receiver<(String, String)>>,
    waiting: Mutex<HashMap<String, oneshot::Sender<Value>>>,
}

async fn next(State(rt): State<Arc<FakeRuntime>>) -> impl IntoResponse {
    let (id, event) = rt.events.lock().await.recv().await.expect("test ended");
    let mut headers = HeaderMap::new();
    let deadline = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        + 30_000;
    headers.insert(
        "lambda-runtime-aws-request-id",
        HeaderValue::from_str(&id).unwrap(),
    );
    headers.insert(
        "lambda-runtime-deadline-ms",
        HeaderValue::from_str(&deadline.to_string()).unwrap(),
    );
    headers.insert(
        "lambda-runtime-invoked-function-arn",
        HeaderValue::from_static("arn:aws:lambda:us-east-1:123456789012:function:rekey"),
    );
    headers.insert(
        "lambda-runtime-trace-id",
        HeaderValue::from_static("Root=1-00000000-000000000000000000000000"),
    );
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    (headers, event)
}

async fn respond(
    State(rt): State<Arc<FakeRuntime>>,
    UrlPath(id): UrlPath<String>,
    body: axum::body::Bytes,
) -> StatusCode {
    // The runtime client sends no content type: parse the bytes ourselves.
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if let Some(tx) = rt.waiting.lock().await.remove(&id) {
        let _ = tx.send(body);
    }
    StatusCode::ACCEPTED
}

async fn failed(
    State(rt): State<Arc<FakeRuntime>>,
    UrlPath(id): UrlPath<String>,
    body: String,
) -> StatusCode {
    if let Some(tx) = rt.waiting.lock().await.remove(&id) {
        let _ = tx.send(serde_json::json!({"invocation_error": body}));
    }
    StatusCode::ACCEPTED
}

pub struct Function {
    child: Child,
    events: mpsc::Sender<(String, String)>,
    runtime: Arc<FakeRuntime>,
    pub started: Instant,
}

impl Drop for Function {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Function {
    /// Starts the binary with the variables Lambda sets, plus `env`.
    pub async fn start(env: &[(&str, String)]) -> Function {
        Self::start_binary(&Server::binary(), env).await
    }

    /// [`Function::start`] with another build of the binary (the release
    /// build, for the benchmark).
    pub async fn start_binary(bin: &Path, env: &[(&str, String)]) -> Function {
        let (tx, rx) = mpsc::channel(8);
        let runtime = Arc::new(FakeRuntime {
            events: Mutex::new(rx),
            waiting: Mutex::new(HashMap::new()),
        });
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(respond),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(failed))
            .with_state(Arc::clone(&runtime));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move { axum::serve(listener, app).await });

        assert!(
            bin.exists(),
            "{} is missing: build rekey-function first",
            bin.display()
        );
        let started = Instant::now();
        let child = Command::new(bin)
            .env("AWS_LAMBDA_RUNTIME_API", &api)
            .env("AWS_LAMBDA_FUNCTION_NAME", "rekey")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/24/[$LATEST]test")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/rekey")
            .env("REKEY_PUBLIC_URL", "https://rekey.example.com/")
            .env("RUST_LOG", "warn")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start rekey-function");
        Function {
            child,
            events: tx,
            runtime,
            started,
        }
    }

    /// The admin's reset of `user_id` (the reset fixture), as invocation `id`.
    pub async fn reset(&self, id: &str, session: &str, user_id: &str) -> Value {
        self.invoke(
            id,
            fixture("reset.json", &[("session", session), ("user_id", user_id)]),
        )
        .await
    }

    /// Feeds one event and waits for the function's answer.
    pub async fn invoke(&self, id: &str, event: String) -> Value {
        let (tx, rx) = oneshot::channel();
        self.runtime.waiting.lock().await.insert(id.to_string(), tx);
        self.events.send((id.to_string(), event)).await.unwrap();
        tokio::time::timeout(Duration::from_secs(30), rx)
            .await
            .expect("the function answered in time")
            .unwrap()
    }
}

/// An answer's JSON body (API Gateway v2 carries it as a string).
pub fn json_body(answer: &Value) -> Value {
    serde_json::from_str(answer["body"].as_str().expect("a body")).expect("a JSON body")
}

/// The session token in a `Set-Cookie` value.
pub fn session_of(cookie: &str) -> &str {
    cookie.split(';').next().unwrap().split_once('=').unwrap().1
}

pub fn fixture(name: &str, vars: &[(&str, &str)]) -> String {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/lambda")
        .join(name);
    let mut text = std::fs::read_to_string(path).unwrap();
    for (k, v) in vars {
        text = text.replace(&format!("{{{{{k}}}}}"), v);
    }
    text
}

/// An API Gateway HTTP API (payload v2) event, for requests the fixtures
/// do not cover. A form body travels base64-encoded, as API Gateway sends
/// it.
pub fn http_event(
    method: &str,
    path: &str,
    query: &str,
    cookies: &[&str],
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> String {
    use base64::Engine;
    let mut h = serde_json::Map::new();
    h.insert(
        "host".into(),
        "abc123.execute-api.us-east-1.amazonaws.com".into(),
    );
    h.insert("origin".into(), "https://rekey.example.com".into());
    h.insert("x-forwarded-proto".into(), "https".into());
    for (k, v) in headers {
        h.insert((*k).into(), (*v).into());
    }
    let form = headers
        .iter()
        .any(|(k, v)| *k == "content-type" && v.starts_with("application/x-www-form-urlencoded"));
    let (body, encoded) = match body {
        Some(b) if form => (
            Value::from(base64::engine::general_purpose::STANDARD.encode(b)),
            true,
        ),
        Some(b) => (Value::from(b), false),
        None => (Value::Null, false),
    };
    serde_json::json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "cookies": cookies,
        "headers": h,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                     "sourceIp": "198.51.100.7", "userAgent": "Mozilla/5.0"},
            "requestId": "oauth",
            "routeKey": "$default",
            "stage": "$default",
            "time": "24/Nov/2026:18:00:02 +0000",
            "timeEpoch": 1795543202000i64
        },
        "body": body,
        "isBase64Encoded": encoded
    })
    .to_string()
}
