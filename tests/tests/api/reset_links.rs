//! One-time links: sent by an admin, opened (which changes nothing), used
//! once to set a password; expired, replaced or revoked links say so.

use std::sync::Arc;

use rekey_function::ports::ManualClock;
use rekey_tests::{contains_bytes, spawn_app_with_clock, Session, TestApp};
use serde_json::{json, Value};

const T0: i64 = 1_800_000_000_000;
const MINUTE: i64 = 60_000;

async fn app_at_t0() -> (TestApp, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(T0));
    (spawn_app_with_clock(clock.clone()).await, clock)
}

async fn send_link(app: &TestApp, admin: &Session, user_id: &str) -> reqwest::Response {
    app.post(
        &format!("/api/users/{user_id}/reset-link"),
        Some(admin),
        &json!({}),
    )
    .await
}

/// The tokens of every link email to `to`, from their text.
fn tokens_sent_to(app: &TestApp, to: &str) -> Vec<String> {
    app.outbox()
        .into_iter()
        .filter(|m| m.to == to)
        .filter_map(|m| {
            let at = m.text.find("#/set-password/")? + "#/set-password/".len();
            Some(m.text[at..].split_whitespace().next()?.to_string())
        })
        .collect()
}

/// The token of the one link email to `to`.
fn token_sent_to(app: &TestApp, to: &str) -> String {
    let tokens = tokens_sent_to(app, to);
    assert_eq!(tokens.len(), 1, "one link email to {to}");
    tokens.into_iter().next().unwrap()
}

