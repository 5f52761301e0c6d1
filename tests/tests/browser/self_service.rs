//! Self-service password reset in headless Chromium against the real
//! binary: a user registers her alternate address (its code from the
//! outbox) and an authenticator app (codes from oathtool), signs out,
//! forgets, passes both gates, sets a password and signs in with it; out
//! of scope, her admins are asked instead, in Dutch; another passes the
//! passkey gate with Chromium's own WebAuthn (its virtual authenticator).
//! axe on every state.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::support::{workspace, Browser, Server};
use super::SERIAL;

const HOME: &str = "megan@home.example";

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Self-service on, as a global admin saves it: a client and her cookie.
async fn sspr_on(server: &Server, settings: Value) -> (reqwest::Client, String) {
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let resp = client
        .put(format!("{}/api/settings/password-reset", server.url))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({"settings": settings, "version": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    (client, cookie)
}

/// A seeded user with a password the test chose; her username.
async fn user_with_password(
    server: &Server,
    client: &reqwest::Client,
    cookie: &str,
    password: &str,
) -> String {
    let user = server.find_user(client, cookie, "megan").await;
    let options =
        json!({"password": {"mode": "typed", "password": password}, "require_change": false});
    let id = user["id"].as_str().unwrap();
    assert_eq!(
        server.reset(client, cookie, id, &options).await.status(),
        200
    );
    user["username"].as_str().unwrap().to_string()
}

/// The newest code emailed to `to` other than `not`.
async fn code_in_outbox(server: &Server, to: &str, not: Option<&str>) -> String {
    let deadline = Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let code = rekey_tests::self_service::code_among(server.outbox(), to)
            .filter(|c| Some(c.as_str()) != not);
        if let Some(code) = code {
            return code;
        }
        assert!(Instant::now() < deadline, "no code reached {to}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_user_registers_two_methods_forgets_her_password_and_resets_it_herself() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let settings = json!({
        "enabled_for": "all", "selected_roles": [], "methods_required": 2,
        "methods": ["alternate_email", "authenticator_app"],
        "require_registration": true, "reconfirm_days": 180,
        "notify_admins_on_admin_reset": false
    });
    let (client, cookie) = sspr_on(&server, settings).await;
    let first = "Violet-Harbor-Lantern-71";
    let username = user_with_password(&server, &client, &cookie, first).await;

    let b = Browser::start().await;
    b.sign_in(&server.url, &username, first).await;
    // In scope without the methods: asked to register them at sign-in.
    b.find_text("h1", "Be ready to reset your own password")
        .await;
    b.find_text("p.muted", "skip this 3 more times").await;
    b.assert_accessible("the ask to register security info")
        .await;
    b.click_text("a.button", "Security info").await;
    b.find_text("h1", "Security info").await;
    b.click_text("button", "Add alternate email").await;
    b.type_into("#alternate-address", HOME).await;
    b.assert_accessible("adding an alternate email").await;
    b.click_text(".add-alternate button.primary", "Send code")
        .await;
    b.find("#alternate-code").await;
    let code = code_in_outbox(&server, HOME, None).await;
    b.type_into("#alternate-code", &code).await;
    b.assert_accessible("confirming the alternate email").await;
    b.click_text(".add-alternate button.primary", "Verify")
        .await;
    b.find_text(".method strong", HOME).await;
    b.click_text("button.primary", "Add authenticator app")
        .await;
    let key = b.find("code.key").await.text().await.unwrap();
    // The step before now confirms it, so now's and the next are unused.
    b.type_into(
        "#totp-code",
        &rekey_tests::authenticator::code(&key, now_ms() - 30_000),
    )
    .await;
    b.click_text(".add-app button.primary", "Verify").await;
    b.find_text(".method strong", "Authenticator app").await;
    b.assert_accessible("Security info with both methods").await;
    b.sign_out().await;

    // She forgot it: no admin is needed from here.
    let started = Instant::now();
    b.click_text("button.link", "Forgot your password?").await;
    b.type_into("#forgot-username", &username).await;
    b.click_text("button.primary", "Ask for a new password")
        .await;
    b.find_text("h1", "Prove it's you").await;
    // "Forgot your password?" is the account app's, not the sign-in's.
    assert_eq!(b.client.current_url().await.unwrap().path(), "/account/");
    b.assert_accessible("the self-service gates").await;
    b.click_text("button.choice", "Email a code").await;
    b.click("#send-code").await;
    b.find("#sspr-code").await;
    let emailed = code_in_outbox(&server, HOME, Some(&code)).await;
    b.type_into("#sspr-code", &emailed).await;
    b.assert_accessible("the emailed code's gate").await;
    b.click_text("button.primary", "Verify").await;
    b.find_text("p[role=status]", "one more").await;
    b.assert_accessible("the second gate to choose").await;
    b.click_text("button.choice", "authenticator app").await;
    b.type_into(
        "#sspr-code",
        &rekey_tests::authenticator::code(&key, now_ms()),
    )
    .await;
    b.click_text("button.primary", "Verify").await;
    b.find_text("h1", "Choose a new password").await;
    b.assert_accessible("choosing the new password").await;
    let second = "Copper-Meadow-Falcon-52";
    b.type_into("#new-password", second).await;
    b.type_into("#confirm-password", second).await;
    b.click_text("button.primary", "Set password").await;
    b.find_text("p.success", "Your password is changed").await;
    b.assert_accessible("the reset done").await;
    b.click_text("button.link", "Back to sign in").await;
    b.find("#username").await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/");
    b.sign_in(&server.url, &username, second).await;
    b.find_text("h1", "Enter the code").await;
    b.type_into(
        "#code",
        &rekey_tests::authenticator::code(&key, now_ms() + 30_000),
    )
    .await;
    b.click("button[type=submit]").await;
    b.find("nav").await;
    let took = started.elapsed().as_millis();
    let line = format!(
        "self-service reset, \"Forgot your password?\" to signed in with the new password (browser walk, no admin): {took} ms\n"
    );
    print!("{line}");
    std::fs::write(
        workspace().join("target/frontend-timing-self-service.txt"),
        line,
    )
    .unwrap();
    let audit = server
        .get_json(
            &client,
            Some(&cookie),
            "/api/audit?action=password_reset_self_service",
        )
        .await;
    assert_eq!(
        audit["events"][0]["verified_with"],
        json!(["alternate_email", "authenticator_app"])
    );
}

#[tokio::test]
async fn out_of_scope_she_is_told_in_dutch_that_her_admins_were_asked() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let settings = json!({
        "enabled_for": "selected", "selected_roles": ["helpdesk_admin"], "methods_required": 1,
        "methods": ["alternate_email", "authenticator_app"],
        "require_registration": true, "reconfirm_days": 0,
        "notify_admins_on_admin_reset": false
    });
    let (client, cookie) = sspr_on(&server, settings).await;
    let username = user_with_password(&server, &client, &cookie, "Quiet-Orchard-Spindle-33").await;
    let b = Browser::start_in("nl-NL").await;
    b.client.goto(&server.url).await.unwrap();
    b.click_text("button.link", "Wachtwoord vergeten?").await;
    b.type_into("#forgot-username", &username).await;
    b.click("button.primary").await;
    b.find_text("p[role=status]", "uw beheerders gevraagd")
        .await;
    b.assert_accessible("the gates in Dutch").await;
    let deadline = Instant::now() + std::time::Duration::from_secs(10);
    while !server.outbox().iter().any(|m| {
        m.subject.ends_with("asked for a new password") || m.subject.contains("nieuw wachtwoord")
    }) {
        assert!(Instant::now() < deadline, "the admins were not asked");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    b.find_text("button.choice", "Een code mailen").await;
}

/// POST `path` as the page does, in the session `cookie`; the JSON back.
async fn post_json(
    server: &Server,
    client: &reqwest::Client,
    cookie: &str,
    path: &str,
    body: Value,
) -> Value {
    client
        .post(format!("{}{path}", server.url))
        .header("origin", &server.url)
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn an_admin_is_asked_for_a_second_gate_where_a_user_needs_one() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let settings = json!({
        "enabled_for": "all", "selected_roles": [], "methods_required": 1,
        "methods": ["alternate_email", "authenticator_app"],
        "require_registration": false, "reconfirm_days": 0,
        "notify_admins_on_admin_reset": false
    });
    let (client, cookie) = sspr_on(&server, settings).await;
    // The admin's alternate address and app, registered over the API.
    let home = "admin@home.example";
    let started = post_json(
        &server,
        &client,
        &cookie,
        "/api/me/methods/alternate-email",
        json!({"address": home}),
    )
    .await;
    let code = code_in_outbox(&server, home, None).await;
    let path = format!(
        "/api/me/methods/alternate-email/{}/confirm",
        started["id"].as_str().unwrap()
    );
    post_json(&server, &client, &cookie, &path, json!({"code": code})).await;
    let setup = post_json(
        &server,
        &client,
        &cookie,
        "/api/me/methods/authenticator-app",
        json!({"name": "Phone"}),
    )
    .await;
    let key = setup["secret"].as_str().unwrap().to_string();
    let path = format!(
        "/api/me/methods/authenticator-app/{}/confirm",
        setup["id"].as_str().unwrap()
    );
    let confirmed = post_json(
        &server,
        &client,
        &cookie,
        &path,
        json!({"code": rekey_tests::authenticator::code(&key, now_ms() - 30_000)}),
    )
    .await;
    assert!(confirmed["methods"].is_array(), "{confirmed}");

    let b = Browser::start().await;
    b.client.goto(&server.url).await.unwrap();
    b.click_text("button.link", "Forgot your password?").await;
    b.type_into("#forgot-username", "admin").await;
    b.click_text("button.primary", "Ask for a new password")
        .await;
    b.click_text("button.choice", "Email a code").await;
    b.click("#send-code").await;
    let emailed = code_in_outbox(&server, home, Some(&code)).await;
    b.type_into("#sspr-code", &emailed).await;
    b.click_text("button.primary", "Verify").await;
    // One gate is a user's; an admin is asked for another.
    b.find_text("p[role=status]", "one more").await;
    b.find_text("button.choice", "authenticator app").await;
    let choices = b
        .client
        .find_all(fantoccini::Locator::Css("button.choice"))
        .await
        .unwrap()
        .len();
    assert_eq!(choices, 1, "the emailed code is not offered twice");
    b.assert_accessible("an admin's second gate").await;
}

#[tokio::test]
async fn a_user_passes_the_passkey_gate_with_the_browsers_own_webauthn() {
    let _one = SERIAL.lock().await;
    let server = super::passkeys::passkey_server();
    let settings = json!({
        "enabled_for": "all", "selected_roles": [], "methods_required": 1,
        "methods": ["passkey", "alternate_email"],
        "require_registration": false, "reconfirm_days": 0,
        "notify_admins_on_admin_reset": false
    });
    let (client, cookie) = sspr_on(&server, settings).await;
    let first = "Amber-Thistle-Compass-18";
    let username = user_with_password(&server, &client, &cookie, first).await;

    // Chromium's virtual authenticator holds her passkey, made on Security info.
    let b = Browser::start().await;
    super::passkeys::add_authenticator(&b, true).await;
    b.sign_in(&server.url, &username, first).await;
    b.find("nav").await;
    super::passkeys::add_passkey(&b, &server, "Work laptop").await;
    b.find_text(".methods li", "Work laptop").await;
    b.sign_out().await;

    b.click_text("button.link", "Forgot your password?").await;
    b.type_into("#forgot-username", &username).await;
    b.click_text("button.primary", "Ask for a new password")
        .await;
    // The browser's navigator.credentials.get answers the gate's options.
    b.click_text("button.choice", "Use my passkey").await;
    b.find_text("h1", "Choose a new password").await;
    let second = "Cobalt-Willow-Anchor-64";
    b.type_into("#new-password", second).await;
    b.type_into("#confirm-password", second).await;
    b.click_text("button.primary", "Set password").await;
    b.find_text("p.success", "Your password is changed").await;
    let audit = server
        .get_json(
            &client,
            Some(&cookie),
            "/api/audit?action=password_reset_self_service",
        )
        .await;
    assert_eq!(audit["events"][0]["verified_with"], json!(["passkey"]));
    // The new password signs her in (her passkey is the second step).
    b.click_text("button.link", "Back to sign in").await;
    b.sign_in(&server.url, &username, second).await;
    b.click_text("button.passkey", "Use your passkey").await;
    b.find("nav").await;
}
