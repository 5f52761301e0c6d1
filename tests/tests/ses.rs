//! The SES mailer through the real binary (`REKEY_MAILER=ses`,
//! `AWS_ENDPOINT_URL_SESV2`): against aws-ses-v2-local (npm), a closed port,
//! and an endpoint that answers every send with one SES error.

use std::sync::{Arc, Mutex};

use rekey_tests::server::{free_port, Server};
use rekey_tests::ses::SesEmulator;
use serde_json::{json, Value};

fn with_ses(endpoint: &str) -> Server {
    Server::start_with(&[
        ("REKEY_MAILER", "ses"),
        ("AWS_ENDPOINT_URL_SESV2", endpoint),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDTESTTESTTEST"),
        ("AWS_SECRET_ACCESS_KEY", "test-secret"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_MAX_ATTEMPTS", "2"),
    ])
}

/// Signs in as the seeded admin; resets `username` emailing `recipients`.
async fn reset(server: &Server, username: &str, recipients: &[&str]) -> Value {
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let user = server.find_user(&client, &cookie, username).await;
    let id = user["id"].as_str().unwrap();
    let resp = server
        .reset(&client, &cookie, id, &json!({"email_to": recipients}))
        .await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// A mail failure never undoes a reset: the new password signs in.
async fn assert_the_reset_stands(server: &Server, username: &str, result: &Value) {
    let password = result["password"].as_str().unwrap();
    let resp = server
        .sign_in(&reqwest::Client::new(), username, password)
        .await;
    assert_eq!(resp.status(), 200, "the reset stands");
}

#[tokio::test]
async fn a_reset_sends_its_emails_through_ses() {
    let ses = SesEmulator::start().await;
    let server = with_ses(&ses.url);
    let result = reset(
        &server,
        "adele.adams",
        &["admin@contoso.example", "adeleadams@personal.example"],
    )
    .await;
    let password = result["password"].as_str().unwrap();
    assert!(
        result["emails"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["status"] == "sent"),
        "{result}"
    );

    let emails = ses.emails().await;
    let password_emails: Vec<&Value> = emails
        .iter()
        .filter(|m| m["subject"] == "New password for Adele Adams (adele.adams)")
        .collect();
    assert_eq!(password_emails.len(), 2, "{emails:#?}");
    let mut to: Vec<&str> = password_emails
        .iter()
        .flat_map(|m| m["destination"]["to"].as_array().unwrap())
        .map(|a| a.as_str().unwrap())
        .collect();
    to.sort();
    assert_eq!(
        to,
        vec!["adeleadams@personal.example", "admin@contoso.example"]
    );
    for m in &password_emails {
        assert!(m["from"]
            .as_str()
            .unwrap()
            .contains("no-reply@rekey.example"));
        assert!(m["body"]["text"].as_str().unwrap().contains(password));
        assert!(m["body"]["html"]
            .as_str()
            .unwrap()
            .contains("Temporary password"));
    }
    // The user's notice went through SES too, without the password.
    let notices: Vec<&Value> = emails
        .iter()
        .filter(|m| m["subject"] == "Your Contoso password was changed")
        .collect();
    assert_eq!(notices.len(), 2);
    assert!(notices.iter().all(|m| !m.to_string().contains(password)));
    // No local outbox when SES is the mailer (the path falls to the app).
    let outbox = reqwest::get(format!("{}/outbox", server.url))
        .await
        .unwrap();
    assert!(!outbox.text().await.unwrap().contains("<h1>Outbox</h1>"));
    let info = server
        .get_json(&reqwest::Client::new(), None, "/api/info")
        .await;
    assert!(info["outbox_url"].is_null());
}

#[tokio::test]
async fn an_unreachable_ses_keeps_the_reset_and_reports_each_failure() {
    let closed = format!("http://127.0.0.1:{}", free_port());
    let server = with_ses(&closed);
    let result = reset(&server, "adele.archie", &["admin@contoso.example"]).await;
    let email = &result["emails"][0];
    assert_eq!(email["recipient"], "admin@contoso.example");
    assert_eq!(email["status"], "failed");
    assert_eq!(
        email["error"],
        "The mail service could not be reached; the email was not sent."
    );
    assert_the_reset_stands(&server, "adele.archie", &result).await;
}

#[tokio::test]
async fn metrics_count_the_reset_and_the_email_that_failed() {
    let closed = format!("http://127.0.0.1:{}", free_port());
    let server = with_ses(&closed);
    reset(&server, "adele.archie", &["admin@contoso.example"]).await;
    let resp = reqwest::get(format!("{}/metrics", server.url))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = resp.text().await.unwrap();
    let value = |line: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(line))
            .unwrap_or_else(|| panic!("{line} missing:\n{text}"))
            .trim()
            .parse()
            .unwrap()
    };
    assert_eq!(value("rekey_password_resets_total "), 1);
    // The password email to the admin and the user's notice: none went out.
    assert!(
        value("rekey_emails_total{result=\"failed\"} ") >= 2,
        "{text}"
    );
    assert_eq!(value("rekey_emails_total{result=\"sent\"} "), 0);
    assert_eq!(value("rekey_sign_ins_total{result=\"ok\"} "), 1);
}

