//! The SES mailer against aws-ses-v2-local (npm), through the real binary:
//! `REKEY_MAILER=ses` and `AWS_ENDPOINT_URL_SESV2` pointing at the emulator.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rekey_tests::server::{free_port, workspace, KillOnDrop, Server};
use serde_json::{json, Value};

/// aws-ses-v2-local on a free port, stopped on drop.
struct SesEmulator {
    _child: KillOnDrop,
    url: String,
}

impl SesEmulator {
    async fn start() -> SesEmulator {
        let bin = workspace().join(".tools/node_modules/.bin/aws-ses-v2-local");
        assert!(
            bin.exists(),
            "aws-ses-v2-local is missing: run ./scripts/setup.sh"
        );
        let port = free_port();
        let child = Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = reqwest::get(format!("{url}/health-check")).await {
                if r.status().is_success() {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "aws-ses-v2-local did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        SesEmulator {
            _child: KillOnDrop(child),
            url,
        }
    }

    async fn emails(&self) -> Vec<Value> {
        let store: Value = reqwest::get(format!("{}/store", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        store["emails"].as_array().cloned().unwrap_or_default()
    }
}

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
    let id = user["id"].as_str().unwrap().to_string();
    let resp = client
        .post(format!("{}/api/users/{id}/password-reset", server.url))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({"email_to": recipients}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
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
    let info: Value = reqwest::get(format!("{}/api/info", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
    assert!(
        email["error"].as_str().unwrap().contains("unavailable"),
        "{email}"
    );
    // The reset stands: the new password signs in.
    let resp = reqwest::Client::new()
        .post(format!("{}/api/auth/sign-in", server.url))
        .header("origin", &server.url)
        .json(&json!({"username": "adele.archie", "password": result["password"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}
