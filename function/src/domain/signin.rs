//! Sign-in, sessions and lockout.

use rekey_shared::{ApiError, AuditAction, ErrorCode, SignInResult};

use super::audit::event;
use super::second_factor::SignInStep;
use super::secret::Secret;
use super::session::new_token;
use super::sign_ins::{result_of, Attempt};
use super::update::{Change, UpdateError};
use super::{model::UserRecord, store_failure, Rekey};
use crate::domain::model::{password_only, SessionRecord};
use crate::ports::LoginLock;

/// Longest login accepted; longer cannot exist and is refused uniformly.
const MAX_LOGIN_LEN: usize = 254;
/// A lock never grows past this many doublings (60 s * 2^16 ~ 45 days).
const MAX_LOCK_DOUBLINGS: u32 = 16;

pub struct SignedIn {
    pub token: String,
    pub user: UserRecord,
    pub expires_at: i64,
    pub amr: Vec<String>,
    /// Recovery codes left, when one was just used.
    pub recovery_codes_left: Option<u32>,
    /// Self-service reset's ask to register (or reconfirm) methods.
    pub security_info: Option<rekey_shared::SecurityInfoDue>,
}

pub(crate) fn blocked() -> ApiError {
    ApiError::new(
        ErrorCode::AccountBlocked,
        "Your account is blocked from signing in. Ask your admin.",
    )
}

/// A Temporary Access Pass: a one-time code an admin gave, which counts as
/// a second factor (as Entra's does).
fn temporary_pass_amr() -> Vec<String> {
    vec!["otp".into(), "mfa".into()]
}

fn invalid_credentials() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidCredentials,
        "That username and password don't match. Check them and try again.",
    )
}

pub(super) fn unauthenticated() -> ApiError {
    ApiError::new(
        ErrorCode::Unauthenticated,
        "Your session has ended. Sign in again.",
    )
}

impl Rekey {
    /// Signs in with a password. Each attempt is counted against the
    /// account before its hash is checked, so however many arrive at once
    /// no more than the limit are ever checked: the one that reaches the
    /// limit starts the lock, and those behind it are refused unheard.
    pub async fn sign_in(
        &self,
        login: &str,
        password: Secret,
        attempt: &Attempt<'_>,
    ) -> Result<SignInStep, ApiError> {
        self.throttle_sign_in(attempt.client)?;
        let mut owner = None;
        let outcome = self.check_sign_in(login, password, &mut owner).await;
        // Logged for a login that is no account too (under its hash, never
        // shown), so both cost the store the same. A sign-in that owes a
        // code is logged when the code comes.
        let pending = matches!(outcome, Ok(SignInStep::SecondFactor(_)));
        let result = match &outcome {
            Ok(SignInStep::Done(s)) if !s.amr.iter().any(|m| m == "pwd") => {
                Some(SignInResult::TemporaryPass)
            }
            _ => result_of(&outcome),
        };
        if let (Some(owner), Some(result), false) = (owner, result, pending) {
            self.log_sign_in(&owner, result, attempt, None).await;
        }
        outcome
    }

    /// The sign-in itself; `owner` learns whose log the attempt belongs to
    /// once an account (or the absence of one) is known.
    async fn check_sign_in(
        &self,
        login: &str,
        password: Secret,
        owner: &mut Option<String>,
    ) -> Result<SignInStep, ApiError> {
        let login = login.trim().to_lowercase();
        let user = if login.is_empty() || login.len() > MAX_LOGIN_LEN {
            None
        } else {
            self.store
                .user_by_login(&login)
                .await
                .map_err(store_failure)?
        };
        let admission = self.hasher.admit().map_err(|_| busy())?;
        *owner = Some(match &user {
            Some(user) => user.id.clone(),
            None => unknown_login_key(&login),
        });
        let Some(user) = user else {
            // The same store work, hash and answers as a real account, so
            // neither timing nor a lock tells whether one exists.
            let lock_started = self.count_unknown_attempt(&login).await?;
            self.hasher.verify(password, None).await;
            return Err(match lock_started {
                Some(until) => locked(until, self.now()),
                None => invalid_credentials(),
            });
        };
        let (user, lock_starts) = self.reserve_attempt(user).await?;
        // An admin's Temporary Access Pass, in the password's place: a
        // second factor's worth, and no argon2id.
        if let Some(user) = self.claim_temporary_pass(&user, password.expose()).await? {
            drop(admission);
            if user.blocked {
                return Err(blocked());
            }
            let user = self.clear_failures(user).await?;
            return self
                .start_session(user, temporary_pass_amr())
                .await
                .map(SignInStep::Done);
        }
        let verified = self
            .hasher
            .verify(password, Some(user.password_hash.clone()))
            .await;
        drop(admission);
        if !verified {
            return Err(self.failed(&user, lock_starts).await);
        }
        // Only someone who knows the password learns of the block: a wrong
        // one gets the same answer as on any account.
        if user.blocked {
            return Err(blocked());
        }
        let user = self.clear_failures(user).await?;
        let now = self.now();
        if user.must_change_password && user.temp_password_expires_at.is_some_and(|e| e <= now) {
            let audit = event(
                now,
                AuditAction::TemporaryPasswordExpired,
                None,
                Some(&user),
            );
            self.record(&[audit]).await;
            return Err(ApiError::new(
                ErrorCode::TemporaryPasswordExpired,
                "Your temporary password has expired. Ask your admin for a new one.",
            ));
        }
        // A reset, a link or the forced change never skip the second step:
        // it comes before any session.
        if let Some(due) = self.second_factor_due(&user).await? {
            return Ok(SignInStep::SecondFactor(due));
        }
        let user = self.note_first_ask(user).await;
        self.start_session(user, password_only())
            .await
            .map(SignInStep::Done)
    }

