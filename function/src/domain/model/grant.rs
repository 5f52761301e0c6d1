//! What an app's sign-in leaves on record: the authorization code and the
//! access token it buys. Only hashes of the secrets are kept.

use serde::{Deserialize, Serialize};

/// An issued authorization code: only the SHA-256 of the code is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRecord {
    pub code_hash: String,
    pub app_id: String,
    pub redirect_uri: String,
    pub user_id: String,
    /// The user's session epoch: a reset before the exchange voids the code.
    pub session_epoch: u64,
    /// The granted scopes, space-separated.
    pub scope: String,
    pub nonce: Option<String>,
    /// PKCE S256 challenge.
    pub code_challenge: Option<String>,
    /// When the user signed in (unix ms).
    pub auth_time: i64,
    /// How the user proved who she is, for the ID token's `amr`.
    #[serde(default)]
    pub amr: Vec<String>,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// An access token: only the SHA-256 of the token is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenRecord {
    pub token_hash: String,
    pub app_id: String,
    pub user_id: String,
    pub session_epoch: u64,
    pub scope: String,
    pub expires_at: i64,
    /// The code it was issued for: a replayed code revokes it.
    pub code_hash: String,
}
