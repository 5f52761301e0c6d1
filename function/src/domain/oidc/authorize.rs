//! `GET /oauth2/authorize`: check the request, then either send the browser
//! back to the app with a code (or an error), or to Rekey's sign-in first.
//! Where the app or its redirect address is in doubt nothing is redirected
//! (RFC 6749 §4.1.2.1): Rekey shows its own page.

use rekey_shared::ApiError;

use super::{OAuthCode, CODE_TTL_MS, SCOPES};

use crate::domain::model::CodeRecord;
use crate::domain::model::SessionRecord;
use crate::domain::session::new_token;
use crate::domain::{model::UserRecord, store_failure, Rekey};

/// The parameters Rekey reads (Core 1.0 §3.1.2.1, RFC 7636).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizeRequest {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub prompt: Option<String>,
    pub max_age: Option<String>,
    pub response_mode: Option<String>,
    pub request: Option<String>,
    pub request_uri: Option<String>,
    /// `mfa` asks for a user who passed a second factor.
    pub acr_values: Option<String>,
    /// Everything else, passed on untouched when sign-in comes first.
    pub other: Vec<(String, String)>,
}

/// Why Rekey shows its own page instead of redirecting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageError {
    /// No such app (`client_id`).
    UnknownApp,
    /// The redirect address is missing or not one the app registered.
    RedirectUri,
    /// The request itself can't be read (a repeated parameter).
    BadRequest,
    /// A sign-out asked to go somewhere the app did not register.
    LogoutUri,
}

impl PageError {
    /// The name Rekey's error page is opened with.
    pub fn as_str(self) -> &'static str {
        match self {
            PageError::UnknownApp => "unknown_app",
            PageError::RedirectUri => "redirect_uri",
            PageError::BadRequest => "invalid_request",
            PageError::LogoutUri => "logout_uri",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorized {
    /// Show Rekey's error page; redirect nowhere.
    Refuse(PageError),
    /// Back to the app: the redirect address with a code or an error.
    Redirect(String),
    /// Sign in (or change a temporary password) first, then come back
    /// with this query.
    SignIn { query: String },
}

impl AuthorizeRequest {
    /// Reads a query string. A repeated parameter is refused, as Core 1.0
    /// requires (`Err`).
    pub fn parse(query: &str) -> Result<Self, PageError> {
        let mut r = Self::default();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let value = value.into_owned();
            let slot = match name.as_ref() {
                "client_id" => &mut r.client_id,
                "redirect_uri" => &mut r.redirect_uri,
                "response_type" => &mut r.response_type,
                "scope" => &mut r.scope,
                "state" => &mut r.state,
                "nonce" => &mut r.nonce,
                "code_challenge" => &mut r.code_challenge,
                "code_challenge_method" => &mut r.code_challenge_method,
                "prompt" => &mut r.prompt,
                "max_age" => &mut r.max_age,
                "response_mode" => &mut r.response_mode,
                "request" => &mut r.request,
                "request_uri" => &mut r.request_uri,
                "acr_values" => &mut r.acr_values,
                other => {
                    r.other.push((other.to_string(), value));
                    continue;
                }
            };
            if slot.replace(value).is_some() {
                return Err(PageError::BadRequest);
            }
        }
        Ok(r)
    }

    /// The query again, without `prompt=login` or `max_age` (the sign-in
    /// they ask for happens before the query comes back; kept, `max_age=0`
    /// would send the browser back to sign in for ever).
    pub fn continue_query(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        let prompt = self.prompt.as_deref().map(|p| {
            p.split(' ')
                .filter(|v| *v != "login" && !v.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        });
        let fields = [
            ("client_id", &self.client_id),
            ("redirect_uri", &self.redirect_uri),
            ("response_type", &self.response_type),
            ("scope", &self.scope),
            ("state", &self.state),
            ("nonce", &self.nonce),
            ("code_challenge", &self.code_challenge),
            ("code_challenge_method", &self.code_challenge_method),
            ("prompt", &prompt.filter(|p| !p.is_empty())),
            ("response_mode", &self.response_mode),
            ("acr_values", &self.acr_values),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                out.append_pair(name, value);
            }
        }
        for (name, value) in &self.other {
            out.append_pair(name, value);
        }
        out.finish()
    }

    /// Whether the app asks for a second factor (`acr_values=mfa`).
    pub fn wants_mfa(&self) -> bool {
        self.acr_values
            .as_deref()
            .is_some_and(|v| v.split(' ').any(|v| v == "mfa"))
    }

    fn prompts(&self, value: &str) -> bool {
        self.prompt
            .as_deref()
            .is_some_and(|p| p.split(' ').any(|v| v == value))
    }
}

/// `redirect_uri` with `params` added to its query.
pub fn with_params(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
            }
            url.to_string()
        }
        Err(_) => redirect_uri.to_string(),
    }
}

