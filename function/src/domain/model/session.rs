//! A signed-in session.

/// A signed-in session. Only the SHA-256 of its token is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: String,
    /// The user's session epoch at sign-in; a reset bumps it, ending this.
    pub epoch: u64,
    pub created_at: i64,
    pub expires_at: i64,
    /// The latest request it carried (kept to a few minutes' precision):
    /// a session idle longer than the idle timeout ends.
    pub last_seen_at: i64,
    /// When its user last proved her password (sign-in or a confirmation):
    /// sensitive changes need this to be recent.
    pub authenticated_at: i64,
    /// How its user proved who she is (RFC 8176 values: `pwd`, and `otp`
    /// and `mfa` once a second factor passed).
    pub amr: Vec<String>,
}

/// The `amr` of a password alone.
pub fn password_only() -> Vec<String> {
    vec!["pwd".into()]
}

/// The `amr` of a password and a one-time code (an app's or a recovery
/// code).
pub fn password_and_code() -> Vec<String> {
    vec!["pwd".into(), "otp".into(), "mfa".into()]
}

impl SessionRecord {
    /// Whether a second factor was passed in this session.
    pub fn is_mfa(&self) -> bool {
        self.amr.iter().any(|m| m == "mfa")
    }
}
