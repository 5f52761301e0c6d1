//! `POST /oauth2/token` (the code exchange) and `/oauth2/userinfo`.

use rekey_shared::AppKind;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::{jwt, s256, OAuthCode, OAuthError, TOKEN_TTL_MS};

use crate::domain::model::AppRecord;
use crate::domain::model::{AccessTokenRecord, CodeRecord};
use crate::domain::session::{new_token, token_hash};
use crate::domain::{model::UserRecord, Rekey};
use crate::ports::Redemption;

/// The form fields of a token request (RFC 6749 §4.1.3, RFC 7636 §4.5).
#[derive(Debug, Default, Clone)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// From an `Authorization: Basic` header: (client_id, client_secret).
    pub basic: Option<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub id_token: String,
    pub scope: String,
}

fn invalid_grant(why: &str) -> OAuthError {
    OAuthError::new(OAuthCode::InvalidGrant, why)
}

fn invalid_client() -> OAuthError {
    OAuthError::new(
        OAuthCode::InvalidClient,
        "The app could not be authenticated.",
    )
}

fn server_error() -> OAuthError {
    OAuthError::new(
        OAuthCode::ServerError,
        "Something went wrong on our side; try again.",
    )
}

/// The claims `scope` grants about `user` (Core 1.0 §5.4).
pub fn user_claims(user: &UserRecord, scope: &str) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(user.id));
    let scopes: Vec<&str> = scope.split(' ').collect();
    if scopes.contains(&"profile") {
        claims.insert("name".into(), json!(user.display_name));
        claims.insert("preferred_username".into(), json!(user.username));
    }
    if scopes.contains(&"email") {
        claims.insert("email".into(), json!(user.email));
        // Admins and SCIM set addresses nobody proved; only a used link
        // sent to this very address makes it verified.
        claims.insert("email_verified".into(), json!(user.email_verified()));
    }
    claims
}

/// PKCE (RFC 7636 §4.1): 43 to 128 unreserved characters.
fn is_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

