//! Emails in the reader's language, and the user's own choice of it.

use rekey_tests::{spawn_app, Session, TestApp};
use serde_json::{json, Value};

async fn choose(app: &TestApp, session: &Session, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url("/api/me/language"))
        .header("origin", &app.address)
        .header("cookie", &session.cookie)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The subject of the one email in the outbox to `to` matching `filter`.
fn subjects_to(app: &TestApp, to: &str) -> Vec<String> {
    app.outbox()
        .into_iter()
        .filter(|m| m.to == to)
        .map(|m| m.subject)
        .collect()
}

#[tokio::test]
async fn a_user_who_chooses_dutch_gets_her_emails_in_dutch_and_the_admin_keeps_english() {
    let app = spawn_app().await;
    let megan = app.sign_in(&app.megan).await;
    let chosen = choose(&app, &megan, &json!({"language": "nl"})).await;
    assert_eq!(chosen.status(), 200);
    let body: Value = chosen.json().await.unwrap();
    assert_eq!(body["user"]["preferred_language"], "nl");
    for bad in [
        json!({"language": "fr"}),
        json!({"language": "nl", "x": 1}),
        json!({}),
    ] {
        let refused = choose(&app, &megan, &bad).await;
        assert_eq!(refused.status(), 400, "{bad}");
        let error: Value = refused.json().await.unwrap();
        assert_eq!(error["code"], "invalid_request");
    }
    assert_eq!(
        app.user_record(&app.megan.id).await.preferred_language,
        Some(rekey_shared::Lang::Nl)
    );

    let admin = app.sign_in(&app.global_admin).await;
    let result = app
        .reset(
            &admin,
            &app.megan.id,
            &json!({"email_to": [app.global_admin.email, "megan.home@personal.example"]}),
        )
        .await;
    let password = result["password"].as_str().unwrap();
    assert_eq!(
        subjects_to(&app, &app.global_admin.email),
        vec!["New password for Megan Bowen (megan.bowen)"],
        "the admin's own copy is in the admin's language"
    );
    let home = app
        .outbox()
        .into_iter()
        .filter(|m| m.to == "megan.home@personal.example")
        .collect::<Vec<_>>();
    let dutch = home
        .iter()
        .find(|m| m.subject == "Nieuw wachtwoord voor Megan Bowen (megan.bowen)")
        .expect("the password email to her alternate address is Dutch");
    assert!(dutch
        .text
        .contains(&format!("Tijdelijk wachtwoord: {password}")));
    assert!(dutch.text.contains("Meld u aan op"));
    // Her notices (primary and alternate) are Dutch too.
    for to in [app.megan.email.as_str(), "megan.home@personal.example"] {
        assert!(
            subjects_to(&app, to).contains(&"Uw wachtwoord voor Contoso is gewijzigd".to_string()),
            "{to}: {:?}",
            subjects_to(&app, to)
        );
    }

    // Back to the organisation's default (English).
    let megan = app.sign_in_response("megan.bowen", password).await;
    let megan = rekey_tests::session_from(&megan).unwrap();
    let reset_choice = choose(&app, &megan, &json!({"language": null})).await;
    assert_eq!(reset_choice.status(), 200);
    assert_eq!(
        app.user_record(&app.megan.id).await.preferred_language,
        None
    );
}

#[tokio::test]
async fn each_admin_is_asked_for_a_reset_in_their_own_language() {
    let app = spawn_app().await;
    let hank = app.sign_in(&app.helpdesk_admin).await;
    assert_eq!(
        choose(&app, &hank, &json!({"language": "nl"}))
            .await
            .status(),
        200
    );
    app.app.request_reset("megan.bowen", "192.0.2.7").await;
    assert_eq!(
        subjects_to(&app, &app.helpdesk_admin.email),
        vec!["Megan Bowen heeft een nieuw wachtwoord aangevraagd"]
    );
    for english in [&app.global_admin.email, &app.password_admin.email] {
        assert_eq!(
            subjects_to(&app, english),
            vec!["Megan Bowen asked for a new password"]
        );
    }
}
