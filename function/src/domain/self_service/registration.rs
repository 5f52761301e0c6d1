//! Registration at sign-in: a user in scope without enough methods to
//! reset her own password is asked to register them on Security info, and
//! one with enough to confirm they are current every so many days. She
//! may skip it three times; then only registering (or confirming) ends
//! the ask.

use rekey_shared::{ApiError, ErrorCode, SecurityInfoDue};

use super::{enough, gates_for, in_scope, usable};
use crate::domain::model::{SecurityInfoCheck, UserRecord};
use crate::domain::update::Change;
use crate::domain::Rekey;

pub const MAX_SKIPS: u8 = 3;
const DAY_MS: i64 = 24 * 3_600_000;

fn nothing_due() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidRequest,
        "There is nothing to skip: your security info is current.",
    )
}

impl Rekey {
    /// What self-service reset asks of `user` now, if anything. A fault
    /// asks nothing (it never stands between her and her sign-in).
    pub(crate) async fn security_info_due(&self, user: &UserRecord) -> Option<SecurityInfoDue> {
        match self.try_security_info_due(user).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = ?e, "could not tell whether security info is due");
                None
            }
        }
    }

    async fn try_security_info_due(
        &self,
        user: &UserRecord,
    ) -> Result<Option<SecurityInfoDue>, ApiError> {
        let settings = self.current_reset_settings().await?.settings;
        if !in_scope(&settings, user.role) {
            return Ok(None);
        }
        let methods = self.methods(user).await?;
        let check = user.security_info_check.unwrap_or_default();
        let skips_left = MAX_SKIPS.saturating_sub(check.skips);
        if !enough(
            &usable(&settings, &methods),
            gates_for(&settings, user.role),
        ) {
            return Ok(settings.require_registration.then_some(SecurityInfoDue {
                register: true,
                skips_left,
            }));
        }
        if settings.reconfirm_days == 0 {
            return Ok(None);
        }
        // Registering a method counts as confirming.
        let last = methods
            .iter()
            .filter_map(|m| m.confirmed_at)
            .chain(check.confirmed_at)
            .max()
            .unwrap_or(user.created_at);
        let due = self.now() - last >= i64::from(settings.reconfirm_days) * DAY_MS;
        Ok(due.then_some(SecurityInfoDue {
            register: false,
            skips_left,
        }))
    }

    /// "Skip for now": counted; `403` once the three are spent.
    pub async fn skip_security_info(&self, user: &UserRecord) -> Result<(), ApiError> {
        let due = self
            .try_security_info_due(user)
            .await?
            .ok_or_else(nothing_due)?;
        if due.skips_left == 0 {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "You have skipped this three times: register your security info now.",
            ));
        }
        self.write_check(user, |c, _| c.skips = c.skips.saturating_add(1))
            .await
    }

    /// "Looks good": her methods are current (and enough of them).
    pub async fn confirm_security_info(&self, user: &UserRecord) -> Result<(), ApiError> {
        if self
            .try_security_info_due(user)
            .await?
            .is_some_and(|due| due.register)
        {
            return Err(ApiError::new(
                ErrorCode::MethodRegistrationRequired,
                "Register enough methods to reset your password yourself first.",
            ));
        }
        self.write_check(user, |c, now| {
            c.confirmed_at = Some(now);
            c.skips = 0;
        })
        .await
    }

    async fn write_check(
        &self,
        user: &UserRecord,
        change: impl Fn(&mut SecurityInfoCheck, i64),
    ) -> Result<(), ApiError> {
        self.update_user(user.clone(), |current, now| {
            let mut next = current.clone();
            let mut check = current.security_info_check.unwrap_or_default();
            change(&mut check, now);
            next.security_info_check = Some(check);
            Ok::<_, ApiError>(Change::Write(next, Vec::new()))
        })
        .await
        .map(|_| ())
        .map_err(|e| e.into_api(ApiError::internal))
    }
}
