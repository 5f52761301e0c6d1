//! The real binary's log, at debug level, through a reset, a one-time link
//! and its use: no password and no link secret ever appears in it.

use rekey_tests::server::Server;
use serde_json::{json, Value};

#[tokio::test]
async fn no_password_or_link_secret_reaches_the_log() {
    let server = Server::start_with(&[("RUST_LOG", "debug")]);
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let adele = server.find_user(&client, &cookie, "adele.adams").await;
    let id = adele["id"].as_str().unwrap();

    // A reset with its password emailed afterwards.
    let reset: Value = server
        .reset(&client, &cookie, id, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let password = reset["password"].as_str().unwrap().to_string();
    let emailed = client
        .post(format!("{}/api/users/{id}/password-email", server.url))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({"password": password, "version": reset["version"], "email_to": ["it@contoso.example"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(emailed.status(), 200);

    // A one-time link, looked at, then used.
    let sent = client
        .post(format!("{}/api/users/{id}/reset-link", server.url))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200);
    let mail = server
        .outbox()
        .into_iter()
        .find(|m| m.text.contains("#/set-password/"))
        .expect("the link email");
    let at = mail.text.find("#/set-password/").unwrap() + "#/set-password/".len();
    let token = mail.text[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let secret = token.split_once('.').unwrap().1.to_string();
    let chosen = "quiet lantern over seven hills";
    for (path, body) in [
        ("/api/auth/reset-link/status", json!({"token": token})),
        (
            "/api/auth/reset-link",
            json!({"token": token, "new_password": chosen}),
        ),
    ] {
        let resp = client
            .post(format!("{}{path}", server.url))
            .header("origin", &server.url)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
    }
    assert_eq!(
        server
            .sign_in(&client, "adele.adams", chosen)
            .await
            .status(),
        200
    );

    // Give the drain thread a moment to read the last lines.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = server.log();
    assert!(
        log.contains("/api/auth/reset-link"),
        "the log is the debug log: {}",
        &log[..log.len().min(400)]
    );
    for (what, secret) in [
        ("reset password", &password),
        ("link secret", &secret),
        ("chosen password", &chosen.to_string()),
    ] {
        assert!(!log.contains(secret.as_str()), "the {what} is in the log");
    }
}
