//! What a signed-in user changes of her own account: her password, and
//! the language of her pages and emails.

use rekey_shared::{ApiError, AuditAction, ErrorCode};

use super::audit::event;
use super::hashing::hash_failure;
use super::model::SessionRecord;
use super::password::check_typed;
use super::secret::Secret;
use super::sessions::reauthentication_required;
use super::signin::{unauthenticated, SignedIn};
use super::update::Change;
use super::{model::UserRecord, Rekey};

impl Rekey {
    /// The signed-in user replaces their password (required after an admin
    /// reset with "require change"). Ends every other session and starts a
    /// new one, since the epoch moves on; the new one keeps how the old
    /// one was proven (`amr`).
    ///
    /// A session proven without a password (a passkey, a Temporary Access
    /// Pass) may leave `current` empty while it is fresh: she has no
    /// password to give, which is why she signed in that way.
    pub async fn change_own_password(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        current: Secret,
        new: Secret,
    ) -> Result<SignedIn, ApiError> {
        let amr = &session.amr;
        let wrong_current = || {
            ApiError::new(
                ErrorCode::CurrentPasswordIncorrect,
                "Your current password isn't right.",
            )
            .with_field("current_password")
        };
        let without_password = current.expose().is_empty() && !amr.iter().any(|m| m == "pwd");
        let user = &if without_password {
            if !self.is_fresh(session) {
                return Err(reauthentication_required());
            }
            user.clone()
        } else {
            self.check_own_password(user, current.clone(), wrong_current)
                .await?
        };
        if !without_password && new.expose() == current.expose() {
            return Err(ApiError::new(
                ErrorCode::PasswordReused,
                "Choose a new password, not the one you have now.",
            )
            .with_field("new_password"));
        }
        check_typed(new.expose(), user, self.settings.min_password_len)
            .map_err(|e| e.with_field("new_password"))?;
        let hash = self.hasher.hash(new).await.map_err(hash_failure)?;

        let mut at = 0;
        let next = self
            .update_user(user.clone(), |current, now| {
                if current.password_hash != user.password_hash {
                    // Reset by an admin meanwhile: the password just checked is gone.
                    return Err(wrong_current());
                }
                at = now;
                let mut next = current.clone();
                next.password_hash.clone_from(&hash);
                next.must_change_password = false;
                next.temp_password_expires_at = None;
                next.session_epoch += 1;
                // The user chose a password: no outstanding link may replace it.
                next.reset_link = None;
                let audit = event(now, AuditAction::PasswordChanged, Some(&next), Some(&next));
                Ok(Change::Write(next, vec![audit]))
            })
            .await
            .map_err(|e| e.into_api(unauthenticated))?;
        self.notify_password_changed(&next, None, at).await;
        self.start_session(next, amr.to_vec()).await
    }

    /// The user's own language (`None`: the organisation's). Not a
    /// security event, so no audit entry; the version still moves.
    pub async fn set_language(
        &self,
        user: UserRecord,
        language: Option<rekey_shared::Lang>,
    ) -> Result<UserRecord, ApiError> {
        self.update_user(user, |current, _| {
            if current.preferred_language == language {
                return Ok(Change::Keep);
            }
            let mut next = current.clone();
            next.preferred_language = language;
            Ok(Change::Write(next, Vec::new()))
        })
        .await
        .map_err(|e| e.into_api(unauthenticated))
    }
}
