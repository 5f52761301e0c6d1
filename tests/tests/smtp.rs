//! The SMTP mailer through the real binary (`REKEY_SMTP_URL`), against
//! aiosmtpd (PyPI), a real SMTP server started on 127.0.0.1: delivery, a
//! recipient the server refuses, and a server that is down. A mail failure
//! never undoes a reset.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use rekey_function::adapters::outbox::{list_entries, OutboxEntry};
use rekey_tests::server::{free_port, workspace, KillOnDrop, Server};
use serde_json::{json, Value};

struct SmtpServer {
    _process: KillOnDrop,
    port: u16,
    maildir: tempfile::TempDir,
}

impl SmtpServer {
    fn start() -> SmtpServer {
        let port = free_port();
        let maildir = tempfile::tempdir().unwrap();
        let mut child = Command::new(workspace().join(".tools/venv/bin/python"))
            .arg(workspace().join("tests/fixtures/smtp/server.py"))
            .arg(port.to_string())
            .arg(maildir.path().join("mail"))
            .stdout(Stdio::piped())
            .spawn()
            .expect("aiosmtpd (run scripts/setup.sh)");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert_eq!(lines.next().unwrap().unwrap(), "ready");
        SmtpServer {
            _process: KillOnDrop(child),
            port,
            maildir,
        }
    }

    /// Every message the server accepted, decoded (the outbox's own MIME
    /// reader, given the Maildir's files under `.eml` names).
    fn messages(&self) -> Vec<OutboxEntry> {
        let new: PathBuf = self.maildir.path().join("mail/new");
        let named = tempfile::tempdir().unwrap();
        for (i, entry) in std::fs::read_dir(&new)
            .into_iter()
            .flatten()
            .flatten()
            .enumerate()
        {
            std::fs::copy(entry.path(), named.path().join(format!("{i:04}.eml"))).unwrap();
        }
        list_entries(named.path())
    }
}

fn with_smtp(url: &str) -> Server {
    Server::start_with(&[("REKEY_SMTP_URL", url)])
}

async fn reset(server: &Server, username: &str, recipients: &[&str]) -> (String, Value) {
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let user = server.find_user(&client, &cookie, username).await;
    let id = user["id"].as_str().unwrap().to_string();
    let resp = server
        .reset(
            &client,
            &cookie,
            &id,
            &json!({"email_to": recipients, "require_change": false}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    (id, resp.json().await.unwrap())
}

async fn signs_in(server: &Server, username: &str, password: &str) -> bool {
    let resp = server
        .sign_in(&reqwest::Client::new(), username, password)
        .await;
    resp.status() == 200
}

#[tokio::test]
async fn emails_go_out_over_smtp_and_a_refused_recipient_is_reported_alone() {
    let smtp = SmtpServer::start();
    let server = with_smtp(&format!("smtp://127.0.0.1:{}", smtp.port));
    let (_, result) = reset(
        &server,
        "adele.archie",
        &["admin@contoso.example", "refused@contoso.example"],
    )
    .await;
    let emails = result["emails"].as_array().unwrap();
    assert_eq!(
        (
            emails[0]["recipient"].as_str(),
            emails[0]["status"].as_str()
        ),
        (Some("admin@contoso.example"), Some("sent"))
    );
    assert_eq!(
        (
            emails[1]["recipient"].as_str(),
            emails[1]["status"].as_str()
        ),
        (Some("refused@contoso.example"), Some("failed"))
    );
    assert_eq!(
        emails[1]["error"],
        "The mail service refused this message; check the address."
    );
    // The server holds the password email for the admin, and the user's
    // notice (which never carries the password).
    let password = result["password"].as_str().unwrap();
    let messages = smtp.messages();
    let to_admin: Vec<&OutboxEntry> = messages
        .iter()
        .filter(|m| m.to.contains("admin@contoso.example"))
        .collect();
    assert_eq!(to_admin.len(), 1, "{messages:?}");
    assert!(to_admin[0].from.contains("no-reply@rekey.example"));
    assert!(
        to_admin[0].text.contains(password),
        "the password email holds the password"
    );
    let notices: Vec<&OutboxEntry> = messages
        .iter()
        .filter(|m| m.to.contains("adele.archie@"))
        .collect();
    assert_eq!(notices.len(), 1, "{messages:?}");
    assert!(!notices[0].text.contains(password) && !notices[0].html.contains(password));
    assert!(signs_in(&server, "adele.archie", password).await);
}

#[tokio::test]
async fn a_server_that_is_down_keeps_the_reset_and_says_the_email_was_not_sent() {
    let server = with_smtp(&format!("smtp://127.0.0.1:{}", free_port()));
    let (_, result) = reset(&server, "adele.archie", &["admin@contoso.example"]).await;
    assert_eq!(result["emails"][0]["status"], "failed");
    assert_eq!(
        result["emails"][0]["error"],
        "The mail service could not be reached; the email was not sent."
    );
    assert!(
        signs_in(
            &server,
            "adele.archie",
            result["password"].as_str().unwrap()
        )
        .await
    );
}

#[test]
fn credentials_in_the_smtp_url_are_refused_at_start() {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(Server::binary())
        .arg("check-config")
        .env("REKEY_DATA_DIR", data.path())
        .env("REKEY_SMTP_URL", "smtps://it:hunter2@mail.contoso.example")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("REKEY_SMTP_USERNAME"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
    let ok = Command::new(Server::binary())
        .arg("check-config")
        .env("REKEY_DATA_DIR", data.path())
        .env("REKEY_SMTP_URL", "smtps://mail.contoso.example")
        .env("REKEY_SMTP_USERNAME", "it")
        .env("REKEY_SMTP_PASSWORD", "hunter2")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(ok.status.code(), Some(0));
    assert!(
        printed.contains("Smtp") && printed.contains("[redacted]"),
        "{printed}"
    );
    assert!(!printed.contains("hunter2"), "{printed}");
}
