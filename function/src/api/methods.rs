//! Security info over HTTP: the signed-in user's own sign-in methods.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rekey_shared::{
    AlternateEmailStarted, AuthenticatorAppSetup, CodeEntry, MethodRename, NewAlternateEmail,
    NewAuthenticatorApp, RecoveryCodesIssued, SecurityInfo,
};

use super::error::HttpError;
use super::extract::{ApiJson, Enrolling};
use crate::domain::Rekey;

pub async fn list(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
) -> Result<Json<SecurityInfo>, HttpError> {
    Ok(Json(app.security_info(&auth.user).await?))
}

pub async fn start_authenticator_app(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
    ApiJson(request): ApiJson<NewAuthenticatorApp>,
) -> Result<(StatusCode, Json<AuthenticatorAppSetup>), HttpError> {
    let setup = app
        .start_authenticator_app(&auth.session, &auth.user, &request)
        .await?;
    Ok((StatusCode::CREATED, Json(setup)))
}

pub async fn confirm_authenticator_app(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
    Path(id): Path<String>,
    ApiJson(entry): ApiJson<CodeEntry>,
) -> Result<Json<SecurityInfo>, HttpError> {
    Ok(Json(
        app.confirm_authenticator_app(&auth.session, &auth.user, &id, &entry.code)
            .await?,
    ))
}

pub async fn rename(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
    Path(id): Path<String>,
    ApiJson(rename): ApiJson<MethodRename>,
) -> Result<Json<SecurityInfo>, HttpError> {
    Ok(Json(
        app.rename_method(&auth.session, &auth.user, &id, &rename.name)
            .await?,
    ))
}

pub async fn remove(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
    Path(id): Path<String>,
) -> Result<Json<SecurityInfo>, HttpError> {
    Ok(Json(
        app.remove_method(&auth.session, &auth.user, &id).await?,
    ))
}

/// A new set of recovery codes, shown this once.
pub async fn new_recovery_codes(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
) -> Result<(StatusCode, Json<RecoveryCodesIssued>), HttpError> {
    let issued = app.new_recovery_codes(&auth.session, &auth.user).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Sends a code to a new alternate address.
pub async fn start_alternate_email(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
    ApiJson(request): ApiJson<NewAlternateEmail>,
) -> Result<(StatusCode, Json<AlternateEmailStarted>), HttpError> {
    let started = app
        .start_alternate_email(&auth.session, &auth.user, &request)
        .await?;
    Ok((StatusCode::CREATED, Json(started)))
}

/// The code from the address's inbox.
pub async fn confirm_alternate_email(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
    Path(id): Path<String>,
    ApiJson(entry): ApiJson<CodeEntry>,
) -> Result<Json<SecurityInfo>, HttpError> {
    Ok(Json(
        app.confirm_alternate_email(&auth.session, &auth.user, &id, &entry.code)
            .await?,
    ))
}
