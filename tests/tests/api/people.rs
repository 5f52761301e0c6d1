//! Users come in and go: add, edit, block and delete, with the role table
//! on every change.

use rekey_tests::{session_from, spawn_app, Session, TestApp};
use serde_json::{json, Value};

fn new_user(username: &str, role: &str) -> Value {
    json!({
        "first_name": "Nestor",
        "last_name": "Wilke",
        "username": username,
        "email": format!("{username}@contoso.example"),
        "role": role,
    })
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    session: &Session,
    body: &Value,
) -> reqwest::Response {
    app.client
        .request(method, app.url(path))
        .header("origin", &app.address)
        .header("cookie", &session.cookie)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn code_of(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_added_user_signs_in_with_the_emailed_password_and_must_change_it() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let mut body = new_user("nestor.wilke", "user");
    body["alternate_email"] = json!("nestor@home.example");
    body["email_to"] = json!([app.global_admin.email, "nestor@home.example"]);
    let resp = app.post("/api/users", Some(&admin), &body).await;
    assert_eq!(resp.status(), 201);
    let created: Value = resp.json().await.unwrap();
    assert_eq!(
        created["user"]["display_name"], "Nestor Wilke",
        "filled from the names"
    );
    assert_eq!(created["user"]["first_name"], "Nestor");
    assert_eq!(created["user"]["must_change_password"], true);
    assert_eq!(created["generated"], true);
    let password = created["password"].as_str().unwrap();
    assert_eq!(password.chars().count(), 16);
    let mut to: Vec<String> = app.password_emails().iter().map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(
        to,
        [app.global_admin.email.clone(), "nestor@home.example".into()]
    );
    assert!(app
        .password_emails()
        .iter()
        .all(|m| m.text.contains(password)));

    let resp = app.sign_in_response("nestor.wilke", password).await;
    assert_eq!(resp.status(), 200);
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["user"]["must_change_password"], true);
    assert!(app
        .audit_actions(&admin)
        .await
        .contains(&"user_created".to_string()));
    // Nothing of the password in the database file.
    assert!(!String::from_utf8_lossy(&app.store_bytes()).contains(password));
}

