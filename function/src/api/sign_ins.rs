//! A user's sign-ins and the Unlock beside them (admins who may reset her).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use rekey_shared::{SignInLog, VersionSeen};

use super::error::HttpError;
use super::extract::{Active, ApiJson};
use super::people::edit_answer;
use crate::domain::Rekey;

pub async fn list(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
) -> Result<Json<SignInLog>, HttpError> {
    Ok(Json(app.sign_in_log(&auth.user, &id).await?))
}

pub async fn unlock(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
    ApiJson(seen): ApiJson<VersionSeen>,
) -> Response {
    edit_answer(app.unlock(&auth.user, &id, seen.version).await)
}
