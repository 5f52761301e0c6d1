//! The reset: options, single and bulk requests, and their results.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// How the new password is chosen.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(
    tag = "mode",
    rename_all = "snake_case",
    try_from = "PasswordChoiceWire"
)]
pub enum PasswordChoice {
    /// Rekey generates one (the default).
    #[default]
    Generate,
    /// The admin typed one; it is checked against the password policy.
    Typed { password: String },
}

/// `PasswordChoice` as it arrives. serde's tagged enums let unknown fields
/// through, so the body is read flat and refused whole on any stray field.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PasswordChoiceWire {
    mode: PasswordMode,
    password: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PasswordMode {
    Generate,
    Typed,
}

impl TryFrom<PasswordChoiceWire> for PasswordChoice {
    type Error = &'static str;

    fn try_from(wire: PasswordChoiceWire) -> Result<Self, Self::Error> {
        match (wire.mode, wire.password) {
            (PasswordMode::Generate, None) => Ok(PasswordChoice::Generate),
            (PasswordMode::Generate, Some(_)) => Err("a generated password takes no `password`"),
            (PasswordMode::Typed, Some(password)) => Ok(PasswordChoice::Typed { password }),
            (PasswordMode::Typed, None) => Err("missing field `password`"),
        }
    }
}

impl std::fmt::Debug for PasswordChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PasswordChoice::Generate => f.write_str("Generate"),
            PasswordChoice::Typed { .. } => f.write_str("Typed([redacted])"),
        }
    }
}

fn yes() -> bool {
    true
}

/// What the reset pane sends. Body of `POST /api/users/{id}/password-reset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetOptions {
    #[serde(default)]
    pub password: PasswordChoice,
    /// "Require this user to change their password when they first sign in".
    #[serde(default = "yes")]
    pub require_change: bool,
    /// "Send password in email": the recipients; empty sends nothing.
    #[serde(default)]
    pub email_to: Vec<String>,
}

impl Default for ResetOptions {
    fn default() -> Self {
        Self {
            password: PasswordChoice::Generate,
            require_change: true,
            email_to: Vec::new(),
        }
    }
}

named_enum! {
    pub enum EmailStatus {
        Sent => "sent",
        Failed => "failed",
    }
}

/// What happened to the password email for one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailOutcome {
    pub recipient: String,
    pub status: EmailStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The outcome of one reset. The only place the new password travels,
/// besides the emails the admin asked for.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetResult {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub generated: bool,
    pub must_change_password: bool,
    /// Unix milliseconds after which the temporary password stops working
    /// (only when the user must change it: otherwise it is not temporary).
    pub temporary_password_expires_at: Option<i64>,
    pub emails: Vec<EmailOutcome>,
    /// The account's version after the reset.
    pub version: u64,
}

impl std::fmt::Debug for ResetResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResetResult")
            .field("user_id", &self.user_id)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("must_change_password", &self.must_change_password)
            .field("emails", &self.emails)
            .field("version", &self.version)
            .finish()
    }
}

/// `POST /api/users/{id}/password-email`: "Send email and close" after the
/// reset. The admin's browser sends back the
/// password it was shown; it is emailed only while it is still the latest
/// reset, made by this admin, less than 10 minutes ago.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordEmailRequest {
    pub password: String,
    /// The `version` of the reset's result.
    pub version: u64,
    pub email_to: Vec<String>,
}

impl std::fmt::Debug for PasswordEmailRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordEmailRequest")
            .field("password", &"[redacted]")
            .field("version", &self.version)
            .field("email_to", &self.email_to)
            .finish()
    }
}

/// What happened to each recipient's email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordEmailResult {
    pub emails: Vec<EmailOutcome>,
}

/// Body of `POST /api/password-resets`: the same options for many users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkResetRequest {
    pub user_ids: Vec<String>,
    #[serde(default)]
    pub options: ResetOptions,
}

/// One user's outcome in a bulk reset: exactly one of `result` and `error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResetItem {
    pub user_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ResetResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResetResponse {
    pub succeeded: usize,
    pub failed: usize,
    /// In the order the ids were given.
    pub results: Vec<BulkResetItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_body_means_generate_require_change_and_no_email() {
        let o: ResetOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(o, ResetOptions::default());
        assert!(o.require_change);
    }

    #[test]
    fn a_typed_password_is_never_printed_by_debug() {
        let o: ResetOptions =
            serde_json::from_str(r#"{"password":{"mode":"typed","password":"hunter2-secret"}}"#)
                .unwrap();
        assert!(!format!("{o:?}").contains("hunter2"));
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(serde_json::from_str::<ResetOptions>(r#"{"require_chnage":false}"#).is_err());
        let typed = r#"{"mode":"typed","password":"x","role":"global_admin"}"#;
        assert!(serde_json::from_str::<PasswordChoice>(typed).is_err());
        let generate = r#"{"mode":"generate","length":4}"#;
        assert!(serde_json::from_str::<PasswordChoice>(generate).is_err());
        for (json, choice) in [
            (
                r#"{"mode":"typed","password":"x"}"#,
                PasswordChoice::Typed {
                    password: "x".into(),
                },
            ),
            (r#"{"mode":"generate"}"#, PasswordChoice::Generate),
        ] {
            assert_eq!(
                serde_json::from_str::<PasswordChoice>(json).unwrap(),
                choice
            );
            assert_eq!(serde_json::to_string(&choice).unwrap(), json);
        }
        for bad in [
            r#"{"mode":"typed"}"#,
            r#"{"mode":"generate","password":"x"}"#,
            r#"{"mode":"guess"}"#,
        ] {
            assert!(
                serde_json::from_str::<PasswordChoice>(bad).is_err(),
                "{bad}"
            );
        }
    }
}
