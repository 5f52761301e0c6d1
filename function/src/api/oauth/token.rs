//! The app's side: the token exchange (with its client authentication)
//! and userinfo.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::{is_form, oauth_error};
use crate::domain::oidc::token::TokenRequest;
use crate::domain::oidc::{OAuthCode, OAuthError};
use crate::domain::Rekey;

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

pub(super) async fn token(state: State<Arc<Rekey>>, headers: HeaderMap, body: Bytes) -> Response {
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

pub(super) async fn userinfo(
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
