//! What the account app asks: the service, the session, the own password
//! and language, a one-time link, a reset request, My apps, Security info
//! and the sign-in's code step.

use rekey_shared::{
    ApiError, AuthenticatorAppSetup, ChangePasswordRequest, SecondFactorRequired, SecurityInfo,
    ServiceInfo, SignInRequest, SignInResponse,
};

use super::{
    answer, call, delete, encode, error_body, fetch, get, post, read, send, send_no_content,
    text_of, with_json,
};

pub async fn info() -> Result<ServiceInfo, ApiError> {
    send(get("/api/info")).await
}

/// The current session, without treating "none" as a lost session.
pub async fn me() -> Result<SignInResponse, ApiError> {
    let resp = fetch(get("/api/me")).await?;
    if resp.ok() {
        read(resp).await
    } else {
        Err(error_body(resp).await)
    }
}

/// Where a password sign-in stands: signed in, or a code still due.
// One short-lived value per sign-in: boxing buys nothing.
#[allow(clippy::large_enum_variant)]
pub enum SignedIn {
    Session(SignInResponse),
    /// The password was right; a code is due, of these kinds.
    CodeDue(Vec<rekey_shared::MethodType>),
}

pub async fn sign_in(username: String, password: String) -> Result<SignedIn, ApiError> {
    let resp = answer(post(
        "/api/auth/sign-in",
        &SignInRequest { username, password },
    ))
    .await?;
    if resp.status() == 202 {
        read::<SecondFactorRequired>(resp)
            .await
            .map(|due| SignedIn::CodeDue(due.methods))
    } else {
        read(resp).await.map(SignedIn::Session)
    }
}

/// The code after the password, for the pending sign-in's cookie.
pub async fn second_factor(code: String) -> Result<SignInResponse, ApiError> {
    send(post(
        "/api/auth/second-factor",
        &rekey_shared::CodeEntry { code },
    ))
    .await
}

/// A passkey ceremony's start: its answer as text, for the browser.
pub async fn passkey_start(url: &str, body: String) -> Result<String, ApiError> {
    text_of(&answer(call("POST", url, Some(body))).await?).await
}

/// A passkey ceremony's finish, the browser's body as it came.
pub async fn passkey_finish<T: crate::decode::FromJson>(
    url: &str,
    body: String,
) -> Result<T, ApiError> {
    send(call("POST", url, Some(body))).await
}

pub async fn sign_out() {
    // Whatever the answer, the app forgets the session.
    let _ = fetch(call("POST", "/api/auth/sign-out", Some("{}".into()))).await;
}

/// Remembers the signed-in user's language for their pages and emails.
pub async fn set_language(lang: rekey_shared::Lang) -> Result<SignInResponse, ApiError> {
    send(with_json(
        "PUT",
        "/api/me/language",
        &rekey_shared::LanguageChoice {
            language: Some(lang),
        },
    ))
    .await
}

pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<SignInResponse, ApiError> {
    send(post(
        "/api/me/password",
        &ChangePasswordRequest {
            current_password,
            new_password,
        },
    ))
    .await
}

/// What a link is worth; changes nothing.
pub async fn link_status(token: &str) -> Result<rekey_shared::ResetLinkStatus, ApiError> {
    send(post(
        "/api/auth/reset-link/status",
        &rekey_shared::LinkToken {
            token: token.to_string(),
        },
    ))
    .await
}

/// Sets the password through the link; the link's only use.
pub async fn use_link(token: &str, new_password: String) -> Result<(), ApiError> {
    send_no_content(post(
        "/api/auth/reset-link",
        &rekey_shared::SetPasswordWithLink {
            token: token.to_string(),
            new_password,
        },
    ))
    .await
}

/// "Forgot your password?": always accepted, whatever the account.
pub async fn ask_for_reset(username: String) -> Result<(), ApiError> {
    send_no_content(post(
        "/api/auth/password-requests",
        &rekey_shared::PasswordRequest { username },
    ))
    .await
}

pub async fn my_apps() -> Result<rekey_shared::MyApps, ApiError> {
    send(get("/api/my-apps")).await
}

