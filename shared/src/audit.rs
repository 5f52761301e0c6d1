//! The audit log. Events never hold a password or token.

use serde::{Deserialize, Serialize};

use crate::users::Role;

named_enum! {
    pub enum AuditAction {
        /// An admin set a new password for a user.
        PasswordReset => "password_reset",
        /// The outcome of emailing a reset password to its recipients.
        ResetEmailSent => "reset_email_sent",
        /// Too many failed sign-ins locked an account.
        AccountLocked => "account_locked",
        /// A user changed their own password.
        PasswordChanged => "password_changed",
        /// A user asked their admins for a new password.
        ResetRequested => "reset_requested",
        /// The "your password changed" notice to the user's own addresses.
        NoticeSent => "notice_sent",
        /// A sign-in with an expired temporary password was refused.
        TemporaryPasswordExpired => "temporary_password_expired",
        /// An admin sent the user a one-time link to set a password.
        ResetLinkSent => "reset_link_sent",
        /// The user set a password through a one-time link.
        ResetLinkUsed => "reset_link_used",
        /// A global admin registered an app (an OpenID Connect client).
        AppRegistered => "app_registered",
        /// A global admin replaced an app's client secret.
        AppSecretRotated => "app_secret_rotated",
        /// A global admin removed an app.
        AppRemoved => "app_removed",
        /// An admin added a user.
        UserCreated => "user_created",
        /// An admin changed a user's names, addresses or role.
        UserUpdated => "user_updated",
        /// An admin blocked a user's sign-in (their sessions ended).
        UserBlocked => "user_blocked",
        UserUnblocked => "user_unblocked",
        /// An admin deleted a user (the history keeps their name).
        UserDeleted => "user_deleted",
        /// A global admin created a SCIM bearer token.
        ScimTokenCreated => "scim_token_created",
        ScimTokenRevoked => "scim_token_revoked",
        /// An admin lifted a lock without changing the password.
        AccountUnlocked => "account_unlocked",
        /// An admin downloaded the whole directory as CSV.
        UsersExported => "users_exported",
        /// An app presented an authorization code a second time; the token
        /// it bought was revoked.
        CodeReplayed => "code_replayed",
        /// A SCIM request came with a missing, unknown or revoked token.
        ScimAuthFailed => "scim_auth_failed",
        /// A user registered a sign-in method (its first code verified).
        MethodAdded => "method_added",
        /// A sign-in method was removed (by its user, or replaced).
        MethodRemoved => "method_removed",
        /// A user made a new set of recovery codes (the old set ended).
        RecoveryCodesCreated => "recovery_codes_created",
        /// A recovery code signed its user in (it works no more).
        RecoveryCodeUsed => "recovery_code_used",
        /// A passkey's signature counter went backwards: perhaps a copy of
        /// the authenticator. The sign-in was refused.
        PasskeyCloneSuspected => "passkey_clone_suspected",
        /// An admin removed every method of a user, who registers anew.
        MfaReregistrationRequired => "mfa_reregistration_required",
        /// An admin ended every session and app token of a user.
        SessionsRevoked => "sessions_revoked",
        /// An admin issued a Temporary Access Pass (never in the event).
        TemporaryPassIssued => "temporary_pass_issued",
        /// A Temporary Access Pass signed its user in.
        TemporaryPassUsed => "temporary_pass_used",
        /// A global admin changed the "Password reset" settings.
        PasswordResetSettingsChanged => "password_reset_settings_changed",
        /// A user proved who she is and chose a new password herself.
        PasswordResetSelfService => "password_reset_self_service",
        /// A user proved who she is and unlocked her account herself.
        AccountUnlockedSelfService => "account_unlocked_self_service",
    }
}

/// Who acted or was acted upon, as they were at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditParty {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// The app an app event concerns, as it was at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditApp {
    pub id: String,
    pub name: String,
}

/// How a reset password was delivered to one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailDelivery {
    pub recipient: String,
    pub sent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Sortable: newer events have greater ids.
    pub id: String,
    /// Unix milliseconds.
    pub at: i64,
    pub action: AuditAction,
    pub actor: Option<AuditParty>,
    pub target: Option<AuditParty>,
    /// For resets: whether Rekey generated the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<bool>,
    /// For resets: whether the user must change it at next sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_change_password: Option<bool>,
    /// For resets: part of a bulk request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bulk: Option<bool>,
    /// For resets: who the admin asked to email the password to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_to: Vec<String>,
    /// For email events: what was sent to whom.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliveries: Vec<EmailDelivery>,
    /// For lockouts: unix milliseconds when the lock ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<i64>,
    /// For app events: which app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<AuditApp>,
    /// For refusals of a caller with no account: its address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// For sign-in method events: which method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<crate::methods::AuditMethod>,
    /// For self-service events: the methods she proved herself with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verified_with: Vec<crate::settings::SsprMethod>,
    /// For self-service resets: her request to the admins was pending,
    /// and is resolved by this.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resolved_request: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    pub next_cursor: Option<String>,
}
