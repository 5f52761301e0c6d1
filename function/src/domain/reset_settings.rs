//! The "Password reset" settings: who may reset her own password, with
//! how many and which methods. Global admins read and change them; a
//! change names the version it read, and is audited.

use rekey_shared::{
    ApiError, AuditAction, ErrorCode, PasswordResetSettings, PasswordResetSettingsVersion,
    SsprMethod, SsprScope,
};

use super::audit::event;
use super::model::UserRecord;
use super::permissions::{self, Setting};
use super::{store_failure, Rekey};
use crate::ports::StoreError;

const KEY: &str = "password_reset";
pub const MAX_RECONFIRM_DAYS: u16 = 730;

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidRequest, message).with_field(field)
}

/// Settings that make sense, or the first thing wrong with them.
pub fn check(s: &PasswordResetSettings) -> Result<(), ApiError> {
    if !(1..=2).contains(&s.methods_required) {
        return Err(invalid("methods_required", "Require 1 or 2 methods."));
    }
    let mut methods = s.methods.clone();
    methods.sort_by_key(|m| m.as_str());
    methods.dedup();
    if methods.len() != s.methods.len() {
        return Err(invalid("methods", "Name each method once."));
    }
    if s.methods.len() < usize::from(s.methods_required) {
        return Err(invalid(
            "methods",
            "Offer at least as many methods as are required.",
        ));
    }
    // Admins always need two, one of them more than an emailed code.
    let covers_admins = match s.enabled_for {
        SsprScope::None => false,
        SsprScope::All => true,
        SsprScope::Selected => s.selected_roles.iter().any(|r| r.is_admin()),
    };
    let strong = s
        .methods
        .iter()
        .filter(|m| **m != SsprMethod::AlternateEmail)
        .count();
    if covers_admins && (s.methods.len() < 2 || strong < 1) {
        return Err(invalid(
            "methods",
            "Admins always need two methods, not only an emailed code: offer them.",
        ));
    }
    if s.reconfirm_days > MAX_RECONFIRM_DAYS {
        return Err(invalid("reconfirm_days", "Choose 0 (never) to 730 days."));
    }
    if s.enabled_for == SsprScope::Selected && s.selected_roles.is_empty() {
        return Err(invalid("selected_roles", "Select at least one role."));
    }
    Ok(())
}

impl Rekey {
    /// The settings as stored, or the defaults (version 0).
    pub async fn password_reset_settings(
        &self,
        actor: &UserRecord,
    ) -> Result<PasswordResetSettingsVersion, ApiError> {
        permissions::global_admin(actor, Setting::PasswordReset)?;
        self.current_reset_settings().await
    }

    pub(crate) async fn current_reset_settings(
        &self,
    ) -> Result<PasswordResetSettingsVersion, ApiError> {
        Ok(
            match self.store.setting(KEY).await.map_err(store_failure)? {
                Some((json, version)) => PasswordResetSettingsVersion {
                    settings: serde_json::from_str(&json).map_err(|_| ApiError::internal())?,
                    version,
                },
                None => PasswordResetSettingsVersion {
                    settings: PasswordResetSettings::default(),
                    version: 0,
                },
            },
        )
    }

    /// Saves new settings over the version read: `409 conflict` when
    /// another admin saved first.
    pub async fn set_password_reset_settings(
        &self,
        actor: &UserRecord,
        change: &PasswordResetSettingsVersion,
    ) -> Result<PasswordResetSettingsVersion, ApiError> {
        permissions::global_admin(actor, Setting::PasswordReset)?;
        check(&change.settings)?;
        let json = serde_json::to_string(&change.settings).map_err(|_| ApiError::internal())?;
        let audit = event(
            self.now(),
            AuditAction::PasswordResetSettingsChanged,
            Some(actor),
            None,
        );
        match self
            .store
            .put_setting(KEY, &json, change.version, &[audit])
            .await
        {
            Ok(version) => Ok(PasswordResetSettingsVersion {
                settings: change.settings.clone(),
                version,
            }),
            Err(StoreError::Conflict) => Err(ApiError::new(
                ErrorCode::Conflict,
                "Someone saved these settings since you opened them. Reload and try again.",
            )),
            Err(e) => Err(store_failure(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rekey_shared::Role;

    #[test]
    fn settings_are_checked_against_the_two_gate_rule_for_admins() {
        assert!(check(&PasswordResetSettings::default()).is_ok());
        let users_by_email = PasswordResetSettings {
            enabled_for: SsprScope::Selected,
            selected_roles: vec![Role::User],
            methods: vec![SsprMethod::AlternateEmail],
            ..PasswordResetSettings::default()
        };
        assert!(check(&users_by_email).is_ok());
        let admins_by_email = PasswordResetSettings {
            selected_roles: vec![Role::User, Role::HelpdeskAdmin],
            ..users_by_email.clone()
        };
        assert_eq!(
            check(&admins_by_email).unwrap_err().field.as_deref(),
            Some("methods")
        );
        for bad in [
            PasswordResetSettings {
                methods_required: 3,
                ..Default::default()
            },
            PasswordResetSettings {
                reconfirm_days: 731,
                ..Default::default()
            },
            PasswordResetSettings {
                enabled_for: SsprScope::Selected,
                ..Default::default()
            },
            PasswordResetSettings {
                methods: vec![SsprMethod::Passkey, SsprMethod::Passkey],
                ..Default::default()
            },
        ] {
            assert!(check(&bad).is_err(), "{bad:?}");
        }
    }
}
