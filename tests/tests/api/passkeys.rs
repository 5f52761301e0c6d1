//! Passkeys: registered on Security info, signing in alone or as the
//! second step, every ceremony finished once; replayed, expired, another
//! user's, another origin's, unverified, removed and cloned ones refused.

use std::sync::Arc;

use rekey_function::ports::{ManualClock, SystemClock};
use rekey_tests::passkey_steps::{answer, post, register, sign_in, spawn_passkey_app, start};
use rekey_tests::second_step::password_step;
use rekey_tests::soft_passkey::SoftPasskey;
use rekey_tests::{session_from, spawn_app, TestApp};
use serde_json::{json, Value};

const T0: i64 = 1_900_000_000_000;

async fn code_of(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap();
    (
        status,
        body["code"].as_str().unwrap_or_default().to_string(),
    )
}

async fn methods(app: &TestApp, cookie: &rekey_tests::Session) -> Vec<Value> {
    app.get_json("/api/me/methods", Some(cookie)).await["methods"]
        .as_array()
        .unwrap()
        .clone()
}

/// Lee signed in, with a passkey called "Key" registered.
async fn lee_with_a_passkey() -> (TestApp, rekey_tests::Session, SoftPasskey) {
    let app = spawn_passkey_app(Arc::new(SystemClock)).await;
    let session = app.sign_in(&app.user).await;
    let mut key = SoftPasskey::new(&app.address);
    let registered = register(&app, &session, &mut key, "Key").await;
    assert_eq!(registered.status(), 201);
    (app, session, key)
}

#[tokio::test]
async fn a_registered_passkey_signs_in_alone_with_no_username_as_mfa() {
    let app = spawn_passkey_app(Arc::new(SystemClock)).await;
    let session = app.sign_in(&app.user).await;
    let mut key = SoftPasskey::new(&app.address);
    let resp = register(&app, &session, &mut key, "YubiKey 5").await;
    assert_eq!(resp.status(), 201);
    let listed: Value = resp.json().await.unwrap();
    let passkey = &listed["methods"][0];
    assert_eq!(passkey["kind"], "passkey");
    assert_eq!(passkey["name"], "YubiKey 5");
    assert!(passkey["last_used_at"].is_null());

    let resp = sign_in(&app, &mut key).await;
    assert_eq!(resp.status(), 200);
    let fresh = session_from(&resp).expect("a session");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["user"]["username"], "lee.gu");
    assert_eq!(body["amr"], json!(["hwk", "mfa"]));
    let me = app.get_json("/api/me", Some(&fresh)).await;
    assert_eq!(me["user"]["id"], app.user.id.as_str());
    assert!(methods(&app, &fresh).await[0]["last_used_at"].is_i64());
    let admin = app.sign_in(&app.global_admin).await;
    assert!(app
        .audit_actions(&admin)
        .await
        .contains(&"method_added".to_string()));
    // Her sign-in log says how.
    let log = app
        .get_json(
            &format!("/api/users/{}/sign-ins", app.user.id),
            Some(&admin),
        )
        .await;
    assert_eq!(log["entries"][0]["result"], "passkey");
}

#[tokio::test]
async fn a_synced_passkey_is_a_software_key_in_amr() {
    let app = spawn_passkey_app(Arc::new(SystemClock)).await;
    let session = app.sign_in(&app.user).await;
    let mut key = SoftPasskey::new(&app.address);
    key.synced = true;
    assert_eq!(
        register(&app, &session, &mut key, "Phone").await.status(),
        201
    );
    let resp = sign_in(&app, &mut key).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["amr"], json!(["swk", "mfa"]));
}

#[tokio::test]
async fn the_registration_asks_for_a_discoverable_verified_credential_and_excludes_her_own() {
    let app = spawn_passkey_app(Arc::new(SystemClock)).await;
    let session = app.sign_in(&app.user).await;
    let mut key = SoftPasskey::new(&app.address);
    assert_eq!(register(&app, &session, &mut key, "").await.status(), 201);
    let challenge = start(
        &app,
        "/api/me/methods/passkeys/options",
        Some(&session.cookie),
        &json!({}),
    )
    .await;
    let options = &challenge["options"]["publicKey"];
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "required"
    );
    assert_eq!(options["user"]["name"], "lee.gu");
    let excluded = options["excludeCredentials"].as_array().unwrap();
    assert_eq!(excluded.len(), 1);
    // The same authenticator again (were the browser to ignore the list).
    let credential = key.register(&challenge["options"]);
    let resp = post(
        &app,
        "/api/me/methods/passkeys",
        Some(&session.cookie),
        &answer(&challenge, credential),
    )
    .await;
    assert_eq!(code_of(resp).await, (409, "already_exists".into()));
    let listed = methods(&app, &session).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["name"], "Passkey", "the default name");
}

