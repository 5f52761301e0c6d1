//! The sign-in log and the admin's answer to "why can't she sign in?":
//! every attempt on an account is kept 30 days (result, address, browser,
//! app), shown with the lock status, and an admin who may reset the user
//! may lift a lock without touching the password.

use rekey_shared::{
    ApiError, AuditAction, AuditApp, ErrorCode, SignInEntry, SignInLog, SignInResult, UserSummary,
};

use super::audit::event;
use super::people::EditError;
use super::update::Change;
use super::{store_failure, Rekey};
use crate::domain::model::UserRecord;
use crate::ports::sign_in_log::SIGN_IN_LOG_DAYS;

const DAY_MS: i64 = 24 * 3600 * 1000;
/// Most entries the tab shows.
const SHOWN: usize = 100;
const MAX_USER_AGENT: usize = 200;

/// Where an attempt came from.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    pub client: &'a str,
    pub user_agent: Option<&'a str>,
}

/// What the log says of a sign-in's outcome; `None` for refusals made
/// before any account was looked at (throttled, busy).
pub fn result_of<T>(outcome: &Result<T, ApiError>) -> Option<SignInResult> {
    Some(match outcome {
        Ok(_) => SignInResult::Success,
        Err(e) => match e.code {
            ErrorCode::InvalidCredentials => SignInResult::WrongPassword,
            ErrorCode::AccountLocked => SignInResult::Locked,
            ErrorCode::AccountBlocked => SignInResult::Blocked,
            ErrorCode::TemporaryPasswordExpired => SignInResult::TemporaryPasswordExpired,
            _ => return None,
        },
    })
}

impl Rekey {
    /// Adds an entry under `owner`; a failure is logged, never raised: the
    /// sign-in it describes stands either way.
    pub(crate) async fn log_sign_in(
        &self,
        owner: &str,
        result: SignInResult,
        attempt: &Attempt<'_>,
        app: Option<AuditApp>,
    ) {
        let at = self.now();
        let entry = SignInEntry {
            id: format!("{at:013}-{}", uuid::Uuid::new_v4().simple()),
            at,
            result,
            client: Some(attempt.client.to_string()).filter(|c| !c.is_empty()),
            user_agent: attempt.user_agent.map(|ua| {
                ua.chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_USER_AGENT)
                    .collect()
            }),
            app,
        };
        if let Err(e) = self.store.append_sign_in(owner, &entry).await {
            tracing::error!(error = %e, "could not record a sign-in");
        }
    }

    /// The user's sign-ins of the last 30 days and her lock status, for an
    /// admin who may reset her.
    pub async fn sign_in_log(&self, actor: &UserRecord, id: &str) -> Result<SignInLog, ApiError> {
        let user = self.resettable(actor, id).await?;
        let now = self.now();
        let entries = self
            .store
            .sign_ins(&user.id, now - SIGN_IN_LOG_DAYS * DAY_MS, SHOWN)
            .await
            .map_err(store_failure)?;
        Ok(SignInLog {
            entries,
            locked_until: user.locked_until.filter(|until| *until > now),
            failed_sign_ins: u64::from(user.failed_sign_ins),
            blocked: user.blocked,
        })
    }

    /// Lifts a lock (and forgets the failures) without a new password:
    /// for a user who knows her password but tried it too often.
    pub async fn unlock(
        &self,
        actor: &UserRecord,
        id: &str,
        version: u64,
    ) -> Result<UserSummary, EditError> {
        let target = self.resettable(actor, id).await?;
        let written = self
            .update_user(target, |current, now| {
                if current.version != version {
                    return Err(super::people::stale());
                }
                if current.failed_sign_ins == 0 && !current.is_locked(now) {
                    return Ok(Change::Keep);
                }
                let mut next = current.clone();
                next.failed_sign_ins = 0;
                next.locked_until = None;
                next.lockouts = 0;
                let audit = event(now, AuditAction::AccountUnlocked, Some(actor), Some(&next));
                Ok(Change::Write(next, vec![audit]))
            })
            .await;
        self.edited(id, written).await
    }

    pub(super) async fn purge_sign_ins(&self, now: i64) {
        if let Err(e) = self
            .store
            .purge_sign_ins(now - SIGN_IN_LOG_DAYS * DAY_MS)
            .await
        {
            tracing::warn!(error = %e, "could not purge old sign-ins");
        }
    }
}
