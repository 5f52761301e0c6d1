//! What error codes and import problems mean, for people.

use crate::error::ErrorCode;

/// What a row of "Add multiple users" gets wrong, by its code.
pub struct ImportProblemTexts {
    pub malformed_csv: &'static str,
    pub empty_file: &'static str,
    pub missing_column: &'static str,
    pub no_users: &'static str,
    pub invalid_username: &'static str,
    pub invalid_name: &'static str,
    pub invalid_email: &'static str,
    pub unknown_role: &'static str,
    pub role_not_allowed: &'static str,
    pub duplicate_in_file: &'static str,
    pub taken: &'static str,
    pub internal: &'static str,
}

impl ImportProblemTexts {
    /// The text for `code` (exhaustive: a new code needs its texts).
    pub fn of(&self, code: crate::ImportProblem) -> &'static str {
        use crate::ImportProblem::*;
        match code {
            MalformedCsv => self.malformed_csv,
            EmptyFile => self.empty_file,
            MissingColumn => self.missing_column,
            NoUsers => self.no_users,
            InvalidUsername => self.invalid_username,
            InvalidName => self.invalid_name,
            InvalidEmail => self.invalid_email,
            UnknownRole => self.unknown_role,
            RoleNotAllowed => self.role_not_allowed,
            DuplicateInFile => self.duplicate_in_file,
            Taken => self.taken,
            Internal => self.internal,
        }
    }
}

/// What each error code means, for people. The server's `message` stays
/// English for API users; pages show these, in the page's language.
pub struct ErrorTexts {
    pub invalid_json: &'static str,
    pub invalid_request: &'static str,
    pub invalid_cursor: &'static str,
    pub payload_too_large: &'static str,
    pub unsupported_media_type: &'static str,
    pub origin_mismatch: &'static str,
    pub unauthenticated: &'static str,
    pub forbidden: &'static str,
    pub cannot_reset_self: &'static str,
    pub not_found: &'static str,
    pub method_not_allowed: &'static str,
    pub invalid_credentials: &'static str,
    pub account_locked: &'static str,
    pub password_too_short: &'static str,
    pub password_too_long: &'static str,
    pub password_too_common: &'static str,
    pub password_contains_personal_info: &'static str,
    pub password_reused: &'static str,
    pub current_password_incorrect: &'static str,
    pub password_change_required: &'static str,
    pub reauthentication_required: &'static str,
    pub temporary_password_expired: &'static str,
    pub invalid_recipient: &'static str,
    pub too_many_recipients: &'static str,
    pub too_many_users: &'static str,
    pub too_many_rows: &'static str,
    pub conflict: &'static str,
    pub reset_not_current: &'static str,
    pub password_not_current: &'static str,
    pub reset_link_invalid: &'static str,
    pub rate_limited: &'static str,
    pub account_blocked: &'static str,
    pub already_exists: &'static str,
    pub invalid_code: &'static str,
    pub method_registration_required: &'static str,
    pub ceremony_invalid: &'static str,
    pub ceremony_expired: &'static str,
    pub passkey_refused: &'static str,
    pub reset_flow_ended: &'static str,
    pub internal: &'static str,
    pub unavailable: &'static str,
}

impl ErrorTexts {
    /// The text for `code` (an exhaustive match: a new code needs a text
    /// in every language before it compiles).
    pub fn of(&self, code: ErrorCode) -> &'static str {
        use ErrorCode::*;
        match code {
            InvalidJson => self.invalid_json,
            InvalidRequest => self.invalid_request,
            InvalidCursor => self.invalid_cursor,
            PayloadTooLarge => self.payload_too_large,
            UnsupportedMediaType => self.unsupported_media_type,
            OriginMismatch => self.origin_mismatch,
            Unauthenticated => self.unauthenticated,
            Forbidden => self.forbidden,
            CannotResetSelf => self.cannot_reset_self,
            NotFound => self.not_found,
            MethodNotAllowed => self.method_not_allowed,
            InvalidCredentials => self.invalid_credentials,
            AccountLocked => self.account_locked,
            PasswordTooShort => self.password_too_short,
            PasswordTooLong => self.password_too_long,
            PasswordTooCommon => self.password_too_common,
            PasswordContainsPersonalInfo => self.password_contains_personal_info,
            PasswordReused => self.password_reused,
            CurrentPasswordIncorrect => self.current_password_incorrect,
            PasswordChangeRequired => self.password_change_required,
            ReauthenticationRequired => self.reauthentication_required,
            TemporaryPasswordExpired => self.temporary_password_expired,
            InvalidRecipient => self.invalid_recipient,
            TooManyRecipients => self.too_many_recipients,
            TooManyUsers => self.too_many_users,
            TooManyRows => self.too_many_rows,
            Conflict => self.conflict,
            ResetNotCurrent => self.reset_not_current,
            PasswordNotCurrent => self.password_not_current,
            ResetLinkInvalid => self.reset_link_invalid,
            RateLimited => self.rate_limited,
            AccountBlocked => self.account_blocked,
            AlreadyExists => self.already_exists,
            InvalidCode => self.invalid_code,
            MethodRegistrationRequired => self.method_registration_required,
            CeremonyInvalid => self.ceremony_invalid,
            CeremonyExpired => self.ceremony_expired,
            PasskeyRefused => self.passkey_refused,
            ResetFlowEnded => self.reset_flow_ended,
            Internal => self.internal,
            Unavailable => self.unavailable,
        }
    }
}
