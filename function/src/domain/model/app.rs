//! A registered app (an OpenID Connect client).

use rekey_shared::{AppKind, AppSummary, AuditApp, SigningAlg};
use serde::{Deserialize, Serialize};

use crate::domain::session::token_hash;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppRecord {
    /// The OAuth `client_id`.
    pub id: String,
    pub name: String,
    pub kind: AppKind,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub home_url: Option<String>,
    pub id_token_alg: SigningAlg,
    /// PKCE on every authorization request. Records from before it was
    /// required read as `false`; public apps always need it.
    #[serde(default)]
    pub pkce_required: bool,
    /// SHA-256 (hex) of the client secret: the secret has 256 random bits,
    /// so a fast hash is enough. `None` for public apps.
    pub secret_hash: Option<String>,
    pub secret_created_at: Option<i64>,
    pub created_at: i64,
    pub version: u64,
}

impl AppRecord {
    pub fn summary(&self) -> AppSummary {
        AppSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            kind: self.kind,
            redirect_uris: self.redirect_uris.clone(),
            post_logout_redirect_uris: self.post_logout_redirect_uris.clone(),
            home_url: self.home_url.clone(),
            id_token_alg: self.id_token_alg,
            pkce_required: self.needs_pkce(),
            created_at: self.created_at,
            secret_created_at: self.secret_created_at,
        }
    }

    pub fn needs_pkce(&self) -> bool {
        self.pkce_required || self.kind == AppKind::Public
    }

    /// Whether `secret` is this app's client secret (constant time).
    pub fn secret_matches(&self, secret: &str) -> bool {
        let Some(stored) = &self.secret_hash else {
            return false;
        };
        let given = token_hash(secret);
        stored.len() == given.len()
            && stored
                .bytes()
                .zip(given.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    /// Where "My apps" sends users: the app's home, else the origin of its
    /// first redirect address.
    pub fn launch_url(&self) -> Option<String> {
        self.home_url.clone().or_else(|| {
            let first = url::Url::parse(self.redirect_uris.first()?).ok()?;
            Some(first.origin().ascii_serialization() + "/")
        })
    }

    pub(crate) fn audit_app(&self) -> AuditApp {
        AuditApp {
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}
