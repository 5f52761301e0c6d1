//! Self-service password reset: "Forgot your password?" when the
//! organisation lets users prove who they are themselves. The flow's id
//! travels in bodies only (never a URL; the passkey gate's start and
//! finish carry it as their `ceremony`), and every answer up to the last
//! gate is the same for any account, real or not.

use serde::{Deserialize, Serialize};

use crate::settings::SsprMethod;

/// `POST /api/auth/self-service`: begins with a username or an email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfServiceStart {
    pub username: String,
}

/// `202` from `POST /api/auth/self-service`, the same for every account:
/// the methods the organisation offers (none: self-service is off, and
/// the admins were asked as before) and the flow to verify them in.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfServiceFlow {
    pub flow: String,
    pub methods: Vec<SsprMethod>,
    pub expires_at: i64,
}

impl std::fmt::Debug for SelfServiceFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SelfServiceFlow")
            .field("methods", &self.methods)
            .finish_non_exhaustive()
    }
}

/// A step that needs only the flow: sending the emailed code, starting the
/// passkey, unlocking the account.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfServiceStep {
    pub flow: String,
}

impl std::fmt::Debug for SelfServiceStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SelfServiceStep([redacted])")
    }
}

/// `POST /api/auth/self-service/verify`: one gate's code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfServiceCode {
    pub flow: String,
    pub method: SsprMethod,
    pub code: String,
}

impl std::fmt::Debug for SelfServiceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SelfServiceCode")
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// A gate passed: which are, and how many more are due (0: choose the
/// new password, or unlock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfServiceProgress {
    pub verified: Vec<SsprMethod>,
    pub remaining: u8,
}

/// `POST /api/auth/self-service/password`: the new password, once every
/// gate is passed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfServicePassword {
    pub flow: String,
    pub new_password: String,
}

impl std::fmt::Debug for SelfServicePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SelfServicePassword([redacted])")
    }
}
