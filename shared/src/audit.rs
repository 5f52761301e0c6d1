//! The audit log. Events never hold a password or token.

use serde::{Deserialize, Serialize};

use crate::users::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// An admin set a new password for a user.
    PasswordReset,
    /// The outcome of emailing a reset password to its recipients.
    ResetEmailSent,
    /// Too many failed sign-ins locked an account.
    AccountLocked,
    /// A user changed their own password.
    PasswordChanged,
    /// A user asked their admins for a new password.
    ResetRequested,
    /// The "your password changed" notice to the user's own addresses.
    NoticeSent,
    /// A sign-in with an expired temporary password was refused.
    TemporaryPasswordExpired,
}

impl AuditAction {
    /// Every action, for lookups by name.
    pub const ALL: [AuditAction; 7] = [
        AuditAction::PasswordReset,
        AuditAction::ResetEmailSent,
        AuditAction::AccountLocked,
        AuditAction::PasswordChanged,
        AuditAction::ResetRequested,
        AuditAction::NoticeSent,
        AuditAction::TemporaryPasswordExpired,
    ];

    /// The stable name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::PasswordReset => "password_reset",
            AuditAction::ResetEmailSent => "reset_email_sent",
            AuditAction::AccountLocked => "account_locked",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::ResetRequested => "reset_requested",
            AuditAction::NoticeSent => "notice_sent",
            AuditAction::TemporaryPasswordExpired => "temporary_password_expired",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Who acted or was acted upon, as they were at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditParty {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// How a reset password was delivered to one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailDelivery {
    pub recipient: String,
    pub sent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Sortable: newer events have greater ids.
    pub id: String,
    /// Unix milliseconds.
    pub at: i64,
    pub action: AuditAction,
    pub actor: Option<AuditParty>,
    pub target: Option<AuditParty>,
    /// For resets: whether Rekey generated the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<bool>,
    /// For resets: whether the user must change it at next sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_change_password: Option<bool>,
    /// For resets: part of a bulk request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bulk: Option<bool>,
    /// For resets: who the admin asked to email the password to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_to: Vec<String>,
    /// For email events: what was sent to whom.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliveries: Vec<EmailDelivery>,
    /// For lockouts: unix milliseconds when the lock ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::AuditAction;

    #[test]
    fn every_action_serialises_as_its_stable_name_and_parses_back() {
        for action in AuditAction::ALL {
            let json = serde_json::to_string(&action).unwrap();
            assert_eq!(json, format!("\"{}\"", action.as_str()));
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::parse("PasswordReset"), None);
    }
}
