//! Passkeys in headless Chromium through ChromeDriver's WebAuthn virtual
//! authenticator (the W3C WebDriver extension), against the real binary
//! named `localhost` (browsers offer no passkeys to an IP address).

use fantoccini::wd::WebDriverCompatibleCommand;
use rekey_tests::server::free_port;
use serde_json::{json, Value};

use super::support::{payroll_behind_apache, Browser, Server};
use super::SERIAL;

/// One of the WebAuthn extension's commands (`…/webauthn/{path}`).
#[derive(Debug)]
struct WebAuthn {
    path: String,
    method: http::Method,
    body: Option<Value>,
}

impl WebDriverCompatibleCommand for WebAuthn {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/webauthn/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            self.method.clone(),
            self.body.as_ref().map(Value::to_string),
        )
    }
}

/// A platform authenticator that keeps discoverable credentials and
/// verifies its user (or, with `verifies` false, says it could not).
pub(super) async fn add_authenticator(b: &Browser, verifies: bool) -> String {
    let id = b
        .client
        .issue_cmd(WebAuthn {
            path: "authenticator".into(),
            method: http::Method::POST,
            body: Some(json!({
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": true,
                "hasUserVerification": true,
                "isUserConsenting": true,
                "isUserVerified": verifies,
            })),
        })
        .await
        .expect("a virtual authenticator");
    id.as_str().unwrap().to_string()
}

async fn remove_authenticator(b: &Browser, id: &str) {
    b.client
        .issue_cmd(WebAuthn {
            path: format!("authenticator/{id}"),
            method: http::Method::DELETE,
            body: None,
        })
        .await
        .unwrap();
}

async fn credentials(b: &Browser, id: &str) -> Vec<Value> {
    let listed = b
        .client
        .issue_cmd(WebAuthn {
            path: format!("authenticator/{id}/credentials"),
            method: http::Method::GET,
            body: None,
        })
        .await
        .unwrap();
    listed.as_array().cloned().unwrap_or_default()
}

/// The binary with its public URL on `localhost`; `server.url` is it too.
pub(super) fn passkey_server() -> Server {
    let port = free_port().to_string();
    let url = format!("http://localhost:{port}");
    let mut server = Server::start_with(&[
        ("REKEY_PORT", port.as_str()),
        ("REKEY_PUBLIC_URL", format!("{url}/").as_str()),
    ]);
    server.url = url;
    server
}

/// Registers a passkey called `name` on Security info.
pub(super) async fn add_passkey(b: &Browser, server: &Server, name: &str) {
    b.client
        .goto(&format!("{}/#/security-info", server.url))
        .await
        .unwrap();
    b.click_text("button", "Add passkey").await;
    b.type_into("#passkey-name", name).await;
    b.click_text("button.primary", "Create passkey").await;
}

#[tokio::test]
async fn an_admin_registers_a_passkey_and_signs_in_with_it_alone_until_she_removes_it() {
    let _one = SERIAL.lock().await;
    let server = passkey_server();
    let b = Browser::start().await;
    let authenticator = add_authenticator(&b, true).await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find("tbody tr").await;
    add_passkey(&b, &server, "This laptop").await;
    let row = b.find_text(".methods li", "This laptop").await;
    assert!(row.text().await.unwrap().contains("Passkey"));
    let held = credentials(&b, &authenticator).await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["isResidentCredential"], true, "discoverable");
    b.assert_accessible("Security info with a passkey").await;

    // Signed out, the passkey alone signs her in: no username typed.
    b.client.goto(&server.url).await.unwrap();
    b.find("tbody tr").await;
    b.sign_out().await;
    b.click_text("button.passkey", "Sign in with a passkey")
        .await;
    b.find("tbody tr").await;

    // With her password, the passkey is the second step.
    b.sign_out().await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Use your passkey").await;
    b.assert_accessible("the passkey as the second step").await;
    b.click_text("button.passkey", "Use your passkey").await;
    b.find("tbody tr").await;

    // Removed, it signs in no more, though the authenticator still has it.
    b.client
        .goto(&format!("{}/#/security-info", server.url))
        .await
        .unwrap();
    b.find_text(".methods li", "This laptop").await;
    b.click("button.danger").await;
    b.find_text("p.empty", "no sign-in method").await;
    b.client.goto(&server.url).await.unwrap();
    b.find("tbody tr").await;
    b.sign_out().await;
    b.click_text("button.passkey", "Sign in with a passkey")
        .await;
    b.find_text("p.error[role=alert]", "didn't work here").await;
    b.assert_accessible("a refused passkey at sign-in").await;
    assert_eq!(credentials(&b, &authenticator).await.len(), 1);
}

