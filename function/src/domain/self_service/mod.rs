//! Self-service password reset: "Forgot your password?" when the
//! organisation lets users prove who they are. She names her account and
//! gets the same answer, in the same time, whether it exists or not; she
//! passes one or two gates (an emailed code, an app's code, a passkey, a
//! recovery code: two for admins, one of them more than an email); she
//! chooses a new password or unlocks her account. An account that cannot
//! self-serve gets a flow whose gates fail as wrong codes do, and its
//! admins are asked, as before.
//!
//! Throttled as Entra does it: five verifications and five resets per
//! account per hour, then nothing for 24 hours.

mod finish;
mod gates;
mod registration;

use rekey_shared::{
    ApiError, ErrorCode, PasswordResetSettings, Role, SelfServiceFlow, SsprMethod, SsprScope,
};

use super::model::{Ceremony, CeremonyPurpose, MethodKind, ResetFlow, UserRecord};
use super::session::{new_token, token_hash};
use super::update::MAX_WRITE_ATTEMPTS;
use super::{store_failure, Rekey};
use crate::ports::{LoginLock, StoreError};

/// How long a flow waits between its steps, start to finish.
pub const FLOW_MS: i64 = 15 * 60_000;
/// Per account and hour: verifications, codes sent, and resets (or
/// unlocks). One over and the kind stops for 24 hours.
pub const PER_HOUR: u32 = 5;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// What the hourly limits count.
#[derive(Debug, Clone, Copy)]
pub enum Limit {
    Verify,
    Send,
    Reset,
}

impl Limit {
    fn key(self, limit_key: &str) -> String {
        let kind = match self {
            Limit::Verify => "verify",
            Limit::Send => "send",
            Limit::Reset => "reset",
        };
        format!("sspr-{kind}:{limit_key}")
    }
}

pub(crate) fn flow_ended() -> ApiError {
    ApiError::new(
        ErrorCode::ResetFlowEnded,
        "This reset has ended. Start again from \u{201c}Forgot your password?\u{201d}.",
    )
}

fn limited(until: i64, now: i64) -> ApiError {
    let secs = ((until - now).max(0) as u64).div_ceil(1000);
    ApiError::new(
        ErrorCode::RateLimited,
        "Too many tries for this account. Try again tomorrow, or ask your admin.",
    )
    .with_retry_after(secs)
}

/// Whether the settings let `role` reset her own password.
pub fn in_scope(settings: &PasswordResetSettings, role: Role) -> bool {
    match settings.enabled_for {
        SsprScope::None => false,
        SsprScope::All => true,
        SsprScope::Selected => settings.selected_roles.contains(&role),
    }
}

/// The offered methods `user` has registered (a set of recovery codes
/// only while a code is left).
pub(crate) fn usable(
    settings: &PasswordResetSettings,
    methods: &[super::model::MethodRecord],
) -> Vec<SsprMethod> {
    let mut out: Vec<SsprMethod> = methods
        .iter()
        .filter(|m| m.confirmed_at.is_some())
        .filter_map(|m| match &m.kind {
            MethodKind::Totp { .. } => Some(SsprMethod::AuthenticatorApp),
            MethodKind::Passkey { .. } => Some(SsprMethod::Passkey),
            MethodKind::AlternateEmail { .. } => Some(SsprMethod::AlternateEmail),
            MethodKind::RecoveryCodes { hashes } if hashes.iter().any(Option::is_some) => {
                Some(SsprMethod::RecoveryCode)
            }
            MethodKind::RecoveryCodes { .. } => None,
        })
        .filter(|m| settings.methods.contains(m))
        .collect();
    out.sort_by_key(|m| m.as_str());
    out.dedup();
    out
}

/// Gates `role` must pass, and whether one must be more than an email.
pub fn gates_for(settings: &PasswordResetSettings, role: Role) -> (u8, bool) {
    if role.is_admin() {
        (2, true)
    } else {
        (settings.methods_required.clamp(1, 2), false)
    }
}

/// Whether `usable` methods can pass the gates.
pub(crate) fn enough(usable: &[SsprMethod], (required, needs_strong): (u8, bool)) -> bool {
    let strong = usable.iter().any(|m| *m != SsprMethod::AlternateEmail);
    usable.len() >= usize::from(required) && (strong || !needs_strong)
}

