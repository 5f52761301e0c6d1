//! Recovery codes, the MFA policy's ask at sign-in, and an app that asks
//! for a second factor (mod_auth_openidc with `acr_values=mfa`), in
//! headless Chromium against the real binary; codes from oathtool.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::support::{keys, payroll_behind_apache, Browser, Server};
use super::SERIAL;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Registers an authenticator app over the API in the session `cookie`;
/// its secret. The previous step's code confirms it, so the current one
/// is still unused.
async fn app_for(server: &Server, client: &reqwest::Client, cookie: &str) -> String {
    let setup: Value = client
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
    let confirmed = client
        .post(format!(
            "{}/api/me/methods/authenticator-app/{}/confirm",
            server.url,
            setup["id"].as_str().unwrap()
        ))
        .header("origin", &server.url)
        .header("cookie", cookie)
        .json(&json!({"code": rekey_tests::authenticator::code(&secret, now_ms() - 30_000)}))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    secret
}

/// Password, then the app's code, at the account app's sign-in.
async fn sign_in_with_code(b: &Browser, server: &Server, secret: &str) {
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Enter the code").await;
    b.type_into("#code", &rekey_tests::authenticator::code(secret, now_ms()))
        .await;
    b.click("button[type=submit]").await;
}

#[tokio::test]
async fn an_admin_saves_her_recovery_codes_and_one_signs_her_in_once() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let secret = app_for(&server, &client, &cookie).await;

    let b = Browser::start().await;
    sign_in_with_code(&b, &server, &secret).await;
    b.find("tbody tr").await;
    b.client
        .goto(&format!("{}/#/security-info", server.url))
        .await
        .unwrap();
    b.click_text(".recovery-codes button", "Get recovery codes")
        .await;
    b.find_text(".recovery-codes .notice", "shown only this once")
        .await;
    b.assert_focus("#recovery-codes-title").await;
    let mut codes = Vec::new();
    for code in b
        .client
        .find_all(fantoccini::Locator::Css(".codes code"))
        .await
        .unwrap()
    {
        codes.push(code.text().await.unwrap());
    }
    assert_eq!(codes.len(), 10, "{codes:?}");
    // The download carries the same codes, one a line.
    let href = b
        .find("a[download]")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let file = url::form_urlencoded::parse(href.split_once(',').unwrap().1.as_bytes())
        .map(|(k, v)| format!("{k}{v}"))
        .collect::<String>();
    for code in &codes {
        assert!(file.contains(code.as_str()), "{file}");
    }
    b.assert_accessible("new recovery codes").await;
    b.screenshot("recovery-codes.png").await;
    b.click_text(".recovery-codes button.primary", "I saved them")
        .await;
    b.find_text(".method .muted", "10 codes left").await;
    b.click_text("button", "Sign out").await;
    b.find("#username").await;

    // Her phone is gone: a recovery code instead.
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Enter the code").await;
    b.click_text("button.link", "Use a recovery code instead")
        .await;
    b.find_text("label[for=code]", "Recovery code").await;
    b.assert_accessible("the code step, a recovery code").await;
    b.type_into("#code", &codes[3]).await;
    b.click("button[type=submit]").await;
    b.find_text("h1", "You signed in with a recovery code")
        .await;
    b.find_text("[role=status]", "9 recovery codes left").await;
    b.assert_accessible("signed in with a recovery code").await;
    b.click_text("button.primary", "Continue").await;
    b.find("tbody tr").await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/admin/");
    assert!(server
        .outbox()
        .iter()
        .any(|e| e.subject.contains("recovery code was used") && e.text.contains("9 codes left")));

    // The same code never again.
    b.click_text("button", "Sign out").await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.click_text("button.link", "Use a recovery code instead")
        .await;
    b.type_into("#code", &codes[3]).await;
    b.click("button[type=submit]").await;
    b.find_text(".error", "code isn't right").await;
}

#[tokio::test]
async fn the_policy_asks_an_admin_at_sign_in_and_skip_for_now_reaches_the_admin_center() {
    let _one = SERIAL.lock().await;
    let server = Server::start_with(&[("REKEY_MFA", "admins")]);
    let b = Browser::start().await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Keep your account secure").await;
    b.find_text(".notice", "skip this for 14 more days").await;
    b.assert_accessible("the policy's ask, skippable").await;
    b.screenshot("register-method-ask.png").await;
    b.click_text("button.link", "Skip for now").await;
    b.find("tbody tr").await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/admin/");
}

