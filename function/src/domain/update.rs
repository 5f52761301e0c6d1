//! The one conditional-write loop every user change goes through.
//!
//! A write is conditional on the version read; losing the race means
//! another writer won, so the change is re-derived from a fresh read and
//! tried again, a bounded number of times with jittered backoff. When the
//! attempts run out the answer is always [`UpdateError::Contended`]: the
//! change was not made, and a caller must not act as if it had been.

use rekey_shared::{ApiError, AuditEvent, ErrorCode};

use super::{store_failure, Rekey};
use crate::domain::model::UserRecord;
use crate::ports::StoreError;

/// Attempts at a conditional write before giving up (each lost race means
/// another writer won, so this bounds only pathological contention).
pub const MAX_WRITE_ATTEMPTS: u32 = 100;

/// What a change makes of the current record.
// One short-lived value per write attempt: boxing the record buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum Change {
    /// Write this record (with these audit events in the same transaction).
    Write(UserRecord, Vec<AuditEvent>),
    /// Nothing to write: the current record already is what the caller wants.
    Keep,
}

/// Why an update was not made. `E` is what the change refuses with: the
/// API's error for most, SCIM's own for SCIM.
#[derive(Debug)]
pub enum UpdateError<E = ApiError> {
    /// The change itself refused the current record (a role check, say).
    Refused(E),
    /// The user no longer exists.
    Gone,
    /// Every attempt lost its race; nothing was written.
    Contended,
    Store(StoreError),
}

impl UpdateError {
    /// The API answer, with `gone` for a user who vanished meanwhile.
    pub fn into_api(self, gone: impl FnOnce() -> ApiError) -> ApiError {
        match self {
            Self::Refused(e) => e,
            Self::Gone => gone(),
            Self::Contended => ApiError::new(
                ErrorCode::Conflict,
                "This account was being changed by others at the same moment. Nothing was changed; try again.",
            ),
            Self::Store(e) => store_failure(e),
        }
    }
}

/// A one-time link was sent for the user as they were: a new role, a new
/// address or a block voids an unused one (whoever changes the record), so
/// a link a password admin sent cannot set an admin's password, nor one
/// mailed to an old address outlive the change.
fn void_outgrown_link(before: &UserRecord, next: &mut UserRecord) {
    let outgrown = next.role != before.role
        || !next.email.eq_ignore_ascii_case(&before.email)
        || next.alternate_email != before.alternate_email
        || (next.blocked && !before.blocked);
    if outgrown
        && next
            .reset_link
            .as_ref()
            .is_some_and(|l| l.used_at.is_none())
    {
        next.reset_link = None;
    }
}

/// Sleeps a random few milliseconds, growing with `attempt`, so racing
/// writers spread out instead of colliding again.
async fn backoff(attempt: u32) {
    use rand::Rng;
    let cap = 1u64 << attempt.min(5);
    let ms = rand::rng().random_range(0..=cap);
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
}

impl Rekey {
    /// Applies `change` to `user` (as read) and writes it conditionally,
    /// re-reading and re-applying on every lost race. `change` gets the
    /// current record and the time of this attempt. Returns the record as
    /// stored (with its new version), or as it was for [`Change::Keep`].
    pub async fn update_user<F, E>(
        &self,
        mut user: UserRecord,
        mut change: F,
    ) -> Result<UserRecord, UpdateError<E>>
    where
        F: FnMut(&UserRecord, i64) -> Result<Change, E>,
    {
        for attempt in 0..MAX_WRITE_ATTEMPTS {
            let (mut next, audit) = match change(&user, self.now()).map_err(UpdateError::Refused)? {
                Change::Keep => return Ok(user),
                Change::Write(next, audit) => (next, audit),
            };
            void_outgrown_link(&user, &mut next);
            match self.store.update_user(&next, &audit).await {
                Ok(version) => {
                    next.version = version;
                    return Ok(next);
                }
                Err(StoreError::Conflict) => {
                    backoff(attempt).await;
                    user = self
                        .store
                        .user_by_id(&user.id)
                        .await
                        .map_err(UpdateError::Store)?
                        .ok_or(UpdateError::Gone)?;
                }
                Err(StoreError::NotFound) => return Err(UpdateError::Gone),
                Err(e) => return Err(UpdateError::Store(e)),
            }
        }
        Err(UpdateError::Contended)
    }
}
