//! Keyboard and screen-reader use (WCAG 2.1 AA): axe-core on every page
//! and state, focus that is never dropped, a reset done with the keyboard
//! alone, and the layout on a phone and a desktop.

use fantoccini::Locator;

use super::support::{keys, Browser, Server};
use super::{admin_signed_in, api_user, search, SERIAL};

#[tokio::test]
async fn every_page_and_state_passes_axe_core_and_the_users_view_is_theirs_alone() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let b = Browser::start().await;

    b.client.goto(&server.url).await.unwrap();
    b.find("#username").await;
    b.assert_accessible("the sign-in page").await;
    b.click_text("button.link", "Forgot your password?").await;
    b.find("#forgot-username").await;
    b.assert_focus("#forgot-username").await;
    b.assert_accessible("forgot password").await;
    b.click_text("button.link", "Back to sign in").await;
    b.assert_focus("#username").await;

    // After sign-in, focus is on the page's heading.
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find("tbody tr").await;
    b.assert_focus("h1").await;
    b.assert_accessible("Active users").await;

    let adele = api_user(&server, "adele.adams").await;
    let adele_id = adele["id"].as_str().unwrap().to_string();
    search(&b, "adele.adams", 1).await;
    b.click("button[aria-label='Reset password for Adele Adams']")
        .await;
    b.assert_focus("#pane-title").await;
    b.click("#send-email").await;
    b.find_text(".chip", "admin@contoso.example").await;
    b.assert_accessible("the reset pane with recipients").await;
    b.click("button.add-alternate").await;
    b.assert_focus("#recipient-input").await;
    b.click_text(".pane button.primary", "Reset password").await;
    b.find_text(".success", "has been reset").await;
    b.assert_focus(".success").await;
    b.assert_accessible("the reset result").await;
    b.click_text(".secret button", "Show").await;
    let password = b.find(".secret-value").await.text().await.unwrap();
    b.click_text(".pane button.primary", "Close").await;
    b.assert_focus(&format!("[data-user={adele_id}]")).await;

    // Bulk: pane, result, and focus back on the button that opened it.
    let adeles = {
        let client = reqwest::Client::new();
        let cookie = server.admin_cookie(&client).await;
        let page = server
            .get_json(&client, Some(&cookie), "/api/users?q=adele")
            .await;
        page["users"].as_array().unwrap().len()
    };
    assert!(adeles >= 2, "the demo has several Adeles");
    search(&b, "adele", adeles).await;
    for checkbox in b
        .client
        .find_all(Locator::Css("tbody input[type=checkbox]"))
        .await
        .unwrap()
    {
        checkbox.click().await.unwrap();
    }
    b.click("button.bulk-open").await;
    b.assert_focus("#bulk-title").await;
    b.assert_accessible("the bulk pane").await;
    b.click_text(".pane button.primary", &format!("Reset {adeles} passwords"))
        .await;
    b.find_text(
        ".success",
        &format!("{adeles} of {adeles} passwords were reset"),
    )
    .await;
    b.assert_focus(".success").await;
    b.assert_accessible("the bulk result").await;
    b.click_text(".pane button", "Close").await;
    b.assert_focus("bulk-open").await;

    b.click_text("nav a", "Requests").await;
    b.find_text("h1", "Reset requests").await;
    b.assert_focus("h1").await;
    b.assert_accessible("reset requests").await;
    b.click_text("nav a", "Audit log").await;
    b.find_text("tbody td", "(bulk)").await;
    b.assert_accessible("the audit log").await;

    // The bulk reset replaced Adele Adams's password; reset her once more
    // to know it, then sign in as her: the forced change, then her own page.
    b.click_text("nav a", "Active users").await;
    search(&b, "adele.adams", 1).await;
    b.click("button[aria-label='Reset password for Adele Adams']")
        .await;
    b.click_text(".pane button.primary", "Reset password").await;
    b.click_text(".secret button", "Show").await;
    let password = {
        let shown = b.find(".secret-value").await.text().await.unwrap();
        assert_ne!(shown, password, "a new password");
        shown
    };
    b.press(keys::ESCAPE).await;
    b.sign_out().await;
    b.sign_in(&server.url, "adele.adams", &password).await;
    b.find_text("h1", "Change your password").await;
    b.assert_focus("h1").await;
    b.assert_accessible("the forced password change").await;
    let new_password = "amber lighthouse quietly sings";
    b.change_password(&password, new_password).await;

    // A plain user sees only what is theirs: her apps and her password,
    // no admin navigation.
    b.find_text("h1", "My apps").await;
    b.assert_focus("h1").await;
    let nav = b.find("nav").await.text().await.unwrap();
    assert!(
        nav.contains("My apps") && nav.contains("Change password"),
        "{nav:?}"
    );
    for admin_only in ["Active users", "Requests", "Audit log", "Outbox", "Apps"] {
        assert!(!nav.contains(admin_only), "{admin_only} in {nav:?}");
    }
    assert!(b.client.find(Locator::Css("table")).await.is_err());
    b.assert_accessible("a user's My apps").await;
    b.click_text("nav a", "Change password").await;
    b.find_text("h1", "Change password").await;
    b.assert_accessible("a user's own page").await;
    b.screenshot("user-own-page.png").await;
    // ... where she can change her password again.
    let newer = "copper kettle hums at dawn";
    b.change_password(new_password, newer).await;
    b.find_text(".success", "Your password was changed").await;
    b.sign_out().await;
    b.sign_in(&server.url, "adele.adams", newer).await;
    b.find_text("h1", "My apps").await;
}

