//! Errors as HTTP responses: the status of the code, a JSON body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rekey_shared::{ApiError, ErrorCode};

/// A domain error on its way out.
#[derive(Debug)]
pub struct HttpError(pub ApiError);

impl From<ApiError> for HttpError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}

pub async fn not_found() -> HttpError {
    ApiError::new(ErrorCode::NotFound, "There is no such API endpoint.").into()
}

pub async fn method_not_allowed() -> HttpError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "This endpoint does not accept that method.",
    )
    .into()
}

/// A panic is a bug: log it and answer like any other internal error.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    HttpError(ApiError::internal()).into_response()
}
