//! "Why can't she sign in?": every attempt on an account in her sign-in
//! log, the lock beside it, and Unlock without a new password.

use rekey_tests::oidc::pkce;
use rekey_tests::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn every_attempt_is_logged_and_an_admin_unlocks_without_a_new_password() {
    let app = spawn_app().await;
    let helpdesk = app.sign_in(&app.helpdesk_admin).await;
    let megan = &app.megan;
    let from_a_browser = app
        .client
        .post(app.url("/api/auth/sign-in"))
        .header("origin", &app.address)
        .header(
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        )
        .json(&json!({"username": megan.username, "password": "not it"}))
        .send()
        .await
        .unwrap();
    assert_eq!(from_a_browser.status(), 401);
    let session = app.sign_in(megan).await;
    assert_eq!(
        app.post("/api/auth/sign-out", Some(&session), &json!({}))
            .await
            .status(),
        204
    );
    for _ in 0..10 {
        app.sign_in_response(&megan.username, "still not it").await;
    }
    let path = format!("/api/users/{}/sign-ins", megan.id);
    let log: Value = app.get_json(&path, Some(&helpdesk)).await;
    let results: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["result"].as_str().unwrap())
        .collect();
    let mut expected = vec!["locked"];
    expected.extend(["wrong_password"; 9]);
    expected.extend(["signed_out", "success", "wrong_password"]);
    assert_eq!(results, expected, "newest first");
    let first = &log["entries"][12];
    assert_eq!(first["client"], "127.0.0.1");
    assert_eq!(
        first["user_agent"],
        "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    );
    assert!(log["locked_until"].as_i64().is_some());
    assert_eq!(log["blocked"], false);
    // Never a password in the log.
    assert!(!log.to_string().contains("not it"));

    let locked = app.sign_in_response(&megan.username, &megan.password).await;
    assert_eq!(locked.status(), 423);
    let version = app
        .get_json(&format!("/api/users/{}", megan.id), Some(&helpdesk))
        .await["version"]
        .clone();
    let unlocked = app
        .post(
            &format!("/api/users/{}/unlock", megan.id),
            Some(&helpdesk),
            &json!({"version": version}),
        )
        .await;
    assert_eq!(unlocked.status(), 200);
    let unlocked: Value = unlocked.json().await.unwrap();
    assert!(unlocked["locked_until"].is_null());
    // Her own password works again: nothing was reset.
    app.sign_in(megan).await;
    let audit: Value = app.get_json("/api/audit", Some(&helpdesk)).await;
    assert_eq!(audit["events"][0]["action"], "account_unlocked");
    assert_eq!(audit["events"][0]["actor"]["username"], "hadmin");
}

#[tokio::test]
async fn only_admins_who_may_reset_her_see_her_sign_ins() {
    let app = spawn_app().await;
    let password_admin = app.sign_in(&app.password_admin).await;
    let user = app.sign_in(&app.user).await;
    let of_global = format!("/api/users/{}/sign-ins", app.global_admin.id);
    assert_eq!(
        app.get(&of_global, Some(&password_admin)).await.status(),
        403
    );
    let of_megan = format!("/api/users/{}/sign-ins", app.megan.id);
    assert_eq!(app.get(&of_megan, Some(&user)).await.status(), 403);
    assert_eq!(
        app.get(&of_megan, Some(&password_admin)).await.status(),
        200
    );
    let unlock = app
        .post(
            &format!("/api/users/{}/unlock", app.global_admin.id),
            Some(&password_admin),
            &json!({"version": 1}),
        )
        .await;
    assert_eq!(unlock.status(), 403);
}

#[tokio::test]
async fn an_app_sign_in_is_logged_with_the_app() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app
        .register_app(&admin, "confidential", "http://127.0.0.1:9/cb")
        .await;
    let megan = app.sign_in(&app.megan).await;
    let (_, challenge) = pkce();
    app.code_for(&rp, &megan, &challenge).await;
    let log: Value = app
        .get_json(
            &format!("/api/users/{}/sign-ins", app.megan.id),
            Some(&admin),
        )
        .await;
    assert_eq!(log["entries"][0]["result"], "app_sign_in");
    assert_eq!(log["entries"][0]["app"]["id"], rp.client_id);
    assert_eq!(log["entries"][1]["result"], "success");
}
