//! OpenID Connect's endpoints: discovery, JWKS, authorize, token, userinfo
//! and logout. Errors follow RFC 6749 (`error`, `error_description`), not
//! Rekey's API shape, because OAuth clients read them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;
use tower_http::set_header::SetResponseHeaderLayer;

use super::client_addr::Caller;
use super::error::HttpError;
use super::extract::cookie;
use super::{SESSION_COOKIE, SSO_COOKIE};
use crate::domain::oidc::authorize::{AuthorizeRequest, Authorized, PageError};
use crate::domain::oidc::logout::{LoggedOut, LogoutRequest};
use crate::domain::oidc::token::TokenRequest;
use crate::domain::oidc::{OAuthCode, OAuthError, SCOPES};
use crate::domain::Rekey;

/// Token and userinfo requests are a few hundred bytes.
const OAUTH_BODY_LIMIT: usize = 16 * 1024;

pub fn routes(app: Arc<Rekey>) -> Router {
    let any_origin = SetResponseHeaderLayer::overriding(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    // Read by apps from anywhere, browsers included; none of them uses a
    // cookie, so any origin may read them.
    let public = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/oauth2/jwks", get(jwks))
        .route(
            "/oauth2/token",
            axum::routing::post(token).options(preflight),
        )
        .route(
            "/oauth2/userinfo",
            get(userinfo).post(userinfo).options(preflight),
        )
        .layer(any_origin);
    Router::new()
        .route("/oauth2/authorize", get(authorize).post(authorize_form))
        .route("/oauth2/logout", get(logout).post(logout))
        // The rest of /oauth2 is the function's too (deployed, all of it is
        // routed here), so an unknown endpoint answers in OAuth's shape.
        .route("/oauth2/{*rest}", axum::routing::any(no_such_endpoint))
        .merge(public)
        .layer(DefaultBodyLimit::max(OAUTH_BODY_LIMIT))
        .layer(axum::middleware::from_fn(oauth_errors_only))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(app)
}

async fn discovery(State(app): State<Arc<Rekey>>) -> Result<Response, HttpError> {
    let iss = app.issuer();
    let keys = app.current_keys().await?;
    let algs: Vec<&str> = keys.iter().map(|k| k.alg.as_str()).collect();
    let doc = json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/oauth2/authorize"),
        "token_endpoint": format!("{iss}/oauth2/token"),
        "userinfo_endpoint": format!("{iss}/oauth2/userinfo"),
        "jwks_uri": format!("{iss}/oauth2/jwks"),
        "end_session_endpoint": format!("{iss}/oauth2/logout"),
        "scopes_supported": SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": algs,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": ["none", "login"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
            "name", "preferred_username", "email", "email_verified"],
        "authorization_response_iss_parameter_supported": true,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "claims_parameter_supported": false,
        "ui_locales_supported": ["en", "nl"],
    });
    Ok(Json(doc).into_response())
}

async fn jwks(State(app): State<Arc<Rekey>>) -> Result<Response, HttpError> {
    let keys = app.jwks().await?;
    Ok(Json(json!({ "keys": keys })).into_response())
}

async fn preflight() -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST"),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "Authorization, Content-Type",
            ),
            (header::ACCESS_CONTROL_MAX_AGE, "600"),
        ],
    )
        .into_response()
}

fn found(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::FOUND, [(header::LOCATION, value)]).into_response(),
        Err(_) => page_error(PageError::BadRequest),
    }
}

/// Rekey's own page for an error it must not redirect to the app.
fn page_error(error: PageError) -> Response {
    found(&format!("/app-sign-in-problem?reason={}", error.as_str()))
}

/// The browser's Rekey session: the single sign-on cookie (sent on the
/// app's cross-site redirect), else the admin center's own.
async fn browser_session(
    app: &Rekey,
    headers: &HeaderMap,
) -> Option<(
    crate::domain::model::SessionRecord,
    crate::domain::model::UserRecord,
)> {
    for name in [SSO_COOKIE, SESSION_COOKIE] {
        if let Some(token) = cookie(headers, name) {
            if let Ok(found) = app.session_user(token).await {
                return Some(found);
            }
        }
    }
    None
}

