use rekey_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

/// Asserts a JSON error with `status` and `code`; returns the body.
async fn expect_error(resp: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(resp.status(), status, "expected {code}");
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/json"), "{ct}");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert!(!body["message"].as_str().unwrap().is_empty());
    body
}

async fn unchanged(app: &TestApp, before: &rekey_function::domain::model::UserRecord) {
    assert_eq!(
        &app.user_record(&before.id).await,
        before,
        "nothing changed"
    );
    assert!(app.outbox().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn bad_recipients_get_a_field_level_400_and_nothing_changes() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.user_record(&app.megan.id).await;
    let path = format!("/api/users/{}/password-reset", app.megan.id);
    let six: Vec<String> = (0..6).map(|i| format!("r{i}@example.com")).collect();
    let cases = [
        (
            json!(["ok@example.com", "x@example.com\r\nBcc: evil@example.com"]),
            "invalid_recipient",
            "email_to[1]",
        ),
        (
            json!(["x@example.com\n"]),
            "invalid_recipient",
            "email_to[0]",
        ),
        (json!(six), "too_many_recipients", "email_to"),
        (
            json!(["not-an-address"]),
            "invalid_recipient",
            "email_to[0]",
        ),
        (json!(["a@b"]), "invalid_recipient", "email_to[0]"),
    ];
    for (recipients, code, field) in cases {
        let resp = app
            .post(&path, Some(&admin), &json!({"email_to": recipients}))
            .await;
        let body = expect_error(resp, 400, code).await;
        assert_eq!(body["field"], field);
    }
    unchanged(&app, &before).await;
    let audit: Value = app.get_json("/api/audit", Some(&admin)).await;
    assert!(audit["events"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn cross_origin_and_non_json_mutations_are_refused() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.user_record(&app.megan.id).await;
    let url = app.url(&format!("/api/users/{}/password-reset", app.megan.id));

    let evil = app
        .client
        .post(&url)
        .header("cookie", &admin.cookie)
        .header("origin", "https://evil.example")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    expect_error(evil, 403, "origin_mismatch").await;

    let no_origin = app
        .client
        .post(&url)
        .header("cookie", &admin.cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    expect_error(no_origin, 403, "origin_mismatch").await;

    // What a cross-site HTML form can send.
    let form = app
        .client
        .post(&url)
        .header("cookie", &admin.cookie)
        .header("origin", &app.address)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("require_change=false")
        .send()
        .await
        .unwrap();
    expect_error(form, 415, "unsupported_media_type").await;

    let sign_in = app
        .client
        .post(app.url("/api/auth/sign-in"))
        .header("origin", "https://evil.example")
        .json(&json!({"username": "gadmin", "password": app.global_admin.password}))
        .send()
        .await
        .unwrap();
    expect_error(sign_in, 403, "origin_mismatch").await;
    unchanged(&app, &before).await;
}

#[tokio::test]
async fn malformed_json_wrong_types_unknown_fields_and_huge_bodies_are_4xx() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.user_record(&app.megan.id).await;
    let url = app.url(&format!("/api/users/{}/password-reset", app.megan.id));
    let send = |body: String| {
        app.client
            .post(&url)
            .header("cookie", &admin.cookie)
            .header("origin", &app.address)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    expect_error(
        send("{\"email_to\": [".into()).await.unwrap(),
        400,
        "invalid_json",
    )
    .await;
    expect_error(send("".into()).await.unwrap(), 400, "invalid_json").await;
    expect_error(
        send("{\"require_change\": \"yes\"}".into()).await.unwrap(),
        400,
        "invalid_request",
    )
    .await;
    expect_error(
        send("{\"email_to\": \"a@b.example\"}".into())
            .await
            .unwrap(),
        400,
        "invalid_request",
    )
    .await;
    expect_error(
        send("{\"password\": {\"mode\": \"guess\"}}".into())
            .await
            .unwrap(),
        400,
        "invalid_request",
    )
    .await;
    expect_error(
        send("{\"sned_email\": true}".into()).await.unwrap(),
        400,
        "invalid_request",
    )
    .await;
    expect_error(
        send("[1, 2, 3]".into()).await.unwrap(),
        400,
        "invalid_request",
    )
    .await;
    let huge = format!(
        "{{\"email_to\": [\"{}@example.com\"]}}",
        "a".repeat(200 * 1024)
    );
    expect_error(send(huge).await.unwrap(), 413, "payload_too_large").await;
    let long_password =
        json!({"password": {"mode": "typed", "password": "x".repeat(10_000)}}).to_string();
    expect_error(send(long_password).await.unwrap(), 422, "password_too_long").await;
    unchanged(&app, &before).await;

    let bulk = app
        .post(
            "/api/password-resets",
            Some(&admin),
            &json!({"user_ids": "everyone"}),
        )
        .await;
    expect_error(bulk, 400, "invalid_request").await;
    let sign_in = app
        .post("/api/auth/sign-in", None, &json!({"username": 5}))
        .await;
    expect_error(sign_in, 400, "invalid_request").await;
    let huge_login = app
        .post(
            "/api/auth/sign-in",
            None,
            &json!({"username": "a".repeat(5_000), "password": "x"}),
        )
        .await;
    expect_error(huge_login, 401, "invalid_credentials").await;
}

#[tokio::test]
async fn unknown_users_routes_methods_and_cursors_get_json_errors() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let r = app
        .post(
            "/api/users/no-such-user/password-reset",
            Some(&admin),
            &json!({}),
        )
        .await;
    expect_error(r, 404, "not_found").await;
    expect_error(
        app.get("/api/nothing-here", Some(&admin)).await,
        404,
        "not_found",
    )
    .await;
    let delete = app
        .client
        .delete(app.url("/api/users"))
        .header("cookie", &admin.cookie)
        .header("origin", &app.address)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    expect_error(delete, 405, "method_not_allowed").await;
    let long_q = format!("/api/users?q={}", "a".repeat(500));
    for (path, code) in [
        ("/api/users?cursor=%25%25", "invalid_cursor"),
        ("/api/users?limit=lots", "invalid_request"),
        ("/api/users?bogus=1", "invalid_request"),
        ("/api/audit?cursor=abc", "invalid_cursor"),
        (long_q.as_str(), "invalid_request"),
    ] {
        expect_error(app.get(path, Some(&admin)).await, 400, code).await;
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let r = app.get("/api/me", None).await;
    let h = r.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["referrer-policy"], "no-referrer");
    // Not a page: a policy that allows nothing (a page's is the app's own).
    assert_eq!(
        h["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
}

#[tokio::test]
async fn paths_that_are_not_utf8_get_a_json_400_not_text() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.user_record(&app.megan.id).await;
    expect_error(
        app.get("/api/users/%ff%fe", Some(&admin)).await,
        400,
        "invalid_request",
    )
    .await;
    expect_error(
        app.post("/api/users/%ff%fe/password-reset", Some(&admin), &json!({}))
            .await,
        400,
        "invalid_request",
    )
    .await;
    unchanged(&app, &before).await;
}

#[tokio::test]
async fn sign_in_refuses_unknown_fields_such_as_a_role() {
    let app = spawn_app().await;
    let resp = app
        .post(
            "/api/auth/sign-in",
            None,
            &json!({"username": "lee.gu", "password": app.user.password, "role": "global_admin"}),
        )
        .await;
    assert!(rekey_tests::session_from(&resp).is_none());
    expect_error(resp, 400, "invalid_request").await;
}

#[tokio::test]
async fn a_path_segment_longer_than_any_file_name_gets_the_app_page_not_a_500() {
    let app = spawn_app().await;
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Rekey</title>",
    )
    .unwrap();
    let routes = rekey_function::api::router(
        app.app.clone(),
        rekey_function::api::RouterOptions {
            dist_dir: Some(dist.path().to_path_buf()),
            ..Default::default()
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(rekey_function::startup::serve(listener, routes));
    for path in [
        format!("/{}", "a".repeat(256)),
        format!("/{}", "a".repeat(5_000)),
        format!("/users/{}/reset", "%41".repeat(300)),
    ] {
        let resp = app
            .client
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{}", &path[..20]);
        assert!(resp.text().await.unwrap().contains("<title>Rekey</title>"));
    }
    // Past the API prefix the same path is an API 404, as JSON.
    let api = app
        .client
        .get(format!("{base}/api/{}", "a".repeat(300)))
        .send()
        .await
        .unwrap();
    expect_error(api, 404, "not_found").await;
}

#[tokio::test]
async fn scim_and_oauth_refusals_from_beneath_the_handlers_keep_their_protocols_shape() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let made: Value = app
        .post("/api/scim-tokens", Some(&admin), &json!({"name": "HR"}))
        .await
        .json()
        .await
        .unwrap();
    let bearer = format!("Bearer {}", made["secret"].as_str().unwrap());
    let big = "a".repeat(3 << 20);
    let client = reqwest::Client::new();
    let cases = [
        ("DELETE", "/scim/v2/ServiceProviderConfig", "", 405),
        ("PUT", "/scim/v2/Users", "", 405),
        ("POST", "/scim/v2/Users", big.as_str(), 413),
        ("GET", "/scim/v2/Users/%FF", "", 400),
        ("PUT", "/oauth2/token", "", 405),
        ("DELETE", "/oauth2/authorize", "", 405),
        ("POST", "/oauth2/token", big.as_str(), 413),
    ];
    for (method, path, body, status) in cases {
        let scim = path.starts_with("/scim");
        let resp = client
            .request(method.parse().unwrap(), app.url(path))
            .header("authorization", &bearer)
            .header(
                "content-type",
                if scim {
                    "application/scim+json"
                } else {
                    "application/x-www-form-urlencoded"
                },
            )
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), status, "{method} {path}");
        let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
        let answer: Value = resp.json().await.unwrap();
        if scim {
            assert_eq!(ct, "application/scim+json", "{method} {path}");
            assert_eq!(
                answer["schemas"],
                json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
            );
            assert_eq!(answer["status"], status.to_string());
            assert!(!answer["detail"].as_str().unwrap().is_empty());
        } else {
            assert!(ct.starts_with("application/json"), "{method} {path}: {ct}");
            assert_eq!(answer["error"], "invalid_request", "{method} {path}");
            assert!(!answer["error_description"].as_str().unwrap().is_empty());
        }
    }
}
