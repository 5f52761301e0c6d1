//! The SCIM use cases on plain users: read, list, create, replace, patch
//! and delete, each audited under the client's token.

use rekey_shared::{AuditAction, Role};
use serde_json::Value;

use super::resource::{apply_resource, field, set_attribute, text};
use super::{
    etag, parse_filter, scim_visible, store_error, Filter, ScimError, ScimRefusal, MAX_COUNT,
};
use crate::domain::audit::event;
use crate::domain::model::{ScimTokenRecord, UserRecord};
use crate::domain::update::{Change, UpdateError};
use crate::domain::Rekey;
use crate::ports::StoreError;

impl Rekey {
    async fn scim_user(&self, id: &str) -> Result<UserRecord, ScimError> {
        self.store
            .user_by_id(id)
            .await
            .map_err(store_error)?
            .filter(scim_visible)
            .ok_or_else(ScimError::not_found)
    }

    pub async fn scim_get(&self, id: &str) -> Result<UserRecord, ScimError> {
        self.scim_user(id).await
    }

    /// A list (RFC 7644 §3.4.2): `(total, page)`; `start` is 1-based.
    pub async fn scim_list(
        &self,
        filter: Option<&str>,
        start: usize,
        count: usize,
    ) -> Result<(usize, Vec<UserRecord>), ScimError> {
        let start = start.max(1);
        let count = count.min(MAX_COUNT);
        let matches: Vec<UserRecord> = match filter.map(parse_filter).transpose()? {
            // The whole directory: its count and one page, read as such.
            None => {
                let total = self.store.count_plain_users().await.map_err(store_error)?;
                let page = match count {
                    0 => Vec::new(),
                    _ => self
                        .store
                        .plain_users_page(start as u64 - 1, count)
                        .await
                        .map_err(store_error)?,
                };
                return Ok((total as usize, page));
            }
            Some(Filter::UserName(v)) | Some(Filter::Email(v)) => {
                let found = self.store.user_by_login(&v).await.map_err(store_error)?;
                found.into_iter().filter(scim_visible).collect()
            }
            Some(Filter::Id(id)) => self.scim_user(&id).await.into_iter().collect(),
            Some(Filter::ExternalId(id)) => self
                .store
                .users_by_external_id(&id)
                .await
                .map_err(store_error)?
                .into_iter()
                .filter(scim_visible)
                .collect(),
            Some(Filter::DisplayNameStartsWith(prefix)) => {
                let (total, page) = self
                    .store
                    .plain_users_by_name_prefix(&prefix, start as u64 - 1, count)
                    .await
                    .map_err(store_error)?;
                return Ok((total as usize, page));
            }
        };
        let total = matches.len();
        let page = matches.into_iter().skip(start - 1).take(count).collect();
        Ok((total, page))
    }

