//! A session's life after sign-in: what a cookie is worth on each request
//! (absolute lifetime, idle timeout, the user's epoch and block), a fresh
//! confirmation of the password before sensitive changes, and sign-out.

use rekey_shared::{ApiError, ErrorCode, SignInResult};

use super::secret::Secret;
use super::session::token_hash;
use super::sign_ins::Attempt;
use super::signin::unauthenticated;
use super::{model::UserRecord, store_failure, Rekey};
use crate::domain::model::SessionRecord;

/// `last_seen_at` is written at most this often per session (and at most
/// every twelfth of the idle timeout), so a busy admin costs a write every
/// few minutes, not one per request.
const TOUCH_EVERY_MS: i64 = 5 * 60_000;

pub fn reauthentication_required() -> ApiError {
    ApiError::new(
        ErrorCode::ReauthenticationRequired,
        "Confirm your password to make this change.",
    )
}

impl Rekey {
    /// The user behind a session cookie, if the session is still good: not
    /// expired or idle too long, begun in the user's current session
    /// epoch, and the user not blocked.
    pub async fn session_user(&self, token: &str) -> Result<(SessionRecord, UserRecord), ApiError> {
        // A well-formed token is 43 base64url characters; skip the store otherwise.
        if token.len() != 43
            || !token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(unauthenticated());
        }
        let hash = token_hash(token);
        let session = self
            .store
            .session(&hash)
            .await
            .map_err(store_failure)?
            .ok_or_else(unauthenticated)?;
        let user = self
            .store
            .user_by_id(&session.user_id)
            .await
            .map_err(store_failure)?;
        let now = self.now();
        let idle_for = now - session.last_seen_at;
        match user {
            Some(user)
                if session.expires_at > now
                    && idle_for < self.settings.session_idle_ms
                    && session.epoch == user.session_epoch
                    && !user.blocked =>
            {
                let mut session = session;
                if idle_for >= TOUCH_EVERY_MS.min(self.settings.session_idle_ms / 12) {
                    session.last_seen_at = now;
                    if let Err(e) = self.store.touch_session(&session).await {
                        tracing::warn!(error = %e, "could not keep a session alive");
                    }
                }
                Ok((session, user))
            }
            _ => {
                let _ = self.store.delete_session(&hash).await;
                Err(unauthenticated())
            }
        }
    }

    /// Whether the session's password was proven recently enough for a
    /// sensitive change.
    pub fn is_fresh(&self, session: &SessionRecord) -> bool {
        self.now() - session.authenticated_at <= self.settings.fresh_auth_ms
    }

    /// For changes only a global admin may make (apps, SCIM tokens): her
    /// password proven recently. Others are refused by the change itself,
    /// so they are never asked for a password to be told no.
    pub fn require_fresh_for(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
    ) -> Result<(), ApiError> {
        if super::permissions::needs_fresh_sign_in(user) && !self.is_fresh(session) {
            return Err(reauthentication_required());
        }
        Ok(())
    }

    /// The user proves her password again (before a sensitive change);
    /// counted like a sign-in, so a stolen session cannot guess it.
    pub async fn confirm_password(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        password: Secret,
    ) -> Result<(), ApiError> {
        let wrong = || {
            ApiError::new(
                ErrorCode::CurrentPasswordIncorrect,
                "That password isn't right.",
            )
            .with_field("password")
        };
        self.check_own_password(user, password, wrong).await?;
        let now = self.now();
        let confirmed = SessionRecord {
            last_seen_at: now,
            authenticated_at: now,
            ..session.clone()
        };
        self.store
            .touch_session(&confirmed)
            .await
            .map_err(store_failure)
    }

    pub async fn sign_out(
        &self,
        session: &SessionRecord,
        attempt: &Attempt<'_>,
    ) -> Result<(), ApiError> {
        self.store
            .delete_session(&session.token_hash)
            .await
            .map_err(store_failure)?;
        self.log_sign_in(&session.user_id, SignInResult::SignedOut, attempt, None)
            .await;
        Ok(())
    }
}
