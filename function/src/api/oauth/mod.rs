//! OpenID Connect's endpoints: discovery, JWKS, authorize, token, userinfo
//! and logout. Errors follow RFC 6749 (`error`, `error_description`), not
//! Rekey's API shape, because OAuth clients read them.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_http::set_header::SetResponseHeaderLayer;

use super::error::HttpError;
use crate::domain::oidc::{OAuthCode, OAuthError, SCOPES};
use crate::domain::Rekey;
use authorize::{authorize, authorize_form, logout};
use token::{token, userinfo};

mod authorize;
mod token;

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
            "acr", "amr", "name", "preferred_username", "email", "email_verified"],
        "acr_values_supported": ["pwd", "mfa"],
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

pub(super) fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}
