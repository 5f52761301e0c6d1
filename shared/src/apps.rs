//! Apps that sign their users in with Rekey (OpenID Connect clients), as
//! global admins register them and as users see them in "My apps".

use serde::{Deserialize, Serialize};

named_enum! {
    /// How an app proves who it is at the token endpoint.
    pub enum AppKind {
        /// A server-side app: it holds a client secret.
        Confidential => "confidential",
        /// A browser or mobile app: no secret, PKCE instead.
        Public => "public",
    }
}

named_enum! {
    /// How Rekey signs the app's ID tokens.
    pub enum SigningAlg {
        Es256 => "ES256",
        Rs256 => "RS256",
    }
}

/// Most redirect (or post-logout) addresses one app may register.
pub const MAX_APP_URIS: usize = 10;
/// Longest app name.
pub const MAX_APP_NAME_LEN: usize = 100;
/// Longest address an app may register.
pub const MAX_APP_URI_LEN: usize = 2000;

/// `POST /api/apps`: a new app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppRegistration {
    pub name: String,
    pub kind: AppKind,
    /// Where Rekey may send codes: matched exactly, no wildcards.
    pub redirect_uris: Vec<String>,
    /// Where Rekey may send the browser after signing out.
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// Where users open the app ("My apps" links here).
    #[serde(default)]
    pub home_url: Option<String>,
    /// ES256 unless the app needs RS256.
    #[serde(default)]
    pub id_token_alg: Option<SigningAlg>,
    /// Lets a confidential app exchange codes without PKCE: only for a
    /// legacy server app that cannot send it (RFC 9700 §2.1.1).
    #[serde(default)]
    pub pkce_optional: bool,
}

/// A registered app, as global admins see it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppSummary {
    /// The OAuth `client_id`.
    pub id: String,
    pub name: String,
    pub kind: AppKind,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub home_url: Option<String>,
    pub id_token_alg: SigningAlg,
    /// Whether its authorization requests must carry a PKCE challenge.
    pub pkce_required: bool,
    pub created_at: i64,
    /// When the current client secret was made (confidential apps).
    pub secret_created_at: Option<i64>,
}

/// The answer to registering an app, or to rotating its secret: the
/// secret is shown this once and only its hash is kept.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppCredentials {
    pub app: AppSummary,
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppCredentials")
            .field("app", &self.app)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// `GET /api/apps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppList {
    pub apps: Vec<AppSummary>,
}

/// One entry of "My apps": what a signed-in user may open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApp {
    pub name: String,
    pub url: String,
}

/// `GET /api/my-apps`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApps {
    pub apps: Vec<MyApp>,
}