#[tokio::test]
async fn the_role_table_rules_every_add_and_edit() {
    let app = spawn_app().await;
    let global = app.sign_in(&app.global_admin).await;
    let helpdesk = app.sign_in(&app.helpdesk_admin).await;
    let password = app.sign_in(&app.password_admin).await;

    // Adding: only global admins grant admin roles.
    assert_eq!(
        app.post("/api/users", Some(&password), &new_user("u1", "user"))
            .await
            .status(),
        201
    );
    for (who, role) in [
        (&password, "password_admin"),
        (&helpdesk, "password_admin"),
        (&helpdesk, "global_admin"),
    ] {
        let (status, body) = code_of(
            app.post("/api/users", Some(who), &new_user("x1", role))
                .await,
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("forbidden")),
            "{role}"
        );
    }
    assert_eq!(
        app.post(
            "/api/users",
            Some(&global),
            &new_user("h2", "helpdesk_admin")
        )
        .await
        .status(),
        201
    );
    let user = app.get_json("/api/users?q=u1", Some(&global)).await["users"][0].clone();
    let id = user["id"].as_str().unwrap();
    let version = user["version"].as_u64().unwrap();

    // Editing: a password admin may rename a user but not promote them.
    let path = format!("/api/users/{id}");
    let (status, _) = code_of(
        send(
            &app,
            reqwest::Method::PATCH,
            &path,
            &password,
            &json!({"version": version, "role": "password_admin"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    let (status, edited) = code_of(
        send(
            &app,
            reqwest::Method::PATCH,
            &path,
            &password,
            &json!({"version": version, "display_name": "Una One"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, edited["display_name"].as_str()),
        (200, Some("Una One"))
    );
    // Nobody edits themself into a higher role, nor manages a higher admin.
    let me = format!("/api/users/{}", app.helpdesk_admin.id);
    let mine = app.get_json(&me, Some(&global)).await;
    let (status, _) = code_of(
        send(
            &app,
            reqwest::Method::PATCH,
            &me,
            &helpdesk,
            &json!({"version": mine["version"], "role": "global_admin"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    let boss = format!("/api/users/{}", app.global_admin.id);
    let (status, _) = code_of(
        send(
            &app,
            reqwest::Method::PATCH,
            &boss,
            &helpdesk,
            &json!({"version": 0, "display_name": "Boss"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    // A global admin promotes.
    let (status, promoted) = code_of(
        send(
            &app,
            reqwest::Method::PATCH,
            &path,
            &global,
            &json!({"version": edited["version"], "role": "password_admin"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, promoted["role"].as_str()),
        (200, Some("password_admin"))
    );
}

#[tokio::test]
async fn of_twenty_concurrent_adds_of_one_username_exactly_one_wins() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let tries = (0..20).map(|i| {
        let mut body = new_user("same.name", "user");
        body["email"] = json!(format!("same{i}@contoso.example"));
        let (app, admin) = (&app, &admin);
        async move { code_of(app.post("/api/users", Some(admin), &body).await).await }
    });
    let results = futures::future::join_all(tries).await;
    let created = results.iter().filter(|(s, _)| *s == 201).count();
    assert_eq!(created, 1, "{results:?}");
    for (status, body) in results.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*status, 409);
        assert_eq!(body["code"], "already_exists");
        assert_eq!(body["field"], "username");
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_the_field_and_nothing_is_added() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let mut cases = Vec::new();
    for (field, value) in [
        ("email", json!("not an address")),
        ("username", json!("two words")),
        ("first_name", json!("")),
        ("alternate_email", json!("x@")),
    ] {
        let mut body = new_user("bad.input", "user");
        body[field] = value;
        cases.push((body, 400, field));
    }
    let mut weak = new_user("bad.input", "user");
    weak["password"] = json!({"mode": "typed", "password": "password"});
    cases.push((weak, 422, "password"));
    let mut taken = new_user("megan.bowen", "user");
    taken["email"] = json!("other@contoso.example");
    cases.push((taken, 409, "username"));
    for (body, status, field) in cases {
        let (got, error) = code_of(app.post("/api/users", Some(&admin), &body).await).await;
        assert_eq!(
            (got, error["field"].as_str()),
            (status, Some(field)),
            "{body}"
        );
    }
    let mut extra = new_user("bad.input", "user");
    extra["blocked"] = json!(false);
    assert_eq!(
        app.post("/api/users", Some(&admin), &extra).await.status(),
        400
    );
    assert!(
        app.get_json("/api/users?q=bad.input", Some(&admin)).await["users"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_stale_edit_answers_409_with_the_current_record_and_a_rename_moves_the_login() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let path = format!("/api/users/{}", app.megan.id);
    let seen = app.get_json(&path, Some(&admin)).await["version"]
        .as_u64()
        .unwrap();
    let (status, renamed) = code_of(
        send(
            &app,
            reqwest::Method::PATCH,
            &path,
            &admin,
            &json!({"version": seen, "username": "megan.b", "email": "megan.b@contoso.example"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(renamed["username"], "megan.b");
    let (status, stale) = code_of(
        send(
            &app,
            reqwest::Method::PATCH,
            &path,
            &admin,
            &json!({"version": seen, "display_name": "Old view"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(stale["code"], "conflict");
    assert_eq!(stale["current"]["username"], "megan.b");
    assert_eq!(stale["current"]["version"], renamed["version"]);
    assert_eq!(
        app.sign_in_response("megan.b", &app.megan.password)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.sign_in_response("megan.bowen", &app.megan.password)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn a_blocked_user_is_signed_out_and_only_the_right_password_learns_of_the_block() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let megan = app.sign_in(&app.megan).await;
    let path = format!("/api/users/{}", app.megan.id);
    let seen = app.get_json(&path, Some(&admin)).await["version"].clone();
    let (status, blocked) = code_of(
        app.post(
            &format!("{path}/block"),
            Some(&admin),
            &json!({"version": seen}),
        )
        .await,
    )
    .await;
    assert_eq!((status, blocked["blocked"].as_bool()), (200, Some(true)));
    assert_eq!(
        app.get("/api/me", Some(&megan)).await.status(),
        401,
        "sessions end at once"
    );

    // A wrong password: exactly what an active account answers.
    let active = code_of(
        app.sign_in_response(&app.user.username, "wrong password 1")
            .await,
    )
    .await;
    let blocked_wrong = code_of(
        app.sign_in_response(&app.megan.username, "wrong password 1")
            .await,
    )
    .await;
    assert_eq!(active, blocked_wrong);
    assert_eq!(active.1["code"], "invalid_credentials");
    let right = code_of(
        app.sign_in_response(&app.megan.username, &app.megan.password)
            .await,
    )
    .await;
    assert_eq!(
        (right.0, right.1["code"].as_str()),
        (403, Some("account_blocked"))
    );

    // Forgot password: the uniform 202, and no admin is emailed.
    let before = app.outbox().len();
    let asked = app
        .post(
            "/api/auth/password-requests",
            None,
            &json!({"username": app.megan.username}),
        )
        .await;
    assert_eq!(asked.status(), 202);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.outbox().len(), before);

    // (The failed sign-in counted, so the record moved on: read it again.)
    let now = app.get_json(&path, Some(&admin)).await["version"].clone();
    assert_ne!(now, blocked["version"]);
    let (status, unblocked) = code_of(
        app.post(
            &format!("{path}/unblock"),
            Some(&admin),
            &json!({"version": now}),
        )
        .await,
    )
    .await;
    assert_eq!((status, unblocked["blocked"].as_bool()), (200, Some(false)));
    assert!(session_from(
        &app.sign_in_response(&app.megan.username, &app.megan.password)
            .await
    )
    .is_some());
    let actions = app.audit_actions(&admin).await;
    assert!(actions.contains(&"user_blocked".into()) && actions.contains(&"user_unblocked".into()));
}

#[tokio::test]
async fn a_deleted_user_is_gone_and_the_audit_log_keeps_their_name() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let megan = app.sign_in(&app.megan).await;
    let path = format!("/api/users/{}", app.megan.id);
    let (status, _) = code_of(
        send(
            &app,
            reqwest::Method::DELETE,
            &format!("/api/users/{}", app.global_admin.id),
            &admin,
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403, "not oneself");
    assert_eq!(
        send(&app, reqwest::Method::DELETE, &path, &admin, &json!({}))
            .await
            .status(),
        204
    );
    assert_eq!(app.get("/api/me", Some(&megan)).await.status(), 401);
    assert_eq!(app.get(&path, Some(&admin)).await.status(), 404);
    assert_eq!(
        app.sign_in_response(&app.megan.username, &app.megan.password)
            .await
            .status(),
        401
    );
    let audit = app.get_json("/api/audit", Some(&admin)).await;
    let deleted = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "user_deleted")
        .unwrap();
    assert_eq!(deleted["target"]["display_name"], "Megan Bowen");
    // The username is free again.
    let again = app
        .post("/api/users", Some(&admin), &new_user("megan.bowen", "user"))
        .await;
    assert_eq!(again.status(), 201);
}

#[tokio::test]
async fn a_blocked_user_gets_no_code_and_her_apps_tokens_stop_working() {
    use rekey_tests::oidc::{location, pkce};
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app
        .register_app(&admin, "confidential", "http://127.0.0.1:9/callback")
        .await;
    let megan = app.sign_in(&app.megan).await;
    let (verifier, challenge) = pkce();
    let code = app.code_for(&rp, &megan, &challenge).await;
    let tokens: Value = app
        .exchange(&rp, &code, &verifier)
        .await
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let unused = app.code_for(&rp, &megan, &challenge).await;

    let path = format!("/api/users/{}", app.megan.id);
    let seen = app.get_json(&path, Some(&admin)).await["version"].clone();
    let blocked = app
        .post(
            &format!("{path}/block"),
            Some(&admin),
            &json!({"version": seen}),
        )
        .await;
    assert_eq!(blocked.status(), 200);
    assert_eq!(app.userinfo(access).await.status(), 401);
    let refused: Value = app
        .exchange(&rp, &unused, &verifier)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(refused["error"], "invalid_grant");
    let to = location(
        &app.authorize(Some(&megan.cookie), &app.authorize_query(&rp, &challenge))
            .await,
    );
    assert!(to.starts_with("/?continue="), "{to}");
}
