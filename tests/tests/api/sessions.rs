//! A session's life: an idle timeout beside the absolute lifetime, and
//! the password again before sensitive changes.

use std::sync::Arc;

use rekey_function::ports::ManualClock;
use rekey_tests::{spawn_app_with_clock, Session, TestApp};
use serde_json::{json, Value};

const MINUTE: i64 = 60_000;

async fn app() -> (TestApp, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(1_800_000_000_000));
    (spawn_app_with_clock(clock.clone()).await, clock)
}

async fn alive(app: &TestApp, session: &Session) -> bool {
    match app.get("/api/me", Some(session)).await.status().as_u16() {
        200 => true,
        401 => false,
        other => panic!("/api/me answered {other}"),
    }
}

async fn code_of(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    (
        status,
        body["code"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn a_session_unused_for_an_hour_ends_and_one_in_use_ends_after_eight_hours() {
    let (app, clock) = app().await;
    let idle = app.sign_in(&app.megan).await;
    let busy = app.sign_in(&app.user).await;
    clock.advance_ms(59 * MINUTE);
    assert!(alive(&app, &busy).await);
    clock.advance_ms(2 * MINUTE);
    assert!(!alive(&app, &idle).await, "idle for 61 minutes");
    // Used every 50 minutes, a session lives its 8 hours and no longer.
    for _ in 0..8 {
        assert!(alive(&app, &busy).await);
        clock.advance_ms(50 * MINUTE);
    }
    assert!(alive(&app, &busy).await, "7 h 41 min after sign-in");
    clock.advance_ms(20 * MINUTE);
    assert!(!alive(&app, &busy).await, "past the absolute 8 hours");
}

#[tokio::test]
async fn apps_scim_tokens_and_admin_roles_need_the_password_within_ten_minutes() {
    let (app, clock) = app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let helpdesk = app.sign_in(&app.helpdesk_admin).await;
    clock.advance_ms(11 * MINUTE);
    let register = json!({"name": "Wiki", "kind": "confidential",
        "redirect_uris": ["http://127.0.0.1:9/cb"]});
    assert_eq!(
        code_of(app.post("/api/apps", Some(&admin), &register).await).await,
        (403, "reauthentication_required".into())
    );
    assert_eq!(
        code_of(
            app.post("/api/scim-tokens", Some(&admin), &json!({"name": "HR"}))
                .await
        )
        .await,
        (403, "reauthentication_required".into())
    );
    let path = format!("/api/users/{}", app.megan.id);
    let version = app.get_json(&path, Some(&admin)).await["version"].clone();
    let promote = json!({"version": version, "role": "helpdesk_admin"});
    assert_eq!(
        code_of(app.patch(&path, &admin, &promote).await).await,
        (403, "reauthentication_required".into())
    );
    assert_eq!(app.get_json(&path, Some(&admin)).await["role"], "user");
    // What grants nothing needs nothing more.
    let rename = json!({"version": version, "display_name": "Megan B."});
    assert_eq!(app.patch(&path, &admin, &rename).await.status(), 200);
    // Someone who may not do it at all is told so, not asked for a password.
    assert_eq!(
        code_of(app.post("/api/apps", Some(&helpdesk), &register).await).await,
        (403, "forbidden".into())
    );

    let confirm = |password: &str| {
        let body = json!({"password": password});
        let (app, admin) = (&app, &admin);
        async move {
            app.post("/api/auth/confirm-password", Some(admin), &body)
                .await
        }
    };
    assert_eq!(
        code_of(confirm("not-my-password").await).await,
        (422, "current_password_incorrect".into())
    );
    assert_eq!(confirm(&app.global_admin.password).await.status(), 204);
    assert_eq!(
        app.post("/api/apps", Some(&admin), &register)
            .await
            .status(),
        201
    );
    let version = app.get_json(&path, Some(&admin)).await["version"].clone();
    let promote = json!({"version": version, "role": "helpdesk_admin"});
    assert_eq!(app.patch(&path, &admin, &promote).await.status(), 200);
    clock.advance_ms(11 * MINUTE);
    assert_eq!(
        code_of(
            app.post("/api/scim-tokens", Some(&admin), &json!({"name": "HR"}))
                .await
        )
        .await,
        (403, "reauthentication_required".into())
    );
}

#[tokio::test]
async fn confirming_the_password_counts_failures_like_a_sign_in() {
    let (app, _clock) = app().await;
    let admin = app.sign_in(&app.global_admin).await;
    for i in 1..=10 {
        let resp = app
            .post(
                "/api/auth/confirm-password",
                Some(&admin),
                &json!({"password": "guess"}),
            )
            .await;
        // The tenth failure is the one that locks.
        let expected = if i < 10 { 422 } else { 423 };
        assert_eq!(resp.status(), expected, "try {i}");
    }
    let resp = app
        .post(
            "/api/auth/confirm-password",
            Some(&admin),
            &json!({"password": app.global_admin.password}),
        )
        .await;
    assert_eq!(code_of(resp).await, (423, "account_locked".into()));
}
