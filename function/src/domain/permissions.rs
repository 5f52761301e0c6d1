//! Who may do what, in one place, built on the role table
//! ([`Role::can_reset`] in rekey-shared): the admin center, other users'
//! accounts, roles, and the settings only a global admin manages. Every
//! use case asks here before it reads or changes anything.

use rekey_shared::{ApiError, ErrorCode, Role};

use super::model::UserRecord;

fn forbidden(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Forbidden, message)
}

/// An account whose password must change may do nothing else first.
pub fn may_act(actor: &UserRecord) -> Result<(), ApiError> {
    if actor.must_change_password {
        return Err(ApiError::new(
            ErrorCode::PasswordChangeRequired,
            "Change your password before you continue.",
        ));
    }
    Ok(())
}

/// The admin center: any admin role.
pub fn admin(actor: &UserRecord) -> Result<(), ApiError> {
    may_act(actor)?;
    if !actor.role.is_admin() {
        return Err(forbidden("Only admins can use the admin center."));
    }
    Ok(())
}

/// What only a global admin manages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Apps,
    ScimTokens,
    /// The local outbox's pages (a development aid).
    Outbox,
    /// The "Password reset" settings (self-service reset).
    PasswordReset,
}

pub fn global_admin(actor: &UserRecord, setting: Setting) -> Result<(), ApiError> {
    may_act(actor)?;
    if actor.role != Role::GlobalAdmin {
        return Err(forbidden(match setting {
            Setting::Apps => "Only a global admin can manage apps.",
            Setting::ScimTokens => "Only a global admin can manage SCIM tokens.",
            Setting::Outbox => "Only a global admin can read the outbox.",
            Setting::PasswordReset => "Only a global admin can change the password reset settings.",
        }));
    }
    Ok(())
}

/// Whether a change by `actor` needs her password proven recently: the
/// changes only a global admin makes. Anyone else is refused by the change
/// itself, so she is never asked for a password only to be told no.
pub fn needs_fresh_sign_in(actor: &UserRecord) -> bool {
    actor.role == Role::GlobalAdmin
}

/// Whether `actor` may reset (and so manage) `target`: never herself,
/// otherwise as the role table says. Lists filter with this.
pub fn resets(actor: &UserRecord, target: &UserRecord) -> bool {
    actor.id != target.id && actor.role.can_reset(target.role)
}

/// May `actor` reset `target`'s password?
pub fn reset(actor: &UserRecord, target: &UserRecord) -> Result<(), ApiError> {
    admin(actor)?;
    if actor.id == target.id {
        return Err(ApiError::new(
            ErrorCode::CannotResetSelf,
            "You can't reset your own password here. Use change password instead.",
        ));
    }
    if !actor.role.can_reset(target.role) {
        return Err(forbidden(format!(
            "A {} can't reset the password of a {}.",
            actor.role.label().to_lowercase(),
            target.role.label().to_lowercase()
        )));
    }
    Ok(())
}

/// May `actor` change `target`'s account in another way (`what`: "edit",
/// "block", "delete", ...)? The same table as a reset; never herself.
pub fn manage(actor: &UserRecord, target: &UserRecord, what: &str) -> Result<(), ApiError> {
    admin(actor)?;
    if actor.id == target.id {
        return Err(forbidden(format!("You can't {what} your own account.")));
    }
    if !actor.role.can_reset(target.role) {
        return Err(forbidden(format!(
            "A {} can't {what} a {}.",
            actor.role.label().to_lowercase(),
            target.role.label().to_lowercase()
        )));
    }
    Ok(())
}

/// Whether `actor` may give anyone `role`: admin roles only a global admin.
pub fn grants(actor: &UserRecord, role: Role) -> bool {
    !role.is_admin() || actor.role == Role::GlobalAdmin
}

/// May `actor` move an account from `from` (`None`: a new one) to `to`?
/// Granting or taking away an admin role is a global admin's, and granting
/// one also needs her password proven recently (`fresh`).
pub fn assign_role(
    actor: &UserRecord,
    fresh: bool,
    from: Option<Role>,
    to: Role,
) -> Result<(), ApiError> {
    if from == Some(to) {
        return Ok(());
    }
    if !grants(actor, to) || !from.is_none_or(|r| grants(actor, r)) {
        return Err(forbidden(
            "Only a global admin can grant or take away an admin role.",
        ));
    }
    if to.is_admin() && !fresh {
        return Err(super::sessions::reauthentication_required());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, role: Role) -> UserRecord {
        UserRecord::new(
            id,
            id,
            &format!("{id}@contoso.example"),
            role,
            String::new(),
            0,
        )
    }

    #[test]
    fn an_account_that_must_change_its_password_may_do_nothing_else() {
        let mut global = user("g", Role::GlobalAdmin);
        global.must_change_password = true;
        let target = user("u", Role::User);
        let refused = [
            admin(&global),
            global_admin(&global, Setting::Apps),
            global_admin(&global, Setting::ScimTokens),
            reset(&global, &target),
            manage(&global, &target, "edit"),
        ];
        for r in refused {
            assert_eq!(r.unwrap_err().code, ErrorCode::PasswordChangeRequired);
        }
    }

    #[test]
    fn resets_and_management_follow_the_role_table_and_never_reach_oneself() {
        for actor_role in Role::ALL {
            let actor = user("a", actor_role);
            for target_role in Role::ALL {
                let target = user("t", target_role);
                let table = actor_role.can_reset(target_role);
                assert_eq!(resets(&actor, &target), table);
                assert_eq!(reset(&actor, &target).is_ok(), table);
                assert_eq!(manage(&actor, &target, "edit").is_ok(), table);
            }
            assert!(!resets(&actor, &actor));
            assert!(reset(&actor, &actor).is_err());
            assert!(manage(&actor, &actor, "block").is_err());
        }
    }

    #[test]
    fn only_a_global_admin_moves_anyone_into_or_out_of_an_admin_role() {
        let helpdesk = user("h", Role::HelpdeskAdmin);
        let global = user("g", Role::GlobalAdmin);
        assert!(assign_role(&helpdesk, true, None, Role::User).is_ok());
        assert!(assign_role(&helpdesk, true, Some(Role::PasswordAdmin), Role::User).is_err());
        assert!(assign_role(&helpdesk, true, None, Role::PasswordAdmin).is_err());
        assert!(assign_role(
            &helpdesk,
            true,
            Some(Role::PasswordAdmin),
            Role::PasswordAdmin
        )
        .is_ok());
        assert!(assign_role(&global, true, None, Role::GlobalAdmin).is_ok());
        assert_eq!(
            assign_role(&global, false, None, Role::GlobalAdmin)
                .unwrap_err()
                .code,
            ErrorCode::ReauthenticationRequired
        );
        assert!(assign_role(&global, false, Some(Role::GlobalAdmin), Role::User).is_ok());
    }
}
