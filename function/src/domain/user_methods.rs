//! A user's "Authentication methods" as her admin manages them, by the
//! role table (who may reset whom may do this): list, remove one, require
//! re-registration (remove them all), revoke sessions (every session and
//! app token ends). Each is audited and told to the user.

use rekey_shared::{ApiError, AuditAction, BulkActionItem, BulkActionResponse, UserMethods};

use super::audit::event;
use super::methods::registered;
use super::model::UserRecord;
use super::security_notices::AdminChange;
use super::update::Change;
use super::{store_failure, temporary_pass, Rekey};

/// Most users one bulk action takes.
pub const MAX_BULK: usize = 1_000;

impl Rekey {
    async fn user_methods_of(&self, user: &UserRecord) -> Result<UserMethods, ApiError> {
        let now = self.now();
        Ok(UserMethods {
            methods: registered(&self.methods(user).await?),
            temporary_pass: user
                .temporary_pass
                .as_ref()
                .filter(|t| t.expires_at > now)
                .map(temporary_pass::info),
        })
    }

    /// `target_id`'s methods, for an admin who may reset her.
    pub async fn user_methods(
        &self,
        actor: &UserRecord,
        target_id: &str,
    ) -> Result<UserMethods, ApiError> {
        let target = self.resettable(actor, target_id).await?;
        self.user_methods_of(&target).await
    }

    /// Removes one of `target_id`'s methods (a lost phone, a lost key).
    pub async fn remove_user_method(
        &self,
        actor: &UserRecord,
        target_id: &str,
        method_id: &str,
    ) -> Result<UserMethods, ApiError> {
        let target = self.resettable(actor, target_id).await?;
        let now = self.now();
        let removed = self
            .remove_method_record(actor, &target, method_id, now)
            .await?;
        let change = AdminChange::MethodRemoved { name: removed.name };
        self.notify_admin_change(&target, actor, change, now).await;
        self.user_methods_of(&target).await
    }

    /// "Require re-register MFA": every method of hers goes; she registers
    /// anew at her next sign-in (when the policy asks it of her).
    pub async fn require_reregistration(
        &self,
        actor: &UserRecord,
        target_id: &str,
    ) -> Result<UserMethods, ApiError> {
        let target = self.resettable(actor, target_id).await?;
        let now = self.now();
        let methods = self.methods(&target).await?;
        for method in &methods {
            let mut removed = event(now, AuditAction::MethodRemoved, Some(actor), Some(&target));
            removed.method = Some(super::methods::audit_method(method));
            // Unfinished registrations go too, unaudited: they counted for nothing.
            let audit = if method.confirmed_at.is_some() {
                vec![removed]
            } else {
                Vec::new()
            };
            match self
                .store
                .delete_method(&target.id, &method.id, &audit)
                .await
            {
                Ok(()) | Err(crate::ports::StoreError::NotFound) => {}
                Err(e) => return Err(store_failure(e)),
            }
        }
        let audit = event(
            now,
            AuditAction::MfaReregistrationRequired,
            Some(actor),
            Some(&target),
        );
        self.record(&[audit]).await;
        self.notify_admin_change(&target, actor, AdminChange::Reregister, now)
            .await;
        self.user_methods_of(&target).await
    }

    /// Ends every session and app token of `target_id`'s (her session
    /// epoch moves on; codes and tokens carry the old one).
    pub async fn revoke_sessions(
        &self,
        actor: &UserRecord,
        target_id: &str,
    ) -> Result<(), ApiError> {
        let target = self.resettable(actor, target_id).await?;
        let written = self
            .update_user(target, |current, now| {
                let mut next = current.clone();
                next.session_epoch += 1;
                let audit = event(now, AuditAction::SessionsRevoked, Some(actor), Some(&next));
                Ok::<_, ApiError>(Change::Write(next, vec![audit]))
            })
            .await
            .map_err(|e| e.into_api(|| ApiError::not_found("That user")))?;
        self.notify_admin_change(&written, actor, AdminChange::SessionsRevoked, self.now())
            .await;
        Ok(())
    }

    /// "Require re-register MFA" for each selected user: a result each.
    pub async fn bulk_require_reregistration(
        &self,
        actor: &UserRecord,
        user_ids: &[String],
    ) -> Result<BulkActionResponse, ApiError> {
        super::permissions::admin(actor)?;
        if user_ids.is_empty() || user_ids.len() > MAX_BULK {
            return Err(ApiError::new(
                rekey_shared::ErrorCode::TooManyUsers,
                format!("Select 1 to {MAX_BULK} users."),
            )
            .with_field("user_ids"));
        }
        let mut results = Vec::with_capacity(user_ids.len());
        for id in user_ids {
            let error = self.require_reregistration(actor, id).await.err();
            results.push(BulkActionItem {
                user_id: id.clone(),
                error,
            });
        }
        let failed = results.iter().filter(|r| r.error.is_some()).count();
        Ok(BulkActionResponse {
            succeeded: results.len() - failed,
            failed,
            results,
        })
    }
}
