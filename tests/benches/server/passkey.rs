//! 7. Sign-in with a passkey beside the password: 40 users, each signing
//!    in once with her password, then (a passkey registered) once with
//!    the passkey alone: the options, the authenticator's signature (a
//!    software P-256 key, as fast as a platform authenticator's chip is
//!    not) and the finish, timed together. No argon2id in it.

use std::path::Path;
use std::time::{Duration, Instant};

use rekey_function::domain::hashing::Hasher;
use rekey_tests::soft_passkey::SoftPasskey;
use serde_json::{json, Value};

use super::{summary, users_knowing_the_password, LocalServer, USER_PASSWORD};

const USERS: usize = 40;
const WARM_UP: usize = 5;

async fn post(server: &LocalServer, path: &str, cookie: Option<&str>, body: &Value) -> Value {
    let mut req = server
        .client
        .post(format!("{}{path}", server.url))
        .header("origin", &server.url)
        .json(body);
    if let Some(cookie) = cookie {
        req = req.header("cookie", cookie);
    }
    let resp = req.send().await.unwrap();
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.unwrap()
}

fn answer(challenge: &Value, credential: Value) -> Value {
    json!({ "ceremony": challenge["ceremony"], "credential": credential })
}

pub async fn passkey_beside_password(bin: &Path, hasher: &Hasher) {
    let (dir, db, users) = users_knowing_the_password(hasher, USERS, "pass.key", "Pass Key").await;
    // Passkeys need a host name: the server is `localhost`.
    let port = rekey_tests::server::free_port().to_string();
    let url = format!("http://localhost:{port}");
    let mut server = LocalServer::start_with(
        bin,
        dir.path(),
        &[
            ("REKEY_DB_PATH", db.display().to_string()),
            ("REKEY_PORT", port),
            ("REKEY_PUBLIC_URL", format!("{url}/")),
        ],
    );
    server.url = url;

    let (mut password, mut keys) = (Vec::new(), Vec::new());
    for user in &users {
        let (took, cookie) = server.sign_in(&user.username, USER_PASSWORD).await;
        password.push(took);
        let cookie = cookie.expect("a session");
        let mut key = SoftPasskey::new(&server.url);
        let challenge = post(
            &server,
            "/api/me/methods/passkeys/options",
            Some(&cookie),
            &json!({"name": "Laptop"}),
        )
        .await;
        let credential = key.register(&challenge["options"]);
        post(
            &server,
            "/api/me/methods/passkeys",
            Some(&cookie),
            &answer(&challenge, credential),
        )
        .await;
        keys.push(key);
    }
    let mut passkey: Vec<Duration> = Vec::new();
    for key in &mut keys {
        let t = Instant::now();
        let challenge = post(&server, "/api/auth/passkey/options", None, &json!({})).await;
        let credential = key.assert(&challenge["options"]);
        let signed_in = post(
            &server,
            "/api/auth/passkey",
            None,
            &answer(&challenge, credential),
        )
        .await;
        passkey.push(t.elapsed());
        assert_eq!(signed_in["amr"], json!(["hwk", "mfa"]));
    }
    let (p50, p95, _) = summary(&password[WARM_UP..]);
    let (k50, k95, _) = summary(&passkey[WARM_UP..]);
    let n = USERS - WARM_UP;
    println!("| sign-in, password ({n} users, once each) | p50 {p50:.1} ms, p95 {p95:.1} ms | |");
    println!(
        "| sign-in, passkey alone ({n} users, once each; options, signature and finish) | p50 {k50:.1} ms = {:.2}x, p95 {k95:.1} ms = {:.2}x password | |",
        k50 / p50,
        k95 / p95
    );
}
