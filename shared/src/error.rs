//! Every error Rekey's API answers with: a stable machine code, a human
//! message, and the field it concerns. (The HTTP status each code travels
//! with is the function's business: `function/src/api/error.rs`.)

use serde::{Deserialize, Serialize};

named_enum! {
    /// Stable error codes. Clients match on these, never on messages.
    pub enum ErrorCode {
        InvalidJson => "invalid_json",
        InvalidRequest => "invalid_request",
        InvalidCursor => "invalid_cursor",
        PayloadTooLarge => "payload_too_large",
        UnsupportedMediaType => "unsupported_media_type",
        OriginMismatch => "origin_mismatch",
        Unauthenticated => "unauthenticated",
        Forbidden => "forbidden",
        CannotResetSelf => "cannot_reset_self",
        NotFound => "not_found",
        MethodNotAllowed => "method_not_allowed",
        InvalidCredentials => "invalid_credentials",
        AccountLocked => "account_locked",
        PasswordTooShort => "password_too_short",
        PasswordTooLong => "password_too_long",
        PasswordTooCommon => "password_too_common",
        PasswordContainsPersonalInfo => "password_contains_personal_info",
        PasswordReused => "password_reused",
        CurrentPasswordIncorrect => "current_password_incorrect",
        PasswordChangeRequired => "password_change_required",
        ReauthenticationRequired => "reauthentication_required",
        TemporaryPasswordExpired => "temporary_password_expired",
        InvalidRecipient => "invalid_recipient",
        TooManyRecipients => "too_many_recipients",
        TooManyUsers => "too_many_users",
        TooManyRows => "too_many_rows",
        Conflict => "conflict",
        ResetNotCurrent => "reset_not_current",
        PasswordNotCurrent => "password_not_current",
        ResetLinkInvalid => "reset_link_invalid",
        RateLimited => "rate_limited",
        AccountBlocked => "account_blocked",
        AlreadyExists => "already_exists",
        InvalidCode => "invalid_code",
        MethodRegistrationRequired => "method_registration_required",
        CeremonyInvalid => "ceremony_invalid",
        CeremonyExpired => "ceremony_expired",
        PasskeyRefused => "passkey_refused",
        ResetFlowEnded => "reset_flow_ended",
        Internal => "internal",
        Unavailable => "unavailable",
    }
}

impl ErrorCode {
    /// Whether this code is a password-policy refusal (its message is the reason).
    pub fn is_policy(self) -> bool {
        use ErrorCode::*;
        matches!(
            self,
            PasswordTooShort
                | PasswordTooLong
                | PasswordTooCommon
                | PasswordContainsPersonalInfo
                | PasswordReused
        )
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The JSON body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The request field at fault, as a JSON path such as `email_to[2]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Seconds before trying again is worth it (also sent as `Retry-After`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} was not found."))
    }

    pub fn internal() -> Self {
        Self::new(
            ErrorCode::Internal,
            "Something went wrong on our side. Nothing was changed; try again.",
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_is_omitted_when_absent() {
        let e = ApiError::new(ErrorCode::TooManyRecipients, "at most 5");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "too_many_recipients", "message": "at most 5"})
        );
        assert!(ErrorCode::PasswordTooCommon.is_policy());
        assert!(!ErrorCode::Forbidden.is_policy());
    }
}
