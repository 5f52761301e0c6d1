//! Apps that sign their users in with Rekey (OpenID Connect clients):
//! global admins register them, replace their secrets and remove them;
//! every signed-in user sees them in "My apps".

use rekey_shared::{
    ApiError, AppCredentials, AppKind, AppRegistration, AuditAction, ErrorCode, MyApp, SigningAlg,
};

use super::audit::event;
use super::model::{AppRecord, UserRecord};
use super::permissions::{self, Setting};
use super::session::new_token;
use super::{store_failure, Rekey};
use crate::ports::StoreError;

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidRequest, message).with_field(field)
}

/// An address Rekey may send a browser to: https, or http on this machine
/// only (RFC 8252's loopback redirect); no fragment, no user info.
pub fn check_app_uri(uri: &str, field: &str) -> Result<String, ApiError> {
    let bad = |why: &str| invalid(field, format!("{uri:?} is not a usable address: {why}."));
    if uri.len() > rekey_shared::apps::MAX_APP_URI_LEN {
        return Err(bad("it is too long"));
    }
    let parsed = url::Url::parse(uri).map_err(|_| bad("it is not an absolute URL"))?;
    let loopback = matches!(
        parsed.host_str(),
        Some("127.0.0.1") | Some("localhost") | Some("[::1]")
    );
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err(bad("use https (http only on 127.0.0.1 or localhost)")),
    }
    if parsed.fragment().is_some() {
        return Err(bad("it may not have a #fragment"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad("it may not hold a user name or password"));
    }
    Ok(uri.to_string())
}

