//! Passkeys (WebAuthn, through webauthn-rs): registered on Security info,
//! signing in alone (discoverable, no username first) or as the second
//! step after a password. Each ceremony's state waits in the store between
//! its start and its finish, and a finish takes it once.

mod register;
mod sign_in;

use rekey_shared::{ApiError, ErrorCode, PasskeyChallenge};
use webauthn_rs::prelude::{Passkey, Url, Webauthn, WebauthnBuilder, WebauthnError};

use super::model::{Ceremony, CeremonyPurpose, MethodKind, MethodRecord};
use super::session::{new_token, token_hash};
use super::{store_failure, Rekey};

/// How long a ceremony waits for the browser (and the user's finger).
pub const CEREMONY_MS: i64 = 5 * 60_000;

/// The relying party for `public_url`: its host is the RP ID. `None` when
/// the host is an IP address, where browsers offer no passkeys.
pub fn relying_party(public_url: &str, organization: &str) -> Option<Webauthn> {
    let origin = Url::parse(public_url).ok()?;
    let rp_id = origin.domain()?.to_string();
    WebauthnBuilder::new(&rp_id, &origin)
        .ok()?
        .rp_name(organization)
        .timeout(std::time::Duration::from_millis(CEREMONY_MS as u64))
        .build()
        .ok()
}

pub(crate) fn unavailable() -> ApiError {
    ApiError::new(
        ErrorCode::Unavailable,
        "Passkeys need Rekey to be reached by a name, not an IP address.",
    )
}

fn ceremony_invalid() -> ApiError {
    ApiError::new(
        ErrorCode::CeremonyInvalid,
        "This passkey request is no longer open. Try again.",
    )
}

fn ceremony_expired() -> ApiError {
    ApiError::new(
        ErrorCode::CeremonyExpired,
        "This passkey request took too long. Try again.",
    )
}

/// The library refused the browser's answer (wrong origin or challenge,
/// no user verification, an unknown or removed credential).
fn refused(e: Option<WebauthnError>) -> ApiError {
    if let Some(e) = e {
        tracing::info!(error = %e, "a passkey was refused");
    }
    ApiError::new(
        ErrorCode::PasskeyRefused,
        "That passkey didn't work here. Try again, or use another way to sign in.",
    )
}

/// A refusal that names no reason (the flow proves nothing, or the key
/// is another account's).
pub(crate) fn refused_answer() -> ApiError {
    refused(None)
}

fn bad_credential() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidRequest,
        "The browser's answer is not a WebAuthn credential.",
    )
    .with_field("credential")
}

/// The passkey a method holds.
pub(crate) fn passkey_of(method: &MethodRecord) -> Option<Passkey> {
    match &method.kind {
        MethodKind::Passkey { credential, .. } => serde_json::from_str(credential).ok(),
        _ => None,
    }
}

/// RFC 8176's name for a passkey: a synced one (backup eligible) lives in
/// software, a device-bound one in hardware.
pub(crate) fn key_amr(method: &MethodRecord) -> &'static str {
    match &method.kind {
        MethodKind::Passkey {
            backup_eligible: true,
            ..
        } => "swk",
        _ => "hwk",
    }
}

impl Rekey {
    pub(crate) fn relying_party(&self) -> Result<&Webauthn, ApiError> {
        self.webauthn.as_ref().ok_or_else(unavailable)
    }

    /// Keeps a ceremony's state; the browser gets the id and the options.
    async fn open_ceremony(
        &self,
        purpose: CeremonyPurpose,
        state: &impl serde::Serialize,
        options: serde_json::Value,
    ) -> Result<PasskeyChallenge, ApiError> {
        let now = self.now();
        if let Err(e) = self.store.purge_ceremonies(now).await {
            tracing::warn!(error = %e, "could not purge ended ceremonies");
        }
        let (id, id_hash) = new_token();
        let ceremony = Ceremony {
            id_hash,
            purpose,
            state: serde_json::to_string(state).map_err(|_| ApiError::internal())?,
            created_at: now,
            expires_at: now + CEREMONY_MS,
        };
        self.store
            .insert_ceremony(&ceremony)
            .await
            .map_err(store_failure)?;
        Ok(PasskeyChallenge {
            ceremony: id,
            options,
            expires_at: ceremony.expires_at,
        })
    }

    /// Takes the ceremony `id` names, once, if it is still open.
    async fn take_ceremony(&self, id: &str) -> Result<Ceremony, ApiError> {
        let ceremony = self
            .store
            .take_ceremony(&token_hash(id))
            .await
            .map_err(store_failure)?
            .ok_or_else(ceremony_invalid)?;
        if ceremony.expires_at <= self.now() {
            return Err(ceremony_expired());
        }
        Ok(ceremony)
    }
}

/// The library's state back from its JSON.
fn state_of<T: serde::de::DeserializeOwned>(ceremony: &Ceremony) -> Result<T, ApiError> {
    serde_json::from_str(&ceremony.state).map_err(|_| ApiError::internal())
}

/// The browser's credential (its `toJSON()`) as the library reads it.
fn credential_of<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(value.clone()).map_err(|_| bad_credential())
}
