//! The browser's side: the authorization request (GET and POST) and
//! RP-initiated logout.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

use super::is_form;
use crate::api::client_addr::Caller;
use crate::api::error::HttpError;
use crate::api::extract::cookie;
use crate::api::{SESSION_COOKIE, SSO_COOKIE};
use crate::domain::oidc::authorize::{AuthorizeRequest, Authorized, PageError};
use crate::domain::oidc::logout::{LoggedOut, LogoutRequest};
use crate::domain::Rekey;

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

pub(super) async fn authorize(
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
pub(super) async fn authorize_form(
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

fn clear_cookies(mut response: Response) -> Response {
    for cookie in [
        crate::api::auth::session_cookie("", 0),
        crate::api::auth::sso_cookie("", 0),
    ] {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

pub(super) async fn logout(
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
