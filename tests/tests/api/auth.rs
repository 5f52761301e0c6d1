use rekey_tests::{session_from, spawn_app};
use serde_json::{json, Value};

#[tokio::test]
async fn signing_in_sets_a_host_only_secure_http_only_strict_cookie() {
    let app = spawn_app().await;
    let resp = app
        .sign_in_response(&app.global_admin.username, &app.global_admin.password)
        .await;
    assert_eq!(resp.status(), 200);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-rekey_session="), "{cookie}");
    for attr in [
        "Path=/",
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Max-Age=",
    ] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
    }
    assert!(!cookie.contains("Domain"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["user"]["username"], "gadmin");
    assert_eq!(body["user"]["role"], "global_admin");
    assert!(body["user"].get("password_hash").is_none());
}

#[tokio::test]
async fn the_session_stores_only_a_hash_of_the_token() {
    let app = spawn_app().await;
    let session = app.sign_in(&app.global_admin).await;
    let token = session.cookie.split_once('=').unwrap().1;
    assert!(!rekey_tests::contains_bytes(
        &app.store_bytes(),
        token.as_bytes()
    ));
    let me: Value = app.get_json("/api/me", Some(&session)).await;
    assert_eq!(me["user"]["id"], app.global_admin.id.as_str());
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = app.sign_in_response("gadmin", "not-the-password").await;
    let unknown = app
        .sign_in_response("nobody.here", "not-the-password")
        .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert!(session_from(&wrong).is_none());
    let (a, b): (Value, Value) = (wrong.json().await.unwrap(), unknown.json().await.unwrap());
    assert_eq!(a, b);
    assert_eq!(a["code"], "invalid_credentials");
}

#[tokio::test]
async fn signing_in_by_email_works_case_insensitively() {
    let app = spawn_app().await;
    let resp = app
        .sign_in_response(&app.megan.email.to_uppercase(), &app.megan.password)
        .await;
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn ten_failures_in_a_row_lock_the_account_even_for_the_right_password() {
    let app = spawn_app().await;
    for i in 0..9 {
        let r = app.sign_in_response("lee.gu", "wrong-password").await;
        assert_eq!(r.status(), 401, "attempt {i}");
    }
    let tenth = app.sign_in_response("lee.gu", "wrong-password").await;
    assert_eq!(tenth.status(), 423);
    let body: Value = tenth.json().await.unwrap();
    assert_eq!(body["code"], "account_locked");
    assert!(body["message"].as_str().unwrap().contains("60 seconds"));

    let right = app.sign_in_response("lee.gu", &app.user.password).await;
    assert_eq!(right.status(), 423);

    let record = app.user_record(&app.user.id).await;
    assert_eq!(record.lockouts, 1);
    assert!(record.locked_until.is_some());
    let admin = app.sign_in(&app.global_admin).await;
    let audit: Value = app.get_json("/api/audit", Some(&admin)).await;
    assert_eq!(audit["events"][0]["action"], "account_locked");
    let shown: Value = app
        .get_json(&format!("/api/users/{}", app.user.id), Some(&admin))
        .await;
    assert!(shown["locked_until"].is_i64());
}

#[tokio::test]
async fn an_admin_reset_clears_a_lockout() {
    let app = spawn_app().await;
    for _ in 0..10 {
        app.sign_in_response("lee.gu", "wrong-password").await;
    }
    let admin = app.sign_in(&app.global_admin).await;
    let result = app.reset(&admin, &app.user.id, &json!({})).await;
    let new_password = result["password"].as_str().unwrap();
    assert_eq!(
        app.sign_in_response("lee.gu", new_password).await.status(),
        200
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_and_clears_the_cookie() {
    let app = spawn_app().await;
    let session = app.sign_in(&app.global_admin).await;
    let out = app
        .post("/api/auth/sign-out", Some(&session), &json!({}))
        .await;
    assert_eq!(out.status(), 204);
    let cleared = out.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.contains("Max-Age=0"));
    let me = app.get("/api/me", Some(&session)).await;
    assert_eq!(me.status(), 401);
    let body: Value = me.json().await.unwrap();
    assert_eq!(body["code"], "unauthenticated");
}

#[tokio::test]
async fn a_user_signs_in_but_gets_no_admin_access() {
    let app = spawn_app().await;
    let session = app.sign_in(&app.user).await;
    assert_eq!(app.get("/api/me", Some(&session)).await.status(), 200);
    for path in [
        "/api/users".to_string(),
        "/api/audit".to_string(),
        format!("/api/users/{}", app.megan.id),
    ] {
        let r = app.get(&path, Some(&session)).await;
        assert_eq!(r.status(), 403, "{path}");
    }
    let r = app
        .post(
            &format!("/api/users/{}/password-reset", app.megan.id),
            Some(&session),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn unauthenticated_requests_are_refused_with_401() {
    let app = spawn_app().await;
    for path in ["/api/me", "/api/users", "/api/audit"] {
        let r = app.get(path, None).await;
        assert_eq!(r.status(), 401, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "unauthenticated");
    }
    let before = app.user_record(&app.megan.id).await;
    let r = app
        .post(
            &format!("/api/users/{}/password-reset", app.megan.id),
            None,
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 401);
    assert_eq!(app.user_record(&app.megan.id).await, before);
}

#[tokio::test]
async fn a_forged_or_garbage_cookie_is_unauthenticated() {
    let app = spawn_app().await;
    for cookie in [
        "__Host-rekey_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "__Host-rekey_session=../../etc",
        "__Host-rekey_session=",
    ] {
        let r = app
            .client
            .get(app.url("/api/me"))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{cookie}");
    }
}

#[tokio::test]
async fn a_lock_ends_after_60_seconds_and_the_next_one_lasts_twice_as_long() {
    use rekey_function::ports::ManualClock;
    let clock = std::sync::Arc::new(ManualClock::new(1_800_000_000_000));
    let app = rekey_tests::spawn_app_with_clock(clock.clone()).await;
    let fail_ten_times = || async {
        for _ in 0..10 {
            app.sign_in_response("lee.gu", "wrong-password").await;
        }
    };
    fail_ten_times().await;
    let locked = app.user_record(&app.user.id).await.locked_until.unwrap();
    assert_eq!(locked, 1_800_000_000_000 + 60_000);

    clock.advance_ms(59_000);
    assert_eq!(
        app.sign_in_response("lee.gu", &app.user.password)
            .await
            .status(),
        423
    );
    clock.advance_ms(1_001);
    // Lock over; ten more failures lock for 120 s this time.
    fail_ten_times().await;
    let now = 1_800_000_000_000 + 60_001;
    assert_eq!(
        app.user_record(&app.user.id).await.locked_until,
        Some(now + 120_000)
    );
    clock.advance_ms(120_001);
    // A success resets the doubling.
    assert_eq!(
        app.sign_in_response("lee.gu", &app.user.password)
            .await
            .status(),
        200
    );
    let record = app.user_record(&app.user.id).await;
    assert_eq!(
        (record.lockouts, record.failed_sign_ins, record.locked_until),
        (0, 0, None)
    );
}
