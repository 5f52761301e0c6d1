//! Self-service reset's ask at sign-in: register the methods a reset
//! needs (three skips at most), or confirm them every reconfirm_days.

use rekey_tests::self_service::{
    clocked, sspr_on, status_and_body, with_alternate_email, MEGAN_ALT,
};
use rekey_tests::TestApp;
use serde_json::{json, Value};

const MINUTE: i64 = 60_000;

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
