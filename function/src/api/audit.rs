//! The audit log, newest first, filtered; and its export as CSV or JSON.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rekey_shared::{ApiError, AuditAction, AuditPage, ErrorCode, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use serde::Deserialize;

use super::error::HttpError;
use super::extract::{Active, ApiQuery};
use crate::domain::audit_log::{audit_csv, AuditQuery};
use crate::domain::Rekey;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    cursor: Option<String>,
    limit: Option<usize>,
    user: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    /// Unix ms, or a day (`2026-12-01`, UTC) from its start.
    from: Option<String>,
    /// Unix ms (before), or a day (`2026-12-01`, UTC) through its end.
    to: Option<String>,
    /// Exports only: `csv` (the default) or `json`.
    format: Option<String>,
}

impl AuditParams {
    fn query(&self) -> Result<AuditQuery, ApiError> {
        let action = match self.action.as_deref().filter(|a| !a.is_empty()) {
            None => None,
            Some(a) => Some(AuditAction::parse(a).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidRequest,
                    format!("{a:?} is not an audit action."),
                )
                .with_field("action")
            })?),
        };
        let text = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        Ok(AuditQuery {
            user: text(&self.user),
            actor: text(&self.actor),
            action,
            from: text(&self.from)
                .map(|v| instant(&v, "from", 0))
                .transpose()?,
            to: text(&self.to)
                .map(|v| instant(&v, "to", DAY_MS))
                .transpose()?,
        })
    }
}

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Unix ms as given, or the start of a UTC day plus `day_offset`.
fn instant(value: &str, field: &str, day_offset: i64) -> Result<i64, ApiError> {
    let value = value.trim();
    if let Ok(ms) = value.parse::<i64>() {
        return Ok(ms);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value, &format)
        .map(|d| d.midnight().assume_utc().unix_timestamp() * 1000 + day_offset)
        .map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidRequest,
                format!("{value:?} is neither a day (2026-12-01) nor a time in milliseconds."),
            )
            .with_field(field)
        })
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
    let query = params.query()?;
    Ok(Json(
        app.audit_log(&auth.user, &query, params.cursor.as_deref(), limit)
            .await?,
    ))
}

/// `GET /api/audit/export`: every matching event as a download.
pub async fn export(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Response, HttpError> {
    let query = params.query()?;
    let json = match params.format.as_deref() {
        None | Some("csv") => false,
        Some("json") => true,
        Some(other) => {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                format!("{other:?} is not an export format: use csv or json."),
            )
            .with_field("format")
            .into())
        }
    };
    let events = app.export_audit(&auth.user, &query).await?;
    let (kind, name, body) = if json {
        let body = serde_json::to_string_pretty(&events).map_err(|_| ApiError::internal())?;
        ("application/json", "audit.json", body)
    } else {
        ("text/csv; charset=utf-8", "audit.csv", audit_csv(&events))
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}
