//! Self-service password reset through the API: both gates and the new
//! password (sessions, app tokens and the pending request end with the old
//! one), the same answer for any account, the admins' two gates, the
//! fallback to the admins, the hourly limits on the controlled clock, and
//! codes that are used, expired or another flow's.

use std::sync::Arc;
use std::time::Instant;

use rekey_function::ports::{Clock, ManualClock};
use rekey_shared::{AuditAction, SsprMethod};
use rekey_tests::second_step::{with_app, with_app_in, wrong_code};
use rekey_tests::self_service::{
    code_sent_to, set_password, sspr_on, start, start_response, verify, with_alternate_email,
};
use rekey_tests::{authenticator, spawn_app_with_clock, TestApp};
use serde_json::{json, Value};

const T0: i64 = 1_900_000_000_000;
const MINUTE: i64 = 60_000;
const MEGAN_ALT: &str = "megan.bowen@home.example";
const NEW_PASSWORD: &str = "a-long-and-new-Passphrase-42";

async fn clocked() -> (Arc<ManualClock>, TestApp) {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    (clock, app)
}

async fn status_and_body(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

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
async fn five_verifications_an_hour_per_account_then_none_for_a_day_in_any_flow() {
    let (clock, app) = clocked().await;
    sspr_on(&app, "all", &[], 1, &["authenticator_app"]).await;
    let secret = with_app(&app, &clock, &app.user).await;
    let right = || authenticator::code(&secret, clock.now_ms());
    let flow = start(&app, "lee.gu").await;
    for i in 0..5 {
        let resp = verify(&app, &flow, "authenticator_app", wrong_code(&right())).await;
        assert_eq!(resp.status(), 422, "attempt {i}");
    }
    let resp = verify(&app, &flow, "authenticator_app", &right()).await;
    assert_eq!(resp.status(), 429, "the sixth, even right");
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((86_000..=86_400).contains(&retry), "{retry}");
    let other = start(&app, "lee.gu").await;
    assert_eq!(
        verify(&app, &other, "authenticator_app", &right())
            .await
            .status(),
        429,
        "the account is limited, not the flow"
    );
    clock.advance_ms(2 * 60 * MINUTE);
    let again = start(&app, "lee.gu").await;
    assert_eq!(
        verify(&app, &again, "authenticator_app", &right())
            .await
            .status(),
        429
    );
    clock.advance_ms(22 * 60 * MINUTE + MINUTE);
    let next_day = start(&app, "lee.gu").await;
    let (status, body) =
        status_and_body(verify(&app, &next_day, "authenticator_app", &right()).await).await;
    assert_eq!((status, body["remaining"].clone()), (200, json!(0)));
    // A login nobody has is limited alike.
    let nobody = start(&app, "nobody.here").await;
    for _ in 0..5 {
        assert_eq!(
            verify(&app, &nobody, "authenticator_app", "123456")
                .await
                .status(),
            422
        );
    }
    assert_eq!(
        verify(&app, &nobody, "authenticator_app", "123456")
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn a_used_an_expired_another_flows_or_another_users_code_is_refused() {
    let (clock, app) = clocked().await;
    sspr_on(&app, "all", &[], 1, &["alternate_email"]).await;
    let megan = app.sign_in(&app.megan).await;
    with_alternate_email(&app, &megan, MEGAN_ALT).await;
    let lee = app.sign_in(&app.user).await;
    with_alternate_email(&app, &lee, "lee@home.example").await;

    let a = start(&app, "megan.bowen").await;
    let code_a = code_sent_to(&app, &a, MEGAN_ALT).await;
    let b = start(&app, "megan.bowen").await;
    let code_b = code_sent_to(&app, &b, MEGAN_ALT).await;
    let l = start(&app, "lee.gu").await;
    assert_eq!(
        verify(&app, &b, "alternate_email", &code_a).await.status(),
        422,
        "flow A's"
    );
    assert_eq!(
        verify(&app, &l, "alternate_email", &code_b).await.status(),
        422,
        "Megan's"
    );
    assert_eq!(
        verify(&app, &a, "alternate_email", &code_a).await.status(),
        200
    );
    assert_eq!(
        verify(&app, &a, "alternate_email", &code_a).await.status(),
        422,
        "used"
    );
    clock.advance_ms(10 * MINUTE);
    assert_eq!(
        verify(&app, &b, "alternate_email", &code_b).await.status(),
        422,
        "expired"
    );
    // Not a word of a code in the audit log.
    let audit =
        serde_json::to_string(&app.store.list_audit(None, 200).await.unwrap().items).unwrap();
    for code in [&code_a, &code_b] {
        assert!(!audit.contains(code.as_str()));
    }
}

#[tokio::test]
async fn a_locked_account_is_unlocked_with_its_password_kept() {
    let (clock, app) = clocked().await;
    sspr_on(&app, "all", &[], 1, &["alternate_email"]).await;
    let megan = app.sign_in(&app.megan).await;
    with_alternate_email(&app, &megan, MEGAN_ALT).await;
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
async fn twenty_concurrent_uses_of_one_code_verify_once() {
    let (_clock, app) = clocked().await;
    sspr_on(&app, "all", &[], 1, &["alternate_email"]).await;
    let megan = app.sign_in(&app.megan).await;
    with_alternate_email(&app, &megan, MEGAN_ALT).await;
    let flow = start(&app, "megan.bowen").await;
    let code = code_sent_to(&app, &flow, MEGAN_ALT).await;
    let tries = (0..20).map(|_| verify(&app, &flow, "alternate_email", &code));
    let statuses: Vec<u16> = futures::future::join_all(tries)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [200, 410, 422, 429].contains(s)),
        "{statuses:?}"
    );
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

async fn asked_at_sign_in(app: &TestApp, account: &rekey_tests::Account) -> Value {
    let resp = app
        .sign_in_response(&account.username, &account.password)
        .await;
    assert_eq!(resp.status(), 200);
    resp.json::<Value>().await.unwrap()["security_info"].clone()
}

#[tokio::test]
async fn without_enough_methods_she_is_asked_to_register_at_sign_in_and_may_skip_three_times() {
    let (_clock, app) = clocked().await;
    sspr_on(
        &app,
        "all",
        &[],
        1,
        &["alternate_email", "authenticator_app"],
    )
    .await;
    let lee = app.user.clone();
    for left in [3, 2, 1] {
        assert_eq!(
            asked_at_sign_in(&app, &lee).await,
            json!({"register": true, "skips_left": left})
        );
        let session = app.sign_in(&lee).await;
        let skipped = app
            .post("/api/me/security-info/skip", Some(&session), &json!({}))
            .await;
        assert_eq!(skipped.status(), 204);
    }
    assert_eq!(
        asked_at_sign_in(&app, &lee).await,
        json!({"register": true, "skips_left": 0})
    );
    let session = app.sign_in(&lee).await;
    let (status, _) = status_and_body(
        app.post("/api/me/security-info/skip", Some(&session), &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, 403, "three skips, no more");
    let (status, body) = status_and_body(
        app.post("/api/me/security-info/confirm", Some(&session), &json!({}))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("method_registration_required"))
    );
    with_alternate_email(&app, &session, "lee@home.example").await;
    assert_eq!(
        asked_at_sign_in(&app, &lee).await,
        Value::Null,
        "registered"
    );
}

#[tokio::test]
async fn after_the_reconfirm_days_she_confirms_her_methods_are_current() {
    let (clock, app) = clocked().await;
    sspr_on(&app, "all", &[], 1, &["alternate_email"]).await;
    let session = app.sign_in(&app.megan).await;
    with_alternate_email(&app, &session, MEGAN_ALT).await;
    let megan = app.megan.clone();
    assert_eq!(asked_at_sign_in(&app, &megan).await, Value::Null);
    clock.advance_ms(181 * 24 * 60 * MINUTE);
    assert_eq!(
        asked_at_sign_in(&app, &megan).await,
        json!({"register": false, "skips_left": 3}),
        "180 days on"
    );
    let session = app.sign_in(&megan).await;
    let confirmed = app
        .post("/api/me/security-info/confirm", Some(&session), &json!({}))
        .await;
    assert_eq!(confirmed.status(), 204);
    assert_eq!(asked_at_sign_in(&app, &megan).await, Value::Null);
    // Out of scope, nothing is asked.
    sspr_on(
        &app,
        "selected",
        &["global_admin"],
        1,
        &["alternate_email", "authenticator_app"],
    )
    .await;
    assert_eq!(asked_at_sign_in(&app, &app.user.clone()).await, Value::Null);
}