fn login_key(login: &str) -> String {
    format!("login:{}", &token_hash(login)[..32])
}

/// A flow opened, before its work: the answer and what the work needs.
pub struct Opened {
    pub answer: SelfServiceFlow,
    pub id_hash: String,
    pub settings: PasswordResetSettings,
}

impl Rekey {
    /// The answer to "Forgot your password?": the same for every login,
    /// from the settings alone. [`Rekey::begin_self_service`] does the
    /// rest, after the answer.
    pub async fn open_self_service(&self) -> Result<Opened, ApiError> {
        let settings = self.current_reset_settings().await?.settings;
        let (flow, id_hash) = new_token();
        let methods = if settings.enabled_for == SsprScope::None {
            Vec::new()
        } else {
            settings.methods.clone()
        };
        Ok(Opened {
            answer: SelfServiceFlow {
                flow,
                methods,
                expires_at: self.now() + FLOW_MS,
            },
            id_hash,
            settings,
        })
    }

    /// The flow's work: a live flow for an account that may reset itself;
    /// for any other login a flow that proves nothing, and its admins are
    /// asked (as "Forgot your password?" always did). Never reports back.
    pub async fn begin_self_service(&self, opened: &Opened, login: &str, client: &str) {
        if let Err(e) = self.try_begin(opened, login, client).await {
            tracing::warn!(error = ?e, "a self-service reset could not be opened");
        }
    }

    async fn try_begin(&self, opened: &Opened, login: &str, client: &str) -> Result<(), ApiError> {
        let normalized = login.trim().to_lowercase();
        let user = if normalized.is_empty() || normalized.len() > 254 {
            None
        } else {
            self.store
                .user_by_login(&normalized)
                .await
                .map_err(store_failure)?
        };
        let mut flow = ResetFlow {
            user_id: None,
            limit_key: login_key(&normalized),
            epoch: 0,
            required: 1,
            needs_strong: false,
            verified: Vec::new(),
            email_code: None,
            passkey_state: None,
        };
        if let Some(user) = &user {
            let gates = gates_for(&opened.settings, user.role);
            let usable = usable(&opened.settings, &self.methods(user).await?);
            flow.limit_key = format!("acct:{}", user.id);
            flow.epoch = user.session_epoch;
            (flow.required, flow.needs_strong) = gates;
            if !user.blocked && in_scope(&opened.settings, user.role) && enough(&usable, gates) {
                flow.user_id = Some(user.id.clone());
            }
        }
        let now = self.now();
        if let Err(e) = self.store.purge_ceremonies(now).await {
            tracing::warn!(error = %e, "could not purge ended ceremonies");
        }
        let ceremony = Ceremony {
            id_hash: opened.id_hash.clone(),
            purpose: CeremonyPurpose::SelfService(Box::new(flow.clone())),
            state: String::new(),
            created_at: now,
            expires_at: now + FLOW_MS,
        };
        self.store
            .insert_ceremony(&ceremony)
            .await
            .map_err(store_failure)?;
        if flow.user_id.is_none() {
            self.request_reset(&normalized, client).await;
        }
        Ok(())
    }

    /// Takes the flow `token` names (its single use, until it is put
    /// back): `410 reset_flow_ended` when it is gone or expired.
    pub(crate) async fn take_flow(&self, token: &str) -> Result<(Ceremony, ResetFlow), ApiError> {
        let ceremony = self
            .store
            .take_ceremony(&token_hash(token))
            .await
            .map_err(store_failure)?
            .ok_or_else(flow_ended)?;
        if ceremony.expires_at <= self.now() {
            return Err(flow_ended());
        }
        match &ceremony.purpose {
            CeremonyPurpose::SelfService(flow) => {
                let flow = (**flow).clone();
                Ok((ceremony, flow))
            }
            _ => Err(flow_ended()),
        }
    }

    /// Puts a flow back for its next step, under the same id.
    pub(crate) async fn put_flow(&self, mut ceremony: Ceremony, flow: ResetFlow) {
        ceremony.purpose = CeremonyPurpose::SelfService(Box::new(flow));
        if let Err(e) = self.store.insert_ceremony(&ceremony).await {
            tracing::warn!(error = %e, "a self-service reset could not be kept");
        }
    }

