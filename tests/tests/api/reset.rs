use rekey_tests::{contains_bytes, spawn_app, TestApp};
use serde_json::{json, Value};

fn reset_path(id: &str) -> String {
    format!("/api/users/{id}/password-reset")
}

async fn audit(app: &TestApp, session: &rekey_tests::Session) -> Vec<Value> {
    let page: Value = app.get_json("/api/audit?limit=200", Some(session)).await;
    page["events"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_reset_rotates_the_hash_ends_sessions_and_is_audited_without_the_password() {
    let app = spawn_app().await;
    let users_session = app.sign_in(&app.megan).await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.user_record(&app.megan.id).await;

    let resp = app
        .post(
            &reset_path(&app.megan.id),
            Some(&admin),
            &json!({"require_change": true}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let result: Value = resp.json().await.unwrap();
    let password = result["password"].as_str().unwrap().to_string();
    assert_eq!(password.chars().count(), 16);
    assert_eq!(result["generated"], true);
    assert_eq!(result["must_change_password"], true);
    assert!(result["temporary_password_expires_at"].is_i64());
    assert_eq!(result["version"], before.version + 1);

    // The old password no longer signs in; the new one does.
    let old = app
        .sign_in_response("megan.bowen", &app.megan.password)
        .await;
    assert_eq!(old.status(), 401);
    let new = app.sign_in_response("megan.bowen", &password).await;
    assert_eq!(new.status(), 200);
    let body: Value = new.json().await.unwrap();
    assert_eq!(body["user"]["must_change_password"], true);

    // The user's earlier session has ended.
    assert_eq!(app.get("/api/me", Some(&users_session)).await.status(), 401);

    let after = app.user_record(&app.megan.id).await;
    assert_ne!(after.password_hash, before.password_hash);
    assert!(after
        .password_hash
        .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    assert_eq!(after.session_epoch, before.session_epoch + 1);

    let events = audit(&app, &admin).await;
    let reset = events
        .iter()
        .find(|e| e["action"] == "password_reset")
        .expect("a reset event");
    assert_eq!(reset["actor"]["username"], "gadmin");
    assert_eq!(reset["target"]["username"], "megan.bowen");
    assert_eq!(reset["generated"], true);
    assert_eq!(reset["must_change_password"], true);
    let all = serde_json::to_string(&events).unwrap();
    assert!(!all.contains(&password));
    assert!(!contains_bytes(&app.store_bytes(), password.as_bytes()));
}

#[tokio::test]
async fn the_password_is_emailed_to_each_recipient_separately() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let recipients = [
        app.global_admin.email.as_str(),
        "megan.home@personal.example",
    ];
    let result: Value = app
        .post(
            &reset_path(&app.megan.id),
            Some(&admin),
            &json!({"email_to": recipients}),
        )
        .await
        .json()
        .await
        .unwrap();
    let password = result["password"].as_str().unwrap();
    let emails = result["emails"].as_array().unwrap();
    assert_eq!(emails.len(), 2);
    assert!(emails.iter().all(|e| e["status"] == "sent"));

    let outbox = app.password_emails();
    assert_eq!(outbox.len(), 2);
    let mut to: Vec<&str> = outbox.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(
        to,
        vec!["gadmin@contoso.example", "megan.home@personal.example"]
    );
    for m in &outbox {
        assert_eq!(m.subject, "New password for Megan Bowen (megan.bowen)");
        assert!(m.text.contains(password), "text part holds the password");
        let in_html = password
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(m.html.contains(&in_html), "HTML part holds the password");
        assert!(m.text.contains("Grace Global"));
        assert!(m.text.contains("must be changed"));
        assert!(m.text.contains(&app.app.settings.public_url));
    }

    let events = audit(&app, &admin).await;
    let delivery = events
        .iter()
        .find(|e| e["action"] == "reset_email_sent")
        .unwrap();
    assert_eq!(delivery["deliveries"].as_array().unwrap().len(), 2);
    assert!(!serde_json::to_string(&events).unwrap().contains(password));
}

#[tokio::test]
async fn a_mail_failure_keeps_the_reset_and_says_which_recipient_failed() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    // Break the real outbox: its folder becomes a file, so writes fail.
    std::fs::remove_dir_all(&app.outbox_dir).unwrap();
    std::fs::write(&app.outbox_dir, b"not a folder").unwrap();

    let resp = app
        .post(
            &reset_path(&app.megan.id),
            Some(&admin),
            &json!({"email_to": ["it@contoso.example"]}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let result: Value = resp.json().await.unwrap();
    assert_eq!(result["emails"][0]["recipient"], "it@contoso.example");
    assert_eq!(result["emails"][0]["status"], "failed");
    // A short reason for the admin, not the file system's error text.
    assert_eq!(
        result["emails"][0]["error"],
        "The mail service could not be reached; the email was not sent."
    );
    let password = result["password"].as_str().unwrap();
    assert_eq!(
        app.sign_in_response("megan.bowen", password).await.status(),
        200
    );
}

#[tokio::test]
async fn a_password_admin_cannot_reset_a_global_admin_and_nothing_changes() {
    let app = spawn_app().await;
    let padmin = app.sign_in(&app.password_admin).await;
    let before = app.user_record(&app.global_admin.id).await;
    let resp = app
        .post(&reset_path(&app.global_admin.id), Some(&padmin), &json!({}))
        .await;
    assert_eq!(resp.status(), 403);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "forbidden");
    assert!(body["message"].as_str().unwrap().contains("global admin"));
    assert_eq!(app.user_record(&app.global_admin.id).await, before);
    assert!(audit(&app, &padmin).await.is_empty());

    // The table, spot-checked over HTTP: a password admin may not reset a
    // helpdesk admin; a helpdesk admin may reset a password admin.
    let no = app
        .post(
            &reset_path(&app.helpdesk_admin.id),
            Some(&padmin),
            &json!({}),
        )
        .await;
    assert_eq!(no.status(), 403);
    let hadmin = app.sign_in(&app.helpdesk_admin).await;
    let ok = app
        .post(
            &reset_path(&app.password_admin.id),
            Some(&hadmin),
            &json!({}),
        )
        .await;
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn an_admin_cannot_reset_their_own_password_here() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.user_record(&app.global_admin.id).await;
    let resp = app
        .post(&reset_path(&app.global_admin.id), Some(&admin), &json!({}))
        .await;
    assert_eq!(resp.status(), 403);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "cannot_reset_self");
    assert_eq!(app.user_record(&app.global_admin.id).await, before);
}

#[tokio::test]
async fn a_typed_weak_password_is_refused_with_the_reason_and_nothing_changes() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.helpdesk_admin).await;
    let before = app.user_record(&app.megan.id).await;
    for (password, code) in [
        ("password1", "password_too_common"),
        ("short", "password_too_short"),
        ("Megan-Bowen-2026!", "password_contains_personal_info"),
    ] {
        let resp = app
            .post(
                &reset_path(&app.megan.id),
                Some(&admin),
                &json!({"password": {"mode": "typed", "password": password}}),
            )
            .await;
        assert_eq!(resp.status(), 422, "{password}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["code"], code, "{password}");
        assert_eq!(body["field"], "password");
        assert!(!body["message"].as_str().unwrap().is_empty());
        assert!(!body["message"].as_str().unwrap().contains(password));
    }
    assert_eq!(app.user_record(&app.megan.id).await, before);
}

#[tokio::test]
async fn a_typed_strong_password_is_set_and_can_be_permanent() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let typed = "plum tractor seventeen lanterns";
    let result: Value = app
        .post(
            &reset_path(&app.megan.id),
            Some(&admin),
            &json!({"password": {"mode": "typed", "password": typed}, "require_change": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["password"], typed);
    assert_eq!(result["generated"], false);
    assert_eq!(result["must_change_password"], false);
    assert!(result["temporary_password_expires_at"].is_null());
    assert_eq!(
        app.sign_in_response("megan.bowen", typed).await.status(),
        200
    );
}

#[tokio::test]
async fn fifty_concurrent_resets_of_one_user_lose_nothing() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.user_record(&app.megan.id).await;
    let path = reset_path(&app.megan.id);
    let body = json!({});
    let responses =
        futures::future::join_all((0..50).map(|_| app.post(&path, Some(&admin), &body))).await;
    let mut versions = Vec::new();
    let mut passwords = Vec::new();
    for r in responses {
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        versions.push(v["version"].as_u64().unwrap());
        passwords.push(v["password"].as_str().unwrap().to_string());
    }
    versions.sort_unstable();
    let expected: Vec<u64> = (before.version + 1..=before.version + 50).collect();
    assert_eq!(versions, expected, "every reset got its own version");
    let after = app.user_record(&app.megan.id).await;
    assert_eq!(after.version, before.version + 50);
    assert_eq!(after.session_epoch, before.session_epoch + 50);
    let events = audit(&app, &admin).await;
    assert_eq!(
        events
            .iter()
            .filter(|e| e["action"] == "password_reset")
            .count(),
        50
    );
    // The last write wins: exactly one of the fifty passwords works now.
    let mut working = 0;
    for p in passwords.iter().rev().take(50) {
        if app
            .app
            .hasher
            .verify(
                rekey_function::domain::secret::Secret::new(p.clone()),
                Some(after.password_hash.clone()),
            )
            .await
        {
            working += 1;
        }
    }
    assert_eq!(working, 1);
}