impl Rekey {
    /// Which app is asking, proven as its registration requires.
    async fn authenticate_app(&self, request: &TokenRequest) -> Result<AppRecord, OAuthError> {
        let (client_id, secret) = match (&request.basic, &request.client_secret) {
            (Some(_), Some(_)) => {
                return Err(OAuthError::new(
                    OAuthCode::InvalidRequest,
                    "Use one way of authenticating the app, not two.",
                ))
            }
            (Some((id, secret)), None) => {
                if request.client_id.as_deref().is_some_and(|c| c != id) {
                    return Err(invalid_client());
                }
                (id.as_str(), Some(secret.as_str()))
            }
            (None, secret) => match request.client_id.as_deref() {
                Some(id) => (id, secret.as_deref()),
                None => return Err(invalid_client()),
            },
        };
        let app = self
            .store
            .app(client_id)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "store failure reading an app");
                server_error()
            })?
            .ok_or_else(invalid_client)?;
        match (app.kind, secret) {
            (AppKind::Confidential, Some(secret)) if app.secret_matches(secret) => Ok(app),
            (AppKind::Public, None) => Ok(app),
            _ => Err(invalid_client()),
        }
    }

    /// Exchanges a code for tokens: once, by the app it was issued to,
    /// with the same redirect address and the PKCE verifier.
    pub async fn exchange_code(&self, request: TokenRequest) -> Result<TokenResponse, OAuthError> {
        if request.grant_type.as_deref() != Some("authorization_code") {
            return Err(OAuthError::new(
                OAuthCode::UnsupportedGrantType,
                "Only grant_type=authorization_code is supported.",
            ));
        }
        let app = self.authenticate_app(&request).await?;
        let code = request
            .code
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| OAuthError::new(OAuthCode::InvalidRequest, "The code is missing."))?;
        let now = self.now();
        let code_hash = token_hash(code);
        let store_error = |what: &'static str| {
            move |e: crate::ports::StoreError| {
                tracing::error!(error = %e, "store failure {what}");
                server_error()
            }
        };
        // Everything the exchange must prove is checked before the code is
        // spent, so a code in the wrong hands cannot be burnt by another
        // app, another redirect address or a wrong verifier.
        let code = self
            .store
            .code(&code_hash)
            .await
            .map_err(store_error("reading a code"))?
            .ok_or_else(|| invalid_grant("The code is not valid."))?;
        if code.app_id != app.id {
            return Err(invalid_grant("The code was issued to another app."));
        }
        if request.redirect_uri.as_deref() != Some(code.redirect_uri.as_str()) {
            return Err(invalid_grant(
                "The redirect_uri does not match the authorization request.",
            ));
        }
        match (&code.code_challenge, request.code_verifier.as_deref()) {
            (Some(challenge), Some(verifier))
                if is_verifier(verifier) && s256(verifier.as_bytes()) == *challenge => {}
            (None, None) => {}
            _ => return Err(invalid_grant("The PKCE code_verifier does not match.")),
        }
        if code.used_at.is_some() {
            return Err(self.replayed(&code, &app).await);
        }
        if code.expires_at <= now {
            return Err(invalid_grant("The code has expired."));
        }
        let user = self
            .store
            .user_by_id(&code.user_id)
            .await
            .map_err(store_error("reading a user"))?
            .filter(|u| {
                u.session_epoch == code.session_epoch
                    && !u.must_change_password
                    && !u.is_locked(now)
                    && !u.blocked
            })
            .ok_or_else(|| invalid_grant("The user's sign-in has ended."))?;

        let (access_token, access_hash) = new_token();
        let record = AccessTokenRecord {
            token_hash: access_hash,
            app_id: app.id.clone(),
            user_id: user.id.clone(),
            session_epoch: user.session_epoch,
            scope: code.scope.clone(),
            expires_at: now + TOKEN_TTL_MS,
            code_hash,
        };
        let code = match self
            .store
            .spend_code(&code, &record, now)
            .await
            .map_err(store_error("spending a code"))?
        {
            Redemption::First(code) => code,
            Redemption::Again(code) => return Err(self.replayed(&code, &app).await),
            Redemption::Unknown => return Err(invalid_grant("The code is not valid.")),
        };

        let mut claims = user_claims(&user, &code.scope);
        claims.insert("iss".into(), json!(self.issuer()));
        claims.insert("aud".into(), json!(app.id));
        claims.insert("iat".into(), json!(now / 1000));
        claims.insert("exp".into(), json!((now + TOKEN_TTL_MS) / 1000));
        claims.insert("auth_time".into(), json!(code.auth_time / 1000));
        // Codes from before `amr` was kept were password-only.
        let amr = match code.amr.is_empty() {
            true => crate::domain::model::password_only(),
            false => code.amr.clone(),
        };
        let mfa = amr.iter().any(|m| m == "mfa");
        claims.insert("acr".into(), json!(if mfa { "mfa" } else { "pwd" }));
        claims.insert("amr".into(), json!(amr));
        // at_hash: the left half of the access token's SHA-256 (Core §3.3.2.11).
        claims.insert("at_hash".into(), json!(at_hash(&access_token)));
        if let Some(nonce) = &code.nonce {
            claims.insert("nonce".into(), json!(nonce));
        }
        let key = self
            .signing_key(app.id_token_alg)
            .await
            .ok()
            .flatten()
            .ok_or_else(|| {
                tracing::error!(
                    alg = app.id_token_alg.as_str(),
                    "no signing key for the app's algorithm"
                );
                server_error()
            })?;
        let id_token = jwt::sign(self.signer.as_ref(), &key, &Value::Object(claims))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "could not sign an ID token");
                server_error()
            })?;
        if let Err(e) = self.store.purge_expired_grants(now).await {
            tracing::warn!(error = %e, "could not purge expired codes and tokens");
        }
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: TOKEN_TTL_MS / 1000,
            id_token,
            scope: code.scope,
        })
    }

    /// A used code came back from its own app: whoever holds it is not to
    /// be trusted with what it bought either (RFC 6749 §4.1.2).
    async fn replayed(&self, code: &CodeRecord, app: &AppRecord) -> OAuthError {
        match self.store.revoke_code_tokens(&code.code_hash).await {
            Ok(n) => tracing::warn!(app = %code.app_id, revoked = n, "authorization code replayed"),
            Err(e) => tracing::error!(error = %e, "could not revoke a replayed code's tokens"),
        }
        let user = self.store.user_by_id(&code.user_id).await.ok().flatten();
        let mut audit = crate::domain::audit::event(
            self.now(),
            rekey_shared::AuditAction::CodeReplayed,
            None,
            user.as_ref(),
        );
        audit.app = Some(rekey_shared::AuditApp {
            id: app.id.clone(),
            name: app.name.clone(),
        });
        self.record(&[audit]).await;
        invalid_grant("The code was already used.")
    }

    /// The claims an access token grants, while the token, its app and the
    /// user's sign-in all still stand.
    pub async fn userinfo(&self, access_token: &str) -> Result<Map<String, Value>, OAuthError> {
        let invalid = || OAuthError::new(OAuthCode::InvalidToken, "The access token is not valid.");
        let store_error = |e| {
            tracing::error!(error = %e, "store failure at userinfo");
            server_error()
        };
        if access_token.len() != 43 {
            return Err(invalid());
        }
        let now = self.now();
        let token = self
            .store
            .access_token(&token_hash(access_token))
            .await
            .map_err(store_error)?
            .filter(|t| t.expires_at > now)
            .ok_or_else(invalid)?;
        if self
            .store
            .app(&token.app_id)
            .await
            .map_err(store_error)?
            .is_none()
        {
            return Err(invalid());
        }
        let user = self
            .store
            .user_by_id(&token.user_id)
            .await
            .map_err(store_error)?
            .filter(|u| u.session_epoch == token.session_epoch && !u.blocked)
            .ok_or_else(invalid)?;
        Ok(user_claims(&user, &token.scope))
    }
}

fn at_hash(access_token: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
}
