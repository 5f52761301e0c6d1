//! A WebAuthn ceremony between its start and its finish: the library's
//! state (the challenge it expects back) kept in the store for a few
//! minutes, since a Lambda remembers nothing between two calls.

use rekey_shared::SsprMethod;
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
    /// A self-service reset between "Forgot your password?" and the new
    /// password. Each step takes it and puts it back under the same id, so
    /// of twenty uses of one code at once one is counted.
    SelfService(Box<ResetFlow>),
}

/// Where a self-service reset stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetFlow {
    /// The account, when it may reset itself; `None` for a login nobody
    /// has or an account that cannot (its gates fail as wrong codes do).
    pub user_id: Option<String>,
    /// Whose hourly limits apply: the account's, else the login's hash.
    pub limit_key: String,
    /// Her session epoch then: a reset or block meanwhile ends the flow.
    pub epoch: u64,
    /// Gates to pass (2 for admins).
    pub required: u8,
    /// Admins: one gate must be more than an emailed code.
    pub needs_strong: bool,
    pub verified: Vec<SsprMethod>,
    /// The code emailed to her alternate address, hashed.
    pub email_code: Option<SentCode>,
    /// webauthn-rs's state while the passkey gate is open, as JSON.
    pub passkey_state: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentCode {
    pub hash: String,
    pub expires_at: i64,
    /// Wrong codes typed against it: a few and it is void.
    #[serde(default)]
    pub wrong: u8,
}

impl ResetFlow {
    /// Gates still due: none once enough are passed, with a strong one
    /// among them when that is required.
    pub fn remaining(&self) -> u8 {
        let passed = u8::try_from(self.verified.len()).unwrap_or(u8::MAX);
        let strong = self
            .verified
            .iter()
            .any(|m| *m != SsprMethod::AlternateEmail);
        let left = self.required.saturating_sub(passed);
        if left == 0 && self.needs_strong && !strong {
            1
        } else {
            left
        }
    }
}