async fn authorize(
    State(app): State<Arc<Rekey>>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, HttpError> {
    authorize_with(
        &app,
        &caller,
        &headers,
        query.as_deref().unwrap_or_default(),
    )
    .await
}

/// The same request sent as a form (Core 1.0 §3.1.2.1: GET and POST).
async fn authorize_form(
    State(app): State<Arc<Rekey>>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HttpError> {
    if !is_form(&headers) {
        return Ok(page_error(PageError::BadRequest));
    }
    authorize_with(&app, &caller, &headers, &String::from_utf8_lossy(&body)).await
}

async fn authorize_with(
    app: &Arc<Rekey>,
    caller: &Caller,
    headers: &HeaderMap,
    query: &str,
) -> Result<Response, HttpError> {
    let request = match AuthorizeRequest::parse(query) {
        Ok(request) => request,
        Err(e) => return Ok(page_error(e)),
    };
    let session = browser_session(app, headers).await;
    Ok(
        match app.authorize(&request, session, &caller.attempt()).await? {
            Authorized::Refuse(e) => page_error(e),
            Authorized::Redirect(to) => found(&to),
            Authorized::SignIn { query } => {
                let back = format!("/oauth2/authorize?{query}");
                let encoded: String =
                    url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
                found(&format!("/?continue={encoded}"))
            }
        },
    )
}

async fn no_such_endpoint() -> Response {
    let error = OAuthError::new(
        OAuthCode::InvalidRequest,
        "There is no such OAuth 2.0 endpoint.",
    );
    (StatusCode::NOT_FOUND, Json(error)).into_response()
}

/// A refusal from beneath the handlers (a method the endpoint lacks, a
/// body over the limit) as an OAuth error (RFC 6749 §5.2), as apps parse.
async fn oauth_errors_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    if !super::error::is_plain_refusal(&response) {
        return response;
    }
    let status = response.status();
    let description = match status {
        StatusCode::METHOD_NOT_ALLOWED => super::error::WRONG_METHOD.to_string(),
        StatusCode::PAYLOAD_TOO_LARGE => super::error::body_over(OAUTH_BODY_LIMIT),
        _ => "The request could not be read.".to_string(),
    };
    let error = if status.is_server_error() {
        OAuthCode::ServerError
    } else {
        OAuthCode::InvalidRequest
    };
    let mut answer = oauth_error(OAuthError::new(error, description), false);
    *answer.status_mut() = status;
    if let Some(allow) = response.headers().get(header::ALLOW) {
        answer.headers_mut().insert(header::ALLOW, allow.clone());
    }
    answer
}

fn oauth_error(error: OAuthError, basic: bool) -> Response {
    let status = match error.error {
        OAuthCode::InvalidClient => StatusCode::UNAUTHORIZED,
        OAuthCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    let mut response = (status, [(header::PRAGMA, "no-cache")], Json(error)).into_response();
    if status == StatusCode::UNAUTHORIZED && basic {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"rekey\""),
        );
    }
    response
}

/// Form fields, each at most once (RFC 6749 §3.2).
fn form_fields(body: &[u8]) -> Result<Vec<(String, String)>, OAuthError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(body) {
        if fields.iter().any(|(name, _)| *name == k) {
            return Err(OAuthError::new(
                OAuthCode::InvalidRequest,
                format!("{k} is given twice."),
            ));
        }
        fields.push((k.into_owned(), v.into_owned()));
    }
    Ok(fields)
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// `Authorization: Basic` with form-encoded id and secret (RFC 6749 §2.3.1).
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad = || {
        OAuthError::new(
            OAuthCode::InvalidClient,
            "The Authorization header is malformed.",
        )
    };
    let value = value.to_str().map_err(|_| bad())?;
    let Some(encoded) = value.strip_prefix("Basic ") else {
        return Err(bad());
    };
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let decoded = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(bad)?;
    let unescape = |s: &str| -> String {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some((unescape(id), unescape(secret))))
}

async fn token(state: State<Arc<Rekey>>, headers: HeaderMap, body: Bytes) -> Response {
    let response = exchange(state, headers, body).await;
    crate::metrics::count(match response.status().is_success() {
        true => crate::metrics::Metric::TokenIssued,
        false => crate::metrics::Metric::TokenRefused,
    });
    response
}

