//! Delivery through an SMTP server, for self-hosters (`REKEY_SMTP_URL`):
//! `smtps://host:465` (TLS), `smtp://host:587?tls=required` (STARTTLS), or
//! plain `smtp://host:25` on a trusted network. Credentials come from
//! `REKEY_SMTP_USERNAME` and `REKEY_SMTP_PASSWORD`, never the URL.

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::outbox::build_message;
use crate::ports::{MailError, Mailer, OutgoingEmail};

/// How long one conversation with the server may take before the email
/// counts as not sent (the reset stands either way).
const TIMEOUT: Duration = Duration::from_secs(15);

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// `credentials`: a username and password, if the server wants them.
    pub fn new(
        url: &str,
        credentials: Option<(String, String)>,
        from: &str,
    ) -> Result<Self, MailError> {
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Rejected(format!("REKEY_SMTP_URL: {e}")))?
            .timeout(Some(TIMEOUT));
        if let Some((user, password)) = credentials {
            builder = builder.credentials(Credentials::new(user, password));
        }
        let from = from
            .parse()
            .map_err(|e| MailError::Rejected(format!("sender address: {e}")))?;
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }
}

/// A permanent 5xx (the recipient or message refused) is not worth trying
/// again; anything else (no connection, a timeout, 4xx) is the service.
fn classify(e: SmtpError) -> MailError {
    if e.is_permanent() {
        MailError::Rejected(e.to_string())
    } else {
        MailError::Unavailable(e.to_string())
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        let message = build_message(&self.from, email)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, "the SMTP server did not take an email");
                Err(classify(e))
            }
        }
    }
}
