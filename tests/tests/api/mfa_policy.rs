//! MFA by policy: an admin is asked to register a method at sign-in, may
//! skip for the grace period counted from the first ask, then registers
//! before anything else; `everyone` covers every user.

use std::sync::Arc;

use rekey_function::adapters::sqlite::SqliteStore;
use rekey_function::domain::mfa_policy::MfaPolicy;
use rekey_function::ports::ManualClock;
use rekey_tests::oidc::{location, pkce};
use rekey_tests::second_step::with_app_in;
use rekey_tests::{session_from, spawn_app_configured, spawn_app_with_clock, Session, TestApp};
use serde_json::{json, Value};

const T0: i64 = 1_900_000_000_000;
const DAY: i64 = 24 * 3600 * 1000;

async fn sign_in(app: &TestApp, account: &rekey_tests::Account) -> (Session, Value) {
    let resp = app
        .sign_in_response(&account.username, &account.password)
        .await;
    assert_eq!(resp.status(), 200);
    let session = session_from(&resp).expect("a session");
    (session, resp.json().await.unwrap())
}

async fn status_of(app: &TestApp, path: &str, session: &Session) -> (u16, Value) {
    let resp = app.get(path, Some(session)).await;
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_admin_may_skip_registering_for_fourteen_days_from_the_first_ask_then_registers_first() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;

    // A plain user is not asked under the default policy.
    let (_, body) = sign_in(&app, &app.user).await;
    assert_eq!(body.get("registration"), None);
    assert_eq!(body["amr"], json!(["pwd"]));

    // An admin is, and may skip: the admin center works.
    let (session, body) = sign_in(&app, &app.helpdesk_admin).await;
    assert_eq!(
        body["registration"],
        json!({"skippable_until": T0 + 14 * DAY, "days_left": 14})
    );
    assert_eq!(status_of(&app, "/api/users", &session).await.0, 200);
    // A page load does not ask again while she may skip.
    assert_eq!(
        status_of(&app, "/api/me", &session)
            .await
            .1
            .get("registration"),
        None
    );

    // Thirteen days on, the count runs from the first ask.
    clock.advance_ms(13 * DAY + 3600 * 1000);
    let (_, body) = sign_in(&app, &app.helpdesk_admin).await;
    assert_eq!(body["registration"]["days_left"], 1);

    // Past the grace period: nothing but registering.
    clock.advance_ms(DAY);
    let (session, body) = sign_in(&app, &app.helpdesk_admin).await;
    assert_eq!(
        body["registration"],
        json!({"skippable_until": null, "days_left": 0})
    );
    let (status, error) = status_of(&app, "/api/users", &session).await;
    assert_eq!(status, 403);
    assert_eq!(error["code"], "method_registration_required");
    let (status, me) = status_of(&app, "/api/me", &session).await;
    assert_eq!(status, 200);
    assert_eq!(me["registration"]["days_left"], 0);
    assert_eq!(status_of(&app, "/api/me/methods", &session).await.0, 200);

    // Her app's first code proves it, and this session with it.
    with_app_in(&app, &clock, &session).await;
    assert_eq!(status_of(&app, "/api/users", &session).await.0, 200);
    let (_, me) = status_of(&app, "/api/me", &session).await;
    assert_eq!(me.get("registration"), None);
    assert_eq!(me["amr"], json!(["pwd", "otp", "mfa"]));
}

#[tokio::test]
async fn everyone_covers_every_user_and_an_app_sign_in_waits_for_the_registration() {
    let clock = Arc::new(ManualClock::new(T0));
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("rekey.db")).unwrap());
    let app = spawn_app_configured(store, clock.clone(), dir, |s| {
        s.mfa_policy = MfaPolicy::Everyone;
        s.mfa_grace_ms = 0;
    })
    .await;
    let gadmin = app.sign_in(&app.global_admin).await;
    let (session, body) = sign_in(&app, &app.user).await;
    assert_eq!(body["registration"]["skippable_until"], Value::Null);
    let (status, error) = status_of(&app, "/api/my-apps", &session).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (403, Some("method_registration_required"))
    );

    // An app's sign-in sends her back to Rekey rather than to the app;
    // asked to answer without a page, the app hears why.
    with_app_in(&app, &clock, &gadmin).await;
    let rp = app
        .register_app(&gadmin, "confidential", "http://127.0.0.1:9/callback")
        .await;
    let (_, challenge) = pkce();
    let query = app.authorize_query(&rp, &challenge);
    let resp = app.authorize(Some(&session.cookie), &query).await;
    assert_eq!(resp.status(), 302);
    assert!(
        location(&resp).starts_with("/?continue="),
        "{}",
        location(&resp)
    );
    let resp = app
        .authorize(Some(&session.cookie), &format!("{query}&prompt=none"))
        .await;
    let to = location(&resp);
    assert!(to.contains("error=interaction_required"), "{to}");
}
