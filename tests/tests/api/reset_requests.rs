use std::sync::Arc;
use std::time::{Duration, Instant};

use rekey_function::domain::update::MAX_WRITE_ATTEMPTS;
use rekey_function::ports::{ManualClock, SystemClock};
use rekey_shared::AuditAction;
use rekey_tests::contention::AlwaysOutraced;
use rekey_tests::{spawn_app, spawn_app_on, spawn_app_with_clock, TestApp};
use serde_json::{json, Value};

const T0: i64 = 1_800_000_000_000;
const MINUTE: i64 = 60_000;

/// "Forgot your password?" for `login`, as the sign-in page sends it.
async fn ask(app: &TestApp, login: &str) -> reqwest::Response {
    app.post(
        "/api/auth/password-requests",
        None,
        &json!({"username": login}),
    )
    .await
}

async fn requested(app: &TestApp) -> usize {
    app.store
        .list_audit(None, 200)
        .await
        .unwrap()
        .items
        .iter()
        .filter(|e| e.action == AuditAction::ResetRequested)
        .count()
}

fn request_emails(app: &TestApp) -> Vec<String> {
    let mut to: Vec<String> = app
        .outbox()
        .into_iter()
        .filter(|m| m.subject.ends_with("asked for a new password"))
        .map(|m| m.to)
        .collect();
    to.sort();
    to
}

/// Waits for the background handling of a request to show in the outbox.
async fn wait_for_request_emails(app: &TestApp, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let to = request_emails(app);
        if to.len() >= n || Instant::now() > deadline {
            return to;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_request_emails_every_admin_who_may_reset_and_a_reset_resolves_it() {
    let app = spawn_app().await;
    let resp = ask(&app, "megan.bowen").await;
    assert_eq!(resp.status(), 202);
    let to = wait_for_request_emails(&app, 3).await;
    assert_eq!(
        to,
        vec![
            "gadmin@contoso.example",
            "hadmin@contoso.example",
            "padmin@contoso.example"
        ]
    );
    let mail = app
        .outbox()
        .into_iter()
        .find(|m| m.to == "padmin@contoso.example")
        .unwrap();
    assert_eq!(mail.subject, "Megan Bowen asked for a new password");
    // To the admin center, where the pane opens.
    let link = format!("/admin/#/users/{}/reset", app.megan.id);
    assert!(mail.text.contains(&link), "{}", mail.text);

    let padmin = app.sign_in(&app.password_admin).await;
    let pending: Value = app.get_json("/api/reset-requests", Some(&padmin)).await;
    assert_eq!(pending[0]["username"], "megan.bowen");
    assert!(pending[0]["reset_requested_at"].is_i64());

    let r = app
        .post(
            &format!("/api/users/{}/password-reset", app.megan.id),
            Some(&padmin),
            &json!({}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let pending: Value = app.get_json("/api/reset-requests", Some(&padmin)).await;
    assert_eq!(pending, json!([]));
    assert_eq!(
        app.user_record(&app.megan.id).await.reset_requested_at,
        None
    );
}

#[tokio::test]
async fn admins_asked_follow_the_role_rules() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let cases = [
        ("hadmin", vec!["gadmin@contoso.example"]),
        (
            "padmin",
            vec!["gadmin@contoso.example", "hadmin@contoso.example"],
        ),
        ("gadmin", vec![]),
    ];
    for (i, (username, expected)) in cases.into_iter().enumerate() {
        let before = app.outbox().len();
        app.app
            .request_reset(username, &format!("10.0.0.{i}"))
            .await;
        let mut to: Vec<String> = app.outbox()[..app.outbox().len() - before]
            .iter()
            .map(|m| m.to.clone())
            .collect();
        to.sort();
        assert_eq!(to, expected, "request by {username}");
    }
    // A password admin is not shown a global admin's request.
    let padmin = app.sign_in(&app.password_admin).await;
    let pending: Value = app.get_json("/api/reset-requests", Some(&padmin)).await;
    let names: Vec<&str> = pending
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"gadmin") && !names.contains(&"hadmin") && !names.contains(&"padmin"));
}

#[tokio::test]
async fn requests_are_limited_per_account_and_per_address() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;

    // Per account: one per 15 minutes, whatever the address.
    app.app.request_reset("megan.bowen", "10.0.0.1").await;
    app.app.request_reset("megan.bowen", "10.0.0.2").await;
    assert_eq!(requested(&app).await, 1);
    // ... and five per day.
    for i in 3..=7 {
        clock.advance_ms(16 * MINUTE);
        app.app
            .request_reset("MEGAN.BOWEN@contoso.example", &format!("10.0.0.{i}"))
            .await;
    }
    assert_eq!(requested(&app).await, 5);
    clock.advance_ms(24 * 60 * MINUTE);
    app.app.request_reset("megan.bowen", "10.0.0.8").await;
    assert_eq!(requested(&app).await, 6, "a new day, a new allowance");

    // Per address only a flood guard: 30 per 15 minutes, whatever the accounts.
    let colleagues = app.add_users(31).await;
    for id in &colleagues {
        let username = app.user_record(id).await.username;
        app.app.request_reset(&username, "192.0.2.9").await;
    }
    assert_eq!(
        requested(&app).await,
        6 + 30,
        "the 31st from one address is dropped"
    );
    clock.advance_ms(16 * MINUTE);
    let last = app.user_record(&colleagues[30]).await.username;
    app.app.request_reset(&last, "192.0.2.9").await;
    assert_eq!(
        requested(&app).await,
        37,
        "the guard lets go after 15 minutes"
    );
}

