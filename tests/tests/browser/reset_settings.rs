//! The "Password reset" settings in the admin center: a global admin turns
//! self-service reset on for everyone with two methods; it holds after a
//! reload; in Dutch too.

use super::support::{Browser, Server};
use super::SERIAL;

#[tokio::test]
async fn a_global_admin_turns_self_service_reset_on_for_all_with_two_methods() {
    let (_one, _server, b) = super::admin_signed_in().await;
    b.click_text("nav a", "Password reset").await;
    b.find_text("h1", "Password reset").await;
    // Off until an admin turns it on.
    assert!(b
        .find("input[name=sspr-scope][value=none]")
        .await
        .prop("checked")
        .await
        .unwrap()
        .is_some_and(|v| v == "true"));
    b.assert_accessible("the Password reset settings").await;
    b.click("input[name=sspr-scope][value=all]").await;
    b.client
        .find(fantoccini::Locator::Css("#sspr-required option[value='2']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.click("input[value=passkey]").await;
    b.click_text("button.primary", "Save").await;
    b.find_text("p.success", "Saved.").await;

    b.client.refresh().await.unwrap();
    b.find_text("h1", "Password reset").await;
    b.find_text("label.choice", "Passkey").await;
    let checked = |css: &'static str| {
        let b = &b;
        async move {
            b.find(css)
                .await
                .prop("checked")
                .await
                .unwrap()
                .is_some_and(|v| v == "true")
        }
    };
    // The page draws before the settings arrive: wait for them.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !checked("input[name=sspr-scope][value=all]").await {
        assert!(std::time::Instant::now() < deadline, "the saved scope");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(checked("input[value=passkey]").await);
    assert!(checked("input[value=authenticator_app]").await);
    let required = b.find("#sspr-required").await.prop("value").await.unwrap();
    assert_eq!(required.as_deref(), Some("2"));
}

#[tokio::test]
async fn the_password_reset_settings_read_in_dutch() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let b = Browser::start_in("nl-NL").await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find("tbody tr").await;
    b.click_text("nav a", "Wachtwoord opnieuw instellen").await;
    b.find_text("legend", "Selfservice voor wachtwoordherstel ingeschakeld")
        .await;
    b.find_text("p.muted", "nooit alleen een gemailde code")
        .await;
    b.assert_accessible("the Password reset settings in Dutch")
        .await;
}