    /// One more sign-in attempt from `client`, or 429 before any store or
    /// hash work.
    pub(crate) fn throttle_sign_in(&self, client: &str) -> Result<(), ApiError> {
        self.sign_in_throttle
            .take(client, self.now())
            .map_err(|wait_ms| {
                let secs = (wait_ms.max(0) as u64).div_ceil(1000);
                ApiError::new(
                    ErrorCode::RateLimited,
                    format!(
                        "Too many sign-in attempts from your network. Try again in {secs} seconds."
                    ),
                )
                .with_retry_after(secs)
            })
    }

    /// A new session for `user`, in their current session epoch.
    pub(crate) async fn start_session(
        &self,
        user: UserRecord,
        amr: Vec<String>,
    ) -> Result<SignedIn, ApiError> {
        let now = self.now();
        let (token, token_hash) = new_token();
        let session = SessionRecord {
            token_hash,
            user_id: user.id.clone(),
            epoch: user.session_epoch,
            created_at: now,
            expires_at: now + self.settings.session_ttl_ms,
            last_seen_at: now,
            authenticated_at: now,
            amr,
        };
        self.store
            .create_session(&session)
            .await
            .map_err(store_failure)?;
        if let Err(e) = self.store.purge_expired_sessions(now).await {
            tracing::warn!(error = %e, "could not purge expired sessions");
        }
        if let Err(e) = self.store.purge_login_locks(now).await {
            tracing::warn!(error = %e, "could not purge unknown logins' locks");
        }
        self.purge_sign_ins(now).await;
        let security_info = self.security_info_due(&user).await;
        Ok(SignedIn {
            token,
            user,
            expires_at: session.expires_at,
            amr: session.amr,
            recovery_codes_left: None,
            security_info,
        })
    }

    /// Counts an attempt as failed before its password is checked (a right
    /// one clears the count again). A locked account is refused here, with
    /// no hash. The attempt that reaches the limit starts the lock, so
    /// nothing behind it is checked; the lock doubles only when earned
    /// again after one ran out, never from attempts in flight. Returns the
    /// record as written and whether this attempt started a lock.
    async fn reserve_attempt(&self, user: UserRecord) -> Result<(UserRecord, bool), ApiError> {
        let mut lock_starts = false;
        let user = self
            .update_user(user, |current, now| {
                let mut next = current.clone();
                lock_starts = self.count_failure(
                    &mut next.failed_sign_ins,
                    &mut next.locked_until,
                    &mut next.lockouts,
                    now,
                )?;
                Ok(Change::Write(next, Vec::new()))
            })
            .await
            .map_err(|e| match e {
                // Others' attempts kept winning the write: this one was not
                // counted, so it must not be checked either.
                UpdateError::Contended => busy(),
                e => e.into_api(invalid_credentials),
            })?;
        Ok((user, lock_starts))
    }

    /// One failure counted on a record's lock fields (a user's, or an
    /// unknown login's): refused while a lock stands; the one that reaches
    /// the limit starts a lock, each lock earned again twice as long.
    /// Returns whether this failure started a lock.
    fn count_failure(
        &self,
        failed: &mut u32,
        locked_until: &mut Option<i64>,
        lockouts: &mut u32,
        now: i64,
    ) -> Result<bool, ApiError> {
        if let Some(until) = locked_until.filter(|until| *until > now) {
            return Err(locked(until, now));
        }
        *failed += 1;
        let lock_starts = *failed >= self.settings.lockout_threshold.max(1);
        if lock_starts {
            let doublings = (*lockouts).min(MAX_LOCK_DOUBLINGS);
            *locked_until = Some(now + (self.settings.lockout_base_ms << doublings));
            *lockouts += 1;
            *failed = 0;
        }
        Ok(lock_starts)
    }

