//! The one way the app talks to the function: JSON over same-origin fetch,
//! typed with rekey-shared. Every failure becomes an `ApiError` to show; a
//! lapsed session also tells the app, which returns to sign-in in place.

use std::cell::RefCell;

use rekey_shared::{
    ApiError, AuditPage, BulkResetRequest, BulkResetResponse, ChangePasswordRequest, ErrorCode,
    ResetOptions, ResetResult, ServiceInfo, SignInRequest, SignInResponse, UserPage,
};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use crate::decode::{self, FromJson};

thread_local! {
    static ON_SESSION_LOST: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
    static ON_REAUTH: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Called whenever a change needs the password confirmed first.
pub fn on_reauthentication_required(f: impl Fn() + 'static) {
    ON_REAUTH.with(|cell| *cell.borrow_mut() = Some(Box::new(f)));
}

/// Called whenever the API answers 401 to a signed-in call.
pub fn on_session_lost(f: impl Fn() + 'static) {
    ON_SESSION_LOST.with(|cell| *cell.borrow_mut() = Some(Box::new(f)));
}

fn network_error() -> ApiError {
    ApiError::new(
        ErrorCode::Unavailable,
        "Rekey can't be reached. Check your connection and try again.",
    )
}

fn malformed() -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        "Rekey answered with something unexpected. Reload the page and try again.",
    )
}

/// A request to the API, ready to send.
pub struct Call {
    method: &'static str,
    url: String,
    /// A JSON body. Sent with its content type, which also marks the
    /// request as the app's own (so a DELETE carries an empty one).
    body: Option<String>,
}

type Outgoing = Result<Call, ApiError>;

fn call(method: &'static str, url: &str, body: Option<String>) -> Outgoing {
    Ok(Call {
        method,
        url: url.to_string(),
        body,
    })
}

fn with_json(method: &'static str, url: &str, body: &impl Serialize) -> Outgoing {
    let json = serde_json::to_string(body).map_err(|_| malformed())?;
    call(method, url, Some(json))
}

fn post(url: &str, body: &impl Serialize) -> Outgoing {
    with_json("POST", url, body)
}

fn get(url: &str) -> Outgoing {
    call("GET", url, None)
}

fn delete(url: &str) -> Outgoing {
    call("DELETE", url, Some(String::new()))
}

/// The browser's `fetch`, same-origin (the default), awaited.
async fn fetch(request: Outgoing) -> Result<Response, ApiError> {
    let c = request?;
    let init = web_sys::RequestInit::new();
    init.set_method(c.method);
    if let Some(body) = c.body {
        let headers = web_sys::Headers::new().map_err(|_| malformed())?;
        headers
            .set("content-type", "application/json")
            .map_err(|_| malformed())?;
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(&body));
    }
    let promise = leptos::prelude::window().fetch_with_str_and_init(&c.url, &init);
    JsFuture::from(promise)
        .await
        .map_err(|_| network_error())?
        .dyn_into()
        .map_err(|_| malformed())
}

async fn text_of(resp: &Response) -> Result<String, ApiError> {
    let promise = resp.text().map_err(|_| malformed())?;
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(network_error)
}

/// The answer's body as a `T` (see `decode`: no serde in the browser).
async fn read<T: FromJson>(resp: Response) -> Result<T, ApiError> {
    let text = text_of(&resp).await?;
    decode::parse(&text).map_err(|_| malformed())
}

/// The API's error from a refused request, or `malformed()` when the body
/// is not one.
async fn error_body(resp: Response) -> ApiError {
    read::<ApiError>(resp)
        .await
        .unwrap_or_else(|malformed| malformed)
}

async fn error_of(resp: Response) -> ApiError {
    let error = error_body(resp).await;
    let hook = match error.code {
        ErrorCode::Unauthenticated => &ON_SESSION_LOST,
        ErrorCode::ReauthenticationRequired => &ON_REAUTH,
        _ => return error,
    };
    hook.with(|cell| {
        if let Some(f) = cell.borrow().as_ref() {
            f();
        }
    });
    error
}

/// Sends `request`: the answer when it succeeded, else its error.
async fn answer(request: Outgoing) -> Result<Response, ApiError> {
    let resp = fetch(request).await?;
    if resp.ok() {
        Ok(resp)
    } else {
        Err(error_of(resp).await)
    }
}

async fn send<T: FromJson>(request: Outgoing) -> Result<T, ApiError> {
    read(answer(request).await?).await
}

/// A request whose success carries nothing to read (202, 204).
async fn send_no_content(request: Outgoing) -> Result<(), ApiError> {
    answer(request).await.map(|_| ())
}

fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

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

pub async fn sign_in(username: String, password: String) -> Result<SignInResponse, ApiError> {
    send(post(
        "/api/auth/sign-in",
        &SignInRequest { username, password },
    ))
    .await
}

/// The password again, before a sensitive change.
pub async fn confirm_password(password: String) -> Result<(), ApiError> {
    send_no_content(post(
        "/api/auth/confirm-password",
        &rekey_shared::ConfirmPasswordRequest { password },
    ))
    .await
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

pub async fn users(
    query: &str,
    cursor: Option<&str>,
    descending: bool,
) -> Result<UserPage, ApiError> {
    let mut url = format!("/api/users?limit=50&q={}", encode(query));
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={}", encode(c)));
    }
    if descending {
        url.push_str("&order=desc");
    }
    send(get(&url)).await
}

pub async fn user(id: &str) -> Result<rekey_shared::UserSummary, ApiError> {
    send(get(&format!("/api/users/{}", encode(id)))).await
}