#[tokio::test]
async fn a_ceremony_finishes_once_and_a_replay_is_refused() {
    let (app, _, mut key) = lee_with_a_passkey().await;
    let challenge = start(&app, "/api/auth/passkey/options", None, &json!({})).await;
    let body = answer(&challenge, key.assert(&challenge["options"]));
    // Twenty finishes of one ceremony at once: one session.
    let finishes = (0..20).map(|_| post(&app, "/api/auth/passkey", None, &body));
    let results = futures::future::join_all(finishes).await;
    let mut statuses: Vec<u16> = results.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses[0], 200);
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1);
    assert!(statuses[1..].iter().all(|s| *s == 410), "{statuses:?}");
    let replay = post(&app, "/api/auth/passkey", None, &body).await;
    assert_eq!(code_of(replay).await, (410, "ceremony_invalid".into()));
}

#[tokio::test]
async fn an_expired_ceremony_is_refused() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_passkey_app(clock.clone()).await;
    let session = app.sign_in(&app.user).await;
    let mut key = SoftPasskey::new(&app.address);
    let challenge = start(
        &app,
        "/api/me/methods/passkeys/options",
        Some(&session.cookie),
        &json!({"name": "Slow"}),
    )
    .await;
    clock.advance_ms(5 * 60_000 + 1);
    let credential = key.register(&challenge["options"]);
    let resp = post(
        &app,
        "/api/me/methods/passkeys",
        Some(&session.cookie),
        &answer(&challenge, credential),
    )
    .await;
    assert_eq!(code_of(resp).await, (410, "ceremony_expired".into()));
    assert!(methods(&app, &session).await.is_empty());
}

#[tokio::test]
async fn a_ceremony_started_for_another_user_is_refused() {
    let app = spawn_passkey_app(Arc::new(SystemClock)).await;
    let megan = app.sign_in(&app.megan).await;
    let lee = app.sign_in(&app.user).await;
    let challenge = start(
        &app,
        "/api/me/methods/passkeys/options",
        Some(&megan.cookie),
        &json!({}),
    )
    .await;
    let mut key = SoftPasskey::new(&app.address);
    let credential = key.register(&challenge["options"]);
    let resp = post(
        &app,
        "/api/me/methods/passkeys",
        Some(&lee.cookie),
        &answer(&challenge, credential),
    )
    .await;
    assert_eq!(code_of(resp).await, (410, "ceremony_invalid".into()));
    assert!(methods(&app, &lee).await.is_empty());
    assert!(methods(&app, &megan).await.is_empty());
}

#[tokio::test]
async fn another_origins_answer_and_an_unverified_user_are_refused() {
    let app = spawn_passkey_app(Arc::new(SystemClock)).await;
    let session = app.sign_in(&app.user).await;
    let mut phished = SoftPasskey::new(&app.address);
    phished.origin = "http://localhost.evil.example".into();
    let resp = register(&app, &session, &mut phished, "Phished").await;
    assert_eq!(code_of(resp).await, (401, "passkey_refused".into()));
    let mut unverified = SoftPasskey::new(&app.address);
    unverified.user_verified = false;
    let resp = register(&app, &session, &mut unverified, "No PIN").await;
    assert_eq!(code_of(resp).await, (401, "passkey_refused".into()));
    assert!(methods(&app, &session).await.is_empty());

    // At sign-in too: a registered key answering for another origin.
    let mut key = SoftPasskey::new(&app.address);
    assert_eq!(
        register(&app, &session, &mut key, "Key").await.status(),
        201
    );
    key.origin = "http://attacker.example".into();
    let resp = sign_in(&app, &mut key).await;
    assert!(session_from(&resp).is_none());
    assert_eq!(code_of(resp).await, (401, "passkey_refused".into()));
    key.origin = app.address.clone();
    key.user_verified = false;
    assert_eq!(
        code_of(sign_in(&app, &mut key).await).await,
        (401, "passkey_refused".into())
    );
}

#[tokio::test]
async fn a_removed_passkey_signs_in_no_more() {
    let (app, session, mut key) = lee_with_a_passkey().await;
    let id = methods(&app, &session).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let removed = app.delete(&format!("/api/me/methods/{id}"), &session).await;
    assert_eq!(removed.status(), 200);
    assert_eq!(
        code_of(sign_in(&app, &mut key).await).await,
        (401, "passkey_refused".into())
    );
}

#[tokio::test]
async fn a_counter_gone_backwards_is_refused_and_audited_as_a_clone() {
    let (app, _, mut key) = lee_with_a_passkey().await;
    assert_eq!(sign_in(&app, &mut key).await.status(), 200);
    // A copy of the authenticator, one signature behind the original.
    key.counter -= 1;
    let resp = sign_in(&app, &mut key).await;
    assert_eq!(code_of(resp).await, (401, "passkey_refused".into()));
    let admin = app.sign_in(&app.global_admin).await;
    assert!(app
        .audit_actions(&admin)
        .await
        .contains(&"passkey_clone_suspected".to_string()));
    // The original, ahead of both, still signs in.
    key.counter += 5;
    assert_eq!(sign_in(&app, &mut key).await.status(), 200);
}

