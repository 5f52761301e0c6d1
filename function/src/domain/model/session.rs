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
}