    /// What `reserve_attempt` is for a real account, for a login that is
    /// none: the same counting and locks, on a record kept under a hash of
    /// the login and read and written as a user's is (one read, one
    /// conditional write), so an unknown login answers `423` when a real
    /// one would and costs the store the same. Returns the end of the lock
    /// this attempt starts, if it starts one.
    async fn count_unknown_attempt(&self, login: &str) -> Result<Option<i64>, ApiError> {
        let key = unknown_login_key(login);
        for _ in 0..super::update::MAX_WRITE_ATTEMPTS {
            let now = self.now();
            let stored = self.store.login_lock(&key).await.map_err(store_failure)?;
            let mut next = match stored {
                Some(lock) if lock.expires_at >= now => lock,
                // Forgotten: it starts over, in its stored version.
                Some(lock) => LoginLock {
                    version: lock.version,
                    ..LoginLock::new(key.clone())
                },
                None => LoginLock::new(key.clone()),
            };
            let lock_starts = self.count_failure(
                &mut next.failed_sign_ins,
                &mut next.locked_until,
                &mut next.lockouts,
                now,
            )?;
            next.expires_at = next.locked_until.unwrap_or(now).max(now) + UNKNOWN_LOGIN_MEMORY_MS;
            match self.store.put_login_lock(&next).await {
                Ok(_) => return Ok(next.locked_until.filter(|_| lock_starts)),
                Err(crate::ports::StoreError::Conflict) => continue,
                Err(e) => return Err(store_failure(e)),
            }
        }
        // As for a real account: not counted, so not checked either.
        Err(busy())
    }

    /// The answer to a wrong password whose attempt `reserve_attempt`
    /// already counted; the lock it started is audited now that it stands.
    async fn failed(&self, user: &UserRecord, lock_starts: bool) -> ApiError {
        let now = self.now();
        match user.locked_until {
            Some(until) if lock_starts => {
                let mut e = event(now, AuditAction::AccountLocked, None, Some(user));
                e.locked_until = Some(until);
                self.record(&[e]).await;
                locked(until, now)
            }
            _ => invalid_credentials(),
        }
    }

    async fn clear_failures(&self, user: UserRecord) -> Result<UserRecord, ApiError> {
        self.update_user(user, |current, _| {
            if current.failed_sign_ins == 0
                && current.lockouts == 0
                && current.locked_until.is_none()
            {
                return Ok(Change::Keep);
            }
            let mut next = current.clone();
            next.failed_sign_ins = 0;
            next.lockouts = 0;
            next.locked_until = None;
            Ok(Change::Write(next, Vec::new()))
        })
        .await
        .map_err(|e| e.into_api(invalid_credentials))
    }
    /// Checks a signed-in user's own password, counted like sign-in
    /// attempts: a stolen session cannot guess it any faster than a
    /// stranger at the sign-in page. `wrong` is the refusal to give.
    pub(super) async fn check_own_password(
        &self,
        user: &UserRecord,
        password: Secret,
        wrong: impl Fn() -> ApiError,
    ) -> Result<UserRecord, ApiError> {
        let admission = self.hasher.admit().map_err(|_| busy())?;
        let (counted, lock_starts) = self.reserve_attempt(user.clone()).await?;
        let verified = self
            .hasher
            .verify(password, Some(counted.password_hash.clone()))
            .await;
        drop(admission);
        if !verified {
            return Err(match self.failed(&counted, lock_starts).await {
                e if e.code == ErrorCode::AccountLocked => e,
                _ => wrong(),
            });
        }
        self.clear_failures(counted).await
    }
}

pub(crate) fn locked(until: i64, now: i64) -> ApiError {
    let secs = ((until - now).max(0) + 999) / 1000;
    ApiError::new(
        ErrorCode::AccountLocked,
        format!(
            "This account is locked after too many failed sign-ins. Try again in {secs} seconds, or ask an admin to reset the password."
        ),
    )
    .with_retry_after(secs as u64)
}

/// How long failures on a login that does not exist are remembered after
/// the latest (or after the lock they earned ends).
const UNKNOWN_LOGIN_MEMORY_MS: i64 = 24 * 3600 * 1000;

/// Only a hash of a login that is no account is kept.
fn unknown_login_key(login: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(login.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("login:{hex}")
}

fn busy() -> ApiError {
    ApiError::new(
        ErrorCode::Unavailable,
        "Rekey is busy checking other sign-ins. Try again in a moment.",
    )
    .with_retry_after(1)
}
