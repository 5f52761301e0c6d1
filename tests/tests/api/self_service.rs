//! Self-service password reset through the API: both gates and the new
//! password (sessions, app tokens and the pending request end with the old
//! one), the same answer for any account, the admins' two gates, the
//! fallback to the admins, the unlock, and the passkey gate. The limits
//! and codes are in `self_service_limits.rs`, the ask at sign-in in
//! `security_info_ask.rs`.

use std::sync::Arc;
use std::time::Instant;

use rekey_function::ports::Clock;
use rekey_shared::{AuditAction, SsprMethod};
use rekey_tests::second_step::with_app_in;
use rekey_tests::self_service::{
    clocked, code_sent_to, megan_with_her_address, set_password, sspr_on, start, start_response,
    status_and_body, verify, with_alternate_email, MEGAN_ALT, NEW_PASSWORD,
};
use rekey_tests::{authenticator, TestApp};
use serde_json::{json, Value};

const MINUTE: i64 = 60_000;

async fn audit_of(app: &TestApp, action: AuditAction) -> Vec<rekey_shared::AuditEvent> {
    app.store
        .list_audit(None, 200)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

#[tokio::test]
async fn a_user_passes_both_gates_sets_her_password_and_every_old_session_token_and_request_ends() {
    let (clock, app) = clocked().await;
    sspr_on(
        &app,
        "all",
        &[],
        2,
        &["alternate_email", "authenticator_app"],
    )
    .await;
    let megan = app.sign_in(&app.megan).await;
    with_alternate_email(&app, &megan, MEGAN_ALT).await;
    let secret = with_app_in(&app, &clock, &megan).await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app
        .register_app(&admin, "confidential", "http://127.0.0.1:9/cb01")
        .await;
    let tokens = app.tokens_for(&rp, &megan).await;
    let access = tokens["access_token"].as_str().unwrap();
    // She had asked her admins first.
    let asked = app
        .post(
            "/api/auth/password-requests",
            None,
            &json!({"username": "megan.bowen"}),
        )
        .await;
    assert_eq!(asked.status(), 202);
    let before = app.user_record(&app.megan.id).await;

    let flow = start(&app, "megan.bowen").await;
    let code = code_sent_to(&app, &flow, MEGAN_ALT).await;
    let (status, progress) =
        status_and_body(verify(&app, &flow, "alternate_email", &code).await).await;
    assert_eq!(status, 200, "{progress}");
    assert_eq!(
        progress,
        json!({"verified": ["alternate_email"], "remaining": 1})
    );
    let app_code = authenticator::code(&secret, clock.now_ms());
    let (status, progress) =
        status_and_body(verify(&app, &flow, "authenticator_app", &app_code).await).await;
    assert_eq!(status, 200, "{progress}");
    assert_eq!(progress["remaining"], 0);

    let (status, refused) = status_and_body(set_password(&app, &flow, "megan.bowen1").await).await;
    assert_eq!(status, 422, "the policy still holds: {refused}");
    assert_eq!(refused["field"], "new_password");
    assert_eq!(set_password(&app, &flow, NEW_PASSWORD).await.status(), 204);
    let (status, ended) = status_and_body(set_password(&app, &flow, NEW_PASSWORD).await).await;
    assert_eq!(
        (status, ended["code"].as_str()),
        (410, Some("reset_flow_ended"))
    );

    let after = app.user_record(&app.megan.id).await;
    assert_eq!(after.session_epoch, before.session_epoch + 1);
    assert!(!after.must_change_password);
    assert_eq!(after.reset_requested_at, None);
    assert_eq!(app.get("/api/me", Some(&megan)).await.status(), 401);
    assert_eq!(app.userinfo(access).await.status(), 401);
    let resp = app.sign_in_response("megan.bowen", NEW_PASSWORD).await;
    assert_eq!(resp.status(), 202, "the new password, then her app's code");
    assert_eq!(
        app.sign_in_response("megan.bowen", &app.megan.password)
            .await
            .status(),
        401
    );
    let events = audit_of(&app, AuditAction::PasswordResetSelfService).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].verified_with,
        vec![SsprMethod::AlternateEmail, SsprMethod::AuthenticatorApp]
    );
    assert!(events[0].resolved_request, "her request was pending");
    assert_eq!(events[0].target.as_ref().unwrap().id, app.megan.id);
    let notice = app
        .outbox()
        .into_iter()
        .any(|m| m.to == app.megan.email && m.subject.contains("password"));
    assert!(notice, "she is told at her work address");
    let pending: Value = app.get_json("/api/reset-requests", Some(&admin)).await;
    assert_eq!(pending, json!([]));
    // The Requests list says she resolved it herself.
    let resolved: Value = app
        .get_json("/api/reset-requests/self-resolved", Some(&admin))
        .await;
    assert_eq!(resolved[0]["target"]["username"], "megan.bowen");
    assert_eq!(
        resolved[0]["verified_with"],
        json!(["alternate_email", "authenticator_app"])
    );
    let lee = app.sign_in(&app.user).await;
    assert_eq!(
        app.get("/api/reset-requests/self-resolved", Some(&lee))
            .await
            .status(),
        403,
        "admins only"
    );
}

