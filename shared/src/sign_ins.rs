//! The sign-in log: every sign-in attempt on an account, as the admin's
//! "Sign-ins" tab shows it, with the lock status beside it.

use serde::{Deserialize, Serialize};

use crate::audit::AuditApp;

named_enum! {
    /// How a sign-in attempt ended.
    pub enum SignInResult {
        /// Signed in with the password.
        Success => "success",
        /// Signed in to an app (a code issued, with a password or by SSO).
        AppSignIn => "app_sign_in",
        /// Signed in with a passkey alone.
        Passkey => "passkey",
        /// Signed in with an admin's Temporary Access Pass.
        TemporaryPass => "temporary_pass",
        WrongPassword => "wrong_password",
        /// Locked: the attempt that locked the account, or one refused
        /// unchecked while the lock stood.
        Locked => "locked",
        /// The right password on a blocked account.
        Blocked => "blocked",
        /// The right password, but the temporary one had expired.
        TemporaryPasswordExpired => "temporary_password_expired",
        SignedOut => "signed_out",
    }
}

/// One attempt. Only the account's own, never the password or the login
/// typed for an account that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInEntry {
    /// Sortable: newer entries have greater ids.
    pub id: String,
    /// Unix milliseconds.
    pub at: i64,
    pub result: SignInResult,
    /// The client's address, as Rekey saw it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// The browser's `User-Agent`, cut to 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The app the user signed in to (OpenID Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<AuditApp>,
}

/// `GET /api/users/{id}/sign-ins`: the last 30 days, newest first, and why
/// she may not be able to sign in now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInLog {
    pub entries: Vec<SignInEntry>,
    /// While a lock stands.
    pub locked_until: Option<i64>,
    /// Failures in a row since the last success or lock.
    pub failed_sign_ins: u64,
    pub blocked: bool,
}
