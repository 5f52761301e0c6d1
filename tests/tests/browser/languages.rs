//! Nederlands: a Dutch browser walks the seed's flow in Dutch, the admin
//! switches to English and back, and each email is in its reader's language.

use fantoccini::Locator;

use super::support::{Browser, Server};
use super::{search, SERIAL};

/// Which of the admin center's language builds this page fetched.
async fn builds_fetched(b: &Browser) -> Vec<&'static str> {
    let urls = b.fetched_urls().await;
    ["en", "nl"]
        .into_iter()
        .filter(|lang| {
            let wasm = format!("/admin/{lang}/admin-");
            urls.iter()
                .any(|u| u.contains(&wasm) && u.ends_with("_bg.wasm"))
        })
        .collect()
}

async fn html_lang(b: &Browser) -> String {
    b.client
        .execute("return document.documentElement.lang", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_dutch_browser_gets_the_admin_center_in_dutch_and_can_switch_to_english() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    let b = Browser::start_in("nl-NL").await;

    // The sign-in page follows the browser's language.
    b.client.goto(&server.url).await.unwrap();
    b.find_text("button.primary", "Aanmelden").await;
    b.find_text("label", "Gebruikersnaam of e-mailadres").await;
    b.find_text("button.link", "Wachtwoord vergeten?").await;
    assert_eq!(html_lang(&b).await, "nl");
    assert_eq!(b.client.title().await.unwrap(), "Rekey");
    b.assert_accessible("the sign-in page in Dutch").await;

    // The seed's flow, in Microsoft's Dutch words.
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Actieve gebruikers").await;
    assert_eq!(b.client.title().await.unwrap(), "Rekey-beheercentrum");
    // The admin center's Dutch build, and nothing of the English one.
    assert_eq!(builds_fetched(&b).await, ["nl"]);
    b.find_text("nav a", "Aanvragen").await;
    search(&b, "adele.adams", 1).await;
    b.click("button[aria-label='Wachtwoord opnieuw instellen voor Adele Adams']")
        .await;
    b.find_text("#pane-title", "Wachtwoord opnieuw instellen")
        .await;
    b.find_text("label.choice", "Wachtwoord automatisch genereren")
        .await;
    b.find_text(
        "label.choice",
        "Laat deze persoon het wachtwoord wijzigen bij de eerste aanmelding",
    )
    .await;
    b.find_text("label.choice", "Wachtwoord verzenden in e-mail")
        .await;
    b.click("#send-email").await;
    b.find_text(
        ".recipients label",
        "Nieuw wachtwoord e-mailen naar de volgende geadresseerden",
    )
    .await;
    b.click("button.add-alternate").await;
    b.assert_accessible("the reset pane in Dutch").await;
    b.screenshot("dutch-reset-pane.png").await;
    b.click_text(".pane button.primary", "Wachtwoord opnieuw instellen")
        .await;
    b.find_text(".success", "is opnieuw ingesteld").await;
    b.find_text(".deliveries li", "Verzonden naar").await;

    // The admin signed in from a Dutch page, so the account is Dutch now:
    // the admin's own copy is Dutch; Adele has no language of her own, so
    // her copy is in the organisation's (English).
    let subject_to = |to: &str| {
        server
            .outbox()
            .into_iter()
            .find(|m| {
                m.to == to && !m.subject.contains("gewijzigd") && !m.subject.contains("changed")
            })
            .map(|m| m.subject)
            .unwrap_or_default()
    };
    assert_eq!(
        subject_to("admin@contoso.example"),
        "Nieuw wachtwoord voor Adele Adams (adele.adams)"
    );
    assert_eq!(
        subject_to("adeleadams@personal.example"),
        "New password for Adele Adams (adele.adams)"
    );
    b.click_text(".pane button.primary", "Sluiten").await;

    // Switch to English, and back.
    let switch = b.find("header .language select").await;
    switch.select_by_value("en").await.unwrap();
    b.find_text("h1", "Active users").await;
    assert_eq!(html_lang(&b).await, "en");
    // Each build speaks one language: the page came again, in English.
    assert_eq!(builds_fetched(&b).await, ["en"]);
    b.find("header .language select")
        .await
        .select_by_value("nl")
        .await
        .unwrap();
    b.find_text("h1", "Actieve gebruikers").await;
    assert_eq!(html_lang(&b).await, "nl");
    // The audit log in Dutch too.
    b.click_text("nav a", "Auditlogboek").await;
    b.find_text("tbody td", "Wachtwoord opnieuw ingesteld")
        .await;
    assert!(b.client.find(Locator::Css("html[lang=nl]")).await.is_ok());
    b.assert_accessible("the audit log in Dutch").await;
}