/// The answer's shape: everything but the flow's id and its expiry.
async fn shape(resp: reqwest::Response) -> (u16, Vec<(String, String)>, Value, usize) {
    let status = resp.status().as_u16();
    let mut headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        // The date and the request's own id differ for any two answers.
        .filter(|(k, _)| *k != "date" && *k != "x-request-id")
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    headers.sort();
    let mut body: Value = resp.json().await.unwrap();
    let flow_len = body["flow"].as_str().unwrap().len();
    body["flow"] = json!("…");
    body["expires_at"] = json!(0);
    (status, headers, body, flow_len)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

#[tokio::test]
async fn the_start_answers_alike_for_real_unknown_blocked_and_out_of_scope_accounts() {
    let (_clock, app) = clocked().await;
    sspr_on(&app, "selected", &["user"], 1, &["alternate_email"]).await;
    let megan = app.sign_in(&app.megan).await;
    with_alternate_email(&app, &megan, MEGAN_ALT).await;
    let mut lee = app.user_record(&app.user.id).await;
    lee.blocked = true;
    app.store.update_user(&lee, &[]).await.unwrap();
    // Megan can self-serve; Lee is blocked; Hank's role is out of scope.
    let logins = ["megan.bowen", "nobody.here", "lee.gu", "hadmin"];
    let mut shapes = Vec::new();
    let mut medians = Vec::new();
    for login in logins {
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..5 {
            let t = Instant::now();
            let resp = start_response(&app, login).await;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            last = Some(shape(resp).await);
        }
        shapes.push(last.unwrap());
        medians.push(median(times));
    }
    for (login, s) in logins.iter().zip(&shapes) {
        assert_eq!(s, &shapes[0], "{login} is answered otherwise");
    }
    assert_eq!(shapes[0].0, 202);
    assert_eq!(shapes[0].2["methods"], json!(["alternate_email"]));
    let (fastest, slowest) = (
        medians.iter().copied().fold(f64::MAX, f64::min),
        medians.iter().copied().fold(0.0, f64::max),
    );
    assert!(
        slowest - fastest < 15.0,
        "median answer times differ: {logins:?} {medians:?} ms"
    );
    // Every gate of a flow that proves nothing fails as a wrong code does.
    let mut answers = Vec::new();
    for login in logins {
        let flow = start(&app, login).await;
        let (status, body) =
            status_and_body(verify(&app, &flow, "alternate_email", "12345678").await).await;
        answers.push((status, body));
    }
    for (login, a) in logins.iter().zip(&answers) {
        assert_eq!(a, &answers[0], "{login}");
    }
    assert_eq!(answers[0].1["code"], "invalid_code");
}

/// Waits for the admins' "asked for a new password" emails about `name`.
async fn asked_about(app: &TestApp, name: &str) -> Vec<String> {
    let deadline = Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let to: Vec<String> = app
            .outbox()
            .into_iter()
            .filter(|m| m.subject == format!("{name} asked for a new password"))
            .map(|m| m.to)
            .collect();
        if !to.is_empty() || Instant::now() > deadline {
            return to;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_admin_always_passes_two_gates_and_one_who_cannot_gets_her_admins_asked() {
    let (clock, app) = clocked().await;
    sspr_on(
        &app,
        "all",
        &[],
        1,
        &["alternate_email", "authenticator_app"],
    )
    .await;
    let hank = app.sign_in(&app.helpdesk_admin).await;
    with_alternate_email(&app, &hank, "hank@home.example").await;
    // An email alone never lets an admin through: the admins are asked.
    let flow = start(&app, "hadmin").await;
    assert_eq!(
        asked_about(&app, "Hank Helpdesk").await,
        vec!["gadmin@contoso.example"]
    );
    assert_eq!(
        verify(&app, &flow, "alternate_email", "12345678")
            .await
            .status(),
        422
    );
    let secret = with_app_in(&app, &clock, &hank).await;
    let flow = start(&app, "hadmin").await;
    let code = code_sent_to(&app, &flow, "hank@home.example").await;
    let (_, progress) = status_and_body(verify(&app, &flow, "alternate_email", &code).await).await;
    assert_eq!(
        progress["remaining"], 1,
        "one user's gate is two for an admin"
    );
    let app_code = authenticator::code(&secret, clock.now_ms());
    let (_, progress) =
        status_and_body(verify(&app, &flow, "authenticator_app", &app_code).await).await;
    assert_eq!(progress["remaining"], 0);
    assert_eq!(set_password(&app, &flow, NEW_PASSWORD).await.status(), 204);
    // "Notify all admins when other admins reset their password".
    let told = app.outbox().into_iter().any(|m| {
        m.to == "gadmin@contoso.example" && m.subject == "Hank Helpdesk reset their own password"
    });
    assert!(told);
}

#[tokio::test]
async fn out_of_scope_or_without_methods_she_gets_the_admin_request_and_with_it_off_nothing_is_offered(
) {
    let (_clock, app) = clocked().await;
    // Off: no methods offered, and the admins are asked as before.
    let (status, body) = status_and_body(start_response(&app, "megan.bowen").await).await;
    assert_eq!((status, body["methods"].clone()), (202, json!([])));
    assert_eq!(asked_about(&app, "Megan Bowen").await.len(), 3);
    // On for admins only: Lee (a user) is out of scope.
    sspr_on(
        &app,
        "selected",
        &["helpdesk_admin"],
        1,
        &["alternate_email", "recovery_code"],
    )
    .await;
    let (_, body) = status_and_body(start_response(&app, "lee.gu").await).await;
    assert_eq!(body["methods"], json!(["alternate_email", "recovery_code"]));
    assert_eq!(asked_about(&app, "Lee Gu").await.len(), 3);
    assert!(app
        .user_record(&app.user.id)
        .await
        .reset_requested_at
        .is_some());
}

#[tokio::test]
async fn a_locked_account_is_unlocked_with_its_password_kept() {
    let (clock, app) = clocked().await;
    megan_with_her_address(&app).await;
    let mut record = app.user_record(&app.megan.id).await;
    record.failed_sign_ins = 5;
    record.locked_until = Some(clock.now_ms() + 60 * MINUTE);
    app.store.update_user(&record, &[]).await.unwrap();
    assert_eq!(
        app.sign_in_response("megan.bowen", &app.megan.password)
            .await
            .status(),
        423
    );
    let flow = start(&app, "megan.bowen").await;
    let unlock = |flow: String| {
        let app = &app;
        async move {
            app.post(
                "/api/auth/self-service/unlock",
                None,
                &json!({"flow": flow}),
            )
            .await
        }
    };
    assert_eq!(
        unlock(flow.clone()).await.status(),
        403,
        "not before the gate"
    );
    let code = code_sent_to(&app, &flow, MEGAN_ALT).await;
    assert_eq!(
        verify(&app, &flow, "alternate_email", &code).await.status(),
        200
    );
    assert_eq!(unlock(flow.clone()).await.status(), 204);
    assert_eq!(
        app.sign_in_response("megan.bowen", &app.megan.password)
            .await
            .status(),
        200,
        "the same password, unlocked"
    );
    let events = audit_of(&app, AuditAction::AccountUnlockedSelfService).await;
    assert_eq!(events[0].verified_with, vec![SsprMethod::AlternateEmail]);
}

#[tokio::test]
async fn a_passkey_passes_its_gate_only_for_its_own_account() {
    use rekey_tests::passkey_steps::{answer, post, register, spawn_passkey_app};
    use rekey_tests::soft_passkey::SoftPasskey;
    let app = spawn_passkey_app(Arc::new(rekey_function::ports::SystemClock)).await;
    sspr_on(&app, "all", &[], 1, &["passkey", "alternate_email"]).await;
    let lee = app.sign_in(&app.user).await;
    let mut key = SoftPasskey::new(&app.address);
    assert_eq!(register(&app, &lee, &mut key, "Key").await.status(), 201);
    let megan = app.sign_in(&app.megan).await;
    with_alternate_email(&app, &megan, MEGAN_ALT).await;

    let gate = |flow: String| {
        let app = &app;
        async move {
            let resp = post(
                app,
                "/api/auth/self-service/passkey/options",
                None,
                &json!({"flow": flow}),
            )
            .await;
            assert_eq!(resp.status(), 200);
            resp.json::<Value>().await.unwrap()
        }
    };
    // Lee's key in Megan's flow: refused.
    let flow = start(&app, "megan.bowen").await;
    let challenge = gate(flow.clone()).await;
    assert_eq!(challenge["ceremony"], flow, "the flow is the ceremony");
    let credential = key.assert(&challenge["options"]);
    let resp = post(
        &app,
        "/api/auth/self-service/passkey",
        None,
        &answer(&challenge, credential),
    )
    .await;
    assert_eq!(resp.status(), 401);
    // In his own, it passes, and the password is his to choose.
    let flow = start(&app, "lee.gu").await;
    let challenge = gate(flow.clone()).await;
    let credential = key.assert(&challenge["options"]);
    let (status, progress) = status_and_body(
        post(
            &app,
            "/api/auth/self-service/passkey",
            None,
            &answer(&challenge, credential),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{progress}");
    assert_eq!(progress, json!({"verified": ["passkey"], "remaining": 0}));
    assert_eq!(set_password(&app, &flow, NEW_PASSWORD).await.status(), 204);
}
