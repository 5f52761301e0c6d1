//! "Forgot your password?": a user asks; the admins who may reset them are
//! emailed; the request waits in the admin center until a reset resolves it.
//!
//! The caller learns nothing: the API answers before any of this runs, and
//! unknown accounts, limits and faults all end silently here.

use rekey_shared::{ApiError, AuditAction, AuditEvent, Role, UserSummary};
use sha2::{Digest, Sha256};

use super::audit::event;
use super::audit_log::AuditQuery;
use super::emails::RequestEmail;
use super::update::{Change, UpdateError};
use super::{model::UserRecord, store_failure, Rekey};
use crate::ports::StoreError;

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 24 * 60 * MINUTE_MS;
/// Per account: at most one request per 15 minutes and five per day.
pub const ACCOUNT_LIMITS: [(i64, u64); 2] = [(15 * MINUTE_MS, 1), (DAY_MS, 5)];
/// The window of the per-address flood guard, whose size is a setting
/// (`Settings::requests_per_address`): a whole office behind one NAT
/// address must never be silently dropped, only a flood.
pub const ADDRESS_WINDOW_MS: i64 = 15 * MINUTE_MS;
const ADMIN_ROLES: [Role; 3] = [Role::PasswordAdmin, Role::HelpdeskAdmin, Role::GlobalAdmin];

fn address_key(client: &str) -> String {
    // Only a hash of the address is kept, and only for a day.
    let digest = Sha256::digest(client.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("addr:{hex}")
}

impl Rekey {
    pub(crate) async fn within_limits(
        &self,
        key: &str,
        now: i64,
        limits: &[(i64, u64)],
    ) -> Result<bool, StoreError> {
        for &(window, max) in limits {
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
        let flood_guard = [(ADDRESS_WINDOW_MS, self.settings.requests_per_address)];
        let address_ok = self.within_limits(&addr, now, &flood_guard).await?;
        self.store.record_attempt(&addr, now).await?;
        self.store.purge_attempts(now - DAY_MS).await?;
        let login = login.trim().to_lowercase();
        if !address_ok || login.is_empty() || login.len() > 254 {
            return Ok(());
        }
        // A blocked account gets the same answer, and nothing is done.
        let Some(user) = self
            .store
            .user_by_login(&login)
            .await?
            .filter(|u| !u.blocked)
        else {
            return Ok(());
        };
        let account = format!("acct:{}", user.id);
        if !self.within_limits(&account, now, &ACCOUNT_LIMITS).await? {
            return Ok(());
        }
        self.store.record_attempt(&account, now).await?;

        // Only a stored request is worth an email: when the write fails or
        // keeps losing its race, nobody is told of a request that isn't there.
        let user = match self
            .update_user(user, |current, now| {
                let mut next = current.clone();
                next.reset_requested_at = Some(now);
                let audit = event(
                    now,
                    AuditAction::ResetRequested,
                    Some(current),
                    Some(current),
                );
                Ok::<_, rekey_shared::ApiError>(Change::Write(next, vec![audit]))
            })
            .await
        {
            Ok(user) => user,
            Err(UpdateError::Store(e)) => return Err(e),
            Err(e) => {
                tracing::warn!(error = ?e, "a reset request was not stored; nobody is emailed");
                return Ok(());
            }
        };

        let admins = self.admins_for(&user).await?;
        for admin in &admins {
            if let Err(e) = self
                .mailer
                .send(
                    &RequestEmail {
                        admin,
                        user: &user,
                        at: now,
                        public_url: &self.settings.public_url,
                        lang: admin.language(self.settings.default_language),
                    }
                    .to_admin(),
                )
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
            .filter(|a| super::permissions::resets(a, user))
            .collect())
    }

    /// Requests their users resolved themselves (a self-service reset)
    /// in the last 7 days, newest first: the ones the admin may act on.
    pub async fn self_resolved_requests(
        &self,
        actor: &UserRecord,
    ) -> Result<Vec<AuditEvent>, ApiError> {
        super::permissions::admin(actor)?;
        let query = AuditQuery {
            action: Some(AuditAction::PasswordResetSelfService),
            from: Some(self.now() - 7 * DAY_MS),
            ..AuditQuery::default()
        };
        let page = self.audit_log(actor, &query, None, 50).await?;
        let mut out = Vec::new();
        for e in page.events.into_iter().filter(|e| e.resolved_request) {
            let Some(target) = &e.target else { continue };
            let user = self
                .store
                .user_by_id(&target.id)
                .await
                .map_err(store_failure)?;
            if user.is_some_and(|u| super::permissions::resets(actor, &u)) {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Pending requests the admin may act on, newest first.
    pub async fn pending_requests(&self, actor: &UserRecord) -> Result<Vec<UserSummary>, ApiError> {
        super::permissions::admin(actor)?;
        let now = self.now();
        Ok(self
            .store
            .pending_reset_requests(200)
            .await
            .map_err(store_failure)?
            .into_iter()
            .filter(|u| super::permissions::resets(actor, u))
            .map(|u| u.summary(now))
            .collect())
    }
}
