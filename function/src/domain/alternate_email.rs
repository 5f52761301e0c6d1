//! Security info's alternate email: an address of her own, not her work
//! one, that a self-service reset sends its code to. It counts once the
//! code sent to it comes back; a new address replaces the old only then.

use rekey_shared::validate::check_email;
use rekey_shared::{AlternateEmailStarted, ApiError, ErrorCode, NewAlternateEmail, SecurityInfo};

use super::emailed_codes::{self, code_email, MAX_WRONG};
use super::methods::{confirm_registration, contended, no_such_method};
use super::model::{MethodKind, MethodRecord, SessionRecord, UserRecord};
use super::update::MAX_WRITE_ATTEMPTS;
use super::{store_failure, Rekey};
use crate::ports::StoreError;

fn context(method_id: &str) -> String {
    format!("alternate-email:{method_id}")
}

fn invalid_address(message: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidRequest, message).with_field("address")
}

fn wrong_code() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidCode,
        "That code isn't right. Use the newest code we emailed you.",
    )
    .with_field("code")
}

impl Rekey {
    /// Sends a code to a new alternate address. An unconfirmed one of
    /// hers is replaced by this one.
    pub async fn start_alternate_email(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        request: &NewAlternateEmail,
    ) -> Result<AlternateEmailStarted, ApiError> {
        self.require_recent_sign_in(session)?;
        let address = request.address.trim().to_lowercase();
        check_email(&address).map_err(|p| invalid_address(p.message()))?;
        if address == user.email.to_lowercase() {
            return Err(invalid_address(
                "Give an address of your own, not your work one: it is how you get in when you can't.",
            ));
        }
        let existing = self.methods(user).await?;
        let is_email = |m: &&MethodRecord| matches!(m.kind, MethodKind::AlternateEmail { .. });
        let replaces = existing
            .iter()
            .filter(is_email)
            .find(|m| m.confirmed_at.is_some())
            .map(|m| m.id.clone());
        self.make_room(
            user,
            &existing,
            |m| matches!(m.kind, MethodKind::AlternateEmail { .. }),
            replaces.is_some(),
        )
        .await?;
        let now = self.now();
        let id = uuid::Uuid::new_v4().to_string();
        let (code, sent) = emailed_codes::new_code(&context(&id), now);
        let expires_at = sent.expires_at;
        let method = MethodRecord {
            id: id.clone(),
            user_id: user.id.clone(),
            name: address.clone(),
            kind: MethodKind::AlternateEmail {
                address: address.clone(),
                code: Some(sent),
            },
            created_at: now,
            last_used_at: None,
            confirmed_at: None,
            replaces,
            version: 0,
        };
        self.store
            .insert_method(&method, &[])
            .await
            .map_err(store_failure)?;
        let lang = user.language(self.settings.default_language);
        let email = code_email(&address, &code, &self.settings.organization, lang);
        if let Err(e) = self.mailer.send(&email).await {
            tracing::warn!(error = %e, user = %user.id, "the confirmation code was not sent");
            return Err(ApiError::new(
                ErrorCode::Unavailable,
                "We couldn't send the code just now. Try again shortly.",
            ));
        }
        Ok(AlternateEmailStarted {
            id,
            address,
            expires_at,
        })
    }

    /// The code from the address's inbox: the address counts from now on
    /// (and the one it replaces is gone). Five wrong codes void it.
    pub async fn confirm_alternate_email(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        id: &str,
        typed: &str,
    ) -> Result<SecurityInfo, ApiError> {
        self.require_recent_sign_in(session)?;
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let now = self.now();
            let mut method = self
                .pending_registration(user, id)
                .await?
                .ok_or_else(no_such_method)?;
            let MethodKind::AlternateEmail { code, .. } = &mut method.kind else {
                return Err(no_such_method());
            };
            let Some(sent) = code.as_mut() else {
                return Err(no_such_method());
            };
            let right = emailed_codes::matches(sent, &context(id), typed, now);
            let (mut audit, mut replaced) = (Vec::new(), None);
            if right {
                *code = None;
                let (added, old) = confirm_registration(user, &mut method, now);
                audit.push(added);
                replaced = old;
            } else if sent.wrong + 1 >= MAX_WRONG || now >= sent.expires_at {
                // Void: she starts again, and a new code is sent.
                let _ = self.store.delete_method(&user.id, id, &[]).await;
                return Err(wrong_code());
            } else {
                sent.wrong += 1;
            }
            match self.store.update_method(&method, &audit).await {
                Ok(_) if right => {
                    self.drop_replaced(user, replaced, now).await?;
                    return self.security_info(user).await;
                }
                Ok(_) => return Err(wrong_code()),
                Err(StoreError::Conflict) => continue,
                Err(StoreError::NotFound) => return Err(no_such_method()),
                Err(e) => return Err(store_failure(e)),
            }
        }
        Err(contended())
    }
}
