//! Apps (OpenID Connect clients): global admins register and manage them;
//! every signed-in user lists them in "My apps".

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rekey_shared::{AppCredentials, AppList, AppRegistration, MyApps};

use super::error::HttpError;
use super::extract::{require_fresh, Active, ApiJson};
use crate::domain::Rekey;

pub async fn list(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
) -> Result<Json<AppList>, HttpError> {
    let apps = app.list_apps(&auth.user).await?;
    Ok(Json(AppList {
        apps: apps.iter().map(|a| a.summary()).collect(),
    }))
}

pub async fn register(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    ApiJson(request): ApiJson<AppRegistration>,
) -> Result<(StatusCode, Json<AppCredentials>), HttpError> {
    require_fresh(&app, &auth)?;
    let created = app.register_app(&auth.user, request).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn rotate_secret(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
) -> Result<Json<AppCredentials>, HttpError> {
    require_fresh(&app, &auth)?;
    Ok(Json(app.rotate_app_secret(&auth.user, &id).await?))
}

pub async fn remove(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    app.remove_app(&auth.user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn mine(
    State(app): State<Arc<Rekey>>,
    Active(_auth): Active,
) -> Result<Json<MyApps>, HttpError> {
    Ok(Json(MyApps {
        apps: app.my_apps().await?,
    }))
}
