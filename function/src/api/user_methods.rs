//! A user's authentication methods, sessions and Temporary Access Pass,
//! as her admin manages them.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rekey_shared::{
    BulkActionResponse, BulkUserIds, NewTemporaryPass, TemporaryPassIssued, UserMethods,
};

use super::error::HttpError;
use super::extract::{Active, ApiJson};
use crate::domain::Rekey;

pub async fn list(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
) -> Result<Json<UserMethods>, HttpError> {
    Ok(Json(app.user_methods(&auth.user, &id).await?))
}

pub async fn remove(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path((id, method)): Path<(String, String)>,
) -> Result<Json<UserMethods>, HttpError> {
    Ok(Json(
        app.remove_user_method(&auth.user, &id, &method).await?,
    ))
}

pub async fn require_reregistration(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
) -> Result<Json<UserMethods>, HttpError> {
    Ok(Json(app.require_reregistration(&auth.user, &id).await?))
}

pub async fn revoke_sessions(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    app.revoke_sessions(&auth.user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn issue_temporary_pass(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<NewTemporaryPass>,
) -> Result<(StatusCode, Json<TemporaryPassIssued>), HttpError> {
    let issued = app.issue_temporary_pass(&auth.user, &id, &request).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

pub async fn bulk_require_reregistration(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    ApiJson(request): ApiJson<BulkUserIds>,
) -> Result<Json<BulkActionResponse>, HttpError> {
    Ok(Json(
        app.bulk_require_reregistration(&auth.user, &request.user_ids)
            .await?,
    ))
}