#[tokio::test]
async fn a_single_reset_done_with_the_keyboard_alone_never_drops_focus() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let b = Browser::start().await;
    let adele = api_user(&server, "adele.adams").await;
    let adele_id = adele["id"].as_str().unwrap().to_string();

    // Sign in: the username field has focus; Tab, type, Enter.
    b.client.goto(&server.url).await.unwrap();
    b.find("#username").await;
    b.assert_focus("#username").await;
    b.press("admin").await;
    b.press(keys::TAB).await;
    b.assert_focus("#password").await;
    b.press(&server.admin_password("admin")).await;
    b.press(keys::ENTER).await;
    b.find("tbody tr").await;
    b.assert_focus("h1").await;

    // To the search box, find her, on to her key icon, open the pane.
    b.tab_to("[Search users]", 5).await;
    b.press("adele.adams").await;
    search(&b, "adele.adams", 1).await;
    b.tab_to(&format!("[data-user={adele_id}]"), 8).await;
    b.press(keys::ENTER).await;
    b.assert_focus("#pane-title").await;

    // Tab to "Send password in email", Space ticks it; add the alternate.
    b.tab_to("#send-email", 8).await;
    b.press(keys::SPACE).await;
    b.find_text(".chip", "admin@contoso.example").await;
    b.tab_to("add-alternate", 8).await;
    b.press(keys::ENTER).await;
    b.find_text(".chip", "adeleadams@personal.example").await;
    b.assert_focus("#recipient-input").await;

    // Shift+Tab wraps inside the pane; Tab on to Reset, Enter.
    b.tab_to("Reset password", 8).await;
    b.press(keys::TAB).await;
    b.assert_focus("Close").await;
    b.press(keys::SHIFT_TAB).await;
    b.assert_focus("Reset password").await;
    b.press(keys::ENTER).await;
    b.find_text(".success", "has been reset").await;
    b.assert_focus(".success").await;
    b.find_text(".deliveries li", "adeleadams@personal.example")
        .await;

    // Copy with the keyboard: the status is announced.
    b.tab_to("Copy", 6).await;
    b.press(keys::ENTER).await;
    b.find_text(".copy-status[role=status]", "Cop").await;

    // Escape closes; focus is back on her key icon.
    b.press(keys::ESCAPE).await;
    assert!(b.client.find(Locator::Css(".pane")).await.is_err());
    b.assert_focus(&format!("[data-user={adele_id}]")).await;
    assert_eq!(
        rekey_tests::only_password_emails(server.outbox()).len(),
        2,
        "sent to both recipients"
    );
}

#[tokio::test]
async fn on_a_phone_the_list_fits_the_screen_and_the_pane_fills_it() {
    let (_one, _server, b) = admin_signed_in().await;
    b.find("tbody tr").await;
    b.set_window(1280, 800).await;
    b.screenshot("desktop-1280x800-users.png").await;

    b.set_window(390, 844).await;
    let width = b.number("return window.innerWidth").await;
    assert!(width <= 400.0, "the window is phone-sized: {width}");
    let scroll = b
        .number("return document.documentElement.scrollWidth")
        .await;
    assert!(
        scroll <= width,
        "nothing is wider than the screen: {scroll} px in {width} px"
    );
    // Every visible key icon is on screen, and big enough to tap.
    let key = b
        .number(
            r#"const r = document.querySelector("button.key").getBoundingClientRect();
               return (r.left >= 0 && r.right <= window.innerWidth && r.width >= 24 && r.height >= 24) ? 1 : 0;"#,
        )
        .await;
    assert_eq!(key, 1.0, "the key icon is reachable");
    // The header wraps inside its own background.
    let header = b
        .number(
            r#"const h = document.querySelector("header.top").getBoundingClientRect();
               const who = document.querySelector("header.top .who").getBoundingClientRect();
               return (who.bottom <= h.bottom && who.right <= window.innerWidth) ? 1 : 0;"#,
        )
        .await;
    assert_eq!(header, 1.0, "the name sits inside the header");
    b.assert_accessible("Active users on a phone").await;
    b.screenshot("phone-390x844-users.png").await;

    b.click("button.key:not([disabled])").await;
    b.find("#pane-title").await;
    let pane = b
        .number(r#"return document.querySelector(".pane").getBoundingClientRect().width"#)
        .await;
    assert!(
        (pane - width).abs() < 1.0,
        "the pane fills the screen: {pane} of {width}"
    );
    b.assert_accessible("the reset pane on a phone").await;
    b.screenshot("phone-390x844-reset-pane.png").await;
}