    /// The flow's account while it may still use it (no reset, block or
    /// sign-out everywhere since it began); `None` otherwise.
    pub(crate) async fn flow_user(&self, flow: &ResetFlow) -> Result<Option<UserRecord>, ApiError> {
        let Some(id) = &flow.user_id else {
            // The read a real flow makes, so the time tells nothing.
            let _ = self.store.user_by_id(&flow.limit_key).await;
            return Ok(None);
        };
        Ok(self
            .store
            .user_by_id(id)
            .await
            .map_err(store_failure)?
            .filter(|u| u.session_epoch == flow.epoch && !u.blocked))
    }

    /// One of `limit` for `limit_key`'s hour, or `429` (with the 24 hours
    /// once the hour's five are spent). Conditional writes: of twenty at
    /// once, five pass.
    pub(crate) async fn take_limit(&self, limit: Limit, limit_key: &str) -> Result<(), ApiError> {
        let key = limit.key(limit_key);
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let now = self.now();
            let mut q = match self.store.login_lock(&key).await {
                Ok(Some(lock)) => lock,
                Ok(None) => LoginLock::new(key.clone()),
                Err(e) => return Err(store_failure(e)),
            };
            if let Some(until) = q.locked_until.filter(|u| *u > now) {
                return Err(limited(until, now));
            }
            if q.locked_until.is_some() || q.expires_at <= now {
                // A new hour (or the day's lock is over).
                q.failed_sign_ins = 0;
                q.locked_until = None;
                q.expires_at = now + HOUR_MS;
            }
            let refused = q.failed_sign_ins >= PER_HOUR;
            if refused {
                q.locked_until = Some(now + DAY_MS);
                q.expires_at = now + DAY_MS;
                q.lockouts += 1;
            } else {
                q.failed_sign_ins += 1;
            }
            match self.store.put_login_lock(&q).await {
                Ok(_) if refused => return Err(limited(now + DAY_MS, now)),
                Ok(_) => return Ok(()),
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(store_failure(e)),
            }
        }
        Err(limited(self.now() + 1000, self.now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(required: u8, methods: Vec<SsprMethod>) -> PasswordResetSettings {
        PasswordResetSettings {
            enabled_for: SsprScope::All,
            methods_required: required,
            methods,
            ..PasswordResetSettings::default()
        }
    }

    #[test]
    fn admins_always_need_two_gates_one_of_them_more_than_an_email() {
        let s = settings(
            1,
            vec![SsprMethod::AlternateEmail, SsprMethod::RecoveryCode],
        );
        assert_eq!(gates_for(&s, Role::User), (1, false));
        assert_eq!(gates_for(&s, Role::HelpdeskAdmin), (2, true));
        let email = [SsprMethod::AlternateEmail];
        assert!(enough(&email, gates_for(&s, Role::User)));
        assert!(!enough(&email, gates_for(&s, Role::GlobalAdmin)));
        let both = [SsprMethod::AlternateEmail, SsprMethod::RecoveryCode];
        assert!(enough(&both, gates_for(&s, Role::GlobalAdmin)));
    }

    #[test]
    fn selected_scope_means_the_selected_roles_only() {
        let mut s = settings(1, vec![SsprMethod::AlternateEmail]);
        s.enabled_for = SsprScope::Selected;
        s.selected_roles = vec![Role::User];
        assert!(in_scope(&s, Role::User));
        assert!(!in_scope(&s, Role::PasswordAdmin));
        s.enabled_for = SsprScope::None;
        assert!(!in_scope(&s, Role::User));
    }

    #[test]
    fn a_flow_is_done_when_enough_gates_passed_and_a_strong_one_if_due() {
        let mut flow = ResetFlow {
            user_id: Some("u".into()),
            limit_key: "acct:u".into(),
            epoch: 0,
            required: 2,
            needs_strong: true,
            verified: vec![],
            email_code: None,
            passkey_state: None,
        };
        assert_eq!(flow.remaining(), 2);
        flow.verified.push(SsprMethod::AlternateEmail);
        assert_eq!(flow.remaining(), 1);
        flow.verified.push(SsprMethod::RecoveryCode);
        assert_eq!(flow.remaining(), 0);
        flow.required = 1;
        flow.verified = vec![SsprMethod::AlternateEmail];
        assert_eq!(flow.remaining(), 1);
        flow.needs_strong = false;
        assert_eq!(flow.remaining(), 0);
    }
}