pub async fn methods() -> Result<SecurityInfo, ApiError> {
    send(get("/api/me/methods")).await
}

pub async fn start_authenticator_app(name: String) -> Result<AuthenticatorAppSetup, ApiError> {
    send(post(
        "/api/me/methods/authenticator-app",
        &rekey_shared::NewAuthenticatorApp {
            name,
            replaces: None,
        },
    ))
    .await
}

pub async fn confirm_authenticator_app(id: &str, code: String) -> Result<SecurityInfo, ApiError> {
    send(post(
        &format!("/api/me/methods/authenticator-app/{}/confirm", encode(id)),
        &rekey_shared::CodeEntry { code },
    ))
    .await
}

pub async fn rename_method(id: &str, name: String) -> Result<SecurityInfo, ApiError> {
    send(with_json(
        "PATCH",
        &format!("/api/me/methods/{}", encode(id)),
        &rekey_shared::MethodRename { name },
    ))
    .await
}

/// A new set of recovery codes (the old set stops working).
pub async fn new_recovery_codes() -> Result<rekey_shared::RecoveryCodesIssued, ApiError> {
    send(call(
        "POST",
        "/api/me/methods/recovery-codes",
        Some("{}".into()),
    ))
    .await
}

pub async fn remove_method(id: &str) -> Result<SecurityInfo, ApiError> {
    send(delete(&format!("/api/me/methods/{}", encode(id)))).await
}

/// "Forgot your password?" with self-service: the same answer for any
/// account (no methods: the admins were asked, as before).
pub async fn self_service_start(
    username: String,
) -> Result<rekey_shared::SelfServiceFlow, ApiError> {
    send(post(
        "/api/auth/self-service",
        &rekey_shared::SelfServiceStart { username },
    ))
    .await
}

fn step(flow: &str) -> rekey_shared::SelfServiceStep {
    rekey_shared::SelfServiceStep {
        flow: flow.to_string(),
    }
}

/// Sends the emailed gate's code (if she has a confirmed address).
pub async fn self_service_email_code(flow: &str) -> Result<(), ApiError> {
    send_no_content(post("/api/auth/self-service/email-code", &step(flow))).await
}

pub async fn self_service_verify(
    flow: &str,
    method: rekey_shared::SsprMethod,
    code: String,
) -> Result<rekey_shared::SelfServiceProgress, ApiError> {
    send(post(
        "/api/auth/self-service/verify",
        &rekey_shared::SelfServiceCode {
            flow: flow.to_string(),
            method,
            code,
        },
    ))
    .await
}

/// The passkey gate's start body.
pub fn self_service_step_json(flow: &str) -> String {
    serde_json::to_string(&step(flow)).unwrap_or_default()
}

pub async fn self_service_password(flow: &str, new_password: String) -> Result<(), ApiError> {
    send_no_content(post(
        "/api/auth/self-service/password",
        &rekey_shared::SelfServicePassword {
            flow: flow.to_string(),
            new_password,
        },
    ))
    .await
}

pub async fn self_service_unlock(flow: &str) -> Result<(), ApiError> {
    send_no_content(post("/api/auth/self-service/unlock", &step(flow))).await
}

pub async fn start_alternate_email(
    address: String,
) -> Result<rekey_shared::AlternateEmailStarted, ApiError> {
    send(post(
        "/api/me/methods/alternate-email",
        &rekey_shared::NewAlternateEmail { address },
    ))
    .await
}

pub async fn confirm_alternate_email(id: &str, code: String) -> Result<SecurityInfo, ApiError> {
    send(post(
        &format!("/api/me/methods/alternate-email/{}/confirm", encode(id)),
        &rekey_shared::CodeEntry { code },
    ))
    .await
}

/// Self-service reset's ask at sign-in: "Looks good" (`confirm`) or
/// "Skip for now".
pub async fn answer_security_info(confirm: bool) -> Result<(), ApiError> {
    let url = if confirm {
        "/api/me/security-info/confirm"
    } else {
        "/api/me/security-info/skip"
    };
    send_no_content(call("POST", url, Some("{}".into()))).await
}