#[tokio::test]
async fn an_authenticator_that_cannot_verify_its_user_registers_nothing() {
    let _one = SERIAL.lock().await;
    let server = passkey_server();
    let b = Browser::start().await;
    let authenticator = add_authenticator(&b, false).await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find("tbody tr").await;
    add_passkey(&b, &server, "No PIN").await;
    b.find_text(".add-passkey p.error[role=alert]", "Try again")
        .await;
    b.assert_accessible("Add passkey with its failure announced")
        .await;
    b.find_text("p.empty", "no sign-in method").await;
    assert!(credentials(&b, &authenticator).await.is_empty());
    remove_authenticator(&b, &authenticator).await;
}

#[tokio::test]
async fn an_app_signs_a_user_in_through_mod_auth_openidc_with_her_passkey_as_mfa() {
    let _one = SERIAL.lock().await;
    let server = passkey_server();
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let apache = payroll_behind_apache(&server, &client, &cookie, "acr_values=mfa").await;
    let b = Browser::start().await;
    add_authenticator(&b, true).await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find("tbody tr").await;
    add_passkey(&b, &server, "Laptop").await;
    b.find_text(".methods li", "Laptop").await;
    b.sign_out().await;

    // The app asks for MFA; a passkey alone is MFA.
    b.client
        .goto(&format!("{}/protected/", apache.url))
        .await
        .unwrap();
    b.click_text("button.passkey", "Sign in with a passkey")
        .await;
    b.find_text("#name", "").await;
    b.find("#amr").await;
    assert_eq!(b.find("#amr").await.text().await.unwrap(), "hwk,mfa");
    assert_eq!(b.find("#acr").await.text().await.unwrap(), "mfa");
    assert!(
        !apache.error_log().contains("[auth_openidc:error]"),
        "mod_auth_openidc complained: {}",
        apache.error_log()
    );
}