async fn status(app: &TestApp, token: &str) -> Value {
    let resp = app
        .post(
            "/api/auth/reset-link/status",
            None,
            &json!({"token": token}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

async fn use_link(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post(
        "/api/auth/reset-link",
        None,
        &json!({"token": token, "new_password": password}),
    )
    .await
}

async fn refused_as_invalid(resp: reqwest::Response) {
    assert_eq!(resp.status(), 410);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "reset_link_invalid", "{body}");
}

#[tokio::test]
async fn a_link_is_sent_opened_without_effect_used_once_and_then_refused() {
    let (app, _clock) = app_at_t0().await;
    let admin = app.sign_in(&app.global_admin).await;
    let sent = send_link(&app, &admin, &app.megan.id).await;
    assert_eq!(sent.status(), 200);
    let sent: Value = sent.json().await.unwrap();
    assert_eq!(sent["expires_at"], T0 + 60 * MINUTE);
    let to: Vec<&str> = sent["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["recipient"].as_str().unwrap())
        .collect();
    assert_eq!(
        to,
        [app.megan.email.as_str(), "megan.home@personal.example"]
    );
    let token = token_sent_to(&app, &app.megan.email);
    // The alternate address's copy has a secret of its own.
    let alternate = token_sent_to(&app, "megan.home@personal.example");
    assert_ne!(token, alternate);
    assert_eq!(status(&app, &alternate).await["state"], "valid");
    let secret = token.split_once('.').unwrap().1.to_string();
    assert_eq!(secret.len(), 43, "256 bits, base64url");

    // Opening it (and a scanner running the page) changes nothing.
    let before = app.user_record(&app.megan.id).await;
    for _ in 0..3 {
        let s = status(&app, &token).await;
        assert_eq!(s["state"], "valid");
        assert_eq!(s["expires_at"], T0 + 60 * MINUTE);
    }
    assert_eq!(app.user_record(&app.megan.id).await, before);
    let summary: Value = app
        .get_json(&format!("/api/users/{}", app.megan.id), Some(&admin))
        .await;
    assert_eq!(summary["reset_link"]["sent_at"], T0);
    assert!(summary["reset_link"]["used_at"].is_null());

    // A weak password is refused and the link still works.
    let weak = use_link(&app, &token, "password1").await;
    assert_eq!(weak.status(), 422);
    assert_eq!(status(&app, &token).await["state"], "valid");

    let chosen = "violet harbour ninety kites";
    assert_eq!(use_link(&app, &token, chosen).await.status(), 204);
    let resp = app.sign_in_response("megan.bowen", chosen).await;
    assert_eq!(resp.status(), 200);
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["user"]["must_change_password"], false, "she chose it");
    assert_eq!(
        app.sign_in_response("megan.bowen", &app.megan.password)
            .await
            .status(),
        401
    );
    assert_eq!(status(&app, &token).await["state"], "used");
    refused_as_invalid(use_link(&app, &token, "another fine long phrase").await).await;
    let summary: Value = app
        .get_json(&format!("/api/users/{}", app.megan.id), Some(&admin))
        .await;
    assert_eq!(summary["reset_link"]["used_at"], T0);

    // Audited without the token; stored only as a hash.
    let actions = app.audit_actions(&admin).await;
    assert!(actions.iter().any(|a| a == "reset_link_sent"));
    assert!(actions.iter().any(|a| a == "reset_link_used"));
    let audit: Value = app.get_json("/api/audit", Some(&admin)).await;
    assert!(!audit.to_string().contains(&secret));
    assert!(!contains_bytes(&app.store_bytes(), secret.as_bytes()));
    // The user was told, without any link or password.
    assert!(app
        .outbox()
        .iter()
        .any(|m| m.to == app.megan.email && m.subject.ends_with("password was changed")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_twenty_concurrent_uses_of_one_link_exactly_one_sets_the_password() {
    let (app, _clock) = app_at_t0().await;
    let admin = app.sign_in(&app.global_admin).await;
    assert_eq!(send_link(&app, &admin, &app.megan.id).await.status(), 200);
    let token = token_sent_to(&app, &app.megan.email);
    let uses = (0..20).map(|i| {
        let (app, token) = (&app, &token);
        async move {
            use_link(app, token, &format!("concurrent winner number {i:02}"))
                .await
                .status()
                .as_u16()
        }
    });
    let mut statuses = futures::future::join_all(uses).await;
    statuses.sort_unstable();
    assert_eq!(
        statuses.iter().filter(|s| **s == 204).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 204 || *s == 410),
        "{statuses:?}"
    );
    let after = app.user_record(&app.megan.id).await;
    assert!(after.reset_link.unwrap().used_at.is_some());
}

#[tokio::test]
async fn a_link_expires_after_its_hour() {
    let (app, clock) = app_at_t0().await;
    let admin = app.sign_in(&app.global_admin).await;
    send_link(&app, &admin, &app.megan.id).await;
    let token = token_sent_to(&app, &app.megan.email);
    clock.advance_ms(60 * MINUTE - 1);
    assert_eq!(status(&app, &token).await["state"], "valid");
    clock.advance_ms(1);
    assert_eq!(status(&app, &token).await["state"], "expired");
    refused_as_invalid(use_link(&app, &token, "violet harbour ninety kites").await).await;
}

#[tokio::test]
async fn a_newer_link_an_admin_reset_or_an_own_change_revokes_the_link() {
    let (app, clock) = app_at_t0().await;
    let admin = app.sign_in(&app.global_admin).await;

    // A newer link (after the per-account limit's 15 minutes).
    send_link(&app, &admin, &app.megan.id).await;
    let first = token_sent_to(&app, &app.megan.email);
    let again = send_link(&app, &admin, &app.megan.id).await;
    assert_eq!(again.status(), 429, "one link per 15 minutes per account");
    clock.advance_ms(16 * MINUTE);
    send_link(&app, &admin, &app.megan.id).await;
    let second = tokens_sent_to(&app, &app.megan.email)
        .into_iter()
        .find(|t| *t != first)
        .expect("a second, different link");
    assert_eq!(status(&app, &first).await["state"], "revoked");
    refused_as_invalid(use_link(&app, &first, "violet harbour ninety kites").await).await;
    assert_eq!(status(&app, &second).await["state"], "valid");

    // An admin reset.
    app.reset(&admin, &app.megan.id, &json!({"require_change": false}))
        .await;
    assert_eq!(status(&app, &second).await["state"], "revoked");

    // An own change.
    clock.advance_ms(16 * MINUTE);
    let lee = app.user.clone();
    send_link(&app, &admin, &lee.id).await;
    let lees = token_sent_to(&app, &lee.email);
    let session = app.sign_in(&lee).await;
    let changed = app
        .post(
            "/api/me/password",
            Some(&session),
            &json!({"current_password": lee.password, "new_password": "amber lighthouse quietly sings"}),
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(status(&app, &lees).await["state"], "revoked");

    // Nonsense is simply not a valid link.
    for bogus in [
        "",
        "x",
        "no-dot-here",
        &format!("{}.{}", app.megan.id, "A".repeat(43)),
    ] {
        assert_eq!(status(&app, bogus).await["state"], "revoked", "{bogus}");
    }
}

#[tokio::test]
async fn a_link_answers_the_users_forgot_password_request() {
    let (app, _clock) = app_at_t0().await;
    app.app.request_reset("megan.bowen", "192.0.2.3").await;
    let admin = app.sign_in(&app.global_admin).await;
    let pending: Value = app.get_json("/api/reset-requests", Some(&admin)).await;
    assert_eq!(pending.as_array().unwrap().len(), 1);
    assert_eq!(send_link(&app, &admin, &app.megan.id).await.status(), 200);
    let pending: Value = app.get_json("/api/reset-requests", Some(&admin)).await;
    assert!(pending.as_array().unwrap().is_empty(), "{pending}");
}

#[tokio::test]
async fn only_admins_who_may_reset_the_user_send_links() {
    let (app, _clock) = app_at_t0().await;
    let pam = app.sign_in(&app.password_admin).await;
    let refused = send_link(&app, &pam, &app.global_admin.id).await;
    assert_eq!(refused.status(), 403);
    let lee = app.sign_in(&app.user).await;
    assert_eq!(send_link(&app, &lee, &app.megan.id).await.status(), 403);
    assert!(app.outbox().is_empty());
}

#[tokio::test]
async fn a_link_is_void_once_its_user_is_promoted_readdressed_or_blocked() {
    let (app, clock) = app_at_t0().await;
    let password_admin = app.sign_in(&app.password_admin).await;
    let global = app.sign_in(&app.global_admin).await;
    let user_path = format!("/api/users/{}", app.user.id);
    // One link per user per 15 minutes: each new one waits that long.
    let later = || clock.advance_ms(16 * MINUTE);
    let version = || async { app.get_json(&user_path, Some(&global)).await["version"].clone() };

    // Promoted to helpdesk admin after a password admin sent the link.
    assert_eq!(
        send_link(&app, &password_admin, &app.user.id)
            .await
            .status(),
        200
    );
    let token = token_sent_to(&app, &app.user.email);
    let body = json!({"version": version().await, "role": "helpdesk_admin"});
    assert_eq!(app.patch(&user_path, &global, &body).await.status(), 200);
    assert_eq!(
        use_link(&app, &token, "a fresh long passphrase 1")
            .await
            .status(),
        410
    );

    // A new address: the link mailed to the old one is void.
    let body = json!({"version": version().await, "role": "user"});
    assert_eq!(app.patch(&user_path, &global, &body).await.status(), 200);
    later();
    assert_eq!(send_link(&app, &global, &app.user.id).await.status(), 200);
    let token = tokens_sent_to(&app, &app.user.email).pop().unwrap();
    let body = json!({"version": version().await, "email": "lee.new@contoso.example"});
    assert_eq!(app.patch(&user_path, &global, &body).await.status(), 200);
    assert_eq!(
        use_link(&app, &token, "a fresh long passphrase 2")
            .await
            .status(),
        410
    );

    // Blocked: void too.
    later();
    assert_eq!(send_link(&app, &global, &app.user.id).await.status(), 200);
    let token = tokens_sent_to(&app, "lee.new@contoso.example")
        .pop()
        .unwrap();
    let body = json!({"version": version().await});
    let blocked = app
        .post(&format!("{user_path}/block"), Some(&global), &body)
        .await;
    assert_eq!(blocked.status(), 200);
    assert_eq!(
        use_link(&app, &token, "a fresh long passphrase 3")
            .await
            .status(),
        410
    );
    // None of them set a password: the old one is still hers (and blocked).
    let old = app
        .sign_in_response(&app.user.username, &app.user.password)
        .await;
    let body: Value = old.json().await.unwrap();
    assert_eq!(body["code"], "account_blocked");
}

fn with_password(app: &TestApp, password: &str) -> rekey_tests::Account {
    rekey_tests::Account {
        password: password.into(),
        ..app.megan.clone()
    }
}

#[tokio::test]
async fn email_verified_holds_only_after_a_link_sent_to_that_very_address_was_used() {
    let (app, clock) = app_at_t0().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app
        .register_app(&admin, "confidential", "http://127.0.0.1:9/cb")
        .await;
    let verified = |session: Session| {
        let (app, rp) = (&app, &rp);
        async move {
            let tokens = app.tokens_for(rp, &session).await;
            let info = app.userinfo(tokens["access_token"].as_str().unwrap()).await;
            let info: Value = info.json().await.unwrap();
            info["email_verified"].clone()
        }
    };
    let megan = app.sign_in(&app.megan).await;
    // An address an admin typed proves nothing.
    assert_eq!(verified(megan).await, false);

    // The copy sent to the alternate address proves only that one.
    assert_eq!(send_link(&app, &admin, &app.megan.id).await.status(), 200);
    let alternate = token_sent_to(&app, "megan.home@personal.example");
    let first_primary = token_sent_to(&app, &app.megan.email);
    assert_ne!(alternate, first_primary);
    assert_eq!(
        use_link(&app, &alternate, "Alternate-Ch0sen-1")
            .await
            .status(),
        204
    );
    let megan = app
        .sign_in(&with_password(&app, "Alternate-Ch0sen-1"))
        .await;
    assert_eq!(verified(megan).await, false);

    clock.advance_ms(16 * MINUTE);
    assert_eq!(send_link(&app, &admin, &app.megan.id).await.status(), 200);
    let primary = tokens_sent_to(&app, &app.megan.email)
        .into_iter()
        .find(|t| *t != first_primary)
        .unwrap();
    assert_eq!(
        use_link(&app, &primary, "Primary-Ch0sen-2").await.status(),
        204
    );
    let megan = app.sign_in(&with_password(&app, "Primary-Ch0sen-2")).await;
    assert_eq!(verified(megan.clone()).await, true);

    // A new address is unproven again.
    let path = format!("/api/users/{}", app.megan.id);
    let version = app.get_json(&path, Some(&admin)).await["version"].clone();
    let changed = app
        .patch(
            &path,
            &admin,
            &json!({"version": version, "email": "megan.new@contoso.example"}),
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(verified(megan).await, false);
}