#[tokio::test]
async fn ten_colleagues_behind_one_office_address_all_get_their_requests_through() {
    let app = spawn_app().await;
    let ids = app.add_users(10).await;
    for id in &ids {
        let username = app.user_record(id).await.username;
        let resp = ask(&app, &username).await;
        assert_eq!(resp.status(), 202);
    }
    // Three admins may reset a plain user: three emails per request.
    assert_eq!(wait_for_request_emails(&app, 30).await.len(), 30);
    assert_eq!(requested(&app).await, 10);
    let admin = app.sign_in(&app.global_admin).await;
    let pending: Value = app.get_json("/api/reset-requests", Some(&admin)).await;
    let mut pending: Vec<&str> = pending
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    pending.sort_unstable();
    let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(pending, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_write_keeps_losing_its_race_emails_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite =
        rekey_function::adapters::sqlite::SqliteStore::open(&dir.path().join("rekey.db")).unwrap();
    let store = Arc::new(AlwaysOutraced::new(Arc::new(sqlite)));
    let app = spawn_app_on(store.clone(), Arc::new(SystemClock), dir).await;

    store.race();
    app.app.request_reset("megan.bowen", "192.0.2.1").await;
    store.calm();

    assert_eq!(store.competing_writes(), MAX_WRITE_ATTEMPTS);
    assert_eq!(
        app.user_record(&app.megan.id).await.reset_requested_at,
        None
    );
    assert_eq!(requested(&app).await, 0);
    assert!(
        app.outbox().is_empty(),
        "no admin is told of a request that isn't stored"
    );
}

#[tokio::test]
async fn known_and_unknown_accounts_get_the_same_answer_in_the_same_time() {
    let app = spawn_app().await;
    let mut times = [Vec::new(), Vec::new()];
    let mut bodies = [None, None];
    for i in 0..100 {
        let which = i % 2;
        let username = if which == 0 {
            "megan.bowen".to_string()
        } else {
            format!("ghost{i}")
        };
        let start = Instant::now();
        let resp = ask(&app, &username).await;
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        times[which].push(start.elapsed().as_secs_f64() * 1e3);
        assert_eq!(status, 202);
        match &bodies[which] {
            None => bodies[which] = Some(body),
            Some(b) => assert_eq!(b, &body),
        }
    }
    assert_eq!(bodies[0], bodies[1], "identical bodies");
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let spread = |v: &[f64]| v[v.len() * 9 / 10] - v[v.len() / 10];
    let (mk, mu) = (median(&mut times[0]), median(&mut times[1]));
    // Within the run's noise: the medians differ by less than the 10-90%
    // spread of either (and never by a hash's worth, ~15 ms).
    let noise = spread(&times[0]).max(spread(&times[1])).max(1.0);
    assert!(
        (mk - mu).abs() <= noise,
        "known {mk:.2} ms, unknown {mu:.2} ms, noise {noise:.2} ms"
    );
    assert!((mk - mu).abs() < 10.0);
}

#[tokio::test]
async fn malformed_or_oversized_requests_are_refused_as_json_and_store_nothing() {
    let app = spawn_app().await;
    let cases = [
        ("{\"username\": 5}".to_string(), 400, "invalid_request"),
        ("not json".to_string(), 400, "invalid_json"),
        ("{}".to_string(), 400, "invalid_request"),
        (
            "{\"username\": \"megan.bowen\", \"role\": \"global_admin\"}".to_string(),
            400,
            "invalid_request",
        ),
        (
            format!("{{\"username\": \"{}\"}}", "a".repeat(200 * 1024)),
            413,
            "payload_too_large",
        ),
        // Well-formed but no account can have it: the usual 202.
        (
            format!("{{\"username\": \"{}\"}}", "a".repeat(10_000)),
            202,
            "",
        ),
    ];
    for (body, status, code) in cases {
        let resp = app
            .client
            .post(app.url("/api/auth/password-requests"))
            .header("origin", &app.address)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), status, "{code}");
        let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("application/json"), "{ct}");
        let answer: Value = resp.json().await.unwrap();
        if !code.is_empty() {
            assert_eq!(answer["code"], code, "{answer}");
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(requested(&app).await, 0);
    assert!(app.outbox().is_empty());
}

