//! Security info: a user's own sign-in methods, and registering an
//! authenticator app. A registration proves nothing until a first code
//! from the app verifies; a replacement takes over only then. Changing
//! methods needs a recent sign-in, as other sensitive changes do.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rekey_shared::{
    ApiError, AuditAction, AuditEvent, AuditMethod, AuthenticatorAppSetup, ErrorCode,
    MethodSummary, MethodType, NewAuthenticatorApp, SecurityInfo,
};

use super::audit::event;
use super::model::{MethodKind, MethodRecord, SessionRecord, UserRecord};
use super::sessions::reauthentication_required;
use super::update::MAX_WRITE_ATTEMPTS;
use super::{store_failure, totp, Rekey};
use crate::ports::{SealError, StoreError};

/// How long a registration waits for its first code.
pub const REGISTRATION_MS: i64 = 10 * 60_000;
/// Longest name a method may have.
pub const MAX_NAME_CHARS: usize = 64;
/// Methods one user may hold (a phone per pocket, and some).
pub const MAX_METHODS: usize = 10;

fn kind_of(method: &MethodRecord) -> MethodType {
    match method.kind {
        MethodKind::Totp { .. } => MethodType::AuthenticatorApp,
        MethodKind::RecoveryCodes { .. } => MethodType::RecoveryCodes,
        MethodKind::Passkey { .. } => MethodType::Passkey,
        MethodKind::AlternateEmail { .. } => MethodType::AlternateEmail,
    }
}

/// The registered ones of `methods`, as lists show them.
pub(crate) fn registered(methods: &[MethodRecord]) -> Vec<MethodSummary> {
    methods
        .iter()
        .filter(|m| m.confirmed_at.is_some())
        .map(summary)
        .collect()
}

fn summary(method: &MethodRecord) -> MethodSummary {
    MethodSummary {
        id: method.id.clone(),
        kind: kind_of(method),
        name: method.name.clone(),
        created_at: method.created_at,
        last_used_at: method.last_used_at,
        codes_left: super::recovery_codes::codes_left(method),
    }
}

/// "Method added", as she adds one herself.
pub(crate) fn added_event(user: &UserRecord, method: &MethodRecord, now: i64) -> AuditEvent {
    let mut added = event(now, AuditAction::MethodAdded, Some(user), Some(user));
    added.method = Some(audit_method(method));
    added
}

/// A registration counts from `now`: the event to write with it, and the
/// method it replaces (to remove once it is written).
pub(crate) fn confirm_registration(
    user: &UserRecord,
    method: &mut MethodRecord,
    now: i64,
) -> (AuditEvent, Option<String>) {
    method.confirmed_at = Some(now);
    (added_event(user, method, now), method.replaces.take())
}

pub(crate) fn audit_method(method: &MethodRecord) -> AuditMethod {
    AuditMethod {
        id: method.id.clone(),
        kind: kind_of(method),
        name: method.name.clone(),
    }
}

/// What the seal of a method's secret is bound to.
pub(crate) fn seal_context(method_id: &str) -> String {
    format!("method:{method_id}")
}

/// Every attempt lost its race; nothing was changed.
pub(crate) fn contended() -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        "This was changed at the same moment elsewhere. Try again.",
    )
}

pub(crate) fn no_such_method() -> ApiError {
    ApiError::not_found("That sign-in method")
}

fn invalid_code() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidCode,
        "That code isn't right. Check the time on your phone and enter the newest code.",
    )
    .with_field("code")
}

pub(crate) fn seal_failure(e: SealError) -> ApiError {
    tracing::error!(error = %e, "sealing failed");
    ApiError::internal()
}

/// A method's name: trimmed, `default` when empty, at most 64 characters
/// and none of them a control character.
pub(crate) fn method_name(typed: &str, default: &str) -> Result<String, ApiError> {
    let name = typed.trim();
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::new(
            ErrorCode::InvalidRequest,
            format!("Give a name of at most {MAX_NAME_CHARS} characters."),
        )
        .with_field("name"));
    }
    Ok(if name.is_empty() { default } else { name }.to_string())
}

impl Rekey {
    pub(crate) fn require_recent_sign_in(&self, session: &SessionRecord) -> Result<(), ApiError> {
        if self.is_fresh(session) {
            Ok(())
        } else {
            Err(reauthentication_required())
        }
    }

    /// Every method of `user`'s, registered or not, oldest first.
    pub(crate) async fn methods(&self, user: &UserRecord) -> Result<Vec<MethodRecord>, ApiError> {
        self.store.methods_of(&user.id).await.map_err(store_failure)
    }

