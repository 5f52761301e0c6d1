//! Users come in and go: add, edit, block, unblock and delete, with the
//! role table applied to every change (only global admins grant or take
//! away admin roles; nobody changes their own role). Every write is
//! conditional on the version read, as the reset's is.

use rekey_shared::validate::{check_email, check_recipients};
use rekey_shared::{
    ApiError, AuditAction, ErrorCode, NewUser, PasswordChoice, UserCreated, UserEdit, UserSummary,
};

use super::audit::event;
use super::hashing::hash_failure;
use super::password::{check_typed, generate};
use super::permissions;
use super::secret::Secret;
use super::update::{Change, UpdateError};
use super::{model::UserRecord, store_failure, Rekey};
use crate::ports::StoreError;

/// Why an edit was not written.
#[derive(Debug)]
pub enum EditError {
    /// The record changed since the admin read it: here it is now.
    Stale(Box<UserSummary>),
    Refused(ApiError),
}

impl From<ApiError> for EditError {
    fn from(e: ApiError) -> Self {
        EditError::Refused(e)
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidRequest, message).with_field(field)
}

/// What an update closure refuses with when the record is no longer at
/// the version the admin saw ([`Rekey::edited`] turns it into a 409).
pub(super) fn stale() -> ApiError {
    ApiError::new(ErrorCode::Conflict, "stale")
}

fn taken(field: &str) -> ApiError {
    let what = if field == "email" {
        "email address"
    } else {
        "username"
    };
    ApiError::new(
        ErrorCode::AlreadyExists,
        format!("That {what} is already taken by another user."),
    )
    .with_field(field)
}

use rekey_shared::validate::{check_name, check_username};

fn check_address(value: &str, field: &str) -> Result<String, ApiError> {
    let value = value.trim();
    check_email(value).map_err(|p| invalid(field, p.message()))?;
    Ok(value.to_string())
}

impl Rekey {
    async fn login_taken(&self, login: &str, except: Option<&str>) -> Result<bool, ApiError> {
        Ok(self
            .store
            .user_by_login(login)
            .await
            .map_err(store_failure)?
            .is_some_and(|u| Some(u.id.as_str()) != except))
    }

    /// "Add a user": the record, its password (generated or typed, as in
    /// the reset pane) and, if asked, the email to chosen recipients.
    pub async fn create_user(
        &self,
        actor: &UserRecord,
        fresh: bool,
        new: NewUser,
    ) -> Result<UserCreated, ApiError> {
        permissions::admin(actor)?;
        permissions::assign_role(actor, fresh, None, new.role)?;
        let first = check_name(&new.first_name, "first_name")?;
        let last = check_name(&new.last_name, "last_name")?;
        let display = match new.display_name.trim() {
            "" => format!("{first} {last}"),
            given => check_name(given, "display_name")?,
        };
        let username = check_username(&new.username)?;
        let email = check_address(&new.email, "email")?;
        let alternate = match new.alternate_email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(a) => Some(check_address(a, "alternate_email")?),
        };
        let recipients = check_recipients(&new.email_to)?;
        for (login, field) in [(&username, "username"), (&email.to_lowercase(), "email")] {
            if self.login_taken(login, None).await? {
                return Err(taken(field));
            }
        }

