//! A password proven with a second factor still to come: good for that one
//! step, for a few minutes, and never a session.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    /// SHA-256 of the token its cookie carries.
    pub token_hash: String,
    pub user_id: String,
    /// The user's session epoch then: a reset meanwhile voids it.
    pub epoch: u64,
    pub created_at: i64,
    pub expires_at: i64,
}
