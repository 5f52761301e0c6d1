//! What the user is told of her second factor's events: a recovery code
//! used (and how many are left), the code step locked after wrong codes
//! (someone knows her password). To her own addresses, in her language;
//! never with a code. A failed delivery is logged, never raised.

use rekey_shared::Lang;

use super::emails::{escape_html, format_time};
use super::{model::UserRecord, Rekey};
use crate::ports::OutgoingEmail;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityEvent {
    RecoveryCodeUsed {
        left: u32,
        /// At a self-service reset's gate, not at sign-in.
        to_reset: bool,
    },
    CodesLocked {
        until: i64,
    },
    /// An admin changed her methods, sessions or gave her a pass.
    ByAdmin {
        admin: String,
        change: AdminChange,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminChange {
    MethodRemoved { name: String },
    Reregister,
    SessionsRevoked,
    TemporaryPass { until: i64 },
}

/// One notice, to one address.
pub struct SecurityNoticeEmail<'a> {
    pub user: &'a UserRecord,
    pub event: SecurityEvent,
    pub at: i64,
    pub organization: &'a str,
    pub sign_in_url: &'a str,
    pub lang: Lang,
}

impl SecurityNoticeEmail<'_> {
    pub fn to(&self, recipient: &str) -> OutgoingEmail {
        let w = self.lang.emails();
        let when = format_time(self.at, self.lang);
        let username = &self.user.username;
        let (subject, what, warn) = match &self.event {
            SecurityEvent::RecoveryCodeUsed { left, to_reset } => {
                let left = *left;
                if *to_reset {
                    (
                        (w.recovery_reset_subject)(self.organization),
                        (w.recovery_reset)(username, &when, left),
                        w.recovery_reset_warn,
                    )
                } else {
                    (
                        (w.recovery_used_subject)(self.organization),
                        (w.recovery_used)(username, &when, left),
                        w.recovery_used_warn,
                    )
                }
            }
            SecurityEvent::CodesLocked { until } => (
                (w.codes_locked_subject)(self.organization),
                (w.codes_locked)(username, &when, &format_time(*until, self.lang)),
                w.codes_locked_warn,
            ),
            SecurityEvent::ByAdmin { admin, change } => {
                let what = match change {
                    AdminChange::MethodRemoved { name } => (w.what_method_removed)(name),
                    AdminChange::Reregister => w.what_reregister.to_string(),
                    AdminChange::SessionsRevoked => w.what_revoked.to_string(),
                    AdminChange::TemporaryPass { until } => {
                        (w.what_pass)(&format_time(*until, self.lang))
                    }
                };
                (
                    (w.admin_change_subject)(self.organization),
                    (w.admin_changed)(username, &when, admin, &what),
                    w.admin_change_warn,
                )
            }
        };
        let hello = (w.hello_name)(&self.user.display_name);
        let url = self.sign_in_url;
        OutgoingEmail {
            to: recipient.to_string(),
            subject,
            text: format!(
                "{hello}\n\n{what}\n\n{warn}\n\n{}\n",
                (w.sign_in_at)(url)
            ),
            html: format!(
                "<!doctype html><html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#242424\">\
                 <p>{}</p><p>{}</p><p><strong>{}</strong></p><p><a href=\"{}\">{}</a></p></body></html>",
                escape_html(&hello),
                escape_html(&what),
                escape_html(warn),
                escape_html(url),
                escape_html(w.sign_in)
            ),
        }
    }
}

impl Rekey {
    pub(crate) async fn notify_recovery_code_used(
        &self,
        user: &UserRecord,
        at: i64,
        left: u32,
        to_reset: bool,
    ) {
        let event = SecurityEvent::RecoveryCodeUsed { left, to_reset };
        self.send_security_notice(user, event, at).await;
    }

    pub(crate) async fn notify_codes_locked(&self, user: &UserRecord, at: i64, until: i64) {
        self.send_security_notice(user, SecurityEvent::CodesLocked { until }, at)
            .await;
    }

    pub(crate) async fn notify_admin_change(
        &self,
        user: &UserRecord,
        admin: &UserRecord,
        change: AdminChange,
        at: i64,
    ) {
        let event = SecurityEvent::ByAdmin {
            admin: admin.display_name.clone(),
            change,
        };
        self.send_security_notice(user, event, at).await;
    }

    async fn send_security_notice(&self, user: &UserRecord, event: SecurityEvent, at: i64) {
        let email = SecurityNoticeEmail {
            user,
            event,
            at,
            organization: &self.settings.organization,
            sign_in_url: &self.settings.public_url,
            lang: user.language(self.settings.default_language),
        };
        for to in self.notice_addresses(user).await {
            if let Err(e) = self.mailer.send(&email.to(&to)).await {
                tracing::warn!(error = %e, user = %user.id, "security notice failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rekey_shared::Role;

    fn user() -> UserRecord {
        UserRecord::new(
            "adele@contoso.example",
            "Adele Vance",
            "adele@contoso.example",
            Role::User,
            "hash".into(),
            0,
        )
    }

    #[test]
    fn the_recovery_notice_says_how_many_codes_are_left_in_the_readers_language() {
        let user = user();
        let mail = |lang, left| {
            SecurityNoticeEmail {
                user: &user,
                event: SecurityEvent::RecoveryCodeUsed {
                    left,
                    to_reset: false,
                },
                at: 0,
                organization: "Contoso",
                sign_in_url: "https://rekey.contoso.example",
                lang,
            }
            .to("adele@contoso.example")
        };
        let en = mail(Lang::En, 9);
        assert!(en.text.contains("you have 9 codes left"), "{}", en.text);
        assert!(mail(Lang::En, 1).text.contains("1 code left"));
        let nl = mail(Lang::Nl, 9);
        assert!(nl.text.contains("nog 9 herstelcodes"), "{}", nl.text);
        assert!(nl.subject.contains("herstelcode"));
    }

    #[test]
    fn a_code_spent_at_a_reset_gate_says_so_in_both_languages() {
        let user = user();
        let mail = |lang| {
            SecurityNoticeEmail {
                user: &user,
                event: SecurityEvent::RecoveryCodeUsed {
                    left: 4,
                    to_reset: true,
                },
                at: 0,
                organization: "Contoso",
                sign_in_url: "https://rekey.contoso.example",
                lang,
            }
            .to("adele@contoso.example")
        };
        let en = mail(Lang::En);
        assert!(en.subject.contains("reset your Contoso password"));
        assert!(en.text.contains("you have 4 codes left"), "{}", en.text);
        assert!(!en.text.contains("sign in to your account"));
        let nl = mail(Lang::Nl);
        assert!(
            nl.subject.contains("opnieuw in te stellen"),
            "{}",
            nl.subject
        );
        assert!(nl.text.contains("nog 4 herstelcodes"), "{}", nl.text);
    }

    #[test]
    fn the_lock_notice_says_until_when_and_that_the_password_is_known() {
        let user = user();
        let mail = SecurityNoticeEmail {
            user: &user,
            event: SecurityEvent::CodesLocked { until: 60_000 },
            at: 0,
            organization: "Contoso",
            sign_in_url: "https://rekey.contoso.example",
            lang: Lang::En,
        }
        .to("adele@contoso.example");
        assert!(
            mail.text.contains("until 1970-01-01 00:01 UTC"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("someone knows your password"));
        assert!(mail.html.contains("<strong>"));
    }
}
