//! "Send email and close" after the reset: the password comes back from the admin's browser and is emailed only while
//! it is the admin's own latest reset, under 10 minutes old.

use std::sync::Arc;

use rekey_function::ports::ManualClock;
use rekey_tests::{spawn_app, spawn_app_with_clock, Session, TestApp};
use serde_json::{json, Value};

fn path(user_id: &str) -> String {
    format!("/api/users/{user_id}/password-email")
}

async fn send(app: &TestApp, admin: &Session, user_id: &str, body: &Value) -> reqwest::Response {
    app.post(&path(user_id), Some(admin), body).await
}

/// A reset without email; its result.
async fn reset_quietly(app: &TestApp, admin: &Session) -> Value {
    app.reset(admin, &app.megan.id, &json!({})).await
}

async fn refused(resp: reqwest::Response, status: u16, code: &str) {
    assert_eq!(resp.status(), status, "{code}");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
}

fn email_of(result: &Value, to: &[&str]) -> Value {
    json!({
        "password": result["password"],
        "version": result["version"],
        "email_to": to,
    })
}

#[tokio::test]
async fn the_password_just_shown_is_emailed_to_the_recipients_chosen_after_the_reset() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let result = reset_quietly(&app, &admin).await;
    assert!(
        app.password_emails().is_empty(),
        "nothing sent by the reset"
    );
    let password = result["password"].as_str().unwrap();

    let to = [
        app.global_admin.email.as_str(),
        "megan.home@personal.example",
    ];
    let resp = send(&app, &admin, &app.megan.id, &email_of(&result, &to)).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    let statuses: Vec<&str> = body["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["sent", "sent"]);
    let mut sent: Vec<String> = app.password_emails().into_iter().map(|m| m.to).collect();
    sent.sort();
    assert_eq!(
        sent,
        ["gadmin@contoso.example", "megan.home@personal.example"]
    );
    assert!(app
        .password_emails()
        .iter()
        .all(|m| m.text.contains(password)));
    let audit: Value = app.get_json("/api/audit", Some(&admin)).await;
    let delivered = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "reset_email_sent")
        .expect("the delivery is audited");
    assert!(!delivered.to_string().contains(password));
    // The reset itself is untouched by the email.
    assert_eq!(
        app.user_record(&app.megan.id).await.version,
        result["version"].as_u64().unwrap()
    );
}

#[tokio::test]
async fn a_wrong_password_an_older_reset_or_another_admin_sends_nothing() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let to = ["it@contoso.example"];

    let first = reset_quietly(&app, &admin).await;
    let mut wrong = email_of(&first, &to);
    wrong["password"] = json!("not the password at all");
    refused(
        send(&app, &admin, &app.megan.id, &wrong).await,
        409,
        "password_not_current",
    )
    .await;
    let mut huge = email_of(&first, &to);
    huge["password"] = json!("x".repeat(100_000));
    refused(
        send(&app, &admin, &app.megan.id, &huge).await,
        409,
        "password_not_current",
    )
    .await;

    // Another admin, with the right password and version.
    let hank = app.sign_in(&app.helpdesk_admin).await;
    refused(
        send(&app, &hank, &app.megan.id, &email_of(&first, &to)).await,
        409,
        "reset_not_current",
    )
    .await;

    // An older reset: a newer one has replaced it.
    let second = reset_quietly(&app, &admin).await;
    refused(
        send(&app, &admin, &app.megan.id, &email_of(&first, &to)).await,
        409,
        "reset_not_current",
    )
    .await;
    // ... and the newer one's password with the older version.
    let mut mixed = email_of(&second, &to);
    mixed["version"] = first["version"].clone();
    refused(
        send(&app, &admin, &app.megan.id, &mixed).await,
        409,
        "reset_not_current",
    )
    .await;

    // A plain user may not, and bad recipients are refused as everywhere.
    let lee = app.sign_in(&app.user).await;
    refused(
        send(&app, &lee, &app.megan.id, &email_of(&second, &to)).await,
        403,
        "forbidden",
    )
    .await;
    refused(
        send(&app, &admin, &app.megan.id, &email_of(&second, &[])).await,
        400,
        "invalid_request",
    )
    .await;
    refused(
        send(
            &app,
            &admin,
            &app.megan.id,
            &email_of(&second, &["x@y\r\nBcc: evil@x.example"]),
        )
        .await,
        400,
        "invalid_recipient",
    )
    .await;
    assert!(app.password_emails().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn ten_minutes_after_the_reset_its_password_is_no_longer_emailed() {
    let clock = Arc::new(ManualClock::new(1_800_000_000_000));
    let app = spawn_app_with_clock(clock.clone()).await;
    let admin = app.sign_in(&app.global_admin).await;
    let result = reset_quietly(&app, &admin).await;
    let to = ["it@contoso.example"];

    clock.advance_ms(10 * 60_000);
    let at_ten = send(&app, &admin, &app.megan.id, &email_of(&result, &to)).await;
    assert_eq!(at_ten.status(), 200, "ten minutes exactly still counts");
    clock.advance_ms(1);
    refused(
        send(&app, &admin, &app.megan.id, &email_of(&result, &to)).await,
        409,
        "reset_not_current",
    )
    .await;
    assert_eq!(app.password_emails().len(), 1);
}
