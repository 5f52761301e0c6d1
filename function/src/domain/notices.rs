//! "Your password was changed": told to the user's own addresses after
//! every reset or change, never with the password, so a change they did
//! not expect does not go unnoticed.

use rekey_shared::{AuditAction, AuditEvent, EmailDelivery};

use super::audit::event;
use super::emails::NoticeEmail;
use super::{model::UserRecord, Rekey};

impl Rekey {
    /// Sends the notice and records the outcome. Failures are logged,
    /// never raised.
    pub async fn notify_password_changed(
        &self,
        user: &UserRecord,
        by: Option<&UserRecord>,
        at: i64,
    ) {
        let audit = self.send_notices(user, by, at).await;
        self.record(&[audit]).await;
    }

    /// Sends the notice to the user's primary and alternate addresses;
    /// returns the audit event saying what was sent (not yet recorded).
    pub async fn send_notices(
        &self,
        user: &UserRecord,
        by: Option<&UserRecord>,
        at: i64,
    ) -> AuditEvent {
        let mut deliveries = Vec::new();
        for to in std::iter::once(&user.email).chain(user.alternate_email.as_ref()) {
            let sent = match self
                .mailer
                .send(
                    &NoticeEmail {
                        user,
                        by,
                        at,
                        organization: &self.settings.organization,
                        sign_in_url: &self.settings.public_url,
                        lang: user.language(self.settings.default_language),
                    }
                    .to(to),
                )
                .await
            {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!(error = %e, user = %user.id, "password notice failed");
                    false
                }
            };
            deliveries.push(EmailDelivery {
                recipient: to.clone(),
                sent,
            });
        }
        let mut audit = event(self.now(), AuditAction::NoticeSent, by, Some(user));
        audit.deliveries = deliveries;
        audit
    }
}
