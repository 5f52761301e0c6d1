//! The stored account. Only the domain changes it; adapters persist it.

use rekey_shared::{AuditParty, Lang, Role, UserSummary};

#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: String,
    /// Lower case; unique.
    pub username: String,
    pub display_name: String,
    /// Unique, compared case-insensitively.
    pub email: String,
    pub alternate_email: Option<String>,
    pub role: Role,
    /// argon2id PHC string (parameters inside, so old hashes keep verifying).
    pub password_hash: String,
    pub must_change_password: bool,
    /// Unix ms after which a temporary password stops working.
    pub temp_password_expires_at: Option<i64>,
    /// Consecutive failed sign-ins since the last success or lock.
    pub failed_sign_ins: u32,
    pub locked_until: Option<i64>,
    /// Consecutive lockouts; each doubles the next lock's length.
    pub lockouts: u32,
    /// Sessions carry the epoch they began in; bumping it ends them all.
    pub session_epoch: u64,
    pub version: u64,
    pub created_at: i64,
    /// When the user last asked for a reset that no admin has done yet.
    pub reset_requested_at: Option<i64>,
    /// The language of the user's emails and pages; `None` follows the
    /// organisation's default (`REKEY_DEFAULT_LANGUAGE`).
    pub preferred_language: Option<Lang>,
    /// The admin who made the latest reset, and when: the password shown to
    /// them may be emailed afterwards only while it is still that reset.
    pub last_reset_by: Option<String>,
    pub last_reset_at: Option<i64>,
    /// The latest one-time link: only its SHA-256 is kept. A newer link, a
    /// reset or an own change replaces or removes it.
    pub reset_link: Option<ResetLink>,
    /// The names SCIM and the "Add a user" form give; older accounts have
    /// only a display name.
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Sign-in blocked by an admin: no sign-in, session, code or token.
    pub blocked: bool,
    /// The provisioning system's own id for the user (SCIM `externalId`).
    pub external_id: Option<String>,
    /// The block came from SCIM's `active: false`, so SCIM may lift it; an
    /// admin's block only an admin lifts.
    pub blocked_by_scim: bool,
    /// The last address the user proved she reads (a one-time link sent to
    /// it and used): `email_verified` holds only while it is still `email`.
    pub verified_email: Option<String>,
    /// When the sign-in policy first asked her to register a second method:
    /// the grace period for "Skip for now" counts from here.
    pub mfa_asked_at: Option<i64>,
    /// The Temporary Access Pass an admin issued, while it may still be
    /// used (one per user: a new one replaces it).
    pub temporary_pass: Option<TemporaryPass>,
    /// Her answers to "keep your security info current" (self-service
    /// reset's registration at sign-in).
    pub security_info_check: Option<SecurityInfoCheck>,
}

/// How often she skipped registering, and when she last confirmed her
/// methods are current.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SecurityInfoCheck {
    pub skips: u8,
    pub confirmed_at: Option<i64>,
}

/// A Temporary Access Pass on record: only its hash.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TemporaryPass {
    /// SHA-256 (hex) of the pass, salted by the user's id.
    pub hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// Spent by its first sign-in.
    pub one_time: bool,
    /// The admin who issued it.
    pub issued_by: String,
}

impl std::fmt::Debug for TemporaryPass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemporaryPass")
            .field("expires_at", &self.expires_at)
            .field("one_time", &self.one_time)
            .finish_non_exhaustive()
    }
}

/// A one-time link on record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetLink {
    /// SHA-256 (hex) of the link's secret.
    pub token_hash: String,
    pub sent_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    /// SHA-256 of the secret in the copy sent to the alternate address:
    /// its own secret, so only the primary's copy proves the primary.
    pub alternate_hash: Option<String>,
}

