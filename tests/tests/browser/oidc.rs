//! Signing in to an app with a password Rekey reset: Apache httpd with
//! mod_auth_openidc (a relying party nobody here wrote) protects a page;
//! Chromium walks from it to Rekey's sign-in, the forced change, back to
//! the page, out through RP-initiated logout, and is refused the old
//! password after another reset.

use rekey_tests::apache::Apache;
use serde_json::{json, Value};

use super::support::{Browser, Server};
use super::SERIAL;

async fn register(
    server: &Server,
    client: &reqwest::Client,
    cookie: &str,
    port: u16,
) -> (String, String) {
    let resp = client
        .post(format!("{}/api/apps", server.url))
        .header("origin", &server.url)
        .header("cookie", cookie)
        .json(&json!({
            "name": "Team wiki",
            "kind": "confidential",
            "redirect_uris": [Apache::redirect_uri(port)],
            "post_logout_redirect_uris": [Apache::signed_out_uri(port)],
            "home_url": format!("http://127.0.0.1:{port}/protected/"),
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let body: Value = resp.json().await.unwrap();
    (
        body["app"]["id"].as_str().unwrap().to_string(),
        body["client_secret"].as_str().unwrap().to_string(),
    )
}

async fn reset(server: &Server, client: &reqwest::Client, cookie: &str, id: &str) -> String {
    let resp = server
        .reset(client, cookie, id, &json!({"require_change": true}))
        .await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    body["password"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_reset_password_signs_the_user_in_to_an_apache_protected_app() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let port = Apache::free_port();
    let (client_id, secret) = register(&server, &client, &cookie, port).await;
    let apache = Apache::start(port, &server.url, &client_id, &secret);
    let adele = server.find_user(&client, &cookie, "adele.adams").await;
    let adele_id = adele["id"].as_str().unwrap().to_string();
    let temporary = reset(&server, &client, &cookie, &adele_id).await;

    let b = Browser::start().await;
    // The app sends her to Rekey, which asks for the password first.
    b.client
        .goto(&format!("{}/protected/", apache.url))
        .await
        .unwrap();
    b.find_text(".notice", "continue to the app").await;
    assert!(b
        .client
        .current_url()
        .await
        .unwrap()
        .as_str()
        .starts_with(&server.url));
    b.assert_accessible("sign-in on the way to an app").await;
    // "Forgot your password?" is the account app's; back from it, the
    // sign-in still knows the app that waits.
    b.click_text("button.link", "Forgot your password?").await;
    b.find("#forgot-username").await;
    let forgot = b.client.current_url().await.unwrap();
    assert_eq!(forgot.path(), "/account/");
    assert!(
        forgot.query().unwrap_or_default().starts_with("continue="),
        "{forgot}"
    );
    b.click_text("button.link", "Back to sign in").await;
    b.find_text(".notice", "continue to the app").await;
    b.type_into("#username", "adele.adams").await;
    b.type_into("#password", &temporary).await;
    b.click("button[type=submit]").await;
    // A temporary password: changed (in the account app) before any app
    // sees her.
    b.find_text("h1", "Change your password").await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/account/");
    let chosen = "violet harbour slowly hums";
    b.change_password(&temporary, chosen).await;
    // Back on the app's page, with her name and address from Rekey.
    let name = b.find_text("#name", "Adele Adams").await;
    assert_eq!(name.text().await.unwrap(), "Adele Adams");
    let email = b.find("#email").await.text().await.unwrap();
    assert_eq!(email, adele["email"].as_str().unwrap());
    assert_eq!(b.find("#sub").await.text().await.unwrap(), adele_id);
    b.screenshot("oidc-app-signed-in.png").await;

    // Sign out through the app: Rekey ends her session too and returns.
    b.click("#logout").await;
    b.find_text("h1", "Signed out of the app").await;
    // Rekey's session ended with the app's: the app's page asks again.
    b.client
        .goto(&format!("{}/protected/", apache.url))
        .await
        .unwrap();
    b.find_text(".notice", "continue to the app").await;

    // Another reset: the password she chose no longer gets her in.
    let _newer = reset(&server, &client, &cookie, &adele_id).await;
    b.type_into("#username", "adele.adams").await;
    b.type_into("#password", chosen).await;
    b.click("button[type=submit]").await;
    b.find_text(".error", "don't match").await;
    assert!(
        !apache.error_log().contains("[auth_openidc:error]"),
        "mod_auth_openidc complained: {}",
        apache.error_log()
    );
}

#[tokio::test]
async fn a_user_sees_my_apps_and_a_global_admin_registers_an_app_in_the_admin_center() {
    let (_one, server, b) = super::admin_signed_in().await;
    b.click_text("nav a", "Apps").await;
    b.find_text("h1", "Apps").await;
    b.find_text(".empty", "No apps yet").await;
    b.click_text("button", "Register an app").await;
    b.type_into("#app-name", "Team wiki").await;
    b.type_into("#app-redirects", "http://127.0.0.1:9/cb").await;
    b.type_into("#app-home", "http://127.0.0.1:9/").await;
    b.click_text("button", "Register").await;
    b.find_text("#app-made", "Team wiki").await;
    let client_id = b.find(".client-id").await.text().await.unwrap();
    b.find_text("td code", &client_id).await;
    b.assert_accessible("apps with a new secret").await;
    b.screenshot("apps.png").await;
    b.sign_out().await;

    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let megan = server.find_user(&client, &cookie, "adele.adams").await;
    let password = reset(&server, &client, &cookie, megan["id"].as_str().unwrap()).await;
    b.sign_in(&server.url, "adele.adams", &password).await;
    b.change_password(&password, "copper meadow gently waits")
        .await;
    b.find_text("h1", "My apps").await;
    let link = b.find_text(".app-tiles a", "Team wiki").await;
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some("http://127.0.0.1:9/")
    );
    b.assert_accessible("my apps").await;
}

/// An app's request waits on a fresh sign-in. Signed out on an account
/// page that still carries it (her session ended on the forced change or
/// an ask), she is sent to the sign-in with it, and with her page.
#[tokio::test]
async fn signed_out_on_her_way_to_an_app_the_account_app_sends_her_to_sign_in_still_on_her_way() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let b = Browser::start().await;
    let to = "/oauth2/authorize?client_id=payroll&response_type=code";
    let wait: String = url::form_urlencoded::byte_serialize(to.as_bytes()).collect();
    b.client
        .goto(&format!(
            "{}/account/?continue={wait}#/security-info",
            server.url
        ))
        .await
        .unwrap();
    b.find_text(".notice", "continue to the app").await;
    b.find("#username").await;
    let at = b.client.current_url().await.unwrap();
    assert_eq!(at.path(), "/");
    let kept: Vec<(String, String)> = at.query_pairs().into_owned().collect();
    assert_eq!(kept, vec![("continue".to_string(), to.to_string())]);
    assert_eq!(at.fragment(), Some("/security-info"));
}
