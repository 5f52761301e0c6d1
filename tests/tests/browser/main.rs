//! The admin center in real headless Chromium, against the real binary
//! serving the release `dist/`. Screenshots land in `target/screenshots/`.

mod accessibility;
mod languages;
mod mfa;
mod oidc;
mod passkeys;
mod people;
mod reset_settings;
mod second_factor;
mod self_service;
mod split;
mod support;
mod timing;

use std::time::{Duration, Instant};

use fantoccini::Locator;
use support::{Browser, Server};

/// One browser at a time: two cores do not run four Chromiums well.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Types a search and waits until the list shows exactly `rows` rows.
async fn search(b: &Browser, text: &str, rows: usize) {
    b.type_into("input.search", text).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = b
            .client
            .find_all(Locator::Css("tbody tr"))
            .await
            .unwrap()
            .len();
        if found == rows {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "search {text:?}: {found} rows, wanted {rows}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One browser at a time (held by the guard), a fresh server, and its
/// admin signed in on Active users.
async fn admin_signed_in() -> (tokio::sync::MutexGuard<'static, ()>, Server, Browser) {
    let one = SERIAL.lock().await;
    let server = Server::start();
    let b = Browser::start().await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find("tbody tr").await;
    // Signed in on the account app, an admin is passed on to the admin center.
    assert_eq!(b.client.current_url().await.unwrap().path(), "/admin/");
    (one, server, b)
}

async fn api_user(server: &Server, username: &str) -> serde_json::Value {
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    server.find_user(&client, &cookie, username).await
}

#[tokio::test]
async fn an_admin_resets_a_user_who_then_must_change_the_password() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let b = Browser::start().await;

    // 1. Sign in, find the user, open the pane, email to both addresses.
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Active users").await;
    search(&b, "adele.adams", 1).await;
    b.click("button[aria-label='Reset password for Adele Adams']")
        .await;
    b.find("#pane-title").await;
    let generate = b.find("input[name=mode]").await;
    assert!(
        generate.is_selected().await.unwrap(),
        "generate is the default"
    );
    b.click("#send-email").await;
    b.find_text(".chip", "admin@contoso.example").await;
    b.click("button.add-alternate").await;
    b.find_text(".chip", "adeleadams@personal.example").await;
    b.screenshot("reset-pane.png").await;
    b.click_text(".pane button.primary", "Reset password").await;

    // The result: masked, then shown and copied.
    b.find_text(".success", "has been reset").await;
    let masked = b.find(".secret-value").await.text().await.unwrap();
    assert!(
        masked.chars().all(|c| c == '•') && masked.chars().count() == 16,
        "{masked}"
    );
    b.click_text(".secret button", "Show").await;
    let password = b.find(".secret-value").await.text().await.unwrap();
    assert_eq!(password.chars().count(), 16);
    assert!(!password.contains('•'));
    b.click_text(".secret button", "Copy").await;
    b.find_text(".copy-status", "Copied").await;
    b.find_text(".deliveries li", "adeleadams@personal.example")
        .await;
    b.screenshot("reset-result.png").await;

    let outbox = rekey_tests::only_password_emails(server.outbox());
    let mut to: Vec<&str> = outbox.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(
        to,
        vec!["adeleadams@personal.example", "admin@contoso.example"]
    );
    assert!(outbox.iter().all(|m| m.text.contains(&password)));
    b.click_text(".pane button.primary", "Close").await;

    // 2. The user signs in with it, must change it, and the old one stops working.
    b.sign_out().await;
    b.sign_in(&server.url, "adele.adams", &password).await;
    b.find_text("h1", "Change your password").await;
    let new_password = "amber lighthouse quietly sings";
    b.change_password(&password, new_password).await;
    b.find_text(".who", "Adele Adams").await;
    b.sign_out().await;
    b.sign_in(&server.url, "adele.adams", &password).await;
    b.find_text(".error", "don't match").await;
    b.sign_in(&server.url, "adele.adams", new_password).await;
    b.find_text(".who", "Adele Adams").await;
    // A plain user goes on from the sign-in to the account app, on My
    // apps, which fetches nothing of the admin center.
    b.find_text("h1", "My apps").await;
    let url = b.client.current_url().await.unwrap();
    assert_eq!(url.path(), "/account/");
    let fetched = b.fetched_urls().await;
    assert!(
        fetched.iter().any(|u| u.contains("/account/account-")),
        "{fetched:?}"
    );
    assert!(
        fetched.iter().all(|u| !u.contains("/admin/")),
        "{fetched:?}"
    );
    b.client
        .goto(&format!("{}/admin/", server.url))
        .await
        .unwrap();
    b.find_text("h1", "My apps").await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/account/");
}

#[tokio::test]
async fn a_bulk_reset_of_three_selected_users_shows_three_results() {
    let (_one, server, b) = admin_signed_in().await;
    b.find("tbody tr").await;

    // How long the list takes to appear on a fresh navigation (reported).
    let start = Instant::now();
    b.client
        .goto(&format!("{}/admin/#/users", server.url))
        .await
        .unwrap();
    b.find("tbody tr").await;
    let line = format!(
        "users list visible {} ms after navigating to the admin center (page load, wasm start, /api/me, /api/users)\n",
        start.elapsed().as_millis()
    );
    std::fs::write(
        support::workspace().join("target/frontend-timing.txt"),
        line,
    )
    .unwrap();

    let boxes = b
        .client
        .find_all(Locator::Css("tbody input[type=checkbox]"))
        .await
        .unwrap();
    for checkbox in boxes.iter().take(3) {
        checkbox.click().await.unwrap();
    }
    b.find_text(".count", "3 selected").await;
    b.click_text("button.primary", "Reset password (3 users)")
        .await;
    b.click_text("button.primary", "Reset 3 passwords").await;
    b.find_text(".success", "3 of 3 passwords were reset").await;
    let rows = b
        .client
        .find_all(Locator::Css("table.results tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    b.find_text("button", "Download passwords (CSV)").await;
    b.screenshot("bulk-result.png").await;

    // The audit log lists the three resets, by the admin (Alex Wilber),
    // marked bulk.
    b.client
        .goto(&format!("{}/#/audit", server.url))
        .await
        .unwrap();
    b.find_text("h1", "Audit log").await;
    b.find_text("tbody td", "(bulk)").await;
    let mut resets = 0;
    for row in b.client.find_all(Locator::Css("tbody tr")).await.unwrap() {
        let text = row.text().await.unwrap();
        if text.contains("Password reset") {
            assert!(
                text.contains("(bulk)") && text.contains("Alex Wilber"),
                "{text}"
            );
            resets += 1;
        }
    }
    assert_eq!(resets, 3);
}

#[tokio::test]
async fn a_typed_weak_password_shows_the_policy_reason_and_changes_nothing() {
    let (_one, server, b) = admin_signed_in().await;
    search(&b, "adele.archie", 1).await;
    b.click("button[aria-label='Reset password for Adele Archie']")
        .await;
    // The pane's code comes when it first opens.
    b.find("input[name=mode]").await;
    let modes = b
        .client
        .find_all(Locator::Css("input[name=mode]"))
        .await
        .unwrap();
    modes[1].click().await.unwrap();
    b.type_into("#typed-password", "password1").await;
    b.find_text(".hint", "9 characters").await;
    b.click_text(".pane button.primary", "Reset password").await;
    b.find_text(".error.policy", "too common").await;
    b.screenshot("policy-refusal.png").await;

    let user = api_user(&server, "adele.archie").await;
    assert_eq!(user["version"], 0, "nothing changed");
    assert_eq!(user["must_change_password"], false);
    assert!(server.outbox().is_empty());
}

#[tokio::test]
async fn a_forgotten_password_reaches_the_admin_who_resets_it_from_the_emailed_link() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let b = Browser::start().await;

    // The user asks.
    b.client.goto(&server.url).await.unwrap();
    b.click_text("button.link", "Forgot your password?").await;
    b.type_into("#forgot-username", "adele.adams").await;
    b.click_text("button.primary", "Ask for a new password")
        .await;
    b.find_text(".success", "If that account exists").await;

    // The admin is emailed a link to the user's reset pane.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mail = loop {
        let found = server.outbox().into_iter().find(|m| {
            m.to == "admin@contoso.example" && m.subject == "Adele Adams asked for a new password"
        });
        if let Some(m) = found {
            break m;
        }
        assert!(Instant::now() < deadline, "no request email");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let link = mail
        .text
        .split_whitespace()
        .find(|w| w.contains("#/users/"))
        .unwrap()
        .to_string();

    // The link goes straight to the admin center.
    let user_id = link
        .split("#/users/")
        .nth(1)
        .unwrap()
        .trim_end_matches("/reset");
    assert_eq!(
        link,
        format!("{}/admin/#/users/{user_id}/reset", server.url)
    );

    // The admin follows the link as emails sent before the admin center had
    // its own address wrote it: the account app signs her in and passes her
    // on to that pane.
    b.client
        .goto(&format!("{}/#/users/{user_id}/reset", server.url))
        .await
        .unwrap();
    b.type_into("#username", "admin").await;
    b.type_into("#password", &server.admin_password("admin"))
        .await;
    b.click("button[type=submit]").await;
    b.find_text(".pane .target", "Adele Adams").await;
    let url = b.client.current_url().await.unwrap();
    assert_eq!(url.path(), "/admin/");
    assert_eq!(url.fragment(), Some(&*format!("/users/{user_id}/reset")));
    b.find_text("nav a", "Requests").await;
    b.find_text(".count-badge", "1").await;

    // The link itself, signed in, opens the same pane.
    b.client.goto(&server.url).await.unwrap();
    b.find("tbody tr").await;
    b.client.goto(&link).await.unwrap();
    b.find_text(".pane .target", "Adele Adams").await;
    b.screenshot("request-pane.png").await;
    b.click_text(".pane button.primary", "Reset password").await;
    b.find_text(".success", "has been reset").await;
    b.click_text(".pane button.primary", "Done").await;

    // Resolved: no badge, an empty list; the user got the notice.
    b.click_text("nav a", "Requests").await;
    b.find_text(".empty", "No pending requests").await;
    assert!(b.client.find(Locator::Css(".count-badge")).await.is_err());
    let notices: Vec<String> = server
        .outbox()
        .into_iter()
        .filter(|m| m.subject.ends_with("password was changed"))
        .map(|m| m.to)
        .collect();
    assert!(
        notices.contains(&"adele.adams@contoso.example".to_string()),
        "{notices:?}"
    );
    assert!(
        notices.contains(&"adeleadams@personal.example".to_string()),
        "{notices:?}"
    );
}

#[tokio::test]
async fn the_articles_order_reset_then_send_password_in_email_then_send_email_and_close() {
    let (_one, server, b) = admin_signed_in().await;
    search(&b, "adele.adams", 1).await;
    b.click("button[aria-label='Reset password for Adele Adams']")
        .await;
    // Step 4: Reset, without choosing email first.
    b.click_text(".pane button.primary", "Reset password").await;
    b.find_text(".success", "has been reset").await;
    b.click_text(".secret button", "Show").await;
    let password = b.find(".secret-value").await.text().await.unwrap();
    assert!(rekey_tests::only_password_emails(server.outbox()).is_empty());

    // Steps 5-7: tick "Send password in email"; the admin's address is
    // already there; add the alternate; "Send email and close".
    b.click("#send-after").await;
    b.find_text(".chip", "admin@contoso.example").await;
    b.click("button.add-alternate").await;
    b.find_text(".chip", "adeleadams@personal.example").await;
    b.screenshot("send-email-and-close.png").await;
    b.assert_accessible("the reset result with Send password in email")
        .await;
    b.click_text(".pane button.primary", "Send email and close")
        .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while b.client.find(Locator::Css(".pane")).await.is_ok() {
        assert!(Instant::now() < deadline, "the pane closes once sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let outbox = rekey_tests::only_password_emails(server.outbox());
    let mut to: Vec<&str> = outbox.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, ["adeleadams@personal.example", "admin@contoso.example"]);
    assert!(outbox.iter().all(|m| m.text.contains(&password)));
    b.find("tbody tr").await;
}

#[tokio::test]
async fn an_admin_sends_a_one_time_link_and_the_user_sets_her_password_with_it() {
    let (_one, server, b) = admin_signed_in().await;
    search(&b, "adele.adams", 1).await;
    b.click("button[aria-label='Reset password for Adele Adams']")
        .await;
    b.click("#mode-link").await;
    b.click_text(".pane button.primary", "Send link").await;
    b.find_text(".success", "A one-time link was sent").await;
    b.find_text(".deliveries li", "adele.adams@contoso.example")
        .await;
    b.press(support::keys::ESCAPE).await;
    b.find_text("tbody td", "Link sent, expires").await;
    b.sign_out().await;

    // The user opens the link from her email: twice, as a mail scanner
    // would first. Opening changes nothing.
    let mail = server
        .outbox()
        .into_iter()
        .find(|m| m.to == "adele.adams@contoso.example" && m.text.contains("#/set-password/"))
        .expect("the link email");
    let link = mail
        .text
        .split_whitespace()
        .find(|w| w.contains("#/set-password/"))
        .unwrap()
        .to_string();
    // The link is the account app's. The same link as emails wrote it
    // before the account app had its own address opens the same page.
    let token = link.split("#/set-password/").nth(1).unwrap();
    assert_eq!(
        link,
        format!("{}/account/#/set-password/{token}", server.url)
    );
    let older = format!("{}/#/set-password/{token}", server.url);
    for open in [&link, &older] {
        b.client.goto(&server.url).await.unwrap();
        b.client.goto(open).await.unwrap();
        b.find_text("h1", "Choose your password").await;
        b.find("#new-password").await;
        let at = b.client.current_url().await.unwrap();
        assert_eq!(at.path(), "/account/", "{open}");
        assert_eq!(at.fragment(), Some(&*format!("/set-password/{token}")));
    }
    b.assert_accessible("the one-time link's page").await;
    let chosen = "copper kettle hums at dawn";
    b.type_into("#new-password", chosen).await;
    b.type_into("#confirm-password", chosen).await;
    b.click_text("button.primary", "Set password").await;
    b.find_text(".success", "Your password is set").await;

    // Used: the link says so; she signs in with her own password.
    b.client.goto(&server.url).await.unwrap();
    b.find("#username").await;
    b.client.goto(&link).await.unwrap();
    b.find_text(".error", "already been used").await;
    b.click_text("a.button", "Ask your admin again").await;
    b.find("#forgot-username").await;
    b.sign_in(&server.url, "adele.adams", chosen).await;
    b.find_text("h1", "My apps").await;
}

#[tokio::test]
async fn registering_an_app_long_after_signing_in_asks_for_the_password_first() {
    let _one = SERIAL.lock().await;
    // A one-second window stands in for ten minutes.
    let server = Server::start_with(&[("REKEY_FRESH_AUTH_SECS", "1")]);
    let b = Browser::start().await;
    let password = server.admin_password("admin");
    b.sign_in(&server.url, "admin", &password).await;
    b.find("tbody tr").await;
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    b.click_text("nav a", "Apps").await;
    b.click_text("button.primary", "Register an app").await;
    b.type_into("#app-name", "Team wiki").await;
    b.type_into("#app-redirects", "https://wiki.contoso.example/cb")
        .await;
    b.click_text(".app-form button.primary", "Register").await;

    b.find_text("#confirm-title", "Confirm your password").await;
    b.assert_focus("#confirm-password").await;
    b.assert_accessible("the password confirmation").await;
    b.type_into("#confirm-password", "not my password").await;
    b.click_text(".dialog button.primary", "Confirm").await;
    b.find_text(".dialog .error", "isn't right").await;
    b.type_into("#confirm-password", &password).await;
    b.click_text(".dialog button.primary", "Confirm").await;
    b.find_text(".banner", "Password confirmed").await;
    // Within the window now: the same click registers the app.
    b.click_text(".app-form button.primary", "Register").await;
    b.find_text("#app-made", "Team wiki").await;
}
