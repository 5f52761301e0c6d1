//! Password resets, one user or many.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use rekey_shared::{
    BulkResetRequest, BulkResetResponse, PasswordEmailRequest, PasswordEmailResult, ResetOptions,
    ResetResult,
};

use super::error::HttpError;
use super::extract::{Active, ApiJson};
use crate::domain::Rekey;
use crate::metrics::Metric;

pub async fn reset_one(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
    ApiJson(options): ApiJson<ResetOptions>,
) -> Result<Json<ResetResult>, HttpError> {
    let result = app.reset_password(&auth.user, &id, &options).await?;
    crate::metrics::count(Metric::PasswordReset);
    Ok(Json(result))
}

/// "Send email and close": the password just shown, emailed after the reset.
pub async fn email_password(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<PasswordEmailRequest>,
) -> Result<Json<PasswordEmailResult>, HttpError> {
    Ok(Json(app.email_after_reset(&auth.user, &id, request).await?))
}

/// A one-time link instead of a password.
pub async fn send_link(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
    ApiJson(_): ApiJson<rekey_shared::ResetLinkRequest>,
) -> Result<Json<rekey_shared::ResetLinkSent>, HttpError> {
    Ok(Json(app.send_reset_link(&auth.user, &id).await?))
}

pub async fn reset_many(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    ApiJson(request): ApiJson<BulkResetRequest>,
) -> Result<Json<BulkResetResponse>, HttpError> {
    let response = app.reset_passwords(&auth.user, &request).await?;
    crate::metrics::count_n(Metric::PasswordReset, response.succeeded as u64);
    Ok(Json(response))
}