async fn exchange(State(app): State<Arc<Rekey>>, headers: HeaderMap, body: Bytes) -> Response {
    let basic = headers.contains_key(header::AUTHORIZATION);
    if !is_form(&headers) {
        return oauth_error(
            OAuthError::new(
                OAuthCode::InvalidRequest,
                "Send the token request as application/x-www-form-urlencoded.",
            ),
            basic,
        );
    }
    let request = match (form_fields(&body), basic_credentials(&headers)) {
        (Ok(fields), Ok(basic_pair)) => {
            let field = |name: &str| {
                fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            TokenRequest {
                grant_type: field("grant_type"),
                code: field("code"),
                redirect_uri: field("redirect_uri"),
                code_verifier: field("code_verifier"),
                client_id: field("client_id"),
                client_secret: field("client_secret"),
                basic: basic_pair,
            }
        }
        (Err(e), _) | (_, Err(e)) => return oauth_error(e, basic),
    };
    match app.exchange_code(request).await {
        Ok(tokens) => ([(header::PRAGMA, "no-cache")], Json(tokens)).into_response(),
        Err(e) => oauth_error(e, basic),
    }
}

fn bearer_error(status: StatusCode, error: Option<&OAuthError>) -> Response {
    let challenge = match error {
        Some(e) => format!(
            "Bearer error=\"{}\", error_description=\"{}\"",
            e.error.as_str(),
            e.error_description.replace('"', "'")
        ),
        None => "Bearer".to_string(),
    };
    let mut response = match error {
        Some(e) => (status, Json(e.clone())).into_response(),
        None => status.into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

async fn userinfo(
    State(app): State<Arc<Rekey>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    // RFC 6750 §2.2: a POST may carry the token as a form field instead.
    let from_body = if method == Method::POST && is_form(&headers) {
        match form_fields(&body) {
            Ok(fields) => fields
                .into_iter()
                .find(|(k, _)| k == "access_token")
                .map(|(_, v)| v),
            Err(e) => return bearer_error(StatusCode::BAD_REQUEST, Some(&e)),
        }
    } else {
        None
    };
    let token = match (from_header, from_body) {
        (Some(t), None) | (None, Some(t)) => t,
        (None, None) => return bearer_error(StatusCode::UNAUTHORIZED, None),
        (Some(_), Some(_)) => {
            let e = OAuthError::new(OAuthCode::InvalidRequest, "Send the access token once.");
            return bearer_error(StatusCode::BAD_REQUEST, Some(&e));
        }
    };
    match app.userinfo(&token).await {
        Ok(claims) => Json(claims).into_response(),
        Err(e) if e.error == OAuthCode::ServerError => oauth_error(e, false),
        Err(e) => bearer_error(StatusCode::UNAUTHORIZED, Some(&e)),
    }
}

fn clear_cookies(mut response: Response) -> Response {
    for cookie in [
        super::auth::session_cookie("", 0),
        super::auth::sso_cookie("", 0),
    ] {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

async fn logout(
    State(app): State<Arc<Rekey>>,
    caller: Caller,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, HttpError> {
    let source = if method == Method::POST && is_form(&headers) {
        body.to_vec()
    } else {
        query.unwrap_or_default().into_bytes()
    };
    let mut request = LogoutRequest::default();
    for (k, v) in url::form_urlencoded::parse(&source) {
        let v = Some(v.into_owned());
        match k.as_ref() {
            "id_token_hint" => request.id_token_hint = v,
            "post_logout_redirect_uri" => request.post_logout_redirect_uri = v,
            "client_id" => request.client_id = v,
            "state" => request.state = v,
            _ => {}
        }
    }
    let session = browser_session(&app, &headers).await.map(|(s, _)| s);
    Ok(
        match app
            .logout(&request, session.as_ref(), &caller.attempt())
            .await?
        {
            LoggedOut::Redirect(to) => clear_cookies(found(&to)),
            LoggedOut::Confirm => found("/sign-out"),
            LoggedOut::Refuse(e) => page_error(e),
        },
    )
}
