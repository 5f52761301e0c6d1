//! The "Password reset" settings: global admins only, saved on the
//! version read, checked against the two-gate rule for admins, audited.

use rekey_tests::spawn_app;
use serde_json::{json, Value};

const PATH: &str = "/api/settings/password-reset";

fn put(
    app: &rekey_tests::TestApp,
    session: &rekey_tests::Session,
    body: &Value,
) -> reqwest::RequestBuilder {
    app.client
        .put(app.url(PATH))
        .header("origin", &app.address)
        .header("cookie", &session.cookie)
        .json(body)
}

#[tokio::test]
async fn a_global_admin_reads_the_defaults_and_saves_on_the_version_read() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let current = app.get_json(PATH, Some(&admin)).await;
    assert_eq!(current["version"], 0);
    assert_eq!(
        current["settings"]["enabled_for"], "none",
        "off until an admin turns it on"
    );
    let mut change = current.clone();
    change["settings"]["enabled_for"] = json!("all");
    change["settings"]["methods_required"] = json!(2);
    change["settings"]["methods"] = json!(["alternate_email", "authenticator_app", "passkey"]);
    let saved = put(&app, &admin, &change).send().await.unwrap();
    assert_eq!(saved.status(), 200);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["version"], 1);
    assert_eq!(app.get_json(PATH, Some(&admin)).await, saved);
    // Another admin's tab still holds version 0.
    let stale = put(&app, &admin, &change).send().await.unwrap();
    assert_eq!(stale.status(), 409);
    assert_eq!(app.get_json(PATH, Some(&admin)).await["version"], 1);
    assert!(app
        .audit_actions(&admin)
        .await
        .contains(&"password_reset_settings_changed".to_string()));
}

#[tokio::test]
async fn only_a_global_admin_may_read_or_change_them() {
    let app = spawn_app().await;
    for account in [&app.helpdesk_admin, &app.password_admin, &app.user] {
        let session = app.sign_in(account).await;
        assert_eq!(
            app.get(PATH, Some(&session)).await.status(),
            403,
            "{}",
            account.username
        );
        let body = json!({"settings": {"enabled_for": "all", "methods_required": 1,
            "methods": ["alternate_email", "passkey"], "require_registration": true,
            "reconfirm_days": 180, "notify_admins_on_admin_reset": false}, "version": 0});
        assert_eq!(
            put(&app, &session, &body).send().await.unwrap().status(),
            403
        );
    }
    let admin = app.sign_in(&app.global_admin).await;
    assert_eq!(
        app.get_json(PATH, Some(&admin)).await["version"],
        0,
        "nothing changed"
    );
}

#[tokio::test]
async fn settings_that_break_the_rules_are_a_clear_400_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let base = app.get_json(PATH, Some(&admin)).await;
    let with = |field: &str, value: Value| {
        let mut b = base.clone();
        b["settings"][field] = value;
        b
    };
    let admins_by_email = {
        let mut b = with("enabled_for", json!("all"));
        b["settings"]["methods"] = json!(["alternate_email"]);
        b
    };
    for (body, field) in [
        (with("methods_required", json!(3)), "methods_required"),
        (with("reconfirm_days", json!(731)), "reconfirm_days"),
        (with("enabled_for", json!("selected")), "selected_roles"),
        (with("methods", json!(["passkey", "passkey"])), "methods"),
        (admins_by_email, "methods"),
    ] {
        let resp = put(&app, &admin, &body).send().await.unwrap();
        assert_eq!(resp.status(), 400, "{body}");
        let error: Value = resp.json().await.unwrap();
        assert_eq!(error["code"], "invalid_request");
        assert_eq!(error["field"], field);
    }
    let unknown = with("methods", json!(["sms"]));
    assert_eq!(
        put(&app, &admin, &unknown).send().await.unwrap().status(),
        400
    );
    assert_eq!(app.get_json(PATH, Some(&admin)).await["version"], 0);
}
