//! Organisation settings in the admin center (global admins).

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use rekey_shared::PasswordResetSettingsVersion;

use super::error::HttpError;
use super::extract::{require_fresh, Active, ApiJson};
use crate::domain::Rekey;

pub async fn password_reset(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
) -> Result<Json<PasswordResetSettingsVersion>, HttpError> {
    Ok(Json(app.password_reset_settings(&auth.user).await?))
}

pub async fn set_password_reset(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    ApiJson(change): ApiJson<PasswordResetSettingsVersion>,
) -> Result<Json<PasswordResetSettingsVersion>, HttpError> {
    require_fresh(&app, &auth)?;
    Ok(Json(
        app.set_password_reset_settings(&auth.user, &change).await?,
    ))
}
