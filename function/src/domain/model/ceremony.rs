//! A WebAuthn ceremony between its start and its finish: the library's
//! state (the challenge it expects back) kept in the store for a few
//! minutes, since a Lambda remembers nothing between two calls.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ceremony {
    /// SHA-256 of the id the browser holds.
    pub id_hash: String,
    pub purpose: CeremonyPurpose,
    /// webauthn-rs's state for its finish, as JSON.
    pub state: String,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CeremonyPurpose {
    /// A signed-in user registers a passkey, to be called `name`.
    Register { user_id: String, name: String },
    /// Anyone signs in with a discoverable passkey, no username first.
    SignIn,
    /// The second step after a password: bound to that pending sign-in.
    SecondStep {
        user_id: String,
        pending_hash: String,
    },
}
