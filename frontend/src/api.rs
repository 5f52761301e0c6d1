//! The one way the app talks to the function: JSON over same-origin fetch,
//! typed with rekey-shared. Every failure becomes an `ApiError` to show.

use gloo_net::http::{Request, Response};
use rekey_shared::{ApiError, ErrorCode, SignInRequest, SignInResponse};
use serde::de::DeserializeOwned;

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

async fn decode<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    if resp.ok() {
        resp.json::<T>().await.map_err(|_| malformed())
    } else {
        Err(resp
            .json::<ApiError>()
            .await
            .unwrap_or_else(|_| malformed()))
    }
}

pub async fn me() -> Result<SignInResponse, ApiError> {
    let resp = Request::get("/api/me")
        .send()
        .await
        .map_err(|_| network_error())?;
    decode(resp).await
}

pub async fn sign_in(username: String, password: String) -> Result<SignInResponse, ApiError> {
    let body = SignInRequest { username, password };
    let resp = Request::post("/api/auth/sign-in")
        .json(&body)
        .map_err(|_| malformed())?
        .send()
        .await
        .map_err(|_| network_error())?;
    decode(resp).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    let resp = Request::post("/api/auth/sign-out")
        .json(&serde_json::json!({}))
        .map_err(|_| malformed())?
        .send()
        .await
        .map_err(|_| network_error())?;
    if resp.ok() {
        Ok(())
    } else {
        Err(resp
            .json::<ApiError>()
            .await
            .unwrap_or_else(|_| malformed()))
    }
}
