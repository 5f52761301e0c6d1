//! "Your password was changed": told to the user's own addresses after
//! every reset or change, never with the password, so a change they did
//! not expect does not go unnoticed.

use rekey_shared::{AuditAction, AuditEvent, EmailDelivery};

use super::audit::event;
use super::emails::{escape_html, format_time};
use super::{user::UserRecord, Rekey};
use crate::ports::OutgoingEmail;

impl Rekey {
    fn notice(
        &self,
        to: &str,
        user: &UserRecord,
        by: Option<&UserRecord>,
        at: i64,
    ) -> OutgoingEmail {
        let when = format_time(at);
        let what = match by {
            Some(admin) => format!(
                "was reset by {} ({}) on {when}",
                admin.display_name, admin.username
            ),
            None => format!("was changed on {when}"),
        };
        let url = &self.settings.public_url;
        let e = escape_html;
        OutgoingEmail {
            to: to.to_string(),
            subject: format!("Your {} password was changed", self.settings.organization),
            text: format!(
                "Hello {},\n\nThe password for your account {} {what}.\n\n\
                 If this was you or your admin at your request, there is nothing to do.\n\
                 If you did not expect it, tell your administrator right away: someone else may be using your account.\n\n\
                 Sign in at {url}\n",
                user.display_name, user.username
            ),
            html: format!(
                "<!doctype html><html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#242424\">\
                 <p>Hello {},</p><p>The password for your account <strong>{}</strong> {}.</p>\
                 <p>If this was you or your admin at your request, there is nothing to do.</p>\
                 <p><strong>If you did not expect it, tell your administrator right away:</strong> someone else may be using your account.</p>\
                 <p><a href=\"{}\">Sign in</a></p></body></html>",
                e(&user.display_name), e(&user.username), e(&what), e(url)
            ),
        }
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
        for to in std::iter::once(&user.email).chain(user.alternate_email.as_ref()) {
            let sent = match self.mailer.send(&self.notice(to, user, by, at)).await {
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
