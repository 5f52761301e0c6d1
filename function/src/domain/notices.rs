//! "Your password was changed": told to the user's own addresses after
//! every reset or change, never with the password, so a change they did
//! not expect does not go unnoticed.

use rekey_shared::{AuditAction, AuditEvent, EmailDelivery};

use super::audit::event;
use super::emails::NoticeEmail;
use super::model::MethodKind;
use super::{model::UserRecord, Rekey};

impl Rekey {
    /// Where her notices go, each address once: her primary one, the
    /// alternate one on her profile, and the one she confirmed herself on
    /// Security info (it reaches her when her work mailbox does not, as
    /// after a password she forgot).
    pub(crate) async fn notice_addresses(&self, user: &UserRecord) -> Vec<String> {
        let mut to = vec![user.email.clone()];
        to.extend(user.alternate_email.clone());
        match self.store.methods_of(&user.id).await {
            Ok(methods) => to.extend(
                methods
                    .into_iter()
                    .filter(|m| m.confirmed_at.is_some())
                    .filter_map(|m| match m.kind {
                        MethodKind::AlternateEmail { address, .. } => Some(address),
                        _ => None,
                    }),
            ),
            // The notice still goes where the profile says.
            Err(e) => tracing::warn!(error = %e, user = %user.id, "notice addresses unread"),
        }
        let mut seen: Vec<String> = Vec::new();
        to.retain(|a| {
            let key = a.to_lowercase();
            let new = !seen.contains(&key);
            seen.push(key);
            new
        });
        to
    }

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
        for to in self.notice_addresses(user).await {
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
                    .to(&to),
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
                recipient: to,
                sent,
            });
        }
        let mut audit = event(self.now(), AuditAction::NoticeSent, by, Some(user));
        audit.deliveries = deliveries;
        audit
    }
}
