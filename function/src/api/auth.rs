//! Sign-in, sign-out and the signed-in account.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use rekey_shared::{
    ChangePasswordRequest, CodeEntry, ConfirmPasswordRequest, ErrorCode, LanguageChoice,
    SecondFactorRequired, SignInRequest, SignInResponse,
};

use super::client_addr::Caller;
use super::error::HttpError;
use super::extract::{cookie, ApiJson, Authenticated, Enrolling};
use super::{PENDING_COOKIE, SESSION_COOKIE, SSO_COOKIE};
use crate::domain::second_factor::SignInStep;
use crate::domain::secret::Secret;
use crate::domain::Rekey;
use crate::metrics::Metric;

pub fn session_cookie(token: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age_secs}"
    ))
    .expect("token is base64url")
}

/// The same session, Lax so an app's redirect carries it (read only by
/// the OpenID Connect endpoints).
pub fn sso_cookie(token: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SSO_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age_secs}"
    ))
    .expect("token is base64url")
}

fn pending_cookie(token: &str, max_age_secs: i64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{PENDING_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age_secs}"
    ))
    .expect("token is base64url")
}

pub(super) fn signed_in_response(
    app: &Rekey,
    signed_in: crate::domain::signin::SignedIn,
) -> Response {
    let body = SignInResponse {
        user: signed_in.user.summary(app.now()),
        session_expires_at: signed_in.expires_at,
        registration: app.registration_due(&signed_in.user, &signed_in.amr),
        amr: signed_in.amr,
        recovery_codes_left: signed_in.recovery_codes_left,
        security_info: signed_in.security_info,
    };
    let max_age = app.settings.session_ttl_ms / 1000;
    (
        AppendHeaders([
            (
                header::SET_COOKIE,
                session_cookie(&signed_in.token, max_age),
            ),
            (header::SET_COOKIE, sso_cookie(&signed_in.token, max_age)),
        ]),
        Json(body),
    )
        .into_response()
}

