//! The sign-in's second step. A user with an authenticator app who gives
//! her password gets no session yet: a pending sign-in of a few minutes,
//! good only for her code. Wrong codes are counted apart from wrong
//! passwords, and five in a row lock the second step (each lock after
//! one ran out lasts twice as long). A code's step is recorded once used,
//! so no code signs in twice.

use rekey_shared::{ApiError, AuditAction, ErrorCode, MethodType, SignInResult};

use super::audit::event;
use super::model::{password_and_code, MethodKind, PendingSignIn, SessionRecord, UserRecord};
use super::session::{new_token, token_hash};
use super::sign_ins::Attempt;
use super::signin::{locked, SignedIn};
use super::update::MAX_WRITE_ATTEMPTS;
use super::{store_failure, totp, Rekey};
use crate::ports::{LoginLock, StoreError};

/// How long a pending sign-in waits for its code.
pub const PENDING_MS: i64 = 5 * 60_000;
/// Wrong codes in a row before the second step locks.
pub const WRONG_CODES_TO_LOCK: u32 = 5;
const LOCK_BASE_MS: i64 = 60_000;
const MAX_LOCK_DOUBLINGS: u32 = 10;

/// A password proven, a code still due.
pub struct SecondFactorDue {
    /// The pending sign-in's token, for its cookie only.
    pub token: String,
    pub expires_at: i64,
    pub methods: Vec<MethodType>,
}

/// Where a password sign-in stands.
// One short-lived value per sign-in: boxing the record buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum SignInStep {
    Done(SignedIn),
    SecondFactor(SecondFactorDue),
}

fn sign_in_again() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthenticated,
        "This sign-in has ended. Sign in again with your password.",
    )
}

fn invalid_code() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidCode,
        "That code isn't right. Check the time on your phone and enter the newest code.",
    )
    .with_field("code")
}

/// The second step's failure count, kept apart from the password's.
fn lock_key(user_id: &str) -> String {
    format!("second-factor:{user_id}")
}

impl Rekey {
    /// The second step `user` owes, if she has a method: a new pending
    /// sign-in. `None` means her password alone signs her in.
    pub(crate) async fn second_factor_due(
        &self,
        user: &UserRecord,
    ) -> Result<Option<SecondFactorDue>, ApiError> {
        let methods: Vec<MethodType> = self
            .methods(user)
            .await?
            .iter()
            .filter(|m| m.confirmed_at.is_some())
            .filter_map(|m| match &m.kind {
                MethodKind::Totp { .. } => Some(MethodType::AuthenticatorApp),
                MethodKind::RecoveryCodes { hashes } if hashes.iter().any(Option::is_some) => {
                    Some(MethodType::RecoveryCodes)
                }
                // An emailed code resets a password; it never signs in.
                MethodKind::RecoveryCodes { .. } | MethodKind::AlternateEmail { .. } => None,
                MethodKind::Passkey { .. } => Some(MethodType::Passkey),
            })
            .collect();
        let mut methods = methods;
        methods.sort_by_key(|m| m.as_str());
        methods.dedup();
        if methods.is_empty() {
            return Ok(None);
        }
        let now = self.now();
        let (token, token_hash) = new_token();
        let pending = PendingSignIn {
            token_hash,
            user_id: user.id.clone(),
            epoch: user.session_epoch,
            created_at: now,
            expires_at: now + PENDING_MS,
        };
        self.store
            .insert_pending_sign_in(&pending)
            .await
            .map_err(store_failure)?;
        Ok(Some(SecondFactorDue {
            token,
            expires_at: pending.expires_at,
            methods,
        }))
    }

    /// The pending sign-in `pending_token` names and its user, while both
    /// still hold (not expired, no reset or block since).
    pub(crate) async fn pending_user(
        &self,
        pending_token: &str,
    ) -> Result<(PendingSignIn, UserRecord), ApiError> {
        let hash = token_hash(pending_token);
        let now = self.now();
        let pending = self
            .store
            .pending_sign_in(&hash)
            .await
            .map_err(store_failure)?
            .ok_or_else(sign_in_again)?;
        let user = self
            .store
            .user_by_id(&pending.user_id)
            .await
            .map_err(store_failure)?
            .filter(|u| u.session_epoch == pending.epoch && !u.blocked);
        let Some(user) = user.filter(|_| pending.expires_at > now) else {
            let _ = self.store.take_pending_sign_in(&hash).await;
            return Err(sign_in_again());
        };
        Ok((pending, user))
    }

    /// The code that finishes a pending sign-in: a session, once.
    pub async fn finish_second_factor(
        &self,
        pending_token: &str,
        code: &str,
        attempt: &Attempt<'_>,
    ) -> Result<SignedIn, ApiError> {
        self.throttle_sign_in(attempt.client)?;
        let (pending, user) = self.pending_user(pending_token).await?;
        let hash = pending.token_hash;
        let now = self.now();
        let counted = self.open_code_step(&user.id, now).await?;
        // Six digits are an app's code; anything else may be a recovery
        // code.
        let mut recovery_codes_left = None;
        let app_code = code.chars().filter(|c| *c != ' ').count() == totp::DIGITS;
        let right = if app_code {
            self.claim_code(&user, code, now).await?
        } else {
            recovery_codes_left = self.claim_recovery_code(&user, code, now, false).await?;
            recovery_codes_left.is_some()
        };
        if !right {
            return Err(self.wrong_code(&user, attempt).await);
        }
        // The pending sign-in is spent here, once: of two right codes at
        // once, one signs in.
        if !self
            .store
            .take_pending_sign_in(&hash)
            .await
            .map_err(store_failure)?
        {
            return Err(sign_in_again());
        }
        if counted {
            self.forget_wrong_codes(&user.id).await;
        }
        self.log_sign_in(&user.id, SignInResult::Success, attempt, None)
            .await;
        let mut signed_in = self.start_session(user, password_and_code()).await?;
        signed_in.recovery_codes_left = recovery_codes_left;
        Ok(signed_in)
    }