fn check_uris(uris: &[String], field: &str, required: bool) -> Result<Vec<String>, ApiError> {
    if required && uris.is_empty() {
        return Err(invalid(field, "Give at least one redirect address."));
    }
    if uris.len() > rekey_shared::apps::MAX_APP_URIS {
        return Err(invalid(
            field,
            format!("At most {} addresses.", rekey_shared::apps::MAX_APP_URIS),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, uri) in uris.iter().enumerate() {
        let uri = check_app_uri(uri.trim(), &format!("{field}[{i}]"))?;
        if !out.contains(&uri) {
            out.push(uri);
        }
    }
    Ok(out)
}

fn app_not_found() -> ApiError {
    ApiError::not_found("That app")
}

impl Rekey {
    pub async fn register_app(
        &self,
        actor: &UserRecord,
        request: AppRegistration,
    ) -> Result<AppCredentials, ApiError> {
        permissions::global_admin(actor, Setting::Apps)?;
        let name = request.name.trim().to_string();
        if name.is_empty() || name.chars().count() > rekey_shared::apps::MAX_APP_NAME_LEN {
            return Err(invalid(
                "name",
                format!(
                    "Give the app a name of 1 to {} characters.",
                    rekey_shared::apps::MAX_APP_NAME_LEN
                ),
            ));
        }
        let redirect_uris = check_uris(&request.redirect_uris, "redirect_uris", true)?;
        let post_logout_redirect_uris = check_uris(
            &request.post_logout_redirect_uris,
            "post_logout_redirect_uris",
            false,
        )?;
        let home_url = match request.home_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(url) => Some(check_app_uri(url, "home_url")?),
        };
        if request.pkce_optional && request.kind == AppKind::Public {
            return Err(invalid(
                "pkce_optional",
                "A public app always uses PKCE: it has no secret to prove itself with.",
            ));
        }
        let id_token_alg = request.id_token_alg.unwrap_or(SigningAlg::Es256);
        if self.signing_key(id_token_alg).await?.is_none() {
            return Err(invalid(
                "id_token_alg",
                format!(
                    "This deployment has no {} signing key.",
                    id_token_alg.as_str()
                ),
            ));
        }
        let now = self.now();
        let (secret, secret_hash) = match request.kind {
            AppKind::Confidential => {
                let (secret, hash) = new_token();
                (Some(secret), Some(hash))
            }
            AppKind::Public => (None, None),
        };
        let app = AppRecord {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            kind: request.kind,
            redirect_uris,
            post_logout_redirect_uris,
            home_url,
            id_token_alg,
            pkce_required: !request.pkce_optional,
            secret_created_at: secret_hash.as_ref().map(|_| now),
            secret_hash,
            created_at: now,
            version: 1,
        };
        let mut audit = event(now, AuditAction::AppRegistered, Some(actor), None);
        audit.app = Some(app.audit_app());
        self.store
            .insert_app(&app, &[audit])
            .await
            .map_err(store_failure)?;
        Ok(AppCredentials {
            app: app.summary(),
            client_secret: secret,
        })
    }

    pub async fn list_apps(&self, actor: &UserRecord) -> Result<Vec<AppRecord>, ApiError> {
        permissions::global_admin(actor, Setting::Apps)?;
        self.store.list_apps().await.map_err(store_failure)
    }

    /// A new client secret; the old one stops working at once.
    pub async fn rotate_app_secret(
        &self,
        actor: &UserRecord,
        id: &str,
    ) -> Result<AppCredentials, ApiError> {
        permissions::global_admin(actor, Setting::Apps)?;
        for _ in 0..super::update::MAX_WRITE_ATTEMPTS {
            let Some(mut app) = self.store.app(id).await.map_err(store_failure)? else {
                return Err(app_not_found());
            };
            if app.kind == AppKind::Public {
                return Err(ApiError::new(
                    ErrorCode::InvalidRequest,
                    "A public app has no client secret.",
                ));
            }
            let now = self.now();
            let (secret, hash) = new_token();
            app.secret_hash = Some(hash);
            app.secret_created_at = Some(now);
            let mut audit = event(now, AuditAction::AppSecretRotated, Some(actor), None);
            audit.app = Some(app.audit_app());
            match self.store.update_app(&app, &[audit]).await {
                Ok(version) => {
                    app.version = version;
                    return Ok(AppCredentials {
                        app: app.summary(),
                        client_secret: Some(secret),
                    });
                }
                Err(StoreError::Conflict) => continue,
                Err(StoreError::NotFound) => return Err(app_not_found()),
                Err(e) => return Err(store_failure(e)),
            }
        }
        Err(ApiError::new(
            ErrorCode::Conflict,
            "Someone else is changing this app. Try again.",
        ))
    }

    pub async fn remove_app(&self, actor: &UserRecord, id: &str) -> Result<(), ApiError> {
        permissions::global_admin(actor, Setting::Apps)?;
        let Some(app) = self.store.app(id).await.map_err(store_failure)? else {
            return Err(app_not_found());
        };
        let mut audit = event(self.now(), AuditAction::AppRemoved, Some(actor), None);
        audit.app = Some(app.audit_app());
        match self.store.delete_app(id, &[audit]).await {
            Ok(()) => Ok(()),
            Err(StoreError::NotFound) => Err(app_not_found()),
            Err(e) => Err(store_failure(e)),
        }
    }

    /// "My apps": every registered app with somewhere to open it.
    pub async fn my_apps(&self) -> Result<Vec<MyApp>, ApiError> {
        let apps = self.store.list_apps().await.map_err(store_failure)?;
        Ok(apps
            .into_iter()
            .filter_map(|a| {
                Some(MyApp {
                    url: a.launch_url()?,
                    name: a.name,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_addresses_must_be_https_or_loopback_http_without_fragments() {
        assert!(check_app_uri("https://app.example.com/cb", "f").is_ok());
        assert!(check_app_uri("http://127.0.0.1:8080/cb", "f").is_ok());
        assert!(check_app_uri("http://localhost/cb", "f").is_ok());
        for bad in [
            "http://app.example.com/cb",
            "https://app.example.com/cb#x",
            "https://user:pw@app.example.com/cb",
            "javascript:alert(1)",
            "/relative",
        ] {
            let e = check_app_uri(bad, "redirect_uris[0]").unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidRequest, "{bad}");
            assert_eq!(e.field.as_deref(), Some("redirect_uris[0]"));
        }
    }

    #[test]
    fn only_the_right_secret_matches() {
        let (secret, hash) = new_token();
        let app = AppRecord {
            id: "a".into(),
            name: "A".into(),
            kind: AppKind::Confidential,
            redirect_uris: vec!["https://a.example/cb".into()],
            post_logout_redirect_uris: vec![],
            home_url: None,
            id_token_alg: SigningAlg::Es256,
            pkce_required: true,
            secret_hash: Some(hash),
            secret_created_at: Some(1),
            created_at: 1,
            version: 1,
        };
        assert!(app.secret_matches(&secret));
        assert!(!app.secret_matches(&(secret.clone() + "x")));
        assert!(!app.secret_matches(""));
        assert_eq!(app.launch_url().as_deref(), Some("https://a.example/"));
    }
}