        let now = self.now();
        let mut record = UserRecord::new(&username, &display, &email, new.role, String::new(), now);
        record.alternate_email = alternate;
        record.first_name = Some(first);
        record.last_name = Some(last);
        let (password, generated) = match new.password {
            PasswordChoice::Generate => (generate(self.settings.generated_password_len), true),
            PasswordChoice::Typed { password } => {
                check_typed(&password, &record, self.settings.min_password_len)
                    .map_err(|e| e.with_field("password"))?;
                (Secret::new(password), false)
            }
        };
        record.password_hash = self
            .hasher
            .hash(password.clone())
            .await
            .map_err(hash_failure)?;
        record.must_change_password = new.require_change;
        record.temp_password_expires_at = new
            .require_change
            .then_some(now + self.settings.temp_password_ttl_ms);
        // "Send email and close" works for a new user as for a reset.
        record.last_reset_by = Some(actor.id.clone());
        record.last_reset_at = Some(now);
        let mut audit = event(now, AuditAction::UserCreated, Some(actor), Some(&record));
        audit.generated = Some(generated);
        audit.must_change_password = Some(new.require_change);
        audit.email_to = recipients.clone();
        match self
            .store
            .insert_users_with_audit(std::slice::from_ref(&record), &[audit])
            .await
        {
            Ok(()) => {}
            // Lost a race for the username or address since the check.
            Err(StoreError::Duplicate) => {
                let field = if self.login_taken(&username, None).await? {
                    "username"
                } else {
                    "email"
                };
                return Err(taken(field));
            }
            Err(e) => return Err(store_failure(e)),
        }
        let (emails, delivered) = self
            .deliver(actor, &record, &password, now, &recipients)
            .await;
        self.record(&delivered.into_iter().collect::<Vec<_>>())
            .await;
        Ok(UserCreated {
            user: record.summary(now),
            password: password.expose().to_string(),
            generated,
            emails,
        })
    }

    /// Reads the target and checks the actor may `what` it.
    async fn managed(
        &self,
        actor: &UserRecord,
        id: &str,
        what: &str,
    ) -> Result<UserRecord, ApiError> {
        permissions::admin(actor)?;
        let target = self
            .store
            .user_by_id(id)
            .await
            .map_err(store_failure)?
            .ok_or_else(|| ApiError::not_found("That user"))?;
        permissions::manage(actor, &target, what)?;
        Ok(target)
    }

    /// Edits names, addresses or the role, if the record is still the one
    /// the admin saw (`edit.version`).
    pub async fn edit_user(
        &self,
        actor: &UserRecord,
        fresh: bool,
        id: &str,
        edit: UserEdit,
    ) -> Result<UserSummary, EditError> {
        let target = self.managed(actor, id, "edit").await?;
        let mut next = target.clone();
        if let Some(v) = &edit.first_name {
            next.first_name = Some(check_name(v, "first_name")?);
        }
        if let Some(v) = &edit.last_name {
            next.last_name = Some(check_name(v, "last_name")?);
        }
        if let Some(v) = &edit.display_name {
            next.display_name = check_name(v, "display_name")?;
        }
        if let Some(v) = &edit.username {
            next.username = check_username(v)?;
            if next.username != target.username
                && self.login_taken(&next.username, Some(id)).await?
            {
                return Err(taken("username").into());
            }
        }
        if let Some(v) = &edit.email {
            next.email = check_address(v, "email")?;
            if !next.email.eq_ignore_ascii_case(&target.email)
                && self
                    .login_taken(&next.email.to_lowercase(), Some(id))
                    .await?
            {
                return Err(taken("email").into());
            }
        }
        if let Some(v) = &edit.alternate_email {
            next.alternate_email = match v.trim() {
                "" => None,
                a => Some(check_address(a, "alternate_email")?),
            };
        }
        if let Some(role) = edit.role {
            permissions::assign_role(actor, fresh, Some(target.role), role)?;
            next.role = role;
        }
        let wanted = next;
        let written = self
            .update_user(target, |current, now| {
                if current.version != edit.version {
                    return Err(stale());
                }
                let mut next = current.clone();
                next.first_name.clone_from(&wanted.first_name);
                next.last_name.clone_from(&wanted.last_name);
                next.display_name.clone_from(&wanted.display_name);
                next.username.clone_from(&wanted.username);
                next.email.clone_from(&wanted.email);
                next.alternate_email.clone_from(&wanted.alternate_email);
                next.role = wanted.role;
                if next == *current {
                    return Ok(Change::Keep);
                }
                let audit = event(now, AuditAction::UserUpdated, Some(actor), Some(&next));
                Ok(Change::Write(next, vec![audit]))
            })
            .await;
        match written {
            Err(UpdateError::Store(StoreError::Duplicate)) => Err(taken("username").into()),
            other => self.edited(id, other).await,
        }
    }

    /// An edit's answer: the record written, or, when it had moved on
    /// (the `stale()` refusal), the record as it is now.
    pub(super) async fn edited(
        &self,
        id: &str,
        written: Result<UserRecord, UpdateError>,
    ) -> Result<UserSummary, EditError> {
        match written {
            Ok(user) => Ok(user.summary(self.now())),
            Err(UpdateError::Refused(e)) if e.code == ErrorCode::Conflict => {
                Err(EditError::Stale(Box::new(self.current_summary(id).await?)))
            }
            Err(e) => Err(e.into_api(|| ApiError::not_found("That user")).into()),
        }
    }

    async fn current_summary(&self, id: &str) -> Result<UserSummary, ApiError> {
        let user = self
            .store
            .user_by_id(id)
            .await
            .map_err(store_failure)?
            .ok_or_else(|| ApiError::not_found("That user"))?;
        Ok(user.summary(self.now()))
    }

    /// Blocks or unblocks sign-in. Blocking ends the user's sessions (and
    /// with them their apps' tokens) at once.
    pub async fn set_blocked(
        &self,
        actor: &UserRecord,
        id: &str,
        blocked: bool,
        version: u64,
    ) -> Result<UserSummary, EditError> {
        let target = self
            .managed(actor, id, if blocked { "block" } else { "unblock" })
            .await?;
        let written = self
            .update_user(target, |current, now| {
                if current.version != version {
                    return Err(stale());
                }
                // An admin blocking a user SCIM deactivated takes the block
                // over, so the provisioning system can no longer lift it.
                if current.blocked == blocked && !(blocked && current.blocked_by_scim) {
                    return Ok(Change::Keep);
                }
                let mut next = current.clone();
                next.blocked = blocked;
                next.blocked_by_scim = false;
                if blocked {
                    next.session_epoch += 1;
                }
                let action = if blocked {
                    AuditAction::UserBlocked
                } else {
                    AuditAction::UserUnblocked
                };
                let audit = event(now, action, Some(actor), Some(&next));
                Ok(Change::Write(next, vec![audit]))
            })
            .await;
        self.edited(id, written).await
    }

    /// Deletes the user: sessions end, the audit log keeps their name.
    pub async fn delete_user(&self, actor: &UserRecord, id: &str) -> Result<(), ApiError> {
        for _ in 0..super::update::MAX_WRITE_ATTEMPTS {
            let target = self.managed(actor, id, "delete").await?;
            let audit = event(
                self.now(),
                AuditAction::UserDeleted,
                Some(actor),
                Some(&target),
            );
            match self.store.delete_user(&target, &[audit]).await {
                Ok(()) => return Ok(()),
                Err(StoreError::Conflict) => continue,
                Err(StoreError::NotFound) => return Err(ApiError::not_found("That user")),
                Err(e) => return Err(store_failure(e)),
            }
        }
        Err(ApiError::new(
            ErrorCode::Conflict,
            "Someone else keeps changing this user. Try again.",
        ))
    }
}