// The hash is not a password, but it has no business in logs either.
impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl UserRecord {
    /// She chose `hash` herself (through a link or a self-service reset):
    /// nothing is left to change, the lock lifts, every session ends and a
    /// pending request is resolved.
    pub fn take_chosen_password(&mut self, hash: &str) {
        hash.clone_into(&mut self.password_hash);
        self.must_change_password = false;
        self.temp_password_expires_at = None;
        self.failed_sign_ins = 0;
        self.locked_until = None;
        self.lockouts = 0;
        self.session_epoch += 1;
        self.reset_requested_at = None;
    }

    /// A new account with exactly what it is given: a fresh id, version
    /// 0, no names beyond the display name, no alternate address, nothing
    /// locked, requested or linked. Every way in (the admin center, an
    /// import, SCIM, the first admin, the demo seed) starts here, so none
    /// carries a field it did not set.
    pub fn new(
        username: &str,
        display_name: &str,
        email: &str,
        role: Role,
        password_hash: String,
        now: i64,
    ) -> Self {
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            username: username.to_string(),
            display_name: display_name.to_string(),
            email: email.to_string(),
            alternate_email: None,
            role,
            password_hash,
            must_change_password: false,
            temp_password_expires_at: None,
            failed_sign_ins: 0,
            locked_until: None,
            lockouts: 0,
            session_epoch: 0,
            version: 0,
            created_at: now,
            reset_requested_at: None,
            preferred_language: None,
            last_reset_by: None,
            last_reset_at: None,
            reset_link: None,
            first_name: None,
            last_name: None,
            blocked: false,
            external_id: None,
            blocked_by_scim: false,
            verified_email: None,
            mfa_asked_at: None,
            temporary_pass: None,
            security_info_check: None,
        }
    }

    /// Whether the user proved she reads her current address.
    pub fn email_verified(&self) -> bool {
        self.verified_email
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case(&self.email))
    }

    pub fn is_locked(&self, now_ms: i64) -> bool {
        self.locked_until.is_some_and(|until| until > now_ms)
    }

    pub fn summary(&self, now_ms: i64) -> UserSummary {
        UserSummary {
            id: self.id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            email: self.email.clone(),
            alternate_email: self.alternate_email.clone(),
            role: self.role,
            must_change_password: self.must_change_password,
            locked_until: self.locked_until.filter(|until| *until > now_ms),
            temporary_password_expires_at: self.temp_password_expires_at,
            reset_requested_at: self.reset_requested_at,
            preferred_language: self.preferred_language,
            reset_link: self
                .reset_link
                .as_ref()
                .map(|l| rekey_shared::ResetLinkInfo {
                    sent_at: l.sent_at,
                    expires_at: l.expires_at,
                    used_at: l.used_at,
                }),
            version: self.version,
            blocked: self.blocked,
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            temporary_pass_expires_at: self
                .temporary_pass
                .as_ref()
                .map(|t| t.expires_at)
                .filter(|at| *at > now_ms),
        }
    }

    /// The language to write to this user in.
    pub fn language(&self, default: Lang) -> Lang {
        self.preferred_language.unwrap_or(default)
    }

    pub fn party(&self) -> AuditParty {
        AuditParty {
            id: self.id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
        }
    }

    /// The strings a password must not contain: name words, username, email.
    pub fn personal_terms(&self) -> Vec<String> {
        let mut terms: Vec<String> = self
            .display_name
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .collect();
        terms.push(self.username.to_lowercase());
        for email in std::iter::once(&self.email).chain(self.alternate_email.as_ref()) {
            let email = email.to_lowercase();
            if let Some((local, _)) = email.split_once('@') {
                terms.extend(local.split(['.', '_', '-', '+']).map(str::to_string));
                terms.push(local.to_string());
            }
        }
        // Two-letter fragments would refuse half the dictionary.
        terms.retain(|t| t.chars().count() >= 3);
        terms.sort();
        terms.dedup();
        terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_account_holds_only_what_it_was_given() {
        let u = UserRecord::new(
            "adele@contoso.com",
            "Adele Vance",
            "adele@contoso.com",
            Role::User,
            "$argon2id$x".into(),
            7,
        );
        assert_eq!(
            (u.username.as_str(), u.email.as_str(), u.created_at),
            ("adele@contoso.com", "adele@contoso.com", 7)
        );
        assert!(!u.email.contains("contoso.example"), "no demo address");
        assert!(u.alternate_email.is_none() && u.first_name.is_none() && u.external_id.is_none());
        assert!(!u.blocked && !u.must_change_password && !u.email_verified());
        assert_eq!((u.version, u.session_epoch, u.failed_sign_ins), (0, 0, 0));
        let other = UserRecord::new("b", "B", "b@x.example", Role::User, String::new(), 7);
        assert_ne!(u.id, other.id);
    }
}