#[tokio::test]
async fn a_passkey_is_the_second_step_after_a_password() {
    let (app, _, mut key) = lee_with_a_passkey().await;
    let (status, pending, body) = password_step(&app, &app.user).await;
    assert_eq!(status, 202);
    assert_eq!(body["methods"], json!(["passkey"]));
    // Without the pending sign-in there is no second step to start.
    let resp = post(
        &app,
        "/api/auth/second-factor/passkey/options",
        None,
        &json!({}),
    )
    .await;
    assert_eq!(code_of(resp).await, (401, "unauthenticated".into()));
    let challenge = start(
        &app,
        "/api/auth/second-factor/passkey/options",
        Some(&pending),
        &json!({}),
    )
    .await;
    let allowed = challenge["options"]["publicKey"]["allowCredentials"]
        .as_array()
        .unwrap();
    assert_eq!(allowed.len(), 1, "her passkey, named");
    let body = answer(&challenge, key.assert(&challenge["options"]));
    // The discoverable finish does not take a second step's ceremony.
    let wrong_door = post(&app, "/api/auth/passkey", None, &body).await;
    assert_eq!(code_of(wrong_door).await, (401, "passkey_refused".into()));

    let challenge = start(
        &app,
        "/api/auth/second-factor/passkey/options",
        Some(&pending),
        &json!({}),
    )
    .await;
    let body = answer(&challenge, key.assert(&challenge["options"]));
    let resp = post(
        &app,
        "/api/auth/second-factor/passkey",
        Some(&pending),
        &body,
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert!(session_from(&resp).is_some());
    let signed_in: Value = resp.json().await.unwrap();
    assert_eq!(signed_in["amr"], json!(["pwd", "hwk", "mfa"]));
    // The pending sign-in is spent.
    let again = post(
        &app,
        "/api/auth/second-factor/passkey/options",
        Some(&pending),
        &json!({}),
    )
    .await;
    assert_eq!(code_of(again).await, (401, "unauthenticated".into()));
}

#[tokio::test]
async fn a_server_reached_by_ip_address_says_passkeys_are_unavailable() {
    let app = spawn_app().await;
    let session = app.sign_in(&app.user).await;
    let resp = app
        .post(
            "/api/me/methods/passkeys/options",
            Some(&session),
            &json!({}),
        )
        .await;
    assert_eq!(code_of(resp).await, (503, "unavailable".into()));
    let resp = app
        .post("/api/auth/passkey/options", None, &json!({}))
        .await;
    assert_eq!(code_of(resp).await, (503, "unavailable".into()));
}

#[tokio::test]
async fn a_malformed_answer_is_a_clear_400_and_spends_nothing() {
    let app = spawn_passkey_app(Arc::new(SystemClock)).await;
    let challenge = start(&app, "/api/auth/passkey/options", None, &json!({})).await;
    let resp = post(
        &app,
        "/api/auth/passkey",
        None,
        &json!({"ceremony": challenge["ceremony"], "credential": {"id": 5}}),
    )
    .await;
    assert_eq!(code_of(resp).await, (400, "invalid_request".into()));
    // The ceremony is still open for the real answer.
    let session = app.sign_in(&app.user).await;
    let mut key = SoftPasskey::new(&app.address);
    assert_eq!(
        register(&app, &session, &mut key, "Key").await.status(),
        201
    );
    let body = answer(&challenge, key.assert(&challenge["options"]));
    assert_eq!(
        post(&app, "/api/auth/passkey", None, &body).await.status(),
        200
    );
}

#[tokio::test]
async fn a_burst_of_two_hundred_passkey_starts_from_one_address_is_held_to_the_sign_in_throttle() {
    let app = spawn_passkey_app(Arc::new(SystemClock)).await;
    let empty = json!({});
    let starts = (0..200).map(|_| post(&app, "/api/auth/passkey/options", None, &empty));
    let statuses: Vec<u16> = futures::future::join_all(starts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    let opened = statuses.iter().filter(|s| **s == 200).count();
    // The throttle's 30 at once (a few more refill meanwhile): no flood of
    // ceremonies in the store.
    assert!((30..=40).contains(&opened), "{opened} opened");
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 429),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn two_hundred_finishes_of_one_ceremony_make_one_session() {
    let (app, _, mut key) = lee_with_a_passkey().await;
    let challenge = start(&app, "/api/auth/passkey/options", None, &json!({})).await;
    let body = answer(&challenge, key.assert(&challenge["options"]));
    let finishes = (0..200).map(|_| post(&app, "/api/auth/passkey", None, &body));
    let statuses: Vec<u16> = futures::future::join_all(finishes)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1);
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 410),
        "{statuses:?}"
    );
}
