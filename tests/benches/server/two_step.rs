//! 6. Sign-in with a password and an authenticator app's code beside the
//!    password alone: 40 users, each signing in once with her password
//!    only, then (an app registered) once with both steps. Each code is
//!    oathtool's, computed before the clock starts, as a phone shows it.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rekey_function::domain::hashing::Hasher;
use rekey_tests::authenticator;
use serde_json::{json, Value};

use super::{summary, users_knowing_the_password, LocalServer, USER_PASSWORD};

const USERS: usize = 40;
/// The first sign-ins warm connections and caches.
const WARM_UP: usize = 5;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// An authenticator app for the session `cookie`, confirmed with the
/// previous step's code so the current one is still unused; its secret.
async fn register_app(server: &LocalServer, cookie: &str) -> String {
    let setup: Value = server
        .client
        .post(format!("{}/api/me/methods/authenticator-app", server.url))
        .header("origin", &server.url)
        .header("cookie", cookie)
        .json(&json!({"name": "Phone"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    let resp = server
        .client
        .post(format!(
            "{}/api/me/methods/authenticator-app/{}/confirm",
            server.url,
            setup["id"].as_str().unwrap()
        ))
        .header("origin", &server.url)
        .header("cookie", cookie)
        .json(&json!({"code": authenticator::code(&secret, now_ms() - 30_000)}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "the app registers");
    secret
}

/// Both steps, timed from the password's request to the session.
async fn two_steps(server: &LocalServer, username: &str, code: &str) -> Duration {
    let t = Instant::now();
    let resp = server
        .client
        .post(format!("{}/api/auth/sign-in", server.url))
        .header("origin", &server.url)
        .json(&json!({"username": username, "password": USER_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202, "a code is due for {username}");
    let pending = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-rekey_pending="))
        .and_then(|v| v.split(';').next())
        .expect("a pending sign-in")
        .to_string();
    let resp = server
        .client
        .post(format!("{}/api/auth/second-factor", server.url))
        .header("origin", &server.url)
        .header("cookie", pending)
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "the code signs {username} in");
    t.elapsed()
}

pub async fn password_and_code(bin: &Path, hasher: &Hasher) {
    let (dir, db, users) = users_knowing_the_password(hasher, USERS, "two.step", "Two Step").await;
    let server = LocalServer::start(bin, &db, dir.path());

    let (mut alone, mut cookies) = (Vec::new(), Vec::new());
    for user in &users {
        let (took, cookie) = server.sign_in(&user.username, USER_PASSWORD).await;
        alone.push(took);
        cookies.push(cookie.expect("a session"));
    }
    let mut secrets = Vec::new();
    for cookie in &cookies {
        secrets.push(register_app(&server, cookie).await);
    }
    let mut both = Vec::new();
    for (user, secret) in users.iter().zip(&secrets) {
        let code = authenticator::code(secret, now_ms());
        both.push(two_steps(&server, &user.username, &code).await);
    }
    let (a50, a95, _) = summary(&alone[WARM_UP..]);
    let (b50, b95, _) = summary(&both[WARM_UP..]);
    let n = USERS - WARM_UP;
    println!(
        "| sign-in, password alone ({n} users, once each) | p50 {a50:.1} ms, p95 {a95:.1} ms | |"
    );
    println!(
        "| sign-in, password then authenticator app code ({n} users, once each; both requests) | p50 {b50:.1} ms = {:.2}x, p95 {b95:.1} ms = {:.2}x password alone | |",
        b50 / a50,
        b95 / a95
    );
}