/// An SES endpoint that answers every SendEmail with one error, and keeps
/// the subjects it was asked to send (one entry per attempt).
async fn failing_ses(status: u16, error_type: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let app = axum::Router::new().fallback(move |body: axum::body::Bytes| {
        let log = Arc::clone(&log);
        async move {
            let request: Value = serde_json::from_slice(&body).unwrap_or_default();
            let subject = request["Content"]["Simple"]["Subject"]["Data"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            log.lock().unwrap().push(subject);
            (
                axum::http::StatusCode::from_u16(status).unwrap(),
                [
                    ("x-amzn-ErrorType", error_type),
                    ("content-type", "application/json"),
                ],
                format!(r#"{{"message":"{error_type} from the test endpoint"}}"#),
            )
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn attempts(seen: &Mutex<Vec<String>>, subject: &str) -> usize {
    seen.lock()
        .unwrap()
        .iter()
        .filter(|s| *s == subject)
        .count()
}

#[tokio::test]
async fn a_refusal_from_ses_is_reported_per_recipient_not_retried_and_keeps_the_reset() {
    let (url, seen) = failing_ses(400, "MessageRejected").await;
    let server = with_ses(&url);
    let result = reset(&server, "adele.archie", &["admin@contoso.example"]).await;
    let email = &result["emails"][0];
    assert_eq!(email["status"], "failed");
    // A short reason for the admin; the SDK's own text stays in the log.
    let error = email["error"].as_str().unwrap();
    assert_eq!(
        error,
        "The mail service refused this message; check the address."
    );
    assert!(!error.contains("MessageRejected") && !error.contains("test endpoint"));
    assert_eq!(
        attempts(&seen, "New password for Adele Archie (adele.archie)"),
        1,
        "a refusal is final"
    );
    assert_the_reset_stands(&server, "adele.archie", &result).await;
}

#[tokio::test]
async fn throttling_is_retried_by_the_sdk_then_reported_and_the_reset_kept() {
    let (url, seen) = failing_ses(429, "TooManyRequestsException").await;
    let server = with_ses(&url);
    let result = reset(&server, "adele.archie", &["admin@contoso.example"]).await;
    let email = &result["emails"][0];
    assert_eq!(email["status"], "failed");
    assert_eq!(
        email["error"],
        "The mail service could not be reached; the email was not sent."
    );
    // AWS_MAX_ATTEMPTS=2 in with_ses: the first try and one retry.
    assert_eq!(
        attempts(&seen, "New password for Adele Archie (adele.archie)"),
        2
    );
    assert_the_reset_stands(&server, "adele.archie", &result).await;
}