    /// Her registration `id`, while it waits for its confirmation.
    pub(crate) async fn pending_registration(
        &self,
        user: &UserRecord,
        id: &str,
    ) -> Result<Option<MethodRecord>, ApiError> {
        Ok(self
            .methods(user)
            .await?
            .into_iter()
            .find(|m| m.id == id && m.confirmed_at.is_none()))
    }

    /// Once a confirmed registration is written, what it replaces goes.
    pub(crate) async fn drop_replaced(
        &self,
        user: &UserRecord,
        replaced: Option<String>,
        now: i64,
    ) -> Result<(), ApiError> {
        if let Some(old) = replaced {
            self.remove_method_record(user, user, &old, now).await?;
        }
        Ok(())
    }

    /// The user's registered methods, oldest first.
    pub async fn security_info(&self, user: &UserRecord) -> Result<SecurityInfo, ApiError> {
        Ok(SecurityInfo {
            methods: registered(&self.methods(user).await?),
        })
    }

    /// Starts registering an authenticator app: a new seed, sealed before
    /// it is stored and shown this once. An unfinished registration of the
    /// user's is replaced by this one.
    pub async fn start_authenticator_app(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        request: &NewAuthenticatorApp,
    ) -> Result<AuthenticatorAppSetup, ApiError> {
        self.require_recent_sign_in(session)?;
        let name = method_name(&request.name, "Authenticator app")?;
        let existing = self.methods(user).await?;
        if let Some(replaced) = &request.replaces {
            let found = existing.iter().any(|m| {
                &m.id == replaced
                    && m.confirmed_at.is_some()
                    && matches!(m.kind, MethodKind::Totp { .. })
            });
            if !found {
                return Err(no_such_method().with_field("replaces"));
            }
        }
        self.make_room(user, &existing, |_| true, request.replaces.is_some())
            .await?;
        let now = self.now();
        let id = uuid::Uuid::new_v4().to_string();
        let seed = zeroize::Zeroizing::new(totp::new_seed());
        let sealed = self
            .sealer
            .seal(&seed[..], &seal_context(&id))
            .await
            .map_err(seal_failure)?;
        let method = MethodRecord {
            id: id.clone(),
            user_id: user.id.clone(),
            name,
            kind: MethodKind::Totp {
                sealed_seed: STANDARD.encode(sealed),
                last_step: None,
            },
            created_at: now,
            last_used_at: None,
            confirmed_at: None,
            replaces: request.replaces.clone(),
            version: 0,
        };
        self.store
            .insert_method(&method, &[])
            .await
            .map_err(store_failure)?;
        let uri = totp::otpauth_uri(&self.settings.organization, &user.username, &seed[..]);
        let (qr_path, qr_width) = totp::qr_path(&uri).ok_or_else(ApiError::internal)?;
        Ok(AuthenticatorAppSetup {
            id,
            secret: totp::base32(&seed[..]),
            uri,
            qr_path,
            qr_width,
            expires_at: now + REGISTRATION_MS,
        })
    }

