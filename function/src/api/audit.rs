//! The audit log, newest first.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use rekey_shared::{AuditPage, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use serde::Deserialize;

use super::error::HttpError;
use super::extract::{Active, ApiQuery};
use crate::domain::Rekey;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    cursor: Option<String>,
    limit: Option<usize>,
}

pub async fn list(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Json<AuditPage>, HttpError> {
    let limit = params
        .limit
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    Ok(Json(
        app.audit_log(&auth.user, params.cursor.as_deref(), limit)
            .await?,
    ))
}
