//! One-time links: a user sets their own password from a link an admin
//! sent, instead of being sent a password.

use serde::{Deserialize, Serialize};

use crate::reset::EmailOutcome;

/// `POST /api/users/{id}/reset-link` (no body fields yet, `{}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetLinkRequest {}

/// The answer to sending a link: when it stops working, and its emails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLinkSent {
    pub expires_at: i64,
    pub emails: Vec<EmailOutcome>,
}

named_enum! {
    /// What a link is worth now.
    pub enum LinkState {
        Valid => "valid",
        Used => "used",
        Expired => "expired",
        /// A newer link, a reset or a password change replaced it.
        Revoked => "revoked",
    }
}

/// `POST /api/auth/reset-link/status` with `{"token": …}`: looking changes
/// nothing (mail scanners open links and run their pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLinkStatus {
    pub state: LinkState,
    pub expires_at: Option<i64>,
}

/// `POST /api/auth/reset-link/status`: the link's token, in the body
/// (never in a URL).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkToken {
    pub token: String,
}

impl std::fmt::Debug for LinkToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkToken([redacted])")
    }
}

/// `POST /api/auth/reset-link`: the only request that uses the link.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetPasswordWithLink {
    pub token: String,
    pub new_password: String,
}

impl std::fmt::Debug for SetPasswordWithLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SetPasswordWithLink([redacted])")
    }
}
