//! Recovery codes: ten single-use codes for the day the phone is gone.
//! Shown once when made, kept only as hashes; a new set voids the old.
//! Each has 80 random bits, so a fast hash (salted by its set) is as safe
//! as the sign-in tokens' one.

use super::session::{same, token_hash};
use rand::Rng;
use rekey_shared::{AuditAction, ErrorCode, RecoveryCodesIssued};

use super::audit::event;
use super::model::{MethodKind, MethodRecord, SessionRecord, UserRecord};
use super::update::MAX_WRITE_ATTEMPTS;
use super::{store_failure, Rekey};
use crate::ports::StoreError;
use rekey_shared::ApiError;

/// Codes in a set.
pub const CODES_PER_SET: usize = 10;
/// Characters in a code (dashes aside): 16 of 32 is 80 bits.
const CODE_CHARS: usize = 16;
/// Crockford's base32: no i, l, o or u to misread.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// A new code, `xxxx-xxxx-xxxx-xxxx`.
fn new_code() -> String {
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..CODE_CHARS)
        .map(|_| char::from(ALPHABET[rng.random_range(0..32)]))
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A typed code as stored: lower case, without dashes or spaces, with the
/// letters Crockford reads as digits read so. `None` when it cannot be a
/// recovery code at all.
pub(crate) fn normalized(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_lowercase() {
            'i' | 'l' => '1',
            'o' => '0',
            c => c,
        })
        .collect();
    (code.len() == CODE_CHARS && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// What is stored of a code of the set `method_id`.
fn code_hash(method_id: &str, normalized: &str) -> String {
    token_hash(&format!("recovery:{method_id}:{normalized}"))
}

/// Codes left in a set.
pub(crate) fn codes_left(method: &MethodRecord) -> Option<u32> {
    match &method.kind {
        MethodKind::RecoveryCodes { hashes } => {
            Some(hashes.iter().filter(|h| h.is_some()).count() as u32)
        }
        MethodKind::Totp { .. }
        | MethodKind::Passkey { .. }
        | MethodKind::AlternateEmail { .. } => None,
    }
}

impl Rekey {
    /// A new set of recovery codes for the user, shown this once; her old
    /// set stops working in the same write. She needs another method
    /// first: codes are the way back to it, not a factor of their own.
    pub async fn new_recovery_codes(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
    ) -> Result<RecoveryCodesIssued, ApiError> {
        self.require_recent_sign_in(session)?;
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let methods = self.methods(user).await?;
            let has_app = methods.iter().any(|m| {
                m.confirmed_at.is_some()
                    && matches!(m.kind, MethodKind::Totp { .. } | MethodKind::Passkey { .. })
            });
            if !has_app {
                return Err(ApiError::new(
                    ErrorCode::InvalidRequest,
                    "Add an authenticator app or a passkey first: recovery codes are the way back to it.",
                ));
            }
            let now = self.now();
            let old = methods
                .into_iter()
                .find(|m| matches!(m.kind, MethodKind::RecoveryCodes { .. }));
            let id = old
                .as_ref()
                .map_or_else(|| uuid::Uuid::new_v4().to_string(), |m| m.id.clone());
            let codes: Vec<String> = (0..CODES_PER_SET).map(|_| new_code()).collect();
            let hashes = codes
                .iter()
                .map(|c| normalized(c).map(|n| code_hash(&id, &n)))
                .collect();
            let method = MethodRecord {
                id: id.clone(),
                user_id: user.id.clone(),
                name: "Recovery codes".into(),
                kind: MethodKind::RecoveryCodes { hashes },
                created_at: now,
                last_used_at: None,
                confirmed_at: Some(now),
                replaces: None,
                version: old.as_ref().map_or(0, |m| m.version),
            };
            let mut audit = event(
                now,
                AuditAction::RecoveryCodesCreated,
                Some(user),
                Some(user),
            );
            audit.method = Some(super::methods::audit_method(&method));
            let written = match &old {
                Some(_) => self
                    .store
                    .update_method(&method, &[audit])
                    .await
                    .map(|_| ()),
                None => self.store.insert_method(&method, &[audit]).await,
            };
            match written {
                Ok(()) => {
                    return Ok(RecoveryCodesIssued {
                        codes,
                        info: self.security_info(user).await?,
                    })
                }
                Err(StoreError::Conflict | StoreError::Duplicate | StoreError::NotFound) => {
                    continue
                }
                Err(e) => return Err(store_failure(e)),
            }
        }
        Err(super::methods::contended())
    }

    /// Spends one of the user's recovery codes, if `typed` is one not used
    /// yet: the codes left, or `None`. Of twenty uses of one code at once,
    /// one wins (the write is conditional on the set's version). Her
    /// notice says what it was used for: signing in, or `to_reset`.
    pub(crate) async fn claim_recovery_code(
        &self,
        user: &UserRecord,
        typed: &str,
        now: i64,
        to_reset: bool,
    ) -> Result<Option<u32>, ApiError> {
        let Some(code) = normalized(typed) else {
            return Ok(None);
        };
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let methods = self.methods(user).await?;
            let Some(mut method) = methods
                .into_iter()
                .find(|m| matches!(m.kind, MethodKind::RecoveryCodes { .. }))
            else {
                return Ok(None);
            };
            let hash = code_hash(&method.id, &code);
            let MethodKind::RecoveryCodes { hashes } = &mut method.kind else {
                return Ok(None);
            };
            // Every slot is compared, so the time says nothing of which.
            let mut found = None;
            for (i, slot) in hashes.iter().enumerate() {
                if slot.as_deref().is_some_and(|h| same(h, &hash)) {
                    found = Some(i);
                }
            }
            let Some(i) = found else {
                return Ok(None);
            };
            hashes[i] = None;
            method.last_used_at = Some(now);
            let left = codes_left(&method).unwrap_or(0);
            let mut audit = event(now, AuditAction::RecoveryCodeUsed, Some(user), Some(user));
            audit.method = Some(super::methods::audit_method(&method));
            match self.store.update_method(&method, &[audit]).await {
                Ok(_) => {
                    self.notify_recovery_code_used(user, now, left, to_reset)
                        .await;
                    return Ok(Some(left));
                }
                Err(StoreError::Conflict | StoreError::NotFound) => continue,
                Err(e) => return Err(store_failure(e)),
            }
        }
        Err(super::methods::contended())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_has_eighty_bits_in_four_readable_groups() {
        let code = new_code();
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert_eq!(normalized(&code).unwrap().len(), CODE_CHARS);
        assert_ne!(new_code(), code);
    }

    #[test]
    fn a_typed_code_is_read_as_people_type_it() {
        assert_eq!(
            normalized(" ABCD-EFGH jkmn-pqrs ").as_deref(),
            Some("abcdefghjkmnpqrs")
        );
        assert_eq!(
            normalized("olio-0000-0000-0000").as_deref(),
            Some("0110000000000000")
        );
        assert_eq!(normalized("123456"), None);
        assert_eq!(normalized("abcd-efgh-jkmn-pqru"), None);
    }

    #[test]
    fn a_codes_hash_belongs_to_its_set() {
        assert_ne!(code_hash("a", "x"), code_hash("b", "x"));
        assert!(same(&code_hash("a", "x"), &code_hash("a", "x")));
    }
}