pub async fn change_password(
    State(app): State<Arc<Rekey>>,
    auth: Authenticated,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> Result<Response, HttpError> {
    let ChangePasswordRequest {
        current_password,
        new_password,
    } = request;
    let signed_in = app
        .change_own_password(
            &auth.session,
            &auth.user,
            Secret::new(current_password),
            Secret::new(new_password),
        )
        .await?;
    Ok(signed_in_response(&app, signed_in))
}

/// The password again, before a sensitive change: 204, and the session
/// counts as freshly authenticated for the next minutes.
pub async fn confirm_password(
    State(app): State<Arc<Rekey>>,
    Enrolling(auth): Enrolling,
    ApiJson(request): ApiJson<ConfirmPasswordRequest>,
) -> Result<StatusCode, HttpError> {
    app.confirm_password(&auth.session, &auth.user, Secret::new(request.password))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An authenticator app's code instead of the password, before a
/// sensitive change: 204, as the password's confirmation.
pub async fn confirm_code(
    State(app): State<Arc<Rekey>>,
    caller: Caller,
    Enrolling(auth): Enrolling,
    ApiJson(entry): ApiJson<CodeEntry>,
) -> Result<StatusCode, HttpError> {
    app.confirm_with_code(&auth.session, &auth.user, &entry.code, &caller.attempt())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn sign_in(
    State(app): State<Arc<Rekey>>,
    caller: Caller,
    ApiJson(request): ApiJson<SignInRequest>,
) -> Result<Response, HttpError> {
    let SignInRequest { username, password } = request;
    let result = app
        .sign_in(&username, Secret::new(password), &caller.attempt())
        .await;
    if result
        .as_ref()
        .is_err_and(|e| e.code == ErrorCode::RateLimited)
    {
        // A tarpit: a flood that waits for its answers slows to a request
        // a second per connection, and the server's cores stay for the
        // sign-ins that count.
        let delay = app.settings.throttled_answer_delay_ms;
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    crate::metrics::count(match &result {
        Ok(_) => Metric::SignInOk,
        Err(e) if e.code == ErrorCode::InvalidCredentials => Metric::SignInFailed,
        Err(e) if e.code == ErrorCode::AccountLocked => Metric::SignInLocked,
        Err(_) => Metric::SignInRefused,
    });
    match result? {
        SignInStep::Done(signed_in) => Ok(signed_in_response(&app, signed_in)),
        SignInStep::SecondFactor(due) => {
            let max_age = (due.expires_at - app.now()).max(0) / 1000;
            Ok((
                StatusCode::ACCEPTED,
                AppendHeaders([(header::SET_COOKIE, pending_cookie(&due.token, max_age))]),
                Json(SecondFactorRequired {
                    methods: due.methods,
                    expires_at: due.expires_at,
                }),
            )
                .into_response())
        }
    }
}

/// The code after the password: the session the sign-in was waiting for.
pub async fn second_factor(
    State(app): State<Arc<Rekey>>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(entry): ApiJson<CodeEntry>,
) -> Result<Response, HttpError> {
    let token = cookie(&headers, PENDING_COOKIE).unwrap_or_default();
    let signed_in = app
        .finish_second_factor(token, &entry.code, &caller.attempt())
        .await?;
    Ok(second_step_done(&app, signed_in))
}

/// The session a finished second step gives, its pending cookie cleared.
pub(super) fn second_step_done(
    app: &Rekey,
    signed_in: crate::domain::signin::SignedIn,
) -> Response {
    let mut response = signed_in_response(app, signed_in);
    response
        .headers_mut()
        .append(header::SET_COOKIE, pending_cookie("", 0));
    response
}

/// Ends the session if there is one; always clears the cookie.
pub async fn sign_out(
    State(app): State<Arc<Rekey>>,
    caller: Caller,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Ok((session, _)) = app.session_user(token).await {
            if let Err(e) = app.sign_out(&session, &caller.attempt()).await {
                return HttpError(e).into_response();
            }
        }
    }
    (
        StatusCode::NO_CONTENT,
        AppendHeaders([
            (header::SET_COOKIE, session_cookie("", 0)),
            (header::SET_COOKIE, sso_cookie("", 0)),
        ]),
    )
        .into_response()
}

/// Any signed-in user, a pending forced change included (that page is in
/// their language too).
pub async fn set_language(
    State(app): State<Arc<Rekey>>,
    auth: Authenticated,
    ApiJson(choice): ApiJson<LanguageChoice>,
) -> Result<Json<SignInResponse>, HttpError> {
    let user = app.set_language(auth.user, choice.language).await?;
    Ok(Json(account(&app, &auth.session, &user)))
}

/// The signed-in account as a page load sees it: the policy's ask only
/// once it may no longer be skipped (the skippable one comes at sign-in).
fn account(
    app: &Rekey,
    session: &crate::domain::model::SessionRecord,
    user: &crate::domain::model::UserRecord,
) -> SignInResponse {
    SignInResponse {
        user: user.summary(app.now()),
        session_expires_at: session.expires_at,
        amr: session.amr.clone(),
        recovery_codes_left: None,
        registration: app
            .registration_due(user, &session.amr)
            .filter(|due| due.skippable_until.is_none()),
        // Asked at sign-in only: a reload goes on where she was.
        security_info: None,
    }
}

/// What a one-time link is worth; reading it changes nothing.
pub async fn link_status(
    State(app): State<Arc<Rekey>>,
    ApiJson(request): ApiJson<rekey_shared::LinkToken>,
) -> Result<Json<rekey_shared::ResetLinkStatus>, HttpError> {
    Ok(Json(app.reset_link_status(&request.token).await?))
}

/// Sets the password through a one-time link (the only use of the link).
pub async fn set_password_with_link(
    State(app): State<Arc<Rekey>>,
    ApiJson(request): ApiJson<rekey_shared::SetPasswordWithLink>,
) -> Result<StatusCode, HttpError> {
    app.set_password_with_link(&request.token, Secret::new(request.new_password))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(State(app): State<Arc<Rekey>>, auth: Authenticated) -> Json<SignInResponse> {
    Json(account(&app, &auth.session, &auth.user))
}

/// "Skip for now" on self-service reset's ask at sign-in.
pub async fn skip_security_info(
    State(app): State<Arc<Rekey>>,
    auth: Authenticated,
) -> Result<axum::http::StatusCode, HttpError> {
    app.skip_security_info(&auth.user).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// "Looks good": her security info is current.
pub async fn confirm_security_info(
    State(app): State<Arc<Rekey>>,
    auth: Authenticated,
) -> Result<axum::http::StatusCode, HttpError> {
    app.confirm_security_info(&auth.user).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
