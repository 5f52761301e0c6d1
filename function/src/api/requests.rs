//! "Forgot your password?" and the admins' list of pending requests.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rekey_shared::{PasswordRequest, UserSummary};

use super::error::HttpError;
use super::extract::Active;
use crate::domain::Rekey;

/// The requester's address: the socket peer when served directly, else the
/// first X-Forwarded-For hop (API Gateway and CloudFront set it).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(ConnectInfo(addr)) = parts.extensions.get::<ConnectInfo<SocketAddr>>() {
            return Ok(Self(addr.ip().to_string()));
        }
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string());
        Ok(Self(forwarded.unwrap_or_else(|| "unknown".into())))
    }
}

/// Always the same 202, at once: the work happens after the answer, so
/// neither the body, the status nor the timing says whether the account
/// exists, is limited, or anything else.
pub async fn ask(
    State(app): State<Arc<Rekey>>,
    ClientAddr(client): ClientAddr,
    body: Bytes,
) -> Response {
    let login = serde_json::from_slice::<PasswordRequest>(&body)
        .map(|r| r.username)
        .unwrap_or_default();
    tokio::spawn(async move { app.request_reset(&login, &client).await });
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