    pub async fn scim_create(
        &self,
        client: &ScimTokenRecord,
        resource: &Value,
    ) -> Result<UserRecord, ScimError> {
        let now = self.now();
        let mut user = UserRecord::new("", "", "", Role::User, String::new(), now);
        apply_resource(&mut user, resource, true)?;
        if user.username.is_empty() {
            return Err(ScimError::invalid("userName is required."));
        }
        if user.email.is_empty() {
            return Err(ScimError::invalid("A user needs an email address."));
        }
        // A user principal name may be someone else's email (and an email
        // someone's username): either would make one sign-in name mean two
        // people, so both are looked up as logins.
        for login in [user.username.clone(), user.email.to_lowercase()] {
            if self
                .store
                .user_by_login(&login)
                .await
                .map_err(store_error)?
                .is_some()
            {
                return Err(ScimError::new(
                    ScimRefusal::Uniqueness,
                    "That userName or email is taken.",
                ));
            }
        }
        // No password from SCIM: a random one nobody knows, until an admin
        // sends a one-time link or resets it.
        let unknown = crate::domain::password::generate(32);
        user.password_hash = self.hasher.hash(unknown).await.map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            ScimError::new(ScimRefusal::Internal, "Something went wrong on our side.")
        })?;
        let mut audit = event(now, AuditAction::UserCreated, None, Some(&user));
        audit.app = Some(client.audit_app());
        match self
            .store
            .insert_users_with_audit(std::slice::from_ref(&user), &[audit])
            .await
        {
            Ok(()) => {}
            Err(StoreError::Duplicate) => {
                return Err(ScimError::new(
                    ScimRefusal::Uniqueness,
                    "That userName or email is taken.",
                ))
            }
            Err(e) => return Err(store_error(e)),
        }
        Ok(user)
    }

    /// PUT or PATCH: `change` edits the stored record; `if_match` is an
    /// ETag the record must still have.
    pub async fn scim_update(
        &self,
        client: &ScimTokenRecord,
        id: &str,
        if_match: Option<&str>,
        change: impl Fn(&mut UserRecord) -> Result<(), ScimError>,
    ) -> Result<UserRecord, ScimError> {
        let user = self.scim_user(id).await?;
        let written = self
            .update_user(user, |current, now| {
                // Again on every attempt: the user may have become an admin
                // since the last read, and SCIM never touches admins.
                if !scim_visible(current) {
                    return Err(ScimError::not_found());
                }
                if if_match.is_some_and(|tag| tag != "*" && tag != etag(current)) {
                    return Err(ScimError::new(
                        ScimRefusal::PreconditionFailed,
                        "The resource changed (ETag).",
                    ));
                }
                let mut next = current.clone();
                change(&mut next)?;
                // SCIM lifts only a block it set itself: an admin's block
                // stays until an admin lifts it.
                if current.blocked && !current.blocked_by_scim {
                    next.blocked = true;
                }
                if next.blocked && !current.blocked {
                    next.blocked_by_scim = true;
                    next.session_epoch += 1;
                }
                if !next.blocked {
                    next.blocked_by_scim = false;
                }
                if next == *current {
                    return Ok(Change::Keep);
                }
                let action = match (current.blocked, next.blocked) {
                    (false, true) => AuditAction::UserBlocked,
                    (true, false) => AuditAction::UserUnblocked,
                    _ => AuditAction::UserUpdated,
                };
                let mut audit = event(now, action, None, Some(&next));
                audit.app = Some(client.audit_app());
                Ok(Change::Write(next, vec![audit]))
            })
            .await;
        match written {
            Ok(user) => Ok(user),
            Err(UpdateError::Refused(e)) => Err(e),
            Err(UpdateError::Store(StoreError::Duplicate)) => Err(ScimError::new(
                ScimRefusal::Uniqueness,
                "That userName or email is taken.",
            )),
            Err(UpdateError::Gone) => Err(ScimError::not_found()),
            Err(UpdateError::Contended) => Err(ScimError::new(
                ScimRefusal::Conflict,
                "The user keeps changing; try again.",
            )),
            Err(UpdateError::Store(e)) => Err(store_error(e)),
        }
    }

    pub async fn scim_replace(
        &self,
        client: &ScimTokenRecord,
        id: &str,
        if_match: Option<&str>,
        resource: &Value,
    ) -> Result<UserRecord, ScimError> {
        self.scim_update(client, id, if_match, |user| {
            let display = user.display_name.clone();
            user.display_name.clear();
            apply_resource(user, resource, true)?;
            if user.display_name.is_empty() {
                user.display_name = display;
            }
            Ok(())
        })
        .await
    }

    pub async fn scim_patch(
        &self,
        client: &ScimTokenRecord,
        id: &str,
        if_match: Option<&str>,
        body: &Value,
    ) -> Result<UserRecord, ScimError> {
        let ops = field(body, "Operations")
            .and_then(Value::as_array)
            .ok_or_else(|| ScimError::invalid("A PATCH needs Operations."))?
            .clone();
        self.scim_update(client, id, if_match, move |user| {
            for op in &ops {
                let kind = text(field(op, "op"), "op")?
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let path = text(field(op, "path"), "path")?;
                let value = field(op, "value").cloned().unwrap_or(Value::Null);
                match (kind.as_str(), path) {
                    ("add" | "replace", None) => apply_resource(user, &value, false)?,
                    ("add" | "replace", Some(path)) => set_attribute(user, &path, &value)?,
                    ("remove", Some(path)) => match path.to_ascii_lowercase().as_str() {
                        "name.givenname" => user.first_name = None,
                        "name.familyname" => user.last_name = None,
                        "name" => {
                            user.first_name = None;
                            user.last_name = None;
                        }
                        "emails[type eq \"other\"]" | "emails[type eq \"other\"].value" => {
                            user.alternate_email = None
                        }
                        "externalid" => user.external_id = None,
                        // Back to what a user without one shows.
                        "displayname" => {
                            user.display_name = match (&user.first_name, &user.last_name) {
                                (Some(g), Some(f)) => format!("{g} {f}"),
                                _ => user.username.clone(),
                            }
                        }
                        // Absent means active (RFC 7643 leaves it to the service).
                        "active" => user.blocked = false,
                        "username"
                        | "emails"
                        | "emails[type eq \"work\"]"
                        | "emails[type eq \"work\"].value" => {
                            return Err(ScimError::new(
                                ScimRefusal::Mutability,
                                format!("{path:?} is required and can't be removed."),
                            ))
                        }
                        // Not kept, so already absent.
                        _ => {}
                    },
                    _ => {
                        return Err(ScimError::invalid(format!(
                            "Unsupported operation {kind:?}."
                        )))
                    }
                }
            }
            Ok(())
        })
        .await
    }

    pub async fn scim_delete(
        &self,
        client: &ScimTokenRecord,
        id: &str,
        if_match: Option<&str>,
    ) -> Result<(), ScimError> {
        for _ in 0..crate::domain::update::MAX_WRITE_ATTEMPTS {
            let user = self.scim_user(id).await?;
            if if_match.is_some_and(|tag| tag != "*" && tag != etag(&user)) {
                return Err(ScimError::new(
                    ScimRefusal::PreconditionFailed,
                    "The resource changed (ETag).",
                ));
            }
            let mut audit = event(self.now(), AuditAction::UserDeleted, None, Some(&user));
            audit.app = Some(client.audit_app());
            match self.store.delete_user(&user, &[audit]).await {
                Ok(()) => return Ok(()),
                Err(StoreError::Conflict) => continue,
                Err(StoreError::NotFound) => return Err(ScimError::not_found()),
                Err(e) => return Err(store_error(e)),
            }
        }
        Err(ScimError::new(
            ScimRefusal::Conflict,
            "The user keeps changing; try again.",
        ))
    }
}
