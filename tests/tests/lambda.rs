//! The real `rekey-function` binary under a fake Lambda Runtime API: it
//! pulls API Gateway HTTP API (payload v2) events from the checked-in
//! fixtures and posts its responses back, as it would on AWS.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use rekey_function::adapters::dynamodb::DynamoStore;
use rekey_function::adapters::sqlite::SqliteStore;
use rekey_function::domain::hashing::{HashParams, Hasher};
use rekey_function::domain::secret::Secret;
use rekey_function::domain::user::UserRecord;
use rekey_function::ports::Store;
use rekey_function::seed::user_record;
use rekey_shared::Role;
use rekey_tests::dynamodb::{fresh_table, store_env};
use rekey_tests::server::Server;
use rekey_tests::ses::SesEmulator;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot, Mutex};

const PASSWORD: &str = "fixture password for lambda tests";

/// The Runtime API: hands out queued events, collects the answers.
struct FakeRuntime {
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

struct Function {
    child: Child,
    events: mpsc::Sender<(String, String)>,
    runtime: Arc<FakeRuntime>,
    started: Instant,
}

impl Drop for Function {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Function {
    /// Starts the binary with the variables Lambda sets, plus `env`.
    async fn start(env: &[(&str, String)]) -> Function {
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

        let bin = Server::binary();
        assert!(bin.exists(), "run `cargo build -p rekey-function` first");
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
    async fn reset(&self, id: &str, session: &str, user_id: &str) -> Value {
        self.invoke(
            id,
            fixture("reset.json", &[("session", session), ("user_id", user_id)]),
        )
        .await
    }

    /// Feeds one event and waits for the function's answer.
    async fn invoke(&self, id: &str, event: String) -> Value {
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
fn json_body(answer: &Value) -> Value {
    serde_json::from_str(answer["body"].as_str().expect("a body")).expect("a JSON body")
}

/// The session token in a `Set-Cookie` value.
fn session_of(cookie: &str) -> &str {
    cookie.split(';').next().unwrap().split_once('=').unwrap().1
}

fn fixture(name: &str, vars: &[(&str, &str)]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/lambda")
        .join(name);
    let mut text = std::fs::read_to_string(path).unwrap();
    for (k, v) in vars {
        text = text.replace(&format!("{{{{{k}}}}}"), v);
    }
    text
}

/// The fixtures' accounts (the admin the sign-in fixture names, and Megan)
/// in `store`; returns Megan.
async fn seed_fixture_users(store: &dyn Store, hasher: &Hasher) -> UserRecord {
    let hash = hasher.hash_blocking(&Secret::new(PASSWORD.into())).unwrap();
    let admin = user_record(
        "fixture.admin",
        "Fiona Fixture",
        Role::GlobalAdmin,
        None,
        hash.clone(),
        0,
    );
    let megan = user_record("megan.bowen", "Megan Bowen", Role::User, None, hash, 0);
    store.insert_users(&[admin, megan.clone()]).await.unwrap();
    megan
}

/// Leaves a cold-start figure in `target/` for the test command to print.
fn report_cold_start(file: &str, what: &str, took: Duration) {
    std::fs::write(
        Server::binary().parent().unwrap().parent().unwrap().join(file),
        format!(
            "lambda cold start (debug build, {what}, process start to first response, incl. one argon2id verify): {} ms\n",
            took.as_millis()
        ),
    )
    .unwrap();
}

#[tokio::test]
async fn the_binary_serves_sign_in_users_and_a_reset_through_the_lambda_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rekey.db");
    let store = SqliteStore::open(&db).unwrap();
    let hasher = Hasher::new(HashParams::default(), 1).unwrap();
    let megan = seed_fixture_users(&store, &hasher).await;
    drop(store);

    let function = Function::start(&[
        ("REKEY_DB_PATH", db.display().to_string()),
        (
            "REKEY_OUTBOX_DIR",
            dir.path().join("outbox").display().to_string(),
        ),
        ("REKEY_DATA_DIR", dir.path().display().to_string()),
    ])
    .await;

    // Sign-in: 200, the session cookie in the v2 response's `cookies`.
    let signed_in = function
        .invoke(
            "sign-in-1",
            fixture("sign-in.json", &[("password", PASSWORD)]),
        )
        .await;
    let cold_start = function.started.elapsed();
    assert_eq!(signed_in["statusCode"], 200, "{signed_in}");
    let cookies: Vec<&str> = signed_in["cookies"]
        .as_array()
        .expect("cookies")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let cookie = cookies
        .iter()
        .find(|c| c.starts_with("__Host-rekey_session="))
        .expect("a session cookie");
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    let session = session_of(cookie);
    let body = json_body(&signed_in);
    assert_eq!(body["user"]["username"], "fixture.admin");

    // Users list, with the session.
    let listed = function
        .invoke(
            "users-1",
            fixture("users-list.json", &[("session", session)]),
        )
        .await;
    assert_eq!(listed["statusCode"], 200, "{listed}");
    let page = json_body(&listed);
    assert_eq!(page["users"][0]["username"], "megan.bowen");
    assert_eq!(page["users"].as_array().unwrap().len(), 1);

    // A reset.
    let reset = function.reset("reset-1", session, &megan.id).await;
    assert_eq!(reset["statusCode"], 200, "{reset}");
    let result = json_body(&reset);
    assert_eq!(result["must_change_password"], true);
    assert_eq!(result["password"].as_str().unwrap().chars().count(), 16);

    // A forged Origin is refused under Lambda too.
    let forged = fixture(
        "reset.json",
        &[("session", session), ("user_id", &megan.id)],
    )
    .replace("https://rekey.example.com", "https://evil.example");
    let refused = function.invoke("reset-2", forged).await;
    assert_eq!(refused["statusCode"], 403, "{refused}");

    // A reset request is handled before the answer under Lambda (the
    // environment freezes after it): the admin's email is already written.
    let asked = function
        .invoke("request-1", fixture("password-request.json", &[]))
        .await;
    assert_eq!(asked["statusCode"], 202, "{asked}");
    let emails = rekey_function::adapters::outbox::list_entries(&dir.path().join("outbox"));
    assert!(
        emails
            .iter()
            .any(|m| m.to == "fixture.admin@contoso.example"
                && m.subject == "Megan Bowen asked for a new password"),
        "the request email is sent before the answer"
    );
    let unknown = fixture("password-request.json", &[]).replace("megan.bowen", "nobody.here");
    let unknown = function.invoke("request-2", unknown).await;
    assert_eq!(unknown["statusCode"], asked["statusCode"]);
    assert_eq!(unknown["body"], asked["body"]);

    report_cold_start("lambda-cold-start.txt", "SQLite", cold_start);
}

/// The deployed configuration on this machine: the Lambda runtime, the
/// DynamoDB store (moto) and SES (aws-ses-v2-local), as template.yaml sets
/// them up.
#[tokio::test]
async fn the_deployed_configuration_runs_under_lambda_on_dynamodb_and_ses() {
    let ses = SesEmulator::start().await;
    let table = fresh_table().await;
    let store = DynamoStore::new(rekey_tests::dynamodb::client(), &table);
    let hasher = Hasher::new(HashParams::default(), 1).unwrap();
    let megan = seed_fixture_users(&store, &hasher).await;

    let mut env = store_env(&table);
    env.extend([
        ("REKEY_MAILER", "ses".to_string()),
        ("REKEY_SEED_DEMO", "false".to_string()),
        ("AWS_ENDPOINT_URL_SESV2", ses.url.clone()),
    ]);
    let function = Function::start(&env).await;

    let signed_in = function
        .invoke(
            "sign-in-1",
            fixture("sign-in.json", &[("password", PASSWORD)]),
        )
        .await;
    let cold_start = function.started.elapsed();
    assert_eq!(signed_in["statusCode"], 200, "{signed_in}");
    let cookie = signed_in["cookies"][0].as_str().unwrap();
    let session = session_of(cookie);

    let reset = function.reset("reset-1", session, &megan.id).await;
    assert_eq!(reset["statusCode"], 200, "{reset}");
    let result = json_body(&reset);
    assert_eq!(result["version"], 1);

    // Written to the table, and the user's notice went through SES.
    let stored = store.user_by_id(&megan.id).await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    assert!(stored.must_change_password);
    assert!(
        hasher
            .verify(
                Secret::new(result["password"].as_str().unwrap().into()),
                Some(stored.password_hash)
            )
            .await
    );
    let emails = ses.emails().await;
    assert!(
        emails
            .iter()
            .any(|m| m["subject"] == "Your Contoso password was changed"
                && m["destination"]["to"][0] == "megan.bowen@contoso.example"),
        "{emails:#?}"
    );

    report_cold_start(
        "lambda-cold-start-dynamodb.txt",
        "DynamoDB emulator + SES, incl. DescribeTable",
        cold_start,
    );
}