#[tokio::test]
async fn a_helpdesk_admin_gets_a_user_who_lost_her_passkey_back_in_with_a_temporary_access_pass() {
    let _one = SERIAL.lock().await;
    let server = passkey_server();
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let adele = server.find_user(&client, &cookie, "adele.adams").await;
    let resp = server
        .reset(
            &client,
            &cookie,
            adele["id"].as_str().unwrap(),
            &json!({"password": {"mode": "typed", "password": "amber river quietly sings"}, "require_change": false}),
        )
        .await;
    assert_eq!(resp.status(), 200);

    // Adele registers a passkey, then loses the device it lived on.
    let b = Browser::start().await;
    let lost = add_authenticator(&b, true).await;
    b.sign_in(&server.url, "adele.adams", "amber river quietly sings")
        .await;
    b.find_text("button", "Sign out").await;
    add_passkey(&b, &server, "Old phone").await;
    b.find_text(".methods li", "Old phone").await;
    b.sign_out().await;
    remove_authenticator(&b, &lost).await;

    // The helpdesk admin removes it and issues a pass.
    let desk = Browser::start().await;
    desk.sign_in(&server.url, "helpdesk", &server.admin_password("helpdesk"))
        .await;
    desk.find("tbody tr").await;
    super::search(&desk, "adele.adams", 1).await;
    desk.click_text("button.person", "Adele Adams").await;
    desk.find_text(".auth-methods li", "Old phone").await;
    desk.assert_accessible("a user's authentication methods")
        .await;
    desk.click(".auth-methods button.danger").await;
    desk.find_text(".auth-methods p.muted", "No authentication methods")
        .await;
    desk.click_text(".auth-methods button.primary", "Add Temporary Access Pass")
        .await;
    desk.find_text(".auth-methods .notice", "shown only this once")
        .await;
    desk.click_text(".auth-methods .secret button", "Show")
        .await;
    let pass = desk
        .find(".auth-methods code.secret-value")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(pass.len(), 12, "{pass:?}");
    desk.find_text(".auth-methods .badge", "Temporary Access Pass, expires")
        .await;
    desk.assert_accessible("a Temporary Access Pass shown once")
        .await;

    // Adele signs in with it, registers a new passkey, and uses it.
    let fresh = add_authenticator(&b, true).await;
    b.type_into("#username", "adele.adams").await;
    b.type_into("#password", &pass).await;
    b.click("button[type=submit]").await;
    b.find_text("button", "Sign out").await;
    add_passkey(&b, &server, "New phone").await;
    b.find_text(".methods li", "New phone").await;
    b.sign_out().await;
    b.click_text("button.passkey", "Sign in with a passkey")
        .await;
    b.find_text("button", "Sign out").await;
    assert_eq!(credentials(&b, &fresh).await.len(), 1);
    // The pass was for once.
    b.sign_out().await;
    b.type_into("#username", "adele.adams").await;
    b.type_into("#password", &pass).await;
    b.click("button[type=submit]").await;
    b.find_text("p.error[role=alert]", "don't match").await;

    // A password admin may not issue one for a helpdesk admin.
    let patti = reqwest::Client::new();
    let resp = server
        .sign_in(&patti, "passwords", &server.admin_password("passwords"))
        .await;
    assert_eq!(resp.status(), 200);
    let signed_in = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    let diego = server.find_user(&client, &cookie, "helpdesk").await;
    let refused = patti
        .post(format!(
            "{}/api/users/{}/temporary-pass",
            server.url,
            diego["id"].as_str().unwrap()
        ))
        .header("origin", &server.url)
        .header("cookie", &signed_in)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let after = server.find_user(&client, &cookie, "helpdesk").await;
    assert_eq!(after["version"], diego["version"], "nothing changed");
}

#[tokio::test]
async fn the_bulk_pane_has_three_selected_users_register_their_methods_again() {
    let (_one, _server, b) = super::admin_signed_in().await;
    let boxes = b
        .client
        .find_all(fantoccini::Locator::Css("tbody input[type=checkbox]"))
        .await
        .unwrap();
    for checkbox in boxes.iter().take(3) {
        checkbox.click().await.unwrap();
    }
    b.find_text(".count", "3 selected").await;
    b.click_text("button.primary", "Reset password (3 users)")
        .await;
    b.click_text("button.reregister", "Require re-register MFA")
        .await;
    b.find_text(".success", "3 of 3 users must register their methods again")
        .await;
    b.assert_accessible("the bulk re-registration's result")
        .await;
}

#[tokio::test]
async fn signed_in_with_a_pass_she_makes_the_forced_change_without_a_current_password() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let adele = server.find_user(&client, &cookie, "adele.adams").await;
    let id = adele["id"].as_str().unwrap();
    // Reset with "require a change"; she never saw the password.
    let reset = server
        .reset(&client, &cookie, id, &json!({"require_change": true}))
        .await;
    assert_eq!(reset.status(), 200);
    let issued: Value = client
        .post(format!("{}/api/users/{id}/temporary-pass", server.url))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pass = issued["pass"].as_str().unwrap();
    let b = Browser::start().await;
    b.sign_in(&server.url, "adele.adams", pass).await;
    b.find("#new-password").await;
    assert!(
        b.client
            .find_all(fantoccini::Locator::Css("#current"))
            .await
            .unwrap()
            .is_empty(),
        "no current password to give"
    );
    b.assert_accessible("the forced change after a pass").await;
    let new = "Quiet-Orchard-Spindle-33";
    b.type_into("#new-password", new).await;
    b.type_into("#confirm-password", new).await;
    b.click_text("button.primary", "Change password").await;
    b.find("nav").await;
    assert_eq!(
        server.sign_in(&client, "adele.adams", new).await.status(),
        200
    );
}
