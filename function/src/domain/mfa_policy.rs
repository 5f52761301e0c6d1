//! MFA by policy (`REKEY_MFA`): who must have a second method. As Entra's
//! security defaults do, an account the policy newly covers is asked at
//! sign-in and may skip for a grace period counted from the first ask;
//! after that it registers before anything else.

use rekey_shared::{ApiError, ErrorCode, MethodRegistrationDue};

use super::model::{SessionRecord, UserRecord};
use super::update::Change;
use super::Rekey;

const DAY_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MfaPolicy {
    /// Every admin role must have a method.
    #[default]
    Admins,
    Everyone,
    /// Methods are each user's choice.
    Optional,
}

impl MfaPolicy {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "admins" => Some(Self::Admins),
            "everyone" => Some(Self::Everyone),
            "optional" => Some(Self::Optional),
            _ => None,
        }
    }

    pub fn covers(self, user: &UserRecord) -> bool {
        match self {
            Self::Admins => user.role.is_admin(),
            Self::Everyone => true,
            Self::Optional => false,
        }
    }
}

pub(crate) fn registration_required() -> ApiError {
    ApiError::new(
        ErrorCode::MethodRegistrationRequired,
        "Your organisation needs a second way for you to sign in. Add one on Security info first.",
    )
}

impl Rekey {
    /// What the policy asks of a session whose user proved herself with
    /// `amr`: nothing once a second factor passed (she has a method);
    /// else, for a user it covers, to register one, skippable until the
    /// grace period from the first ask is over.
    pub fn registration_due(
        &self,
        user: &UserRecord,
        amr: &[String],
    ) -> Option<MethodRegistrationDue> {
        if !self.settings.mfa_policy.covers(user) || amr.iter().any(|m| m == "mfa") {
            return None;
        }
        let now = self.now();
        let deadline = user.mfa_asked_at.unwrap_or(now) + self.settings.mfa_grace_ms;
        Some(if now < deadline {
            MethodRegistrationDue {
                skippable_until: Some(deadline),
                days_left: ((deadline - now + DAY_MS - 1) / DAY_MS) as u32,
            }
        } else {
            MethodRegistrationDue {
                skippable_until: None,
                days_left: 0,
            }
        })
    }

    /// Refuses a session the policy holds until its user registers.
    pub fn require_registered(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
    ) -> Result<(), ApiError> {
        match self.registration_due(user, &session.amr) {
            Some(due) if due.skippable_until.is_none() => Err(registration_required()),
            _ => Ok(()),
        }
    }

    /// The first ask, recorded at a password-only sign-in the policy
    /// covers: the grace period counts from here. A failed write only
    /// delays the count, so it is logged, not raised.
    pub(crate) async fn note_first_ask(&self, user: UserRecord) -> UserRecord {
        if user.mfa_asked_at.is_some() || !self.settings.mfa_policy.covers(&user) {
            return user;
        }
        let fallback = user.clone();
        let result = self
            .update_user(user, |current, now| {
                if current.mfa_asked_at.is_some() {
                    return Ok::<_, ApiError>(Change::Keep);
                }
                let mut next = current.clone();
                next.mfa_asked_at = Some(now);
                Ok(Change::Write(next, Vec::new()))
            })
            .await;
        match result {
            Ok(user) => user,
            Err(_) => {
                tracing::warn!(user = %fallback.id, "could not record the first MFA ask");
                fallback
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rekey_shared::Role;

    #[test]
    fn the_policy_is_read_by_name_and_covers_whom_it_says() {
        let admin = UserRecord::new("a", "A", "a@x.example", Role::HelpdeskAdmin, "h".into(), 0);
        let user = UserRecord::new("u", "U", "u@x.example", Role::User, "h".into(), 0);
        let admins = MfaPolicy::parse("admins").unwrap();
        assert!(admins.covers(&admin) && !admins.covers(&user));
        assert!(MfaPolicy::parse("everyone").unwrap().covers(&user));
        assert!(!MfaPolicy::parse("optional").unwrap().covers(&admin));
        assert_eq!(MfaPolicy::parse("Admins"), None);
    }
}
