//! The gates of a self-service reset. Every answer of a flow that proves
//! nothing (no account, or one that cannot self-serve) is the one a wrong
//! code gets; the hourly limits count them all alike.

use rekey_shared::{ApiError, ErrorCode, PasskeyChallenge, SelfServiceProgress, SsprMethod};

use super::Limit;
use crate::domain::emailed_codes::{self, code_email};
use crate::domain::model::{Ceremony, MethodKind, ResetFlow};
use crate::domain::passkeys::unavailable;
use crate::domain::Rekey;
use crate::ports::OutgoingEmail;

fn wrong_code() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidCode,
        "That code isn't right. Check it and try again, or choose another way.",
    )
    .with_field("code")
}

fn not_offered() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidRequest,
        "Your organisation doesn't offer that way to reset a password.",
    )
    .with_field("method")
}

/// What the emailed code is bound to: this flow.
fn context(ceremony: &Ceremony) -> String {
    format!("self-service:{}", ceremony.id_hash)
}

fn progress(flow: &ResetFlow) -> SelfServiceProgress {
    SelfServiceProgress {
        verified: flow.verified.clone(),
        remaining: flow.remaining(),
    }
}

impl Rekey {
    async fn offered(&self, method: SsprMethod) -> Result<(), ApiError> {
        let settings = self.current_reset_settings().await?.settings;
        if settings.methods.contains(&method) {
            Ok(())
        } else {
            Err(not_offered())
        }
    }

    /// A code for the emailed gate, to her confirmed alternate address if
    /// she has one; the email to send (after the answer, which is the same
    /// either way).
    pub async fn self_service_email_code(
        &self,
        token: &str,
    ) -> Result<Option<OutgoingEmail>, ApiError> {
        self.offered(SsprMethod::AlternateEmail).await?;
        let (ceremony, mut flow) = self.take_flow(token).await?;
        let result = self.email_code_for(&ceremony, &mut flow).await;
        self.put_flow(ceremony, flow).await;
        result
    }

    async fn email_code_for(
        &self,
        ceremony: &Ceremony,
        flow: &mut ResetFlow,
    ) -> Result<Option<OutgoingEmail>, ApiError> {
        self.take_limit(Limit::Send, &flow.limit_key).await?;
        let Some(user) = self.flow_user(flow).await? else {
            let _ = self.store.methods_of(&flow.limit_key).await;
            return Ok(None);
        };
        let address = self
            .methods(&user)
            .await?
            .into_iter()
            .find_map(|m| match m.kind {
                MethodKind::AlternateEmail { address, .. } if m.confirmed_at.is_some() => {
                    Some(address)
                }
                _ => None,
            });
        let Some(address) = address else {
            return Ok(None);
        };
        let (code, sent) = emailed_codes::new_code(&context(ceremony), self.now());
        flow.email_code = Some(sent);
        let lang = user.language(self.settings.default_language);
        Ok(Some(code_email(
            &address,
            &code,
            &self.settings.organization,
            lang,
        )))
    }

    /// Delivers what [`Rekey::self_service_email_code`] composed.
    pub async fn send_email(&self, email: &OutgoingEmail) -> Result<(), crate::ports::MailError> {
        self.mailer.send(email).await
    }

