//! Adding, editing, blocking and deleting users.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rekey_shared::{
    ApiError, ErrorCode, ImportRefused, ImportRequest, ImportResult, NewUser, StaleEdit,
    UserCreated, UserEdit, VersionSeen,
};

use super::error::HttpError;
use super::extract::{Active, ApiJson};
use crate::domain::import::ImportError;
use crate::domain::people::EditError;
use crate::domain::Rekey;

/// A stale edit answers 409 with the record as it is now.
pub(super) fn edit_answer(result: Result<rekey_shared::UserSummary, EditError>) -> Response {
    match result {
        Ok(user) => Json(user).into_response(),
        Err(EditError::Stale(current)) => (
            StatusCode::CONFLICT,
            Json(StaleEdit {
                error: ApiError::new(
                    ErrorCode::Conflict,
                    "This user was changed by someone else since you opened it. Check the current details and try again.",
                )
                .with_field("version"),
                current: *current,
            }),
        )
            .into_response(),
        Err(EditError::Refused(e)) => HttpError(e).into_response(),
    }
}

pub async fn create(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    ApiJson(new): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<UserCreated>), HttpError> {
    let fresh = app.is_fresh(&auth.session);
    let created = app.create_user(&auth.user, fresh, new).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn edit(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
    ApiJson(edit): ApiJson<UserEdit>,
) -> Response {
    let fresh = app.is_fresh(&auth.session);
    edit_answer(app.edit_user(&auth.user, fresh, &id, edit).await)
}

pub async fn block(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
    ApiJson(seen): ApiJson<VersionSeen>,
) -> Response {
    edit_answer(app.set_blocked(&auth.user, &id, true, seen.version).await)
}

pub async fn unblock(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
    ApiJson(seen): ApiJson<VersionSeen>,
) -> Response {
    edit_answer(app.set_blocked(&auth.user, &id, false, seen.version).await)
}

pub async fn delete(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    app.delete_user(&auth.user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Largest import body: 10,000 rows of the template's columns.
pub const IMPORT_BODY_LIMIT: usize = 4 * 1024 * 1024;

pub async fn import(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    ApiJson(request): ApiJson<ImportRequest>,
) -> Response {
    let fresh = app.is_fresh(&auth.session);
    match app.import_users(&auth.user, fresh, request).await {
        Ok(result) => (StatusCode::CREATED, Json::<ImportResult>(result)).into_response(),
        Err(ImportError::Rows(problems)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(ImportRefused {
                error: ApiError::new(
                    ErrorCode::InvalidRequest,
                    format!(
                        "Nothing was imported: {} problem(s) in the file. Fix them and import it again.",
                        problems.len()
                    ),
                ),
                problems,
            }),
        )
            .into_response(),
        Err(ImportError::Refused(e)) => HttpError(e).into_response(),
    }
}

fn csv_download(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn export(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
) -> Result<Response, HttpError> {
    Ok(csv_download(
        "users.csv",
        app.export_users(&auth.user).await?,
    ))
}

pub async fn template(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
) -> Result<Response, HttpError> {
    crate::domain::permissions::admin(&auth.user)?;
    Ok(csv_download(
        "add-users-template.csv",
        app.import_template(),
    ))
}
