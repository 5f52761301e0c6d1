//! The browser's WebAuthn, thinly: the server's options go through
//! `PublicKeyCredential.parse*OptionsFromJSON`, the credential comes back
//! through its `toJSON()`, and nothing of either is decoded in Rust.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use rekey_shared::ApiError;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api;
use crate::decode::FromJson;

/// Why a ceremony did not finish.
pub enum Failure {
    /// Rekey refused (or could not be reached).
    Api(ApiError),
    /// The user cancelled, or the prompt timed out.
    Cancelled,
    /// The authenticator holds a passkey for this account already.
    Exists,
    /// The browser cannot do it here.
    Unsupported,
}

fn get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
}

/// Whether this browser takes the JSON options these pages send.
pub fn supported() -> bool {
    get(&js_sys::global(), "PublicKeyCredential")
        .and_then(|pkc| get(&pkc, "parseRequestOptionsFromJSON"))
        .is_ok_and(|f| f.is_function())
}

/// The browser's part: the start's answer (`{ceremony, options}`) in, the
/// finish's body (`{ceremony, credential}`) out.
async fn browser(start: &str, create: bool) -> Result<String, JsValue> {
    let start = JSON::parse(start)?;
    let public_key = get(&get(&start, "options")?, "publicKey")?;
    let pkc = get(&js_sys::global(), "PublicKeyCredential")?;
    let parse = if create {
        "parseCreationOptionsFromJSON"
    } else {
        "parseRequestOptionsFromJSON"
    };
    let parse: Function = get(&pkc, parse)?.dyn_into()?;
    let request = Object::new();
    Reflect::set(
        &request,
        &"publicKey".into(),
        &parse.call1(&pkc, &public_key)?,
    )?;
    let credentials = get(&get(&js_sys::global(), "navigator")?, "credentials")?;
    let method: Function = get(&credentials, if create { "create" } else { "get" })?.dyn_into()?;
    let promise: Promise = method.call1(&credentials, &request)?.dyn_into()?;
    let credential = JsFuture::from(promise).await?;
    let to_json: Function = get(&credential, "toJSON")?.dyn_into()?;
    let body = Object::new();
    Reflect::set(&body, &"ceremony".into(), &get(&start, "ceremony")?)?;
    Reflect::set(&body, &"credential".into(), &to_json.call0(&credential)?)?;
    Ok(JSON::stringify(&body)?.into())
}

/// One whole ceremony: Rekey's start at `start_url`, the browser's prompt,
/// Rekey's finish at `finish_url`.
pub async fn ceremony<T: FromJson>(
    start_url: &str,
    start_body: String,
    finish_url: &str,
    create: bool,
) -> Result<T, Failure> {
    let start = api::passkey_start(start_url, start_body)
        .await
        .map_err(Failure::Api)?;
    let body = browser(&start, create).await.map_err(|e| {
        match get(&e, "name").ok().and_then(|n| n.as_string()).as_deref() {
            Some("InvalidStateError") => Failure::Exists,
            Some("NotSupportedError" | "SecurityError" | "TypeError") => Failure::Unsupported,
            _ => Failure::Cancelled,
        }
    })?;
    api::passkey_finish(finish_url, body)
        .await
        .map_err(Failure::Api)
}

/// What to tell the user of a failure.
pub fn failure_text(failure: &Failure) -> String {
    let t = crate::state::texts();
    match failure {
        Failure::Api(e) => crate::state::error_text(e),
        Failure::Cancelled => t.sign_in.passkey_cancelled.to_string(),
        Failure::Exists => t.sign_in.passkey_exists.to_string(),
        Failure::Unsupported => t.sign_in.passkey_unsupported.to_string(),
    }
}
