//! The local mailer: each message becomes an RFC 5322 `.eml` file in a
//! folder, where a person trying Rekey (or a test) can read what the
//! recipients got. `/outbox` in the local server lists them.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use crate::ports::{MailError, Mailer, OutgoingEmail};

pub struct OutboxMailer {
    dir: PathBuf,
    from: Mailbox,
}

impl OutboxMailer {
    /// `from` is a mailbox such as `Rekey <no-reply@rekey.example>`.
    pub fn new(dir: impl Into<PathBuf>, from: &str) -> Result<Self, MailError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|e| MailError::Unavailable(e.to_string()))?;
        let from = from
            .parse()
            .map_err(|e| MailError::Rejected(format!("sender address: {e}")))?;
        Ok(Self { dir, from })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// The MIME message: text and HTML alternatives, UTF-8.
pub fn build_message(from: &Mailbox, email: &OutgoingEmail) -> Result<Message, MailError> {
    let to: Mailbox = email
        .to
        .parse()
        .map_err(|e| MailError::Rejected(format!("recipient address: {e}")))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(email.subject.clone())
        .date_now()
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(email.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(email.html.clone()),
                ),
        )
        .map_err(|e| MailError::Rejected(e.to_string()))
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        let bytes = build_message(&self.from, email)?.formatted();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        let name = format!("{now:013}-{}.eml", uuid::Uuid::new_v4().simple());
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let path = self.dir.join(name);
        // Write then rename, so a reader never sees half a message.
        tokio::fs::write(&tmp, &bytes)
            .await
            .map_err(|e| MailError::Unavailable(e.to_string()))?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(|e| MailError::Unavailable(e.to_string()))
    }
}

/// One message in the outbox, parsed for display.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    /// The file's stem: a safe identifier for links.
    pub id: String,
    pub to: String,
    pub from: String,
    pub subject: String,
    pub date: String,
    pub text: String,
    pub html: String,
}

/// Reads one message; `id` must be a file stem this outbox wrote.
pub fn read_entry(dir: &Path, id: &str) -> Option<OutboxEntry> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    let raw = std::fs::read(dir.join(format!("{id}.eml"))).ok()?;
    let msg = mail_parser::MessageParser::default().parse(&raw)?;
    let addresses = |a: Option<&mail_parser::Address<'_>>| {
        a.map(|a| {
            a.iter()
                .filter_map(|addr| addr.address())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
    };
    Some(OutboxEntry {
        id: id.to_string(),
        to: addresses(msg.to()),
        from: addresses(msg.from()),
        subject: msg.subject().unwrap_or_default().to_string(),
        date: msg.date().map(|d| d.to_rfc3339()).unwrap_or_default(),
        text: msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        html: msg.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
    })
}

/// Every message, newest first.
pub fn list_entries(dir: &Path) -> Vec<OutboxEntry> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".eml")
                .filter(|s| !s.starts_with('.'))
                .map(str::to_string)
        })
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids.iter().filter_map(|id| read_entry(dir, id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_sent_message_is_a_readable_mime_file_with_both_parts() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = OutboxMailer::new(dir.path(), "Rekey <no-reply@rekey.example>").unwrap();
        mailer
            .send(&OutgoingEmail {
                to: "megan.bowen@contoso.example".into(),
                subject: "New password for Megan Bowen — ünïcode".into(),
                text: "Temporary password: Xy7#kP2q".into(),
                html: "<p>Temporary password: <code>Xy7#kP2q</code></p>".into(),
            })
            .await
            .unwrap();
        let entries = list_entries(dir.path());
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!(e.to, "megan.bowen@contoso.example");
        assert_eq!(e.from, "no-reply@rekey.example");
        assert_eq!(e.subject, "New password for Megan Bowen — ünïcode");
        assert!(e.text.contains("Xy7#kP2q"));
        assert!(e.html.contains("<code>Xy7#kP2q</code>"));
        let raw = std::fs::read_to_string(dir.path().join(format!("{}.eml", e.id))).unwrap();
        assert!(raw.contains("multipart/alternative"));
    }

    #[test]
    fn ids_that_could_escape_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_entry(dir.path(), "../etc/passwd").is_none());
        assert!(read_entry(dir.path(), "").is_none());
    }

    #[tokio::test]
    async fn a_recipient_with_a_line_break_is_rejected_not_sent() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = OutboxMailer::new(dir.path(), "no-reply@rekey.example").unwrap();
        let err = mailer
            .send(&OutgoingEmail {
                to: "a@example.com\r\nBcc: b@example.com".into(),
                subject: "s".into(),
                text: "t".into(),
                html: "h".into(),
            })
            .await
            .unwrap_err();
        assert!(matches!(err, MailError::Rejected(_)));
        assert!(list_entries(dir.path()).is_empty());
    }
}
