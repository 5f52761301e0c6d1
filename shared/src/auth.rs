//! Sign-in bodies.

use serde::{Deserialize, Serialize};

use crate::users::UserSummary;

/// `POST /api/auth/sign-in`. `username` may also be the primary email.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInRequest {
    pub username: String,
    pub password: String,
}

// Hand-written so a password never reaches a log through `{:?}`.
impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRequest")
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// The signed-in account (`/api/auth/sign-in` and `/api/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInResponse {
    pub user: UserSummary,
    /// Unix milliseconds when this session ends.
    pub session_expires_at: i64,
}
