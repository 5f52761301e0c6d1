use rekey_tests::{session_from, spawn_app};
use serde_json::{json, Value};

#[tokio::test]
async fn after_a_reset_requiring_change_the_user_must_change_it_before_anything_else() {
    let app = spawn_app().await;
    let gadmin = app.sign_in(&app.global_admin).await;
    let reset: Value = app
        .post(
            &format!("/api/users/{}/password-reset", app.password_admin.id),
            Some(&gadmin),
            &json!({"require_change": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let temporary = reset["password"].as_str().unwrap().to_string();

    let resp = app.sign_in_response("padmin", &temporary).await;
    assert_eq!(resp.status(), 200);
    let temp_session = session_from(&resp).unwrap();
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["user"]["must_change_password"], true);

    // Nothing but the change is allowed.
    let blocked = app.get("/api/users", Some(&temp_session)).await;
    assert_eq!(blocked.status(), 403);
    let body: Value = blocked.json().await.unwrap();
    assert_eq!(body["code"], "password_change_required");
    assert_eq!(app.get("/api/me", Some(&temp_session)).await.status(), 200);

    let refusals = [
        (
            "not-the-temporary",
            "violet harbour ninety kites",
            "current_password_incorrect",
            "current_password",
        ),
        (
            temporary.as_str(),
            temporary.as_str(),
            "password_reused",
            "new_password",
        ),
        (
            temporary.as_str(),
            "qwerty123",
            "password_too_common",
            "new_password",
        ),
        (
            temporary.as_str(),
            "Pam-Password-99!",
            "password_contains_personal_info",
            "new_password",
        ),
    ];
    for (current, new, code, field) in refusals {
        let body = json!({"current_password": current, "new_password": new});
        let resp = app
            .post("/api/me/password", Some(&temp_session), &body)
            .await;
        assert_eq!(resp.status(), 422, "{code}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["code"], code);
        assert_eq!(body["field"], field);
    }
    let still = app.user_record(&app.password_admin.id).await;
    assert!(still.must_change_password, "refusals change nothing");

    let body =
        json!({"current_password": temporary, "new_password": "violet harbour ninety kites"});
    let ok = app
        .post("/api/me/password", Some(&temp_session), &body)
        .await;
    assert_eq!(ok.status(), 200);
    let new_session = session_from(&ok).expect("a fresh session");
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["user"]["must_change_password"], false);
    assert!(body["user"]["temporary_password_expires_at"].is_null());

    assert_eq!(
        app.get("/api/users", Some(&new_session)).await.status(),
        200
    );
    assert_eq!(app.get("/api/me", Some(&temp_session)).await.status(), 401);
    assert_eq!(
        app.sign_in_response("padmin", &temporary).await.status(),
        401
    );
    assert_eq!(
        app.sign_in_response("padmin", "violet harbour ninety kites")
            .await
            .status(),
        200
    );
    let actions = app.audit_actions(&gadmin).await;
    assert_eq!(&actions[..2], &["notice_sent", "password_changed"]);
    let audit: Value = app.get_json("/api/audit", Some(&gadmin)).await;
    assert!(!audit.to_string().contains("violet harbour"));
}

#[tokio::test]
async fn info_tells_the_app_the_organisation_and_the_outbox() {
    let app = spawn_app().await;
    let info: Value = app.get_json("/api/info", None).await;
    assert_eq!(info["organization"], "Contoso");
    assert_eq!(info["outbox_url"], "/outbox");
    assert_eq!(info["min_password_length"], 8);
}

#[tokio::test]
async fn users_can_be_listed_z_to_a() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let page: Value = app.get_json("/api/users?order=desc", Some(&admin)).await;
    let names: Vec<&str> = page["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "Pam Password",
            "Megan Bowen",
            "Lee Gu",
            "Hank Helpdesk",
            "Grace Global"
        ]
    );
}
