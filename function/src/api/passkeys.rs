//! Passkeys over HTTP: each ceremony is a start (the browser's options
//! and a ceremony id) and a finish (the id and the browser's credential).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use rekey_shared::{NewPasskey, PasskeyAnswer, PasskeyChallenge, SecurityInfo};

use super::auth::{second_step_done, signed_in_response};
use super::client_addr::Caller;
use super::error::HttpError;
use super::extract::{cookie, ApiJson, Enrolling};
use super::PENDING_COOKIE;
use crate::domain::Rekey;

pub async fn start_registration(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
    ApiJson(request): ApiJson<NewPasskey>,
) -> Result<Json<PasskeyChallenge>, HttpError> {
    Ok(Json(
        app.start_passkey_registration(&auth.session, &auth.user, &request)
            .await?,
    ))
}

pub async fn finish_registration(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
    ApiJson(answer): ApiJson<PasskeyAnswer>,
) -> Result<(StatusCode, Json<SecurityInfo>), HttpError> {
    let info = app
        .finish_passkey_registration(
            &auth.session,
            &auth.user,
            &answer.ceremony,
            &answer.credential,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(info)))
}

pub async fn start_sign_in(
    State(app): State<Arc<Rekey>>,
    caller: Caller,
) -> Result<Json<PasskeyChallenge>, HttpError> {
    Ok(Json(app.start_passkey_sign_in(&caller.attempt()).await?))
}

pub async fn finish_sign_in(
    State(app): State<Arc<Rekey>>,
    caller: Caller,
    ApiJson(answer): ApiJson<PasskeyAnswer>,
) -> Result<Response, HttpError> {
    let signed_in = app
        .finish_passkey_sign_in(&answer.ceremony, &answer.credential, &caller.attempt())
        .await?;
    Ok(signed_in_response(&app, signed_in))
}

pub async fn start_second_step(
    State(app): State<Arc<Rekey>>,
    headers: HeaderMap,
) -> Result<Json<PasskeyChallenge>, HttpError> {
    let token = cookie(&headers, PENDING_COOKIE).unwrap_or_default();
    Ok(Json(app.start_passkey_second_step(token).await?))
}

pub async fn finish_second_step(
    State(app): State<Arc<Rekey>>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(answer): ApiJson<PasskeyAnswer>,
) -> Result<Response, HttpError> {
    let token = cookie(&headers, PENDING_COOKIE).unwrap_or_default();
    let signed_in = app
        .finish_passkey_second_step(
            token,
            &answer.ceremony,
            &answer.credential,
            &caller.attempt(),
        )
        .await?;
    Ok(second_step_done(&app, signed_in))
}