#[tokio::test]
async fn past_the_grace_period_an_admin_registers_by_keyboard_before_anything_else() {
    let _one = SERIAL.lock().await;
    let server = Server::start_with(&[("REKEY_MFA", "admins"), ("REKEY_MFA_GRACE_DAYS", "0")]);
    let b = Browser::start().await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Keep your account secure").await;
    b.find_text(".notice", "Add it now to go on").await;
    assert!(
        b.client
            .find_all(fantoccini::Locator::Css("button.link"))
            .await
            .unwrap()
            .is_empty(),
        "no Skip for now"
    );
    // The admin center refuses her until she has registered.
    b.client
        .goto(&format!("{}/admin/", server.url))
        .await
        .unwrap();
    b.find_text("h1", "Keep your account secure").await;

    // By keyboard alone: Tab to the button, Enter, type the code, Enter.
    b.tab_to("Add authenticator app", 6).await;
    b.press(keys::ENTER).await;
    b.assert_focus("#totp-code").await;
    b.assert_accessible("registering at the policy's ask").await;
    let key = b.find("code.key").await.text().await.unwrap();
    b.press(&rekey_tests::authenticator::code(&key, now_ms()))
        .await;
    b.press(keys::ENTER).await;
    b.find("tbody tr").await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/admin/");
}

#[tokio::test]
async fn an_app_asking_for_mfa_has_a_password_only_user_register_and_sees_amr_mfa() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let apache = payroll_behind_apache(&server, &client, &cookie, "acr_values=mfa").await;
    // A user with a password alone (one an admin just set).
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

    let b = Browser::start().await;
    b.client
        .goto(&format!("{}/protected/", apache.url))
        .await
        .unwrap();
    b.type_into("#username", "adele.adams").await;
    b.type_into("#password", "amber river quietly sings").await;
    b.click("button[type=submit]").await;
    // The app wants a second step she has not got: she registers one.
    b.find_text("p", "asks for a second step").await;
    b.assert_accessible("an app's ask for a second factor")
        .await;
    b.click_text("button.primary", "Add authenticator app")
        .await;
    let key = b.find("code.key").await.text().await.unwrap();
    b.type_into(
        "#totp-code",
        &rekey_tests::authenticator::code(&key, now_ms()),
    )
    .await;
    b.click_text(".add-app button.primary", "Verify").await;
    // Back at the app, which heard how she signed in.
    b.find_text("#name", "Adele Adams").await;
    assert_eq!(b.find("#amr").await.text().await.unwrap(), "pwd,otp,mfa");
    assert_eq!(b.find("#acr").await.text().await.unwrap(), "mfa");

    // Signed out of Rekey, the next sign-in to the app asks for the code.
    b.click("#logout").await;
    b.find_text("h1", "Signed out of the app").await;
    b.client
        .goto(&format!("{}/protected/", apache.url))
        .await
        .unwrap();
    b.type_into("#username", "adele.adams").await;
    b.type_into("#password", "amber river quietly sings").await;
    b.click("button[type=submit]").await;
    b.find_text("h1", "Enter the code").await;
    // The registration's code is spent: the next step's.
    let next = (now_ms() / 30_000 + 1) * 30_000;
    tokio::time::sleep(std::time::Duration::from_millis(
        (next - now_ms()) as u64 + 200,
    ))
    .await;
    b.type_into("#code", &rekey_tests::authenticator::code(&key, now_ms()))
        .await;
    b.click("button[type=submit]").await;
    b.find_text("#name", "Adele Adams").await;
    assert_eq!(b.find("#amr").await.text().await.unwrap(), "pwd,otp,mfa");
    assert!(
        !apache.error_log().contains("[auth_openidc:error]"),
        "mod_auth_openidc complained: {}",
        apache.error_log()
    );
}

#[tokio::test]
async fn a_dutch_admin_is_asked_and_given_the_code_step_in_dutch() {
    let _one = SERIAL.lock().await;
    let server = Server::start_with(&[("REKEY_MFA", "admins")]);
    let b = Browser::start_in("nl-NL").await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Houd uw account veilig").await;
    b.find_text(".notice", "U kunt dit nog 14 dagen overslaan")
        .await;
    b.assert_accessible("the policy's ask in Dutch").await;
    b.click_text("button.link", "Nu overslaan").await;
    b.find_text("h1", "Actieve gebruikers").await;

    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    app_for(&server, &client, &cookie).await;
    b.click_text("button", "Afmelden").await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Code invoeren").await;
    b.find_text("p.muted", "verificatie-app").await;
    b.assert_accessible("the code step in Dutch").await;
}
