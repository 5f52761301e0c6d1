//! Registering a passkey on Security info: discoverable (so it signs in
//! with no username), user verification required, and never the same
//! authenticator twice.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rekey_shared::{ApiError, ErrorCode, NewPasskey, PasskeyChallenge, SecurityInfo};
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential, Uuid, WebauthnError};

use super::{credential_of, passkey_of, refused, state_of, unavailable};
use crate::domain::methods::{added_event, method_name, MAX_METHODS};
use crate::domain::model::{CeremonyPurpose, MethodKind, MethodRecord, SessionRecord, UserRecord};
use crate::domain::{store_failure, Rekey};

fn ceremony_of_another() -> ApiError {
    ApiError::new(
        ErrorCode::CeremonyInvalid,
        "This passkey request was started by another account. Start again.",
    )
}

fn already_registered() -> ApiError {
    ApiError::new(
        ErrorCode::AlreadyExists,
        "This passkey is registered already.",
    )
}

impl Rekey {
    /// The browser's options for a new passkey of `user`'s.
    pub async fn start_passkey_registration(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        request: &NewPasskey,
    ) -> Result<PasskeyChallenge, ApiError> {
        self.require_recent_sign_in(session)?;
        let rp = self.relying_party()?;
        let name = method_name(&request.name, "Passkey")?;
        let methods = self.methods(user).await?;
        let registered = methods.iter().filter(|m| m.confirmed_at.is_some()).count();
        if registered >= MAX_METHODS {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                format!("You have {MAX_METHODS} sign-in methods; remove one first."),
            ));
        }
        let exclude = methods
            .iter()
            .filter_map(passkey_of)
            .map(|p| p.cred_id().clone())
            .collect::<Vec<_>>();
        // The user handle is her id: a discoverable sign-in finds her by it.
        let handle = Uuid::parse_str(&user.id).map_err(|_| unavailable())?;
        let (options, state) = rp
            .start_passkey_registration(handle, &user.username, &user.display_name, Some(exclude))
            .map_err(|e| refused(Some(e)))?;
        let mut options = serde_json::to_value(&options).map_err(|_| ApiError::internal())?;
        // A passkey that signs in with no username must live on the
        // authenticator (a discoverable credential).
        options["publicKey"]["authenticatorSelection"] = serde_json::json!({
            "residentKey": "required",
            "requireResidentKey": true,
            "userVerification": "required",
        });
        self.open_ceremony(
            CeremonyPurpose::Register {
                user_id: user.id.clone(),
                name,
            },
            &state,
            options,
        )
        .await
    }

    /// The browser's new credential: a passkey on her account, once.
    pub async fn finish_passkey_registration(
        &self,
        session: &SessionRecord,
        user: &UserRecord,
        ceremony: &str,
        credential: &serde_json::Value,
    ) -> Result<SecurityInfo, ApiError> {
        self.require_recent_sign_in(session)?;
        let rp = self.relying_party()?;
        let reg: RegisterPublicKeyCredential = credential_of(credential)?;
        let ceremony = self.take_ceremony(ceremony).await?;
        let CeremonyPurpose::Register { user_id, name } = &ceremony.purpose else {
            return Err(ceremony_of_another());
        };
        if user_id != &user.id {
            return Err(ceremony_of_another());
        }
        let state: PasskeyRegistration = state_of(&ceremony)?;
        let methods = self.methods(user).await?;
        // The library refuses an excluded credential under another name;
        // the browser's id for it says which it is.
        let registered = |id: &[u8]| {
            methods
                .iter()
                .filter_map(passkey_of)
                .any(|p| p.cred_id().as_slice() == id)
        };
        if registered(&reg.raw_id) {
            return Err(already_registered());
        }
        let passkey = rp
            .finish_passkey_registration(&reg, &state)
            .map_err(|e| match e {
                WebauthnError::CredentialAlreadyExists => already_registered(),
                e => refused(Some(e)),
            })?;
        if registered(passkey.cred_id().as_slice()) {
            return Err(already_registered());
        }
        let now = self.now();
        let backup_eligible = serde_json::to_value(&passkey)
            .ok()
            .and_then(|v| v["cred"]["backup_eligible"].as_bool())
            .unwrap_or(false);
        let method = MethodRecord {
            id: uuid::Uuid::new_v4().to_string(),
            user_id: user.id.clone(),
            name: name.clone(),
            kind: MethodKind::Passkey {
                credential_id: URL_SAFE_NO_PAD.encode(passkey.cred_id()),
                credential: serde_json::to_string(&passkey).map_err(|_| ApiError::internal())?,
                backup_eligible,
            },
            created_at: now,
            last_used_at: None,
            confirmed_at: Some(now),
            replaces: None,
            version: 0,
        };
        self.store
            .insert_method(&method, &[added_event(user, &method, now)])
            .await
            .map_err(store_failure)?;
        // Verified by the user on her authenticator: this session has now
        // passed a second factor.
        if !session.is_mfa() {
            let mut amr = session.amr.clone();
            amr.retain(|m| m != "mfa");
            amr.extend([super::key_amr(&method).to_string(), "mfa".to_string()]);
            let proven = SessionRecord {
                amr,
                ..session.clone()
            };
            if let Err(e) = self.store.touch_session(&proven).await {
                tracing::warn!(error = %e, "could not record the session's second factor");
            }
        }
        self.security_info(user).await
    }
}
