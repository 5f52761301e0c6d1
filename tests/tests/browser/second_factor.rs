//! The second step in the browser: an admin with an authenticator app
//! signs in with her password, then the code oathtool computes from her
//! secret as her phone would, and lands in the admin center.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::support::{Browser, Server};
use super::SERIAL;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn an_admin_with_an_authenticator_app_signs_in_with_her_password_and_its_code() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    // Her app, registered over the API. The previous step's code confirms
    // it (one step of skew counts), so the current one is unused.
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let setup: Value = client
        .post(format!("{}/api/me/methods/authenticator-app", server.url))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({"name": "Phone"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    let confirmed = client
        .post(format!(
            "{}/api/me/methods/authenticator-app/{}/confirm",
            server.url,
            setup["id"].as_str().unwrap()
        ))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({"code": rekey_tests::authenticator::code(&secret, now_ms() - 30_000)}))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);

    let b = Browser::start().await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Enter the code").await;
    b.assert_focus("#code").await;
    b.assert_accessible("the sign-in's code step").await;
    b.screenshot("sign-in-code.png").await;

    // A wrong code is said in place; the right one signs her in.
    let right = rekey_tests::authenticator::code(&secret, now_ms());
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    b.type_into("#code", wrong).await;
    b.click("button[type=submit]").await;
    b.find_text(".error", "code isn't right").await;
    b.assert_accessible("a wrong code").await;
    b.type_into(
        "#code",
        &rekey_tests::authenticator::code(&secret, now_ms()),
    )
    .await;
    b.click("button[type=submit]").await;
    b.find("tbody tr").await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/admin/");
}
