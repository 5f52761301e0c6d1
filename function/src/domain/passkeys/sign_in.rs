//! Signing in with a passkey: alone (discoverable: the authenticator says
//! whose it is) or as the second step after a password. A removed passkey
//! stops at once (the finish reads the user's methods); one whose counter
//! went backwards is taken for a clone, refused and audited.

use rekey_shared::{ApiError, AuditAction, PasskeyChallenge, SignInResult};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, PasskeyAuthentication, PublicKeyCredential, WebauthnError,
};

use super::{credential_of, key_amr, passkey_of, refused, state_of};
use crate::domain::audit::event;
use crate::domain::methods::audit_method;
use crate::domain::model::{CeremonyPurpose, MethodRecord, UserRecord};
use crate::domain::sign_ins::Attempt;
use crate::domain::signin::{blocked, SignedIn};
use crate::domain::update::MAX_WRITE_ATTEMPTS;
use crate::domain::{store_failure, Rekey};
use crate::ports::StoreError;

impl Rekey {
    /// The browser's options for a passkey sign-in with no username.
    pub async fn start_passkey_sign_in(
        &self,
        attempt: &Attempt<'_>,
    ) -> Result<PasskeyChallenge, ApiError> {
        self.throttle_sign_in(attempt.client)?;
        let rp = self.relying_party()?;
        let (mut options, state) = rp
            .start_discoverable_authentication()
            .map_err(|e| refused(Some(e)))?;
        // A button asks for the passkey outright (not the autofill prompt).
        options.mediation = None;
        let options = serde_json::to_value(&options).map_err(|_| ApiError::internal())?;
        self.open_ceremony(CeremonyPurpose::SignIn, &state, options)
            .await
    }

    /// The authenticator's answer: a session for the user it names.
    pub async fn finish_passkey_sign_in(
        &self,
        ceremony: &str,
        credential: &serde_json::Value,
        attempt: &Attempt<'_>,
    ) -> Result<SignedIn, ApiError> {
        let rp = self.relying_party()?;
        let answer: PublicKeyCredential = credential_of(credential)?;
        let ceremony = self.take_ceremony(ceremony).await?;
        if ceremony.purpose != CeremonyPurpose::SignIn {
            return Err(refused(None));
        }
        let state: DiscoverableAuthentication = state_of(&ceremony)?;
        let (handle, _) = rp
            .identify_discoverable_authentication(&answer)
            .map_err(|e| refused(Some(e)))?;
        let user = self
            .store
            .user_by_id(&handle.to_string())
            .await
            .map_err(store_failure)?
            .ok_or_else(|| refused(None))?;
        let method = self.method_for(&user, &answer).await?;
        let passkey = passkey_of(&method).ok_or_else(|| refused(None))?;
        let result = rp.finish_discoverable_authentication_v2(&answer, state, &passkey);
        let result = self.checked(&user, &method, result).await?;
        if user.blocked {
            self.log_sign_in(&user.id, SignInResult::Blocked, attempt, None)
                .await;
            return Err(blocked());
        }
        self.record_use(&user, &method, &result).await?;
        self.log_sign_in(&user.id, SignInResult::Passkey, attempt, None)
            .await;
        let amr = vec![key_amr(&method).to_string(), "mfa".to_string()];
        self.start_session(user, amr).await
    }

    /// The options for the second step with one of the pending user's
    /// passkeys.
    pub async fn start_passkey_second_step(
        &self,
        pending_token: &str,
    ) -> Result<PasskeyChallenge, ApiError> {
        let rp = self.relying_party()?;
        let (pending, user) = self.pending_user(pending_token).await?;
        let passkeys = self
            .methods(&user)
            .await?
            .iter()
            .filter_map(passkey_of)
            .collect::<Vec<_>>();
        if passkeys.is_empty() {
            return Err(refused(None));
        }
        let (options, state) = rp
            .start_passkey_authentication(&passkeys)
            .map_err(|e| refused(Some(e)))?;
        let options = serde_json::to_value(&options).map_err(|_| ApiError::internal())?;
        self.open_ceremony(
            CeremonyPurpose::SecondStep {
                user_id: user.id.clone(),
                pending_hash: pending.token_hash,
            },
            &state,
            options,
        )
        .await
    }

