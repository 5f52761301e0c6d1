//! The one way the app talks to the function: JSON over same-origin fetch,
//! typed with rekey-shared. Every failure becomes an `ApiError` to show; a
//! lapsed session also tells the app, which returns to sign-in in place.

use std::cell::RefCell;

use rekey_shared::{ApiError, ErrorCode};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use crate::decode::{self, FromJson};

mod account;
mod admin;

pub use account::*;
pub use admin::*;

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
