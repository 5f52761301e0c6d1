//! Self-service password reset as a client walks it: the settings turned
//! on, an alternate address confirmed with the code from the outbox, a
//! flow started and its gates answered.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rekey_function::adapters::outbox::OutboxEntry;
use rekey_function::domain::session::token_hash;
use rekey_function::ports::ManualClock;
use serde_json::{json, Value};

use crate::{spawn_app_with_clock, Session, TestApp};

pub const MEGAN_ALT: &str = "megan.bowen@home.example";
pub const NEW_PASSWORD: &str = "a-long-and-new-Passphrase-42";
/// When the tests' controlled clocks start.
pub const T0: i64 = 1_900_000_000_000;

/// An app on a clock the test moves.
pub async fn clocked() -> (Arc<ManualClock>, TestApp) {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    (clock, app)
}

/// A response's status and JSON body (`null` when it has none).
pub async fn status_and_body(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Turns self-service on: `scope` ("all", or "selected" with `roles`),
/// `required` gates out of `methods`. Written through the store; the
/// settings' own API has its tests.
pub async fn sspr_on(app: &TestApp, scope: &str, roles: &[&str], required: u8, methods: &[&str]) {
    let settings = json!({
        "enabled_for": scope,
        "selected_roles": roles,
        "methods_required": required,
        "methods": methods,
        "require_registration": true,
        "reconfirm_days": 180,
        "notify_admins_on_admin_reset": true,
    });
    let version = app
        .store
        .setting("password_reset")
        .await
        .unwrap()
        .map_or(0, |(_, v)| v);
    app.store
        .put_setting("password_reset", &settings.to_string(), version, &[])
        .await
        .unwrap();
}

/// The 8-digit code an email's text carries.
pub fn code_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 8)
        .map(str::to_string)
}

/// The newest verification code among `outbox` (newest first) sent to `to`.
pub fn code_among(outbox: Vec<OutboxEntry>, to: &str) -> Option<String> {
    let mail = outbox.into_iter().find(|m| {
        m.to == to
            && (m.subject.contains("verification code") || m.subject.contains("verificatiecode"))
    })?;
    code_in(&mail.text)
}

/// The newest 8-digit code emailed to `to`.
pub fn emailed_code(app: &TestApp, to: &str) -> Option<String> {
    code_among(app.outbox(), to)
}

/// Registers and confirms `address` as the session's alternate email.
pub async fn with_alternate_email(app: &TestApp, session: &Session, address: &str) {
    let started = app
        .post(
            "/api/me/methods/alternate-email",
            Some(session),
            &json!({"address": address}),
        )
        .await;
    assert_eq!(started.status(), 201);
    let started: Value = started.json().await.unwrap();
    let code = emailed_code(app, address).expect("the confirmation code");
    let id = started["id"].as_str().unwrap();
    let confirmed = app
        .post(
            &format!("/api/me/methods/alternate-email/{id}/confirm"),
            Some(session),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(confirmed.status(), 200);
}

/// Self-service on for everyone with the emailed code alone, and Megan's
/// alternate address (`MEGAN_ALT`) confirmed.
pub async fn megan_with_her_address(app: &TestApp) {
    sspr_on(app, "all", &[], 1, &["alternate_email"]).await;
    let megan = app.sign_in(&app.megan).await;
    with_alternate_email(app, &megan, MEGAN_ALT).await;
}

/// Megan's flow, and the code its emailed gate sent to `MEGAN_ALT`.
pub async fn megans_flow_and_code(app: &TestApp) -> (String, String) {
    let flow = start(app, "megan.bowen").await;
    let code = code_sent_to(app, &flow, MEGAN_ALT).await;
    (flow, code)
}

/// "Forgot your password?" for `login`: the flow, once its work (done
/// after the answer) has stored it.
pub async fn start(app: &TestApp, login: &str) -> String {
    let resp = start_response(app, login).await;
    assert_eq!(resp.status(), 202);
    let body: Value = resp.json().await.unwrap();
    let flow = body["flow"].as_str().unwrap().to_string();
    wait_for_flow(app, &flow).await;
    flow
}

pub async fn start_response(app: &TestApp, login: &str) -> reqwest::Response {
    app.post("/api/auth/self-service", None, &json!({"username": login}))
        .await
}

/// Waits until the flow is stored (looking leaves it as it was).
pub async fn wait_for_flow(app: &TestApp, flow: &str) {
    let hash = token_hash(flow);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(ceremony) = app.store.take_ceremony(&hash).await.unwrap() {
            app.store.insert_ceremony(&ceremony).await.unwrap();
            return;
        }
        assert!(Instant::now() < deadline, "the flow was never stored");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub async fn send_code(app: &TestApp, flow: &str) -> reqwest::Response {
    app.post(
        "/api/auth/self-service/email-code",
        None,
        &json!({"flow": flow}),
    )
    .await
}

/// Sends the emailed gate's code and reads it from the outbox.
pub async fn code_sent_to(app: &TestApp, flow: &str, to: &str) -> String {
    let before = emailed_code(app, to);
    assert_eq!(send_code(app, flow).await.status(), 202);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(code) = emailed_code(app, to).filter(|c| Some(c) != before.as_ref()) {
            return code;
        }
        assert!(Instant::now() < deadline, "no code reached {to}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub async fn verify(app: &TestApp, flow: &str, method: &str, code: &str) -> reqwest::Response {
    app.post(
        "/api/auth/self-service/verify",
        None,
        &json!({"flow": flow, "method": method, "code": code}),
    )
    .await
}

pub async fn set_password(app: &TestApp, flow: &str, password: &str) -> reqwest::Response {
    app.post(
        "/api/auth/self-service/password",
        None,
        &json!({"flow": flow, "new_password": password}),
    )
    .await
}