    /// A signed-in user proves herself again with her app's code instead
    /// of her password (before a sensitive change): counted with the
    /// sign-in's wrong codes, and the session counts as freshly proven.
    pub async fn confirm_with_code(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        code: &str,
        attempt: &Attempt<'_>,
    ) -> Result<(), ApiError> {
        let now = self.now();
        let counted = self.open_code_step(&user.id, now).await?;
        if !self.claim_code(user, code, now).await? {
            return Err(self.wrong_code(user, attempt).await);
        }
        if counted {
            self.forget_wrong_codes(&user.id).await;
        }
        let confirmed = SessionRecord {
            last_seen_at: now,
            authenticated_at: now,
            amr: password_and_code(),
            ..session.clone()
        };
        self.store
            .touch_session(&confirmed)
            .await
            .map_err(store_failure)
    }

    /// Whether `code` is one of the user's apps' codes for now, in a step
    /// not used yet; if so, that step is recorded (conditionally, so of
    /// twenty at once one is).
    pub(crate) async fn claim_code(
        &self,
        user: &UserRecord,
        code: &str,
        now: i64,
    ) -> Result<bool, ApiError> {
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let methods = self.methods(user).await?;
            let mut matched = None;
            for method in methods.into_iter().filter(|m| m.confirmed_at.is_some()) {
                let MethodKind::Totp { last_step, .. } = &method.kind else {
                    continue;
                };
                let last = *last_step;
                let Some(seed) = self.totp_seed(&method).await? else {
                    continue;
                };
                if let Some(step) = totp::matching_step(&seed, code, now) {
                    if last.is_none_or(|l| step > l) {
                        matched = Some((method, step));
                        break;
                    }
                }
            }
            let Some((mut method, step)) = matched else {
                return Ok(false);
            };
            if let MethodKind::Totp { last_step, .. } = &mut method.kind {
                *last_step = Some(step);
            }
            method.last_used_at = Some(now);
            match self.store.update_method(&method, &[]).await {
                Ok(_) => return Ok(true),
                Err(StoreError::Conflict) => continue,
                Err(StoreError::NotFound) => continue,
                Err(e) => return Err(store_failure(e)),
            }
        }
        Err(ApiError::new(
            ErrorCode::Conflict,
            "Too many sign-ins at the same moment. Try again.",
        ))
    }

    /// Counts a wrong code; the fifth in a row locks the second step.
    async fn wrong_code(&self, user: &UserRecord, attempt: &Attempt<'_>) -> ApiError {
        let key = lock_key(&user.id);
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let now = self.now();
            let mut next = match self.store.login_lock(&key).await {
                Ok(Some(lock)) => lock,
                Ok(None) => LoginLock::new(key.clone()),
                Err(e) => return store_failure(e),
            };
            next.failed_sign_ins += 1;
            let lock_starts = next.failed_sign_ins >= WRONG_CODES_TO_LOCK;
            if lock_starts {
                let doublings = next.lockouts.min(MAX_LOCK_DOUBLINGS);
                next.locked_until = Some(now + (LOCK_BASE_MS << doublings));
                next.lockouts += 1;
                next.failed_sign_ins = 0;
            }
            next.expires_at = next.locked_until.unwrap_or(now).max(now) + 24 * 3600 * 1000;
            match self.store.put_login_lock(&next).await {
                Ok(_) if lock_starts => {
                    let until = next.locked_until.unwrap_or(now);
                    let mut audit = event(now, AuditAction::AccountLocked, None, Some(user));
                    audit.locked_until = Some(until);
                    self.record(&[audit]).await;
                    self.log_sign_in(&user.id, SignInResult::Locked, attempt, None)
                        .await;
                    self.notify_codes_locked(user, now, until).await;
                    return locked(until, now);
                }
                Ok(_) => return invalid_code(),
                Err(StoreError::Conflict) => continue,
                Err(e) => return store_failure(e),
            }
        }
        invalid_code()
    }

    /// Refuses the code step while it is locked; whether wrong codes are
    /// counted (for a right one to clear).
    async fn open_code_step(&self, user_id: &str, now: i64) -> Result<bool, ApiError> {
        let lock = self
            .store
            .login_lock(&lock_key(user_id))
            .await
            .map_err(store_failure)?;
        if let Some(until) = lock
            .as_ref()
            .and_then(|l| l.locked_until)
            .filter(|u| *u > now)
        {
            return Err(locked(until, now));
        }
        Ok(lock.is_some_and(|l| l.failed_sign_ins > 0))
    }

    async fn forget_wrong_codes(&self, user_id: &str) {
        if let Ok(Some(mut lock)) = self.store.login_lock(&lock_key(user_id)).await {
            lock.failed_sign_ins = 0;
            if let Err(e) = self.store.put_login_lock(&lock).await {
                tracing::warn!(error = %e, "could not clear the wrong-code count");
            }
        }
    }
}
