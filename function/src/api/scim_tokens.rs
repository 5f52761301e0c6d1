//! SCIM bearer tokens in the admin center (global admins).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rekey_shared::{NewScimToken, ScimTokenCreated, ScimTokenList};

use super::error::HttpError;
use super::extract::{require_fresh, Active, ApiJson};
use crate::domain::Rekey;

pub async fn list(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
) -> Result<Json<ScimTokenList>, HttpError> {
    Ok(Json(ScimTokenList {
        tokens: app.scim_tokens(&auth.user).await?,
    }))
}

pub async fn create(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    ApiJson(new): ApiJson<NewScimToken>,
) -> Result<(StatusCode, Json<ScimTokenCreated>), HttpError> {
    require_fresh(&app, &auth)?;
    let created = app.create_scim_token(&auth.user, &new.name).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn revoke(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    app.revoke_scim_token(&auth.user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
