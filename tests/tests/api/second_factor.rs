//! The sign-in's second step: a user with an authenticator app gets no
//! session for her password alone; her app's code (oathtool's, as a
//! phone's) finishes the sign-in once.

use std::sync::Arc;

use rekey_function::ports::{Clock, ManualClock};
use rekey_tests::second_step::{code_for, password_step, pending_from, with_app, wrong_code, STEP};
use rekey_tests::{authenticator, session_from, spawn_app_with_clock, Session, TestApp};
use serde_json::{json, Value};

const T0: i64 = 1_900_000_000_000;
async fn me(app: &TestApp, session: &Session) -> u16 {
    app.get("/api/me", Some(session)).await.status().as_u16()
}

#[tokio::test]
async fn a_password_alone_gets_a_pending_sign_in_and_her_apps_code_the_session_once() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let secret = with_app(&app, &clock, &app.megan).await;

    let (status, pending, body) = password_step(&app, &app.megan).await;
    assert_eq!(status, 202);
    assert_eq!(body["methods"], json!(["authenticator_app"]));
    assert_eq!(body["expires_at"], T0 + STEP + 5 * 60_000);
    // The pending cookie is no session.
    let as_session = Session {
        cookie: pending.replace("__Host-rekey_pending=", "__Host-rekey_session="),
    };
    assert_eq!(me(&app, &as_session).await, 401);

    // A wrong code: refused, the sign-in still pending.
    let code = authenticator::code(&secret, clock.now_ms());
    let wrong = wrong_code(&code);
    let resp = code_for(&app, &pending, wrong).await;
    assert_eq!(resp.status(), 422);
    assert_eq!(resp.json::<Value>().await.unwrap()["code"], "invalid_code");

    // Her code: the session, and the pending cookie cleared.
    let resp = code_for(&app, &pending, &code).await;
    assert_eq!(resp.status(), 200);
    let session = session_from(&resp).expect("a session");
    assert_eq!(me(&app, &session).await, 200);
    // The pending sign-in is spent.
    assert_eq!(code_for(&app, &pending, &code).await.status(), 401);

    // The same code again, on a new sign-in: never accepted twice.
    let (_, again, _) = password_step(&app, &app.megan).await;
    let resp = code_for(&app, &again, &code).await;
    assert_eq!(resp.status(), 422);
    // The next step's code is.
    clock.advance_ms(STEP);
    let resp = code_for(&app, &again, &authenticator::code(&secret, clock.now_ms())).await;
    assert_eq!(resp.status(), 200);

    // Her sign-ins show the successes only once each.
    let gadmin = app.sign_in(&app.global_admin).await;
    let log = app
        .get_json(
            &format!("/api/users/{}/sign-ins", app.megan.id),
            Some(&gadmin),
        )
        .await;
    let results: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["result"].as_str().unwrap())
        .collect();
    assert_eq!(
        results.iter().filter(|r| **r == "success").count(),
        3,
        "{results:?}"
    );
}

#[tokio::test]
async fn five_wrong_codes_in_a_row_lock_the_second_step() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let secret = with_app(&app, &clock, &app.user).await;
    let (_, pending, _) = password_step(&app, &app.user).await;
    let right = authenticator::code(&secret, clock.now_ms());
    let wrong = wrong_code(&right);
    for _ in 0..4 {
        assert_eq!(code_for(&app, &pending, wrong).await.status(), 422);
    }
    let resp = code_for(&app, &pending, wrong).await;
    assert_eq!(resp.status(), 423);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "account_locked");
    // Even the right code waits for the lock to end.
    assert_eq!(code_for(&app, &pending, &right).await.status(), 423);
    // She is told: someone knows her password.
    let notice = app
        .outbox()
        .into_iter()
        .find(|e| e.to == app.user.email && e.subject.contains("wrong codes"))
        .expect("a notice to the user");
    assert!(
        notice.text.contains("someone knows your password"),
        "{}",
        notice.text
    );
    let gadmin = app.sign_in(&app.global_admin).await;
    assert!(app
        .audit_actions(&gadmin)
        .await
        .contains(&"account_locked".to_string()));
    // A minute on, a new sign-in and a fresh code go through.
    clock.advance_ms(61_000);
    let (_, pending, _) = password_step(&app, &app.user).await;
    let resp = code_for(
        &app,
        &pending,
        &authenticator::code(&secret, clock.now_ms()),
    )
    .await;
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn twenty_right_codes_at_once_make_one_session() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = Arc::new(spawn_app_with_clock(clock.clone()).await);
    let secret = with_app(&app, &clock, &app.megan).await;
    let (_, pending, _) = password_step(&app, &app.megan).await;
    let code = authenticator::code(&secret, clock.now_ms());
    let tries = (0..20).map(|_| {
        let (app, pending, code) = (Arc::clone(&app), pending.clone(), code.clone());
        tokio::spawn(async move { code_for(&app, &pending, &code).await.status().as_u16() })
    });
    let statuses: Vec<u16> = futures::future::join_all(tries)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn an_admins_reset_does_not_skip_the_second_factor_and_a_pending_sign_in_expires() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let secret = with_app(&app, &clock, &app.megan).await;
    let hadmin = app.sign_in(&app.helpdesk_admin).await;
    let reset = app
        .reset(&hadmin, &app.megan.id, &json!({"require_change": true}))
        .await;
    let temporary = reset["password"].as_str().unwrap();
    let resp = app.sign_in_response(&app.megan.username, temporary).await;
    assert_eq!(resp.status(), 202);
    assert!(session_from(&resp).is_none());
    let pending = pending_from(&resp);

    // Five minutes and a second later the pending sign-in is gone.
    clock.advance_ms(5 * 60_000 + 1_000);
    let code = authenticator::code(&secret, clock.now_ms());
    assert_eq!(code_for(&app, &pending, &code).await.status(), 401);

    // Again in time: the code, then the forced change as before.
    let resp = app.sign_in_response(&app.megan.username, temporary).await;
    let pending = pending_from(&resp);
    let resp = code_for(&app, &pending, &code).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["user"]["must_change_password"], true);
}

#[tokio::test]
async fn her_apps_code_stands_in_for_her_password_before_a_sensitive_change() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let secret = with_app(&app, &clock, &app.megan).await;
    let session = rekey_tests::second_step::sign_in_with_code(
        &app,
        &app.megan,
        &authenticator::code(&secret, clock.now_ms()),
    )
    .await;
    // Eleven minutes on, changing her methods asks her to prove it again.
    clock.advance_ms(11 * 60_000);
    let tablet = json!({"name": "Tablet"});
    let add_tablet = || app.post("/api/me/methods/authenticator-app", Some(&session), &tablet);
    let resp = add_tablet().await;
    assert_eq!(resp.status(), 403);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["code"],
        "reauthentication_required"
    );
    let code = authenticator::code(&secret, clock.now_ms());
    let resp = app
        .post(
            "/api/auth/confirm-code",
            Some(&session),
            &json!({"code": wrong_code(&code)}),
        )
        .await;
    assert_eq!(resp.status(), 422);
    let resp = app
        .post(
            "/api/auth/confirm-code",
            Some(&session),
            &json!({ "code": code }),
        )
        .await;
    assert_eq!(resp.status(), 204);
    assert_eq!(add_tablet().await.status(), 201);
    // The code is spent: it confirms nothing twice.
    let resp = app
        .post(
            "/api/auth/confirm-code",
            Some(&session),
            &json!({ "code": code }),
        )
        .await;
    assert_eq!(resp.status(), 422);
}
