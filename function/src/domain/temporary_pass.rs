//! The Temporary Access Pass: a time-limited passcode an admin hands over
//! (by phone, in person) to a user who lost every method. It signs her in
//! as if with a second factor, in the password's place, so she can
//! register a new passkey or app; it never changes her password. One per
//! user (a new one replaces the old), kept as a hash, one-time by default.

use rand::Rng;
use rekey_shared::{
    ApiError, AuditAction, ErrorCode, NewTemporaryPass, TemporaryPassInfo, TemporaryPassIssued,
};

use super::audit::event;
use super::model::{TemporaryPass, UserRecord};
use super::security_notices::AdminChange;
use super::session::{same, token_hash};
use super::update::Change;
use super::Rekey;

pub const DEFAULT_LENGTH: u32 = 12;
pub const LENGTHS: std::ops::RangeInclusive<u32> = 8..=48;
pub const DEFAULT_LIFETIME_MINUTES: u32 = 60;
pub const LIFETIMES_MINUTES: std::ops::RangeInclusive<u32> = 10..=43_200;
/// No 0/O, 1/l/I: it is read out over the phone.
const ALPHABET: &[u8] = b"23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

fn hash(user_id: &str, pass: &str) -> String {
    token_hash(&format!("tap:{user_id}:{pass}"))
}

fn new_pass(length: u32) -> String {
    let mut rng = rand::rng();
    (0..length)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub(crate) fn info(pass: &TemporaryPass) -> TemporaryPassInfo {
    TemporaryPassInfo {
        created_at: pass.created_at,
        expires_at: pass.expires_at,
        one_time: pass.one_time,
    }
}

fn out_of_range(field: &str, range: &std::ops::RangeInclusive<u32>, unit: &str) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidRequest,
        format!("Choose {} to {} {unit}.", range.start(), range.end()),
    )
    .with_field(field)
}

impl Rekey {
    /// A new pass for `target_id`, shown this once; her old one stops.
    pub async fn issue_temporary_pass(
        &self,
        actor: &UserRecord,
        target_id: &str,
        request: &NewTemporaryPass,
    ) -> Result<TemporaryPassIssued, ApiError> {
        let length = request.length.unwrap_or(DEFAULT_LENGTH);
        if !LENGTHS.contains(&length) {
            return Err(out_of_range("length", &LENGTHS, "characters"));
        }
        let minutes = request.lifetime_minutes.unwrap_or(DEFAULT_LIFETIME_MINUTES);
        if !LIFETIMES_MINUTES.contains(&minutes) {
            return Err(out_of_range(
                "lifetime_minutes",
                &LIFETIMES_MINUTES,
                "minutes",
            ));
        }
        let target = self.resettable(actor, target_id).await?;
        if target.blocked {
            return Err(ApiError::new(
                ErrorCode::AccountBlocked,
                "This account is blocked from signing in. Unblock it first.",
            ));
        }
        let pass = zeroize::Zeroizing::new(new_pass(length));
        let mut record = None;
        let written = self
            .update_user(target, |current, now| {
                let tap = TemporaryPass {
                    hash: hash(&current.id, &pass),
                    created_at: now,
                    expires_at: now + i64::from(minutes) * 60_000,
                    one_time: request.one_time.unwrap_or(true),
                    issued_by: actor.id.clone(),
                };
                let mut next = current.clone();
                next.temporary_pass = Some(tap.clone());
                record = Some(tap);
                let audit = event(
                    now,
                    AuditAction::TemporaryPassIssued,
                    Some(actor),
                    Some(&next),
                );
                Ok(Change::Write(next, vec![audit]))
            })
            .await
            .map_err(|e| e.into_api(|| ApiError::not_found("That user")))?;
        let record = record.ok_or_else(ApiError::internal)?;
        let change = AdminChange::TemporaryPass {
            until: record.expires_at,
        };
        self.notify_admin_change(&written, actor, change, record.created_at)
            .await;
        Ok(TemporaryPassIssued {
            pass: pass.to_string(),
            info: info(&record),
        })
    }

    /// Whether `typed` is `user`'s live pass; a one-time pass is spent
    /// here (conditionally: of twenty at once, one signs in). The user as
    /// written then.
    pub(crate) async fn claim_temporary_pass(
        &self,
        user: &UserRecord,
        typed: &str,
    ) -> Result<Option<UserRecord>, ApiError> {
        let now = self.now();
        let Some(tap) = user
            .temporary_pass
            .clone()
            .filter(|t| t.expires_at > now && same(&hash(&user.id, typed), &t.hash))
        else {
            return Ok(None);
        };
        let mut spent_elsewhere = false;
        let written = self
            .update_user(user.clone(), |current, now| {
                if current.temporary_pass.as_ref() != Some(&tap) {
                    spent_elsewhere = true;
                    return Ok::<_, ApiError>(Change::Keep);
                }
                let mut next = current.clone();
                if tap.one_time {
                    next.temporary_pass = None;
                }
                let audit = event(now, AuditAction::TemporaryPassUsed, None, Some(&next));
                Ok(Change::Write(next, vec![audit]))
            })
            .await
            .map_err(|e| e.into_api(ApiError::internal))?;
        Ok((!spent_elsewhere).then_some(written))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_has_its_length_from_an_alphabet_read_aloud_safely() {
        let pass = new_pass(12);
        assert_eq!(pass.len(), 12);
        assert!(pass.bytes().all(|b| ALPHABET.contains(&b)));
        assert!(!pass.contains(['0', 'O', '1', 'l', 'I']));
        assert_ne!(new_pass(12), new_pass(12));
        assert_ne!(hash("u-1", &pass), hash("u-2", &pass), "salted by user");
    }
}