    /// The second step done with a passkey: the session, once.
    pub async fn finish_passkey_second_step(
        &self,
        pending_token: &str,
        ceremony: &str,
        credential: &serde_json::Value,
        attempt: &Attempt<'_>,
    ) -> Result<SignedIn, ApiError> {
        let rp = self.relying_party()?;
        let answer: PublicKeyCredential = credential_of(credential)?;
        let ceremony = self.take_ceremony(ceremony).await?;
        let (pending, user) = self.pending_user(pending_token).await?;
        let bound = matches!(&ceremony.purpose, CeremonyPurpose::SecondStep { user_id, pending_hash }
            if user_id == &user.id && pending_hash == &pending.token_hash);
        if !bound {
            return Err(refused(None));
        }
        let state: PasskeyAuthentication = state_of(&ceremony)?;
        let method = self.method_for(&user, &answer).await?;
        let result = rp.finish_passkey_authentication(&answer, &state);
        let result = self.checked(&user, &method, result).await?;
        if !self
            .store
            .take_pending_sign_in(&pending.token_hash)
            .await
            .map_err(store_failure)?
        {
            return Err(refused(None));
        }
        self.record_use(&user, &method, &result).await?;
        self.log_sign_in(&user.id, SignInResult::Success, attempt, None)
            .await;
        let amr = vec!["pwd".into(), key_amr(&method).to_string(), "mfa".into()];
        self.start_session(user, amr).await
    }

    /// A discoverable answer that must come from one of `user`'s own
    /// passkeys (a self-service reset's gate): its counter is recorded.
    pub(crate) async fn prove_with_passkey(
        &self,
        user: &UserRecord,
        credential: &serde_json::Value,
        state: &str,
    ) -> Result<(), ApiError> {
        let rp = self.relying_party()?;
        let answer: PublicKeyCredential = credential_of(credential)?;
        let state: DiscoverableAuthentication =
            serde_json::from_str(state).map_err(|_| ApiError::internal())?;
        let (handle, _) = rp
            .identify_discoverable_authentication(&answer)
            .map_err(|e| refused(Some(e)))?;
        if handle.to_string() != user.id {
            return Err(refused(None));
        }
        let method = self.method_for(user, &answer).await?;
        let passkey = passkey_of(&method).ok_or_else(|| refused(None))?;
        let result = rp.finish_discoverable_authentication_v2(&answer, state, &passkey);
        let result = self.checked(user, &method, result).await?;
        self.record_use(user, &method, &result).await
    }

    /// The user's passkey the answer was made with; a removed one is
    /// refused here.
    async fn method_for(
        &self,
        user: &UserRecord,
        answer: &PublicKeyCredential,
    ) -> Result<MethodRecord, ApiError> {
        self.methods(user)
            .await?
            .into_iter()
            .find(|m| passkey_of(m).is_some_and(|p| p.cred_id().as_ref() == answer.raw_id))
            .ok_or_else(|| refused(None))
    }

    /// The library's verdict, a suspected clone audited.
    async fn checked<T>(
        &self,
        user: &UserRecord,
        method: &MethodRecord,
        result: Result<T, WebauthnError>,
    ) -> Result<T, ApiError> {
        match result {
            Ok(done) => Ok(done),
            Err(WebauthnError::CredentialPossibleCompromise) => {
                let mut audit = event(
                    self.now(),
                    AuditAction::PasskeyCloneSuspected,
                    None,
                    Some(user),
                );
                audit.method = Some(audit_method(method));
                self.record(&[audit]).await;
                Err(refused(Some(WebauthnError::CredentialPossibleCompromise)))
            }
            Err(e) => Err(refused(Some(e))),
        }
    }

    /// The counter, backup state and last use, written back.
    async fn record_use(
        &self,
        user: &UserRecord,
        method: &MethodRecord,
        result: &webauthn_rs::prelude::AuthenticationResult,
    ) -> Result<(), ApiError> {
        let mut method = method.clone();
        for _ in 0..MAX_WRITE_ATTEMPTS {
            if let Some(mut passkey) = passkey_of(&method) {
                passkey.update_credential(result);
                if let crate::domain::model::MethodKind::Passkey { credential, .. } =
                    &mut method.kind
                {
                    *credential =
                        serde_json::to_string(&passkey).map_err(|_| ApiError::internal())?;
                }
            }
            method.last_used_at = Some(self.now());
            match self.store.update_method(&method, &[]).await {
                Ok(_) => return Ok(()),
                Err(StoreError::Conflict) => {
                    method = self
                        .methods(user)
                        .await?
                        .into_iter()
                        .find(|m| m.id == method.id)
                        .ok_or_else(|| refused(None))?;
                }
                Err(StoreError::NotFound) => return Err(refused(None)),
                Err(e) => return Err(store_failure(e)),
            }
        }
        Err(crate::domain::methods::contended())
    }
}
