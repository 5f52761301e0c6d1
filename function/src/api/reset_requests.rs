//! "Forgot your password?" and the admins' list of pending requests.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rekey_shared::{PasswordRequest, UserSummary};

use super::client_addr::ClientAddr;
use super::error::HttpError;
use super::extract::{Active, ApiJson};
use crate::domain::Rekey;

/// How the work behind a reset request is scheduled (see RouterOptions).
#[derive(Clone, Copy)]
pub struct Deferred(pub Option<std::time::Duration>);

/// For any well-formed body the same 202: the work happens after the answer
/// (or, on Lambda, before it within a fixed time), so neither the body, the
/// status nor the timing says whether the account exists, is limited, or
/// anything else. A malformed body is refused as everywhere else, which
/// tells nothing about any account.
pub async fn ask(
    State(app): State<Arc<Rekey>>,
    axum::Extension(Deferred(inline)): axum::Extension<Deferred>,
    ClientAddr(client): ClientAddr,
    ApiJson(PasswordRequest { username: login }): ApiJson<PasswordRequest>,
) -> Response {
    match inline {
        None => {
            tokio::spawn(async move { app.request_reset(&login, &client).await });
        }
        Some(pad) => {
            let done_by = tokio::time::Instant::now() + pad;
            if tokio::time::timeout_at(done_by, app.request_reset(&login, &client))
                .await
                .is_err()
            {
                tracing::warn!("a reset request outran its time budget");
            }
            tokio::time::sleep_until(done_by).await;
        }
    }
    (
        StatusCode::ACCEPTED,
        Json(serde_json::json!({
            "message": "If that account exists, the admins who can reset it have been asked to. They will send you a new password."
        })),
    )
        .into_response()
}

pub async fn pending(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
) -> Result<Json<Vec<UserSummary>>, HttpError> {
    Ok(Json(app.pending_requests(&auth.user).await?))
}

/// Requests their users resolved themselves, the last 7 days.
pub async fn self_resolved(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
) -> Result<Json<Vec<rekey_shared::AuditEvent>>, HttpError> {
    Ok(Json(app.self_resolved_requests(&auth.user).await?))
}
