//! `GET /oauth2/logout`: RP-initiated logout (OpenID Connect RP-Initiated
//! Logout 1.0). With a valid `id_token_hint` the session ends at once and
//! the browser goes to a post-logout address the app registered; without
//! one Rekey asks the user first, so no other site can sign them out.

use rekey_shared::ApiError;
use serde_json::Value;

use super::authorize::{with_params, PageError};
use super::jwt;
use crate::domain::model::SessionRecord;
use crate::domain::{store_failure, Rekey};

#[derive(Debug, Clone, Default)]
pub struct LogoutRequest {
    pub id_token_hint: Option<String>,
    pub post_logout_redirect_uri: Option<String>,
    pub client_id: Option<String>,
    pub state: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoggedOut {
    /// The session ended (if there was one); go here.
    Redirect(String),
    /// Ask the user before ending their session.
    Confirm,
    Refuse(PageError),
}

fn audiences(claims: &Value) -> Vec<String> {
    match claims.get("aud") {
        Some(Value::String(a)) => vec![a.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    }
}

impl Rekey {
    pub async fn logout(
        &self,
        request: &LogoutRequest,
        session: Option<&SessionRecord>,
        attempt: &crate::domain::sign_ins::Attempt<'_>,
    ) -> Result<LoggedOut, ApiError> {
        let keys = self.verification_keys().await?;
        let hint = request
            .id_token_hint
            .as_deref()
            .and_then(|t| jwt::verify(t, &keys))
            .filter(|claims| claims.get("iss").and_then(Value::as_str) == Some(&self.issuer()));
        let app_id = match (&hint, &request.client_id) {
            (Some(claims), Some(id)) if !audiences(claims).contains(id) => {
                return Ok(LoggedOut::Refuse(PageError::BadRequest))
            }
            (_, Some(id)) => Some(id.clone()),
            (Some(claims), None) => audiences(claims).into_iter().next(),
            (None, None) => None,
        };
        let app = match &app_id {
            Some(id) => self.store.app(id).await.map_err(store_failure)?,
            None => None,
        };
        let target = match request.post_logout_redirect_uri.as_deref() {
            None => None,
            Some(uri) => match &app {
                Some(app) if app.post_logout_redirect_uris.iter().any(|u| u == uri) => {
                    Some(uri.to_string())
                }
                _ => return Ok(LoggedOut::Refuse(PageError::LogoutUri)),
            },
        };
        // A hint ends only its own user's session: anyone's own valid ID
        // token, linked from any page, must not sign someone else out.
        let hint_is_for_session = match (&hint, session) {
            (Some(claims), Some(session)) => {
                claims.get("sub").and_then(Value::as_str) == Some(session.user_id.as_str())
            }
            (Some(_), None) => true,
            (None, _) => false,
        };
        if !hint_is_for_session {
            return Ok(if session.is_some() {
                LoggedOut::Confirm
            } else {
                LoggedOut::Redirect(
                    target.map_or_else(|| "/".to_string(), |t| self.after_logout(&t, request)),
                )
            });
        }
        if let Some(session) = session {
            self.sign_out(session, attempt).await?;
        }
        Ok(LoggedOut::Redirect(target.map_or_else(
            || "/".to_string(),
            |t| self.after_logout(&t, request),
        )))
    }

    fn after_logout(&self, target: &str, request: &LogoutRequest) -> String {
        match &request.state {
            Some(state) => with_params(target, &[("state", state)]),
            None => target.to_string(),
        }
    }
}