/// A PKCE S256 challenge: 43 base64url characters (a SHA-256).
fn is_s256_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Rekey {
    /// The issuer: Rekey's public address without the trailing slash.
    pub fn issuer(&self) -> String {
        self.settings.public_url.trim_end_matches('/').to_string()
    }

    /// Decides an authorization request. `signed_in` is the browser's
    /// session, if it has a good one.
    pub async fn authorize(
        &self,
        request: &AuthorizeRequest,
        signed_in: Option<(SessionRecord, UserRecord)>,
        attempt: &crate::domain::sign_ins::Attempt<'_>,
    ) -> Result<Authorized, ApiError> {
        let Some(client_id) = request.client_id.as_deref() else {
            return Ok(Authorized::Refuse(PageError::UnknownApp));
        };
        let Some(app) = self.store.app(client_id).await.map_err(store_failure)? else {
            return Ok(Authorized::Refuse(PageError::UnknownApp));
        };
        let Some(redirect_uri) = request
            .redirect_uri
            .as_deref()
            .filter(|uri| app.redirect_uris.iter().any(|r| r == uri))
        else {
            return Ok(Authorized::Refuse(PageError::RedirectUri));
        };
        let issuer = self.issuer();
        let state = request.state.as_deref();
        let error = |error: OAuthCode, description: &str| {
            let mut params = vec![
                ("error", error.as_str()),
                ("error_description", description),
            ];
            if let Some(state) = state {
                params.push(("state", state));
            }
            params.push(("iss", &issuer));
            Ok(Authorized::Redirect(with_params(redirect_uri, &params)))
        };

        if request.request.is_some() {
            return error(
                OAuthCode::RequestNotSupported,
                "Request objects are not supported.",
            );
        }
        if request.request_uri.is_some() {
            return error(
                OAuthCode::RequestUriNotSupported,
                "request_uri is not supported.",
            );
        }
        if request.response_type.as_deref() != Some("code") {
            return error(
                OAuthCode::UnsupportedResponseType,
                "Only the authorization code flow (response_type=code) is supported.",
            );
        }
        if request
            .response_mode
            .as_deref()
            .is_some_and(|m| m != "query")
        {
            return error(
                OAuthCode::InvalidRequest,
                "Only response_mode=query is supported.",
            );
        }
        let requested: Vec<&str> = request
            .scope
            .as_deref()
            .unwrap_or_default()
            .split(' ')
            .collect();
        if !requested.contains(&"openid") {
            return error(OAuthCode::InvalidScope, "The scope must include openid.");
        }
        let scope: Vec<&str> = SCOPES
            .iter()
            .copied()
            .filter(|s| requested.contains(s))
            .collect();
        match (
            request.code_challenge.as_deref(),
            request.code_challenge_method.as_deref(),
        ) {
            (None, None) if app.needs_pkce() => {
                return error(
                    OAuthCode::InvalidRequest,
                    "This app must use PKCE (code_challenge with S256).",
                );
            }
            (None, None) => {}
            (Some(challenge), Some("S256")) if is_s256_challenge(challenge) => {}
            (Some(_), Some("S256")) => {
                return error(
                    OAuthCode::InvalidRequest,
                    "The code_challenge is not an S256 challenge.",
                );
            }
            _ => {
                return error(
                    OAuthCode::InvalidRequest,
                    "PKCE needs code_challenge_method=S256 (plain is not accepted).",
                );
            }
        }
        let max_age_ms = match request.max_age.as_deref().map(str::parse::<u32>) {
            None => None,
            Some(Ok(secs)) => Some(i64::from(secs) * 1000),
            Some(Err(_)) => {
                return error(
                    OAuthCode::InvalidRequest,
                    "max_age must be a whole number of seconds.",
                )
            }
        };
        let prompt_none = request.prompts("none");
        if prompt_none && request.prompt.as_deref() != Some("none") {
            return error(
                OAuthCode::InvalidRequest,
                "prompt=none cannot be combined with other prompts.",
            );
        }

        let now = self.now();
        let ready = signed_in.filter(|(session, user)| {
            !user.is_locked(now)
                && !user.blocked
                && !request.prompts("login")
                && max_age_ms.is_none_or(|max| now - session.created_at <= max)
        });
        // A password to change, a method the policy asks for, or the
        // second factor the app asks for, all come before the code.
        let owes = |session: &SessionRecord, user: &UserRecord| {
            if user.must_change_password {
                Some("The user must change their password first.")
            } else if self.require_registered(session, user).is_err() {
                Some("The user must register a second sign-in method first.")
            } else if request.wants_mfa() && !session.is_mfa() {
                Some("The user must sign in with a second factor first.")
            } else {
                None
            }
        };
        let (session, user) = match ready {
            Some((session, user)) if owes(&session, &user).is_none() => (session, user),
            Some((session, user)) if prompt_none => {
                return error(
                    OAuthCode::InteractionRequired,
                    owes(&session, &user).unwrap_or_default(),
                )
            }
            None if prompt_none => {
                return error(OAuthCode::LoginRequired, "The user is not signed in.")
            }
            _ => {
                return Ok(Authorized::SignIn {
                    query: request.continue_query(),
                })
            }
        };

        let (code, code_hash) = new_token();
        let record = CodeRecord {
            code_hash,
            app_id: app.id.clone(),
            redirect_uri: redirect_uri.to_string(),
            user_id: user.id.clone(),
            session_epoch: user.session_epoch,
            scope: scope.join(" "),
            nonce: request.nonce.clone(),
            code_challenge: request.code_challenge.clone(),
            auth_time: session.created_at,
            amr: session.amr.clone(),
            expires_at: now + CODE_TTL_MS,
            used_at: None,
        };
        self.store
            .insert_code(&record)
            .await
            .map_err(store_failure)?;
        let signed_in_to = rekey_shared::AuditApp {
            id: app.id.clone(),
            name: app.name.clone(),
        };
        self.log_sign_in(
            &user.id,
            rekey_shared::SignInResult::AppSignIn,
            attempt,
            Some(signed_in_to),
        )
        .await;
        let mut params = vec![("code", code.as_str())];
        if let Some(state) = state {
            params.push(("state", state));
        }
        params.push(("iss", &issuer));
        Ok(Authorized::Redirect(with_params(redirect_uri, &params)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_parameter_is_refused_and_others_pass_through() {
        assert_eq!(
            AuthorizeRequest::parse("client_id=a&client_id=b"),
            Err(PageError::BadRequest)
        );
        let r =
            AuthorizeRequest::parse("client_id=a&prompt=login%20consent&ui_locales=nl&state=x%26y")
                .unwrap();
        assert_eq!(r.state.as_deref(), Some("x&y"));
        assert_eq!(
            r.continue_query(),
            "client_id=a&state=x%26y&prompt=consent&ui_locales=nl"
        );
    }

    #[test]
    fn parameters_are_added_to_the_redirect_address_query() {
        assert_eq!(
            with_params(
                "https://app.example/cb?x=1",
                &[("code", "c d"), ("state", "s")]
            ),
            "https://app.example/cb?x=1&code=c+d&state=s"
        );
    }
}
