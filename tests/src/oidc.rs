//! An OpenID Connect relying party's moves, for the API tests: register an
//! app, follow /oauth2/authorize by hand (no redirects followed), exchange
//! the code. The independent RPs (authlib, mod_auth_openidc) are elsewhere.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde_json::{json, Value};
use sha2::Digest;

use crate::{Session, TestApp};

/// A registered app as its developer holds it.
#[derive(Debug, Clone)]
pub struct Rp {
    pub client_id: String,
    pub secret: Option<String>,
    pub redirect_uri: String,
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// A client that shows redirects instead of following them.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// A query parameter of an absolute or relative URL.
pub fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub fn encode(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// The single sign-on cookie a sign-in answer sets: its whole `Set-Cookie`
/// value (attributes and all).
pub fn sso_set_cookie(resp: &reqwest::Response) -> String {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("__Host-rekey_sso="))
        .expect("an SSO cookie")
}

/// The `name=value` pair of that cookie, to send back.
pub fn sso_pair(resp: &reqwest::Response) -> String {
    sso_set_cookie(resp).split(';').next().unwrap().to_string()
}

impl TestApp {
    /// The token answer of a code issued to `session` for `rp` (PKCE).
    pub async fn tokens_for(&self, rp: &Rp, session: &Session) -> Value {
        let (verifier, challenge) = pkce();
        let code = self.code_for(rp, session, &challenge).await;
        self.exchange(rp, &code, &verifier)
            .await
            .json()
            .await
            .expect("a token answer")
    }

    /// Registers an app as `admin`; panics unless it is created.
    pub async fn register_app(&self, admin: &Session, kind: &str, redirect_uri: &str) -> Rp {
        let resp = self
            .post(
                "/api/apps",
                Some(admin),
                &json!({
                    "name": format!("App {}", &redirect_uri[redirect_uri.len() - 4..]),
                    "kind": kind,
                    "redirect_uris": [redirect_uri],
                    "post_logout_redirect_uris": ["http://127.0.0.1:9/signed-out"],
                }),
            )
            .await;
        assert_eq!(resp.status(), 201);
        let body: Value = resp.json().await.unwrap();
        Rp {
            client_id: body["app"]["id"].as_str().unwrap().to_string(),
            secret: body["client_secret"].as_str().map(String::from),
            redirect_uri: redirect_uri.to_string(),
        }
    }

    /// GET /oauth2/authorize with `query`, carrying `cookie` if given.
    pub async fn authorize(&self, cookie: Option<&str>, query: &str) -> reqwest::Response {
        let mut req = no_redirects().get(self.url(&format!("/oauth2/authorize?{query}")));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send().await.unwrap()
    }

    /// The standard request: code, openid profile email, state, nonce, PKCE.
    pub fn authorize_query(&self, rp: &Rp, challenge: &str) -> String {
        encode(&[
            ("client_id", &rp.client_id),
            ("redirect_uri", &rp.redirect_uri),
            ("response_type", "code"),
            ("scope", "openid profile email"),
            ("state", "st-123"),
            ("nonce", "n-456"),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ])
    }

    /// Authorizes as the signed-in `session`; returns the code.
    pub async fn code_for(&self, rp: &Rp, session: &Session, challenge: &str) -> String {
        let resp = self
            .authorize(Some(&session.cookie), &self.authorize_query(rp, challenge))
            .await;
        assert_eq!(resp.status(), 302);
        let to = location(&resp);
        assert!(to.starts_with(&rp.redirect_uri), "{to}");
        assert_eq!(param(&to, "state").as_deref(), Some("st-123"));
        assert_eq!(param(&to, "iss").as_deref(), Some(self.address.as_str()));
        param(&to, "code").expect("a code")
    }

    /// POST /oauth2/token with form `fields`, authenticating with Basic
    /// when `basic` is given.
    pub async fn token(
        &self,
        fields: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> reqwest::Response {
        let mut req = no_redirects()
            .post(self.url("/oauth2/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(encode(fields));
        if let Some((id, secret)) = basic {
            req = req.basic_auth(id, Some(secret));
        }
        req.send().await.unwrap()
    }

    /// Exchanges `code` as a confidential `rp` would (Basic).
    pub async fn exchange(&self, rp: &Rp, code: &str, verifier: &str) -> reqwest::Response {
        self.token(
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", &rp.redirect_uri),
                ("code_verifier", verifier),
            ],
            Some((&rp.client_id, rp.secret.as_deref().unwrap_or_default())),
        )
        .await
    }

    pub async fn userinfo(&self, access_token: &str) -> reqwest::Response {
        no_redirects()
            .get(self.url("/oauth2/userinfo"))
            .bearer_auth(access_token)
            .send()
            .await
            .unwrap()
    }
}

/// The claims of a JWT, unverified (the tests verify separately).
pub fn claims_of(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

pub fn header_of(jwt: &str) -> Value {
    let part = jwt.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}
