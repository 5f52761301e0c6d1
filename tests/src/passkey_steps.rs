//! Passkey ceremonies as a browser walks them against a `TestApp` named
//! `localhost` (passkeys need a host name, not an IP address), the
//! software passkey answering.

use std::sync::Arc;

use rekey_function::ports::Clock;
use serde_json::{json, Value};

use crate::soft_passkey::SoftPasskey;
use crate::{spawn_app_configured, Session, TestApp};

/// A test app reached as `http://localhost:PORT`.
pub async fn spawn_passkey_app(clock: Arc<dyn Clock>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let store =
        rekey_function::adapters::sqlite::SqliteStore::open(&dir.path().join("rekey.db")).unwrap();
    spawn_app_configured(Arc::new(store), clock, dir, |s| {
        s.public_url = s.public_url.replace("127.0.0.1", "localhost");
    })
    .await
}

/// A ceremony's start: the options and the ceremony id.
pub async fn start(app: &TestApp, path: &str, cookie: Option<&str>, body: &Value) -> Value {
    let resp = post(app, path, cookie, body).await;
    assert_eq!(resp.status(), 200, "{path}");
    resp.json().await.unwrap()
}

/// POST as the page does, with whatever cookie the step needs.
pub async fn post(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url(path))
        .header("origin", &app.address)
        .json(body);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    req.send().await.unwrap()
}

/// The finish's body for a start and the authenticator's answer.
pub fn answer(challenge: &Value, credential: Value) -> Value {
    json!({ "ceremony": challenge["ceremony"], "credential": credential })
}

/// Registers `key` as a passkey of the session's user: the finish's
/// response (201 and Security info when it worked).
pub async fn register(
    app: &TestApp,
    session: &Session,
    key: &mut SoftPasskey,
    name: &str,
) -> reqwest::Response {
    let challenge = start(
        app,
        "/api/me/methods/passkeys/options",
        Some(&session.cookie),
        &json!({ "name": name }),
    )
    .await;
    let credential = key.register(&challenge["options"]);
    post(
        app,
        "/api/me/methods/passkeys",
        Some(&session.cookie),
        &answer(&challenge, credential),
    )
    .await
}

/// A sign-in with the passkey alone: the finish's response.
pub async fn sign_in(app: &TestApp, key: &mut SoftPasskey) -> reqwest::Response {
    let challenge = start(app, "/api/auth/passkey/options", None, &json!({})).await;
    let credential = key.assert(&challenge["options"]);
    post(
        app,
        "/api/auth/passkey",
        None,
        &answer(&challenge, credential),
    )
    .await
}
