//! Users come in, in the browser: an admin adds a user with an emailed
//! password and she signs in and changes it; a 3-row CSV comes in; a
//! blocked user's sign-in fails.

use serde_json::{json, Value};

use super::support::Server;
use super::{admin_signed_in, search};

#[tokio::test]
async fn an_added_user_gets_her_password_by_email_signs_in_and_changes_it() {
    let (_one, server, b) = admin_signed_in().await;
    b.click_text("button.add-user", "Add a user").await;
    b.find("#person-title").await;
    b.type_into("#person-first", "Zelda").await;
    b.type_into("#person-last", "Quist").await;
    b.type_into("#person-username", "zelda.quist").await;
    b.type_into("#person-email", "zelda.quist@contoso.example")
        .await;
    b.click("#person-send").await;
    b.find_text(".chip", "admin@contoso.example").await;
    b.assert_accessible("the add-a-user pane").await;
    b.click_text(".pane button.primary", "Add a user").await;
    b.find_text("#person-result", "Zelda Quist").await;
    b.click_text(".secret button", "Show").await;
    let password = b.find(".secret-value").await.text().await.unwrap();
    assert_eq!(password.chars().count(), 16);
    let emails = rekey_tests::only_password_emails(server.outbox());
    assert!(
        emails
            .iter()
            .any(|m| m.to == "admin@contoso.example" && m.text.contains(&password)),
        "the admin got the sign-in details"
    );
    b.click_text(".pane button.primary", "Close").await;
    search(&b, "zelda", 1).await;

    // A typed password, no change required, and a sign-in name in the
    // user principal name form Microsoft 365 uses.
    b.click_text("button.add-user", "Add a user").await;
    b.type_into("#person-first", "Zara").await;
    b.type_into("#person-last", "Quist").await;
    b.type_into("#person-username", "zara@contoso.example")
        .await;
    b.type_into("#person-email", "zara@contoso.example").await;
    b.click("#person-typed-mode").await;
    b.type_into("#person-password", "copper lantern hums twice")
        .await;
    b.click("#person-require").await;
    b.click_text(".pane button.primary", "Add a user").await;
    b.find_text("#person-result", "Zara Quist").await;
    b.click_text(".pane button.primary", "Close").await;
    b.sign_out().await;
    b.sign_in(
        &server.url,
        "zara@contoso.example",
        "copper lantern hums twice",
    )
    .await;
    b.find_text("h1", "My apps").await;

    b.sign_out().await;
    b.sign_in(&server.url, "zelda.quist", &password).await;
    b.find_text("h1", "Change your password").await;
    b.change_password(&password, "granite orchard softly glows")
        .await;
    b.find_text("h1", "My apps").await;
}

#[tokio::test]
async fn three_users_come_in_from_a_csv_file() {
    let (_one, _server, b) = admin_signed_in().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new-people.csv");
    std::fs::write(
        &file,
        "User Name,First Name,Last Name,Display Name,Email,Alternate Email,Role\r\n\
         csv.one,Ana,One,,csv.one@contoso.example,,User\r\n\
         csv.two,Ben,Two,,csv.two@contoso.example,,User\r\n\
         csv.three,Cai,Three,,csv.three@contoso.example,cai@home.example,User\r\n",
    )
    .unwrap();
    b.click_text("button.add-users", "Add multiple users").await;
    b.find("#import-title").await;
    b.assert_accessible("the add-multiple-users pane").await;
    b.find("#import-file")
        .await
        .send_keys(&file.to_string_lossy())
        .await
        .unwrap();
    b.click_text(".pane button.primary", "Add users").await;
    b.find_text("#import-result", "3 users were added").await;
    b.find_text(".pane button.primary", "Download passwords")
        .await;
    b.click_text(".pane button", "Close").await;
    search(&b, "csv.", 3).await;
}

/// Resets Adele Adams (no change required) and returns her new password.
async fn password_for_adele(server: &Server, client: &reqwest::Client) -> String {
    let cookie = server.admin_cookie(client).await;
    let adele = server.find_user(client, &cookie, "adele.adams").await;
    let reset: Value = server
        .reset(
            client,
            &cookie,
            adele["id"].as_str().unwrap(),
            &json!({"require_change": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    reset["password"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_blocked_user_cannot_sign_in() {
    let (_one, server, b) = admin_signed_in().await;
    let client = reqwest::Client::new();
    let password = password_for_adele(&server, &client).await;

    search(&b, "adele.adams", 1).await;
    b.click_text("button.person", "Adele Adams").await;
    b.find("#person-title").await;
    b.click_text(".pane button.block", "Block sign-in").await;
    b.find_text(".pane button.block", "Unblock sign-in").await;
    b.click(".pane button.close").await;
    b.find_text("td .badge", "Sign-in blocked").await;

    b.sign_out().await;
    b.sign_in(&server.url, "adele.adams", &password).await;
    b.find_text(".error", "blocked").await;
}

#[tokio::test]
async fn her_sign_ins_show_why_she_is_locked_out_and_unlock_lets_her_in_again() {
    let (_one, server, b) = admin_signed_in().await;
    let client = reqwest::Client::new();
    let password = password_for_adele(&server, &client).await;
    for _ in 0..10 {
        let wrong = server
            .sign_in(&client, "adele.adams", "not her password")
            .await;
        assert!(matches!(wrong.status().as_u16(), 401 | 423));
    }

    search(&b, "adele.adams", 1).await;
    b.click_text("button.person", "Adele Adams").await;
    b.find_text(".sign-ins", "Wrong password").await;
    b.find_text(".sign-ins .notice", "Locked until").await;
    b.assert_accessible("a locked user's sign-ins").await;
    b.click("#unlock").await;
    b.find_text(".sign-ins td", "Locked").await;
    assert!(
        b.client
            .find(fantoccini::Locator::Css("#unlock"))
            .await
            .is_err(),
        "no lock left to lift"
    );
    // Her own password works: Unlock changed nothing else.
    let signed_in = server.sign_in(&client, "adele.adams", &password).await;
    assert_eq!(signed_in.status(), 200);
}
