//! Organisation settings a global admin changes: the "Password reset"
//! blade (self-service password reset, Entra's names).

use serde::{Deserialize, Serialize};

use crate::Role;

named_enum! {
    /// Who may reset her own password.
    pub enum SsprScope {
        None => "none",
        Selected => "selected",
        All => "all",
    }
}

named_enum! {
    /// What a user may prove herself with.
    pub enum SsprMethod {
        /// An 8-digit code sent to her alternate address.
        AlternateEmail => "alternate_email",
        AuthenticatorApp => "authenticator_app",
        Passkey => "passkey",
        RecoveryCode => "recovery_code",
    }
}

/// The "Password reset" settings. Admin roles always need two methods and
/// never an emailed code alone, whatever these say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetSettings {
    pub enabled_for: SsprScope,
    /// The roles `Selected` means.
    #[serde(default)]
    pub selected_roles: Vec<Role>,
    /// 1 or 2.
    pub methods_required: u8,
    pub methods: Vec<SsprMethod>,
    /// Users in scope without enough methods are asked to register them.
    pub require_registration: bool,
    /// Days before users are asked to reconfirm their methods (0: never).
    pub reconfirm_days: u16,
    /// Also tell every global admin when another admin resets her own.
    pub notify_admins_on_admin_reset: bool,
}

impl Default for PasswordResetSettings {
    /// Off, as before: "Forgot your password?" asks the admins.
    fn default() -> Self {
        PasswordResetSettings {
            enabled_for: SsprScope::None,
            selected_roles: Vec::new(),
            methods_required: 1,
            methods: vec![SsprMethod::AlternateEmail, SsprMethod::AuthenticatorApp],
            require_registration: true,
            reconfirm_days: 180,
            notify_admins_on_admin_reset: false,
        }
    }
}

/// `GET`/`PUT /api/settings/password-reset`: the settings and the version
/// a change must name (0 before the first change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetSettingsVersion {
    pub settings: PasswordResetSettings,
    pub version: u64,
}
