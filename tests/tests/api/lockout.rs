//! The lockout under concurrency, and the bounds on unauthenticated
//! password hashing: what an attacker with no account can do at once.

use std::sync::Arc;

use rekey_function::adapters::sqlite::SqliteStore;
use rekey_function::ports::SystemClock;
use rekey_tests::burst::{sign_in_burst, spawn_app_without_front_limits};
use rekey_tests::{spawn_app, spawn_app_configured, TestApp};
use serde_json::{json, Value};

async fn app_without_front_limits() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("rekey.db")).unwrap();
    spawn_app_without_front_limits(Arc::new(store), dir).await
}

#[tokio::test]
async fn a_burst_of_200_wrong_sign_ins_locks_a_global_admin_for_the_first_step_only() {
    let app = app_without_front_limits().await;
    let admin = app.global_admin.clone();
    let burst = sign_in_burst(&app, &admin.id, &admin.username, "not-the-password", 200).await;
    burst.assert_locked_for_the_first_step_only();
    // On SQLite no write loses a hundred races: all 200 were heard.
    assert_eq!(burst.count(401) + burst.count(423), 200, "{burst:?}");

    // The limit was reached: the right password does not sign in now.
    let right = app.sign_in_response(&admin.username, &admin.password).await;
    assert_eq!(right.status(), 423);
    assert!(right.headers().get("retry-after").is_some());
}

#[tokio::test]
async fn a_second_burst_on_a_locked_account_neither_checks_a_hash_nor_lengthens_the_lock() {
    let app = app_without_front_limits().await;
    let user = app.user.clone();
    let first = sign_in_burst(&app, &user.id, &user.username, "wrong", 50).await;
    let until = app.user_record(&user.id).await.locked_until;
    let second = sign_in_burst(&app, &user.id, &user.username, "wrong", 100).await;

    assert_eq!(second.hashes_checked, 0, "{second:?}");
    assert_eq!(second.count(423), 100, "{second:?}");
    assert_eq!(app.user_record(&user.id).await.locked_until, until);
    assert_eq!((first.lockouts, second.lockouts), (1, 1));
}

#[tokio::test]
async fn one_client_address_gets_429_with_retry_after_past_its_burst() {
    let app = spawn_app().await;
    // Unknown usernames: the flood is not about any account.
    let before = app.app.hasher.verifies();
    let answers = futures::future::join_all(
        (0..200).map(|i| app.sign_in_response_owned(format!("nobody{i}"), "guess")),
    )
    .await;
    let hashes = app.app.hasher.verifies() - before;
    let limited: Vec<_> = answers.iter().filter(|(s, _, _)| *s == 429).collect();
    // 30 at once by default; a few more may have been earned meanwhile.
    assert!((165..=170).contains(&limited.len()), "{}", limited.len());
    assert!(hashes <= 35, "{hashes} hashes for 200 sign-ins");
    for (_, retry_after, body) in &limited {
        assert!(retry_after.is_some(), "no Retry-After");
        assert_eq!(body["code"], "rate_limited");
    }
}

#[tokio::test]
async fn sign_ins_past_the_pending_hash_bound_answer_503_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("rekey.db")).unwrap();
    let app = spawn_app_configured(Arc::new(store), Arc::new(SystemClock), dir, |s| {
        s.sign_in_throttle.burst = 100_000;
        s.max_pending_verifies = 4;
    })
    .await;
    let before = app.app.hasher.verifies();
    let answers = futures::future::join_all(
        (0..100).map(|i| app.sign_in_response_owned(format!("nobody{i}"), "guess")),
    )
    .await;
    let busy: Vec<_> = answers.iter().filter(|(s, _, _)| *s == 503).collect();
    let unheard = answers.iter().filter(|(s, _, _)| *s == 401).count();
    assert!(!busy.is_empty(), "no sign-in was turned away");
    assert_eq!(busy.len() + unheard, 100);
    assert_eq!(app.app.hasher.verifies() - before, unheard as u64);
    for (_, retry_after, body) in &busy {
        assert_eq!(retry_after.as_deref(), Some("1"));
        assert_eq!(body["code"], "unavailable");
    }
}