    /// Room for a new registration: her unfinished ones that `replaced`
    /// picks go; past `MAX_METHODS` registered, only a replacement.
    pub(crate) async fn make_room(
        &self,
        user: &UserRecord,
        existing: &[MethodRecord],
        replaced: impl Fn(&MethodRecord) -> bool,
        replaces_one: bool,
    ) -> Result<(), ApiError> {
        for unfinished in existing
            .iter()
            .filter(|m| m.confirmed_at.is_none() && replaced(m))
        {
            match self
                .store
                .delete_method(&user.id, &unfinished.id, &[])
                .await
            {
                Ok(()) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(store_failure(e)),
            }
        }
        let confirmed = existing.iter().filter(|m| m.confirmed_at.is_some()).count();
        if confirmed >= MAX_METHODS && !replaces_one {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                format!("You have {MAX_METHODS} sign-in methods; remove one first."),
            ));
        }
        Ok(())
    }

    /// The app's seed, opened from its record.
    pub(crate) async fn totp_seed(
        &self,
        method: &MethodRecord,
    ) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, ApiError> {
        let MethodKind::Totp { sealed_seed, .. } = &method.kind else {
            return Ok(None);
        };
        let sealed = STANDARD
            .decode(sealed_seed)
            .map_err(|_| seal_failure(SealError::Damaged))?;
        self.sealer
            .open(&sealed, &seal_context(&method.id))
            .await
            .map(Some)
            .map_err(seal_failure)
    }

    /// Finishes a registration with the app's first code. The code's step
    /// is recorded, so the same code cannot also sign in.
    pub async fn confirm_authenticator_app(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        id: &str,
        code: &str,
    ) -> Result<SecurityInfo, ApiError> {
        self.require_recent_sign_in(session)?;
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let now = self.now();
            let mut method = self
                .pending_registration(user, id)
                .await?
                .filter(|m| now < m.created_at + REGISTRATION_MS)
                .ok_or_else(|| {
                    ApiError::not_found("That registration (it lasts 10 minutes; start again)")
                })?;
            let seed = self.totp_seed(&method).await?.ok_or_else(no_such_method)?;
            let step = totp::matching_step(&seed, code, now).ok_or_else(invalid_code)?;
            if let MethodKind::Totp { last_step, .. } = &mut method.kind {
                *last_step = Some(step);
            }
            let (added, replaced) = confirm_registration(user, &mut method, now);
            match self.store.update_method(&method, &[added]).await {
                Ok(_) => {
                    self.drop_replaced(user, replaced, now).await?;
                    // Her first code just proved the app: this session
                    // has passed a second factor.
                    if !session.is_mfa() {
                        let proven = SessionRecord {
                            amr: super::model::password_and_code(),
                            ..session.clone()
                        };
                        if let Err(e) = self.store.touch_session(&proven).await {
                            tracing::warn!(error = %e, "could not record the session's second factor");
                        }
                    }
                    return self.security_info(user).await;
                }
                Err(StoreError::Conflict) => continue,
                Err(StoreError::NotFound) => return Err(no_such_method()),
                Err(e) => return Err(store_failure(e)),
            }
        }
        Err(contended())
    }

    /// Removes one of `user`'s methods, as `actor` (herself or her admin);
    /// the method as it was.
    pub(crate) async fn remove_method_record(
        &self,
        actor: &UserRecord,
        user: &UserRecord,
        id: &str,
        now: i64,
    ) -> Result<MethodRecord, ApiError> {
        let methods = self.methods(user).await?;
        let method = methods
            .iter()
            .find(|m| m.id == id && m.confirmed_at.is_some())
            .ok_or_else(no_such_method)?;
        let mut removed = event(now, AuditAction::MethodRemoved, Some(actor), Some(user));
        removed.method = Some(audit_method(method));
        match self.store.delete_method(&user.id, id, &[removed]).await {
            Ok(()) => {}
            Err(StoreError::NotFound) => return Err(no_such_method()),
            Err(e) => return Err(store_failure(e)),
        }
        // Recovery codes lead back to an app or a passkey; with the last
        // of those gone they go too, rather than stand as a weaker factor
        // on their own.
        let is_app = |m: &MethodRecord| {
            matches!(m.kind, MethodKind::Totp { .. } | MethodKind::Passkey { .. })
        };
        let apps_left = methods
            .iter()
            .any(|m| m.id != id && m.confirmed_at.is_some() && is_app(m));
        if is_app(method) && !apps_left {
            if let Some(codes) = methods
                .iter()
                .find(|m| matches!(m.kind, MethodKind::RecoveryCodes { .. }))
            {
                let mut removed = event(now, AuditAction::MethodRemoved, Some(actor), Some(user));
                removed.method = Some(audit_method(codes));
                match self
                    .store
                    .delete_method(&user.id, &codes.id, &[removed])
                    .await
                {
                    Ok(()) | Err(StoreError::NotFound) => {}
                    Err(e) => return Err(store_failure(e)),
                }
            }
        }
        Ok(method.clone())
    }

    /// Removes one of the user's own methods.
    pub async fn remove_method(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        id: &str,
    ) -> Result<SecurityInfo, ApiError> {
        self.require_recent_sign_in(session)?;
        self.remove_method_record(user, user, id, self.now())
            .await?;
        self.security_info(user).await
    }

    /// Renames one of the user's own methods.
    pub async fn rename_method(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        id: &str,
        name: &str,
    ) -> Result<SecurityInfo, ApiError> {
        self.require_recent_sign_in(session)?;
        let name = method_name(name, "")?;
        if name.is_empty() {
            return Err(
                ApiError::new(ErrorCode::InvalidRequest, "Give it a name.").with_field("name")
            );
        }
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let mut method = self
                .methods(user)
                .await?
                .into_iter()
                .find(|m| m.id == id && m.confirmed_at.is_some())
                .ok_or_else(no_such_method)?;
            if method.name == name {
                return self.security_info(user).await;
            }
            method.name = name.clone();
            match self.store.update_method(&method, &[]).await {
                Ok(_) => return self.security_info(user).await,
                Err(StoreError::Conflict) => continue,
                Err(StoreError::NotFound) => return Err(no_such_method()),
                Err(e) => return Err(store_failure(e)),
            }
        }
        Err(contended())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_methods_name_is_trimmed_bounded_and_defaulted() {
        assert_eq!(method_name("  Pixel 8 ", "App").unwrap(), "Pixel 8");
        assert_eq!(method_name("", "App").unwrap(), "App");
        assert!(method_name(&"x".repeat(65), "App").is_err());
        assert!(method_name("a\u{7}b", "App").is_err());
    }
}
