//! "Forgot your password?": a user asks; the admins who may reset them are
//! emailed; the request waits in the admin center until a reset resolves it.
//!
//! The caller learns nothing: the API answers before any of this runs, and
//! unknown accounts, limits and faults all end silently here.

use rekey_shared::{ApiError, AuditAction, Role, UserSummary};
use sha2::{Digest, Sha256};

use super::audit::event;
use super::emails::{escape_html, format_time};
use super::signin::{backoff, MAX_WRITE_ATTEMPTS};
use super::{store_failure, user::UserRecord, Rekey};
use crate::ports::{OutgoingEmail, StoreError};

const MINUTE_MS: i64 = 60_000;
/// At most one request per 15 minutes and five per day, per account and
/// per client address.
pub const LIMITS: [(i64, u64); 2] = [(15 * MINUTE_MS, 1), (24 * 60 * MINUTE_MS, 5)];
const ADMIN_ROLES: [Role; 3] = [Role::PasswordAdmin, Role::HelpdeskAdmin, Role::GlobalAdmin];

fn address_key(client: &str) -> String {
    // Only a hash of the address is kept, and only for a day.
    let digest = Sha256::digest(client.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("addr:{hex}")
}

impl Rekey {
    async fn within_limits(&self, key: &str, now: i64) -> Result<bool, StoreError> {
        for (window, max) in LIMITS {
            if self.store.count_attempts(key, now - window).await? >= max {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Handles one request; never reports back to the requester.
    pub async fn request_reset(&self, login: &str, client: &str) {
        if let Err(e) = self.try_request_reset(login, client).await {
            tracing::warn!(error = %e, "a reset request could not be handled");
        }
    }

    async fn try_request_reset(&self, login: &str, client: &str) -> Result<(), StoreError> {
        let now = self.now();
        let addr = address_key(client);
        let address_ok = self.within_limits(&addr, now).await?;
        self.store.record_attempt(&addr, now).await?;
        self.store.purge_attempts(now - LIMITS[1].0).await?;
        let login = login.trim().to_lowercase();
        if !address_ok || login.is_empty() || login.len() > 254 {
            return Ok(());
        }
        let Some(mut user) = self.store.user_by_login(&login).await? else {
            return Ok(());
        };
        let account = format!("acct:{}", user.id);
        if !self.within_limits(&account, now).await? {
            return Ok(());
        }
        self.store.record_attempt(&account, now).await?;

        for attempt in 0..MAX_WRITE_ATTEMPTS {
            let mut next = user.clone();
            next.reset_requested_at = Some(now);
            let audit = event(now, AuditAction::ResetRequested, Some(&user), Some(&user));
            match self.store.update_user(&next, &[audit]).await {
                Ok(version) => {
                    next.version = version;
                    user = next;
                    break;
                }
                Err(StoreError::Conflict) => {
                    backoff(attempt).await;
                    user = self
                        .store
                        .user_by_id(&user.id)
                        .await?
                        .ok_or(StoreError::NotFound)?;
                }
                Err(e) => return Err(e),
            }
        }

        let admins = self.admins_for(&user).await?;
        for admin in &admins {
            if let Err(e) = self
                .mailer
                .send(&self.request_email(admin, &user, now))
                .await
            {
                tracing::warn!(error = %e, admin = %admin.id, "reset request email failed");
            }
        }
        Ok(())
    }

    /// The admins who may reset `user` (by the role table; never the user).
    pub async fn admins_for(&self, user: &UserRecord) -> Result<Vec<UserRecord>, StoreError> {
        Ok(self
            .store
            .users_with_roles(&ADMIN_ROLES)
            .await?
            .into_iter()
            .filter(|a| a.id != user.id && a.role.can_reset(user.role))
            .collect())
    }

    fn request_email(&self, admin: &UserRecord, user: &UserRecord, at: i64) -> OutgoingEmail {
        let link = format!(
            "{}#/users/{}/reset",
            self.settings.public_url.trim_end_matches('/').to_string() + "/",
            user.id
        );
        let when = format_time(at);
        let e = escape_html;
        OutgoingEmail {
            to: admin.email.clone(),
            subject: format!("{} asked for a new password", user.display_name),
            text: format!(
                "Hello {},\n\n{} ({}) asked for a new password on {}.\n\nReset it here: {}\n\n\
                 If you don't know about this request, you can ignore it: nothing changes until an admin resets the password.\n",
                admin.display_name, user.display_name, user.username, when, link
            ),
            html: format!(
                "<!doctype html><html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#242424\">\
                 <p>Hello {},</p><p><strong>{}</strong> ({}) asked for a new password on {}.</p>\
                 <p><a href=\"{}\">Open the reset pane for {}</a></p>\
                 <p style=\"color:#616161\">If you don't know about this request, you can ignore it: nothing changes until an admin resets the password.</p>\
                 </body></html>",
                e(&admin.display_name), e(&user.display_name), e(&user.username), e(&when), e(&link), e(&user.display_name)
            ),
        }
    }

    /// Pending requests the admin may act on, newest first.
    pub async fn pending_requests(&self, actor: &UserRecord) -> Result<Vec<UserSummary>, ApiError> {
        super::directory::require_admin(actor)?;
        let now = self.now();
        Ok(self
            .store
            .pending_reset_requests(200)
            .await
            .map_err(store_failure)?
            .into_iter()
            .filter(|u| u.id != actor.id && actor.role.can_reset(u.role))
            .map(|u| u.summary(now))
            .collect())
    }
}
