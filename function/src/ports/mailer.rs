//! Sending email. One message goes to one recipient, so the result can say
//! per recipient what was sent and what failed.

use async_trait::async_trait;

/// A composed message: the domain writes the words, the adapter the MIME.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

// Bodies may carry a temporary password: never print them.
impl std::fmt::Debug for OutgoingEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingEmail")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The address or message was refused; retrying will not help.
    #[error("the message was refused: {0}")]
    Rejected(String),
    /// The mail system could not be reached or failed.
    #[error("the mail service is unavailable: {0}")]
    Unavailable(String),
}

impl MailError {
    /// What the admin is told: short, human, and free of the mail system's
    /// own text (which stays in the log).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Rejected(_) => "The mail service refused this message; check the address.",
            Self::Unavailable(_) => {
                "The mail service could not be reached; the email was not sent."
            }
        }
    }
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError>;
}
