//! Sign-in bodies.

use serde::{Deserialize, Serialize};

use crate::users::UserSummary;

/// `POST /api/auth/sign-in`. `username` may also be the primary email.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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

/// `POST /api/auth/confirm-password`: the signed-in user proves her
/// password again before a sensitive change.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmPasswordRequest {
    pub password: String,
}

impl std::fmt::Debug for ConfirmPasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConfirmPasswordRequest([redacted])")
    }
}

/// `POST /api/me/password`: the signed-in user changes their own password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

impl std::fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePasswordRequest([redacted])")
    }
}

/// `POST /api/auth/password-requests`: "Forgot your password?". Whatever
/// the account, a well-formed request gets the same 202.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    /// Username or email.
    pub username: String,
}

/// `PUT /api/me/language`: the signed-in user's language for pages and
/// emails; `null` follows the organisation's default again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageChoice {
    // Present, even when null: an empty body must not reset the choice.
    #[serde(deserialize_with = "Option::deserialize")]
    pub language: Option<crate::Lang>,
}

/// `GET /api/info`: what the app needs before sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInfo {
    pub organization: String,
    /// Where locally sent emails can be read, when running locally.
    pub outbox_url: Option<String>,
    pub min_password_length: usize,
    /// The organisation's time zone (IANA name), for showing times.
    #[serde(default = "utc")]
    pub time_zone: String,
    /// The language of users who have not chosen one.
    #[serde(default)]
    pub default_language: crate::Lang,
}

fn utc() -> String {
    "UTC".into()
}

/// The signed-in account (`/api/auth/sign-in` and `/api/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInResponse {
    pub user: UserSummary,
    /// Unix milliseconds when this session ends.
    pub session_expires_at: i64,
    /// How this session's user proved who she is (RFC 8176: `pwd`, `otp`,
    /// `mfa`).
    #[serde(default)]
    pub amr: Vec<String>,
    /// Recovery codes left, when one was just used to sign in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_codes_left: Option<u32>,
    /// Set when the sign-in policy asks this user to register a method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<MethodRegistrationDue>,
    /// Set when self-service reset asks her to register methods (or to
    /// confirm hers are current) on Security info.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_info: Option<SecurityInfoDue>,
}

/// Self-service reset's ask at sign-in: register enough methods to reset
/// her own password (`register`), or confirm the ones she has are current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityInfoDue {
    pub register: bool,
    /// "Skip for now" is offered this many more times (of 3).
    pub skips_left: u8,
}

/// The policy's ask to register a second method: skippable for
/// `days_left` more days, then required before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodRegistrationDue {
    /// Until when "Skip for now" is offered (`None`: it is not).
    pub skippable_until: Option<i64>,
    pub days_left: u32,
}
