//! Self-service password reset over HTTP. The start and the emailed
//! code's sending answer before their work is done (or, on Lambda, after
//! a fixed time), as "Forgot your password?" always has: neither the body
//! nor the timing tells whether the account exists or can self-serve.

use std::future::Future;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rekey_shared::{
    PasskeyAnswer, PasskeyChallenge, SelfServiceCode, SelfServiceFlow, SelfServicePassword,
    SelfServiceProgress, SelfServiceStart, SelfServiceStep,
};

use super::client_addr::ClientAddr;
use super::error::HttpError;
use super::extract::ApiJson;
use super::reset_requests::Deferred;
use crate::domain::secret::Secret;
use crate::domain::Rekey;

/// Runs `work` after the answer, or within the fixed time `inline` (on
/// Lambda, where nothing runs after the answer).
async fn deferred(
    inline: Option<std::time::Duration>,
    work: impl Future<Output = ()> + Send + 'static,
) {
    match inline {
        None => {
            tokio::spawn(work);
        }
        Some(pad) => {
            let done_by = tokio::time::Instant::now() + pad;
            if tokio::time::timeout_at(done_by, work).await.is_err() {
                tracing::warn!("self-service work outran its time budget");
            }
            tokio::time::sleep_until(done_by).await;
        }
    }
}

/// `202` with the flow, the same for every login.
pub async fn start(
    State(app): State<Arc<Rekey>>,
    axum::Extension(Deferred(inline)): axum::Extension<Deferred>,
    ClientAddr(client): ClientAddr,
    ApiJson(SelfServiceStart { username }): ApiJson<SelfServiceStart>,
) -> Result<(StatusCode, Json<SelfServiceFlow>), HttpError> {
    app.throttle_sign_in(&client)?;
    let opened = app.open_self_service().await?;
    let answer = opened.answer.clone();
    let work_app = Arc::clone(&app);
    deferred(inline, async move {
        work_app
            .begin_self_service(&opened, &username, &client)
            .await;
    })
    .await;
    Ok((StatusCode::ACCEPTED, Json(answer)))
}

/// `202` whether or not a code went out.
pub async fn email_code(
    State(app): State<Arc<Rekey>>,
    axum::Extension(Deferred(inline)): axum::Extension<Deferred>,
    ClientAddr(client): ClientAddr,
    ApiJson(step): ApiJson<SelfServiceStep>,
) -> Result<Response, HttpError> {
    app.throttle_sign_in(&client)?;
    let email = app.self_service_email_code(&step.flow).await?;
    let mailer_app = Arc::clone(&app);
    deferred(inline, async move {
        if let Some(email) = email {
            if let Err(e) = mailer_app.send_email(&email).await {
                tracing::warn!(error = %e, "a self-service code was not sent");
            }
        }
    })
    .await;
    Ok((
        StatusCode::ACCEPTED,
        Json(serde_json::json!({
            "message": "If you have a confirmed alternate email, a code is on its way to it."
        })),
    )
        .into_response())
}

pub async fn verify(
    State(app): State<Arc<Rekey>>,
    ClientAddr(client): ClientAddr,
    ApiJson(entry): ApiJson<SelfServiceCode>,
) -> Result<Json<SelfServiceProgress>, HttpError> {
    app.throttle_sign_in(&client)?;
    Ok(Json(
        app.self_service_verify(&entry.flow, entry.method, &entry.code)
            .await?,
    ))
}

/// The passkey gate's WebAuthn options, with the flow as their
/// `ceremony` (so the browser's part is the sign-in's own).
pub async fn passkey_options(
    State(app): State<Arc<Rekey>>,
    ClientAddr(client): ClientAddr,
    ApiJson(step): ApiJson<SelfServiceStep>,
) -> Result<Json<PasskeyChallenge>, HttpError> {
    app.throttle_sign_in(&client)?;
    Ok(Json(app.self_service_passkey_options(&step.flow).await?))
}

pub async fn passkey(
    State(app): State<Arc<Rekey>>,
    ClientAddr(client): ClientAddr,
    ApiJson(answer): ApiJson<PasskeyAnswer>,
) -> Result<Json<SelfServiceProgress>, HttpError> {
    app.throttle_sign_in(&client)?;
    Ok(Json(
        app.self_service_passkey(&answer.ceremony, &answer.credential)
            .await?,
    ))
}

/// `204`: the new password is set; she signs in with it.
pub async fn password(
    State(app): State<Arc<Rekey>>,
    ClientAddr(client): ClientAddr,
    ApiJson(request): ApiJson<SelfServicePassword>,
) -> Result<StatusCode, HttpError> {
    app.throttle_sign_in(&client)?;
    app.self_service_password(&request.flow, Secret::new(request.new_password))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `204`: the account is unlocked; her password is as it was.
pub async fn unlock(
    State(app): State<Arc<Rekey>>,
    ClientAddr(client): ClientAddr,
    ApiJson(step): ApiJson<SelfServiceStep>,
) -> Result<StatusCode, HttpError> {
    app.throttle_sign_in(&client)?;
    app.self_service_unlock(&step.flow).await?;
    Ok(StatusCode::NO_CONTENT)
}