    /// One gate's code: the gates passed so far, or `422 invalid_code`.
    pub async fn self_service_verify(
        &self,
        token: &str,
        method: SsprMethod,
        code: &str,
    ) -> Result<SelfServiceProgress, ApiError> {
        if method == SsprMethod::Passkey {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "A passkey answers at /api/auth/self-service/passkey.",
            )
            .with_field("method"));
        }
        self.offered(method).await?;
        let (ceremony, mut flow) = self.take_flow(token).await?;
        let result = self.verify_code(&ceremony, &mut flow, method, code).await;
        self.put_flow(ceremony, flow).await;
        result
    }

    async fn verify_code(
        &self,
        ceremony: &Ceremony,
        flow: &mut ResetFlow,
        method: SsprMethod,
        code: &str,
    ) -> Result<SelfServiceProgress, ApiError> {
        self.take_limit(Limit::Verify, &flow.limit_key).await?;
        let user = self.flow_user(flow).await?;
        let now = self.now();
        let right = match (&user, method) {
            (None, _) => {
                // The methods a real flow reads, so the time tells nothing.
                let _ = self.store.methods_of(&flow.limit_key).await;
                false
            }
            (Some(_), _) if flow.verified.contains(&method) => false,
            (Some(user), SsprMethod::AuthenticatorApp) => self.claim_code(user, code, now).await?,
            (Some(user), SsprMethod::RecoveryCode) => self
                .claim_recovery_code(user, code, now, true)
                .await?
                .is_some(),
            (Some(_), SsprMethod::AlternateEmail) => {
                let context = context(ceremony);
                match flow.email_code.as_mut() {
                    Some(sent) if emailed_codes::matches(sent, &context, code, now) => {
                        flow.email_code = None;
                        true
                    }
                    Some(sent) => {
                        sent.wrong = sent.wrong.saturating_add(1);
                        false
                    }
                    None => false,
                }
            }
            (Some(_), SsprMethod::Passkey) => false,
        };
        if !right {
            return Err(wrong_code());
        }
        flow.verified.push(method);
        Ok(progress(flow))
    }

    /// The passkey gate's options: discoverable, naming no account, so
    /// they are the same for every flow.
    pub async fn self_service_passkey_options(
        &self,
        token: &str,
    ) -> Result<PasskeyChallenge, ApiError> {
        self.offered(SsprMethod::Passkey).await?;
        let rp = self.webauthn.as_ref().ok_or_else(unavailable)?;
        let (ceremony, mut flow) = self.take_flow(token).await?;
        let started = rp.start_discoverable_authentication();
        let result = match started {
            Ok((mut options, state)) => {
                options.mediation = None;
                flow.passkey_state = serde_json::to_string(&state).ok();
                serde_json::to_value(&options)
                    .map(|options| PasskeyChallenge {
                        ceremony: token.to_string(),
                        options,
                        expires_at: ceremony.expires_at,
                    })
                    .map_err(|_| ApiError::internal())
            }
            Err(e) => {
                tracing::warn!(error = %e, "a passkey gate could not start");
                Err(ApiError::internal())
            }
        };
        self.put_flow(ceremony, flow).await;
        result
    }

    /// The authenticator's answer for the passkey gate: it must come from
    /// one of the flow's account's own passkeys.
    pub async fn self_service_passkey(
        &self,
        token: &str,
        credential: &serde_json::Value,
    ) -> Result<SelfServiceProgress, ApiError> {
        self.offered(SsprMethod::Passkey).await?;
        let (ceremony, mut flow) = self.take_flow(token).await?;
        let result = self.verify_passkey(&mut flow, credential).await;
        self.put_flow(ceremony, flow).await;
        result
    }

    async fn verify_passkey(
        &self,
        flow: &mut ResetFlow,
        credential: &serde_json::Value,
    ) -> Result<SelfServiceProgress, ApiError> {
        self.take_limit(Limit::Verify, &flow.limit_key).await?;
        // The state is spent here, right or wrong: one answer per prompt.
        let state = flow
            .passkey_state
            .take()
            .ok_or_else(crate::domain::passkeys::refused_answer)?;
        let Some(user) = self.flow_user(flow).await? else {
            return Err(crate::domain::passkeys::refused_answer());
        };
        if flow.verified.contains(&SsprMethod::Passkey) {
            return Err(crate::domain::passkeys::refused_answer());
        }
        self.prove_with_passkey(&user, credential, &state).await?;
        flow.verified.push(SsprMethod::Passkey);
        Ok(progress(flow))
    }
}