pub async fn reset(id: &str, options: &ResetOptions) -> Result<ResetResult, ApiError> {
    send(post(
        &format!("/api/users/{}/password-reset", encode(id)),
        options,
    ))
    .await
}

/// "Send email and close": the password just shown, emailed after the reset.
pub async fn email_password(
    id: &str,
    request: &rekey_shared::PasswordEmailRequest,
) -> Result<rekey_shared::PasswordEmailResult, ApiError> {
    send(post(
        &format!("/api/users/{}/password-email", encode(id)),
        request,
    ))
    .await
}

/// A one-time link instead of a password.
pub async fn send_link(id: &str) -> Result<rekey_shared::ResetLinkSent, ApiError> {
    send(post(
        &format!("/api/users/{}/reset-link", encode(id)),
        &rekey_shared::ResetLinkRequest {},
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

pub async fn reset_many(request: &BulkResetRequest) -> Result<BulkResetResponse, ApiError> {
    send(post("/api/password-resets", request)).await
}

/// "Forgot your password?": always accepted, whatever the account.
pub async fn ask_for_reset(username: String) -> Result<(), ApiError> {
    send_no_content(post(
        "/api/auth/password-requests",
        &rekey_shared::PasswordRequest { username },
    ))
    .await
}

pub async fn reset_requests() -> Result<Vec<rekey_shared::UserSummary>, ApiError> {
    send(get("/api/reset-requests")).await
}

/// A page of the audit log; `filter` is `&user=…&action=…` or empty.
pub async fn audit(cursor: Option<&str>, filter: &str) -> Result<AuditPage, ApiError> {
    let mut url = format!("/api/audit?limit=50{filter}");
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={}", encode(c)));
    }
    send(get(&url)).await
}

pub async fn apps() -> Result<rekey_shared::AppList, ApiError> {
    send(get("/api/apps")).await
}

pub async fn register_app(
    request: &rekey_shared::AppRegistration,
) -> Result<rekey_shared::AppCredentials, ApiError> {
    send(post("/api/apps", request)).await
}

/// A new client secret; the old one stops working at once.
pub async fn new_app_secret(id: &str) -> Result<rekey_shared::AppCredentials, ApiError> {
    send(post(&format!("/api/apps/{}/secret", encode(id)), &())).await
}

pub async fn remove_app(id: &str) -> Result<(), ApiError> {
    send_no_content(delete(&format!("/api/apps/{}", encode(id)))).await
}

pub async fn my_apps() -> Result<rekey_shared::MyApps, ApiError> {
    send(get("/api/my-apps")).await
}

pub async fn add_user(new: &rekey_shared::NewUser) -> Result<rekey_shared::UserCreated, ApiError> {
    send(post("/api/users", new)).await
}

pub async fn edit_user(
    id: &str,
    edit: &rekey_shared::UserEdit,
) -> Result<rekey_shared::UserSummary, ApiError> {
    send(with_json(
        "PATCH",
        &format!("/api/users/{}", encode(id)),
        edit,
    ))
    .await
}

/// Blocks (`true`) or unblocks sign-in.
pub async fn sign_ins(id: &str) -> Result<rekey_shared::SignInLog, ApiError> {
    send(get(&format!("/api/users/{}/sign-ins", encode(id)))).await
}

pub async fn unlock(id: &str, version: u64) -> Result<rekey_shared::UserSummary, ApiError> {
    send(post(
        &format!("/api/users/{}/unlock", encode(id)),
        &rekey_shared::VersionSeen { version },
    ))
    .await
}

pub async fn set_blocked(
    id: &str,
    blocked: bool,
    version: u64,
) -> Result<rekey_shared::UserSummary, ApiError> {
    let verb = if blocked { "block" } else { "unblock" };
    send(post(
        &format!("/api/users/{}/{verb}", encode(id)),
        &rekey_shared::VersionSeen { version },
    ))
    .await
}

pub async fn delete_user(id: &str) -> Result<(), ApiError> {
    send_no_content(delete(&format!("/api/users/{}", encode(id)))).await
}

/// "Add multiple users": the result, or every problem in the file.
pub async fn import_users(
    csv: String,
) -> Result<Result<rekey_shared::ImportResult, Vec<rekey_shared::RowProblem>>, ApiError> {
    let resp = fetch(post(
        "/api/users/import",
        &rekey_shared::ImportRequest {
            csv,
            require_change: true,
        },
    ))
    .await?;
    if resp.status() == 422 {
        let text = text_of(&resp).await?;
        let value = js_sys::JSON::parse(&text).map_err(|_| malformed())?;
        let problems = js_sys::Reflect::get(&value, &"problems".into()).map_err(|_| malformed())?;
        return decode::FromJson::from_json(problems)
            .map(Err)
            .map_err(|_| malformed());
    }
    if resp.ok() {
        read(resp).await.map(Ok)
    } else {
        Err(error_of(resp).await)
    }
}

pub async fn scim_tokens() -> Result<rekey_shared::ScimTokenList, ApiError> {
    send(get("/api/scim-tokens")).await
}

pub async fn create_scim_token(name: String) -> Result<rekey_shared::ScimTokenCreated, ApiError> {
    send(post(
        "/api/scim-tokens",
        &rekey_shared::NewScimToken { name },
    ))
    .await
}

pub async fn revoke_scim_token(id: &str) -> Result<(), ApiError> {
    send_no_content(delete(&format!("/api/scim-tokens/{}", encode(id)))).await
}
