//! The end of a self-service reset, once every gate is passed: her new
//! password (the policy's, the reason on refusal), or her account
//! unlocked with the password she has. Either is audited with the
//! methods she proved herself with, and counted in the hourly limit.

use rekey_shared::{ApiError, AuditAction, ErrorCode, Role};

use super::{flow_ended, Limit};
use crate::domain::audit::event;
use crate::domain::emails::{escape_html, format_time};
use crate::domain::hashing::hash_failure;
use crate::domain::model::{Ceremony, ResetFlow, UserRecord};
use crate::domain::password::check_typed;
use crate::domain::secret::Secret;
use crate::domain::update::Change;
use crate::domain::Rekey;
use crate::ports::OutgoingEmail;

fn gates_due() -> ApiError {
    ApiError::new(
        ErrorCode::Forbidden,
        "Prove it's you first: a gate is still to pass.",
    )
}

impl Rekey {
    /// Her new password: sessions end (the epoch moves on, and with it
    /// every app's code and token), must-change is cleared (she chose
    /// it), a pending request to the admins is resolved, the lock lifts.
    pub async fn self_service_password(&self, token: &str, new: Secret) -> Result<(), ApiError> {
        let (ceremony, flow) = self.take_flow(token).await?;
        self.finished(ceremony, &flow, self.set_own_password(&flow, new))
            .await
    }

    /// "Unlock my account": the lock lifts, the password stays.
    pub async fn self_service_unlock(&self, token: &str) -> Result<(), ApiError> {
        let (ceremony, flow) = self.take_flow(token).await?;
        self.finished(ceremony, &flow, self.unlock_own_account(&flow))
            .await
    }

    /// Spends the flow on success; puts it back for another try when the
    /// password was refused or a limit was reached.
    async fn finished(
        &self,
        ceremony: Ceremony,
        flow: &ResetFlow,
        done: impl std::future::Future<Output = Result<(), ApiError>>,
    ) -> Result<(), ApiError> {
        let result = done.await;
        if result.is_err() {
            self.put_flow(ceremony, flow.clone()).await;
        }
        result
    }

    /// The flow's account, with every gate passed and the hour's limit
    /// not spent.
    async fn proven_user(&self, flow: &ResetFlow) -> Result<UserRecord, ApiError> {
        if flow.user_id.is_none() || flow.remaining() > 0 {
            return Err(gates_due());
        }
        self.flow_user(flow).await?.ok_or_else(flow_ended)
    }

    async fn set_own_password(&self, flow: &ResetFlow, new: Secret) -> Result<(), ApiError> {
        let user = self.proven_user(flow).await?;
        check_typed(new.expose(), &user, self.settings.min_password_len)
            .map_err(|e| e.with_field("new_password"))?;
        self.take_limit(Limit::Reset, &flow.limit_key).await?;
        let hash = self.hasher.hash(new).await.map_err(hash_failure)?;
        let mut at = 0;
        let next = self
            .update_user(user, |current, now| {
                if current.session_epoch != flow.epoch || current.blocked {
                    return Err(flow_ended());
                }
                at = now;
                let mut next = current.clone();
                next.take_chosen_password(&hash);
                next.reset_link = None;
                let mut audit = event(
                    now,
                    AuditAction::PasswordResetSelfService,
                    Some(current),
                    Some(current),
                );
                audit.verified_with.clone_from(&flow.verified);
                audit.resolved_request = current.reset_requested_at.is_some();
                Ok(Change::Write(next, vec![audit]))
            })
            .await
            .map_err(|e| e.into_api(flow_ended))?;
        self.notify_password_changed(&next, None, at).await;
        if next.role.is_admin() {
            self.tell_admins_of_admin_reset(&next, at).await;
        }
        Ok(())
    }

    async fn unlock_own_account(&self, flow: &ResetFlow) -> Result<(), ApiError> {
        let user = self.proven_user(flow).await?;
        self.take_limit(Limit::Reset, &flow.limit_key).await?;
        self.update_user(user, |current, now| {
            if current.session_epoch != flow.epoch || current.blocked {
                return Err(flow_ended());
            }
            let mut next = current.clone();
            next.failed_sign_ins = 0;
            next.locked_until = None;
            next.lockouts = 0;
            let mut audit = event(
                now,
                AuditAction::AccountUnlockedSelfService,
                Some(current),
                Some(current),
            );
            audit.verified_with.clone_from(&flow.verified);
            Ok(Change::Write(next, vec![audit]))
        })
        .await
        .map_err(|e| e.into_api(flow_ended))?;
        Ok(())
    }

    /// "Notify all admins when other admins reset their password": the
    /// global admins, but not herself. A failed delivery is logged.
    async fn tell_admins_of_admin_reset(&self, admin: &UserRecord, at: i64) {
        let Ok(settings) = self.current_reset_settings().await else {
            return;
        };
        if !settings.settings.notify_admins_on_admin_reset {
            return;
        }
        let globals = match self.store.users_with_roles(&[Role::GlobalAdmin]).await {
            Ok(users) => users,
            Err(e) => {
                tracing::warn!(error = %e, "the admins could not be told of a self-service reset");
                return;
            }
        };
        for to in globals.iter().filter(|g| g.id != admin.id && !g.blocked) {
            let email = admin_reset_email(to, admin, at, self.settings.default_language);
            if let Err(e) = self.mailer.send(&email).await {
                tracing::warn!(error = %e, admin = %to.id, "self-service reset notice failed");
            }
        }
    }
}

fn admin_reset_email(
    to: &UserRecord,
    admin: &UserRecord,
    at: i64,
    default: rekey_shared::Lang,
) -> OutgoingEmail {
    let lang = to.language(default);
    let w = lang.emails();
    let what = (w.self_reset)(&admin.display_name, &admin.username, &format_time(at, lang));
    OutgoingEmail {
        to: to.email.clone(),
        subject: (w.self_reset_subject)(&admin.display_name),
        text: format!("{what}\n\n{}\n", w.self_reset_check),
        html: format!(
            "<!doctype html><html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#242424\">\
             <p>{}</p><p>{}</p></body></html>",
            escape_html(&what),
            escape_html(w.self_reset_check)
        ),
    }
}
