//! Extractors whose rejections are Rekey's JSON errors, and the session.

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use rekey_shared::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;

use super::error::HttpError;
use super::SESSION_COOKIE;
use crate::domain::model::{SessionRecord, UserRecord};
use crate::domain::Rekey;

/// A JSON body, or a 4xx JSON error saying what is wrong with it.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let too_large = super::error::too_large_message(req.uri().path());
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(rejection, too_large).into()),
        }
    }
}

fn json_rejection(rejection: JsonRejection, too_large: &str) -> ApiError {
    match rejection {
        JsonRejection::JsonDataError(e) => ApiError::new(
            ErrorCode::InvalidRequest,
            format!("The request body has the wrong shape: {}", e.body_text()),
        ),
        JsonRejection::JsonSyntaxError(_) => ApiError::new(
            ErrorCode::InvalidJson,
            "The request body is not valid JSON.",
        ),
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the request body as application/json.",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(ErrorCode::PayloadTooLarge, too_large)
        }
        _ => ApiError::new(
            ErrorCode::InvalidRequest,
            "The request body could not be read.",
        ),
    }
}

/// Query parameters, or a 400 JSON error.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(ApiError::new(
                ErrorCode::InvalidRequest,
                format!("The query string is not valid: {}", e.body_text()),
            )
            .into()),
            Err(_) => Err(ApiError::new(
                ErrorCode::InvalidRequest,
                "The query string is not valid.",
            )
            .into()),
        }
    }
}

/// The value of cookie `name`, if the request carries it.
/// The value of the cookie `name`; none when the request carries it more
/// than once (a second one can only have been planted: the browser keeps
/// one `__Host-` cookie of a name).
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let mut found = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// A request from a signed-in account with a live session.
pub struct Authenticated {
    pub session: SessionRecord,
    pub user: UserRecord,
}

impl FromRequestParts<Arc<Rekey>> for Authenticated {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<Rekey>,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie(&parts.headers, SESSION_COOKIE)
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated, "Sign in to continue."))?;
        let (session, user) = app.session_user(token).await?;
        Ok(Self { session, user })
    }
}

/// A signed-in account that may act: one whose password must be changed
/// can do nothing else first, nor one the MFA policy holds until she
/// registers a method.
pub struct Active(pub Authenticated);

impl FromRequestParts<Arc<Rekey>> for Active {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<Rekey>,
    ) -> Result<Self, Self::Rejection> {
        let Enrolling(auth) = Enrolling::from_request_parts(parts, app).await?;
        app.require_registered(&auth.session, &auth.user)?;
        Ok(Self(auth))
    }
}

/// A signed-in account past any forced password change, that may still
/// owe the policy a method: Security info's own requests.
pub struct Enrolling(pub Authenticated);

impl FromRequestParts<Arc<Rekey>> for Enrolling {
    type Rejection = HttpError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<Rekey>,
    ) -> Result<Self, Self::Rejection> {
        let auth = Authenticated::from_request_parts(parts, app).await?;
        crate::domain::permissions::may_act(&auth.user)?;
        Ok(Self(auth))
    }
}

/// [`Rekey::require_fresh_for`] the signed-in account.
pub fn require_fresh(app: &Rekey, auth: &Authenticated) -> Result<(), HttpError> {
    Ok(app.require_fresh_for(&auth.session, &auth.user)?)
}
