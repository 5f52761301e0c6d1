//! The sign-in's second step as a client walks it: registering an
//! authenticator app (oathtool computing its codes), the password's `202`
//! and its pending cookie, and the code that finishes it.

use rekey_function::ports::{Clock, ManualClock};
use serde_json::{json, Value};

use crate::{authenticator, session_from, Account, Session, TestApp};

pub const STEP: i64 = 30_000;

/// Registers an authenticator app for `account`; returns its secret. The
/// clock then moves on a step, as a person's would before the next code.
pub async fn with_app(app: &TestApp, clock: &ManualClock, account: &Account) -> String {
    let session = app.sign_in(account).await;
    with_app_in(app, clock, &session).await
}

/// [`with_app`] in a session the test already holds.
pub async fn with_app_in(app: &TestApp, clock: &ManualClock, session: &Session) -> String {
    let setup: Value = app
        .post(
            "/api/me/methods/authenticator-app",
            Some(session),
            &json!({"name": "Phone"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    let id = setup["id"].as_str().unwrap();
    let resp = app
        .post(
            &format!("/api/me/methods/authenticator-app/{id}/confirm"),
            Some(session),
            &json!({"code": authenticator::code(&secret, clock.now_ms())}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    clock.advance_ms(STEP);
    secret
}

/// The pending sign-in's cookie a `202` sets.
pub fn pending_from(resp: &reqwest::Response) -> String {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-rekey_pending="))
        .and_then(|v| v.split(';').next())
        .expect("a pending sign-in cookie")
        .to_string()
}

/// `POST /api/auth/second-factor` with the pending cookie.
pub async fn code_for(app: &TestApp, pending: &str, code: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/auth/second-factor"))
        .header("origin", &app.address)
        .header("cookie", pending)
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap()
}

/// The password step of an account with a method: its status, pending
/// cookie and body (never a session).
pub async fn password_step(
    app: &TestApp,
    account: &Account,
) -> (reqwest::StatusCode, String, Value) {
    let resp = app
        .sign_in_response(&account.username, &account.password)
        .await;
    let status = resp.status();
    assert!(
        session_from(&resp).is_none(),
        "no session for the password alone"
    );
    let pending = pending_from(&resp);
    (status, pending, resp.json().await.unwrap())
}

/// Both steps: the password, then `code`; the session.
pub async fn sign_in_with_code(app: &TestApp, account: &Account, code: &str) -> Session {
    let (_, pending, _) = password_step(app, account).await;
    let resp = code_for(app, &pending, code).await;
    assert_eq!(resp.status(), 200);
    session_from(&resp).expect("a session")
}

/// A code that is not `right` (for a wrong try).
pub fn wrong_code(right: &str) -> &'static str {
    if right == "000000" {
        "111111"
    } else {
        "000000"
    }
}