#[tokio::test]
async fn wrong_current_passwords_count_towards_the_lock_like_sign_ins() {
    let app = spawn_app().await;
    let session = app.sign_in(&app.user).await;
    let change = |current: &str| json!({"current_password": current, "new_password": "a brand new passphrase 42"});
    for i in 0..9 {
        let r = app
            .post("/api/me/password", Some(&session), &change("wrong"))
            .await;
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "current_password_incorrect", "attempt {i}");
    }
    let tenth = app
        .post("/api/me/password", Some(&session), &change("wrong"))
        .await;
    assert_eq!(tenth.status(), 423);
    // Locked: not even the right current password is checked now.
    let right = app
        .post(
            "/api/me/password",
            Some(&session),
            &change(&app.user.password),
        )
        .await;
    assert_eq!(right.status(), 423);
}

/// Statuses and Retry-After of `n` wrong sign-ins for `login`, one by one.
async fn wrong_sign_ins(app: &TestApp, login: &str, n: usize) -> Vec<(u16, Option<String>)> {
    let mut out = Vec::new();
    for _ in 0..n {
        let (status, retry_after, _) = app.sign_in_response_owned(login.into(), "wrong").await;
        out.push((status, retry_after));
    }
    out
}

#[tokio::test]
async fn an_unknown_login_locks_and_unlocks_exactly_as_a_real_account_does() {
    use rekey_function::ports::ManualClock;
    let clock = Arc::new(ManualClock::new(1_800_000_000_000));
    let app = rekey_tests::spawn_app_with_clock(clock.clone()).await;
    let real = wrong_sign_ins(&app, &app.user.username, 11).await;
    let unknown = wrong_sign_ins(&app, "no.such.person", 11).await;
    assert_eq!(real, unknown);
    assert_eq!(real[8], (401, None));
    assert_eq!(real[9], (423, Some("60".into())));
    assert_eq!(real[10], (423, Some("60".into())));
    clock.advance_ms(20_000);
    let (real_later, unknown_later) = (
        wrong_sign_ins(&app, &app.user.username, 1).await,
        wrong_sign_ins(&app, "no.such.person", 1).await,
    );
    assert_eq!(real_later, [(423, Some("40".into()))]);
    assert_eq!(real_later, unknown_later);
    clock.advance_ms(40_001);
    let (real_after, unknown_after) = (
        wrong_sign_ins(&app, &app.user.username, 1).await,
        wrong_sign_ins(&app, "no.such.person", 1).await,
    );
    assert_eq!(real_after, [(401, None)]);
    assert_eq!(real_after, unknown_after);
}

#[tokio::test]
async fn a_burst_of_200_on_an_unknown_login_locks_it_as_the_first_step_of_a_real_one() {
    let app = app_without_front_limits().await;
    let before = app.app.hasher.verifies();
    let answers = futures::future::join_all(
        (0..200).map(|_| app.sign_in_response_owned("no.such.person".into(), "guess")),
    )
    .await;
    let hashed = app.app.hasher.verifies() - before;
    let count = |s: u16| answers.iter().filter(|(status, _, _)| *status == s).count();
    assert!(hashed <= 10, "{hashed} hashes for one unknown login");
    assert!(count(401) <= 9, "{answers:?}");
    assert_eq!(count(401) + count(423) + count(503), 200, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|(s, _, _)| matches!(s, 423 | 503))
            .all(|(_, retry, _)| retry.is_some()),
        "every refusal says when to come back"
    );
    // Locked as a real account would be: for the first step, no longer.
    let (status, retry_after, _) = app
        .sign_in_response_owned("no.such.person".into(), "guess")
        .await;
    assert_eq!(status, 423);
    let secs: u64 = retry_after.unwrap().parse().unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
}