#[tokio::test]
async fn an_expired_temporary_password_no_longer_signs_in() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let admin = app.sign_in(&app.global_admin).await;
    let result = app.reset(&admin, &app.megan.id, &json!({})).await;
    assert_eq!(
        result["temporary_password_expires_at"],
        T0 + 7 * 24 * 60 * MINUTE
    );
    let temporary = result["password"].as_str().unwrap();

    clock.advance_ms(7 * 24 * 60 * MINUTE);
    let resp = app.sign_in_response("megan.bowen", temporary).await;
    assert_eq!(resp.status(), 403);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "temporary_password_expired");
    assert!(body["message"].as_str().unwrap().contains("admin"));
    let audit = app.store.list_audit(None, 10).await.unwrap().items;
    assert_eq!(audit[0].action, AuditAction::TemporaryPasswordExpired);
    // A wrong password still says only that.
    let wrong = app.sign_in_response("megan.bowen", "not-it-at-all").await;
    assert_eq!(wrong.status(), 401);
}

#[tokio::test]
async fn the_user_is_told_of_every_reset_and_change_without_the_password() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let result = app.reset(&admin, &app.megan.id, &json!({})).await;
    let password = result["password"].as_str().unwrap();
    let notices: Vec<_> = app
        .outbox()
        .into_iter()
        .filter(|m| m.subject == "Your Contoso password was changed")
        .collect();
    let mut to: Vec<&str> = notices.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(
        to,
        vec!["megan.bowen@contoso.example", "megan.home@personal.example"]
    );
    for n in &notices {
        assert!(n.text.contains("reset by Grace Global (gadmin)"));
        assert!(n.text.contains("tell your administrator"));
        assert!(!n.text.contains(password) && !n.html.contains(password));
    }

    // The user's own change is noticed too.
    let session = app.sign_in_response("megan.bowen", password).await;
    let session = rekey_tests::session_from(&session).unwrap();
    let body =
        json!({"current_password": password, "new_password": "copper meadow twelve lanterns"});
    assert_eq!(
        app.post("/api/me/password", Some(&session), &body)
            .await
            .status(),
        200
    );
    let changed = app
        .outbox()
        .into_iter()
        .filter(|m| {
            m.subject == "Your Contoso password was changed" && m.text.contains("was changed on")
        })
        .count();
    assert_eq!(changed, 2);
}
