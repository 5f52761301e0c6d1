//! Errors as HTTP responses: the status of the code, a JSON body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rekey_shared::{ApiError, ErrorCode};

/// The HTTP status each error code is answered with.
pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        InvalidJson | InvalidRequest | InvalidCursor | InvalidRecipient | TooManyRecipients
        | TooManyUsers | TooManyRows => StatusCode::BAD_REQUEST,
        PasswordTooShort
        | PasswordTooLong
        | PasswordTooCommon
        | PasswordContainsPersonalInfo
        | PasswordReused
        | CurrentPasswordIncorrect
        | InvalidCode => StatusCode::UNPROCESSABLE_ENTITY,
        Unauthenticated | InvalidCredentials | PasskeyRefused => StatusCode::UNAUTHORIZED,
        OriginMismatch
        | Forbidden
        | CannotResetSelf
        | PasswordChangeRequired
        | ReauthenticationRequired
        | MethodRegistrationRequired
        | TemporaryPasswordExpired
        | AccountBlocked => StatusCode::FORBIDDEN,
        NotFound => StatusCode::NOT_FOUND,
        MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        Conflict | ResetNotCurrent | PasswordNotCurrent | AlreadyExists => StatusCode::CONFLICT,
        ResetLinkInvalid | CeremonyInvalid | CeremonyExpired | ResetFlowEnded => StatusCode::GONE,
        RateLimited => StatusCode::TOO_MANY_REQUESTS,
        PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AccountLocked => StatusCode::LOCKED,
        Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// The code for a bare status that some layer below Rekey's handlers
/// answered with (see [`json_errors_only`]).
fn code_of(status: StatusCode) -> ErrorCode {
    match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::RateLimited,
        s if s.is_client_error() => ErrorCode::InvalidRequest,
        StatusCode::SERVICE_UNAVAILABLE => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    }
}

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
        let retry_after = self.0.retry_after;
        let mut response = (status_of(self.0.code), Json(self.0)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

pub async fn not_found() -> HttpError {
    ApiError::new(ErrorCode::NotFound, "There is no such API endpoint.").into()
}

/// What every protocol's 405 says.
pub const WRONG_METHOD: &str = "This endpoint does not accept that method.";

/// What a body over `limit` bytes is told, in any protocol's shape.
pub fn body_over(limit: usize) -> String {
    format!("The request body is larger than {} KiB.", limit / 1024)
}

pub async fn method_not_allowed() -> HttpError {
    ApiError::new(ErrorCode::MethodNotAllowed, WRONG_METHOD).into()
}

/// A panic is a bug: log it and answer like any other internal error.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    HttpError(ApiError::internal()).into_response()
}

/// What a body over its endpoint's limit is told: the import takes a
/// larger one than the rest of the API, and says so.
pub fn too_large_message(path: &str) -> &'static str {
    if path.ends_with("/users/import") {
        "The file is larger than 4 MiB, the most one import takes (10,000 rows of the template's columns fit). Split it into smaller files."
    } else {
        "The request body is larger than 128 KiB."
    }
}

/// Whether a refusal left without a body in its protocol's JSON shape:
/// what the layers beneath the handlers answer on their own.
pub fn is_plain_refusal(response: &Response) -> bool {
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.starts_with("application/json") || ct.starts_with("application/scim+json")
        });
    (status.is_client_error() || status.is_server_error()) && !is_json
}

/// Every API error is JSON with a code (API.md). Rekey's own extractors and
/// handlers answer so; this catches what the layers beneath them answer on
/// their own (a path that is not UTF-8, a body over the limit read by a
/// plain extractor), so no refusal ever leaves as `text/plain`.
pub async fn json_errors_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let too_large = too_large_message(request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    if !is_plain_refusal(&response) {
        return response;
    }
    let code = code_of(status);
    let message = match code {
        ErrorCode::NotFound => "There is no such API endpoint.",
        ErrorCode::MethodNotAllowed => WRONG_METHOD,
        ErrorCode::PayloadTooLarge => too_large,
        ErrorCode::UnsupportedMediaType => "Send the request body as application/json.",
        ErrorCode::InvalidRequest => {
            "The request could not be read: check its path, query and body."
        }
        ErrorCode::Unavailable => "Rekey is not available just now. Try again shortly.",
        _ => "Something went wrong on our side. Nothing was changed; try again.",
    };
    if status.is_server_error() {
        tracing::error!(%status, "a layer below the handlers failed");
    }
    (status, Json(ApiError::new(code, message))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_are_4xx_and_only_internal_faults_are_5xx() {
        for &code in ErrorCode::ALL {
            let status = status_of(code);
            let server_side = matches!(code, ErrorCode::Internal | ErrorCode::Unavailable);
            assert_eq!(status.is_server_error(), server_side, "{code}");
            assert!(status.is_client_error() || server_side, "{code}");
        }
        assert_eq!(status_of(ErrorCode::TooManyRecipients), 400);
        assert_eq!(status_of(ErrorCode::PasswordTooCommon), 422);
    }

    #[test]
    fn a_bare_status_maps_to_the_code_that_travels_with_it() {
        for status in [404u16, 405, 413, 415, 400, 429, 503, 500] {
            let status = StatusCode::from_u16(status).unwrap();
            let code = code_of(status);
            if status != StatusCode::INTERNAL_SERVER_ERROR {
                assert_eq!(status_of(code), status, "{status}");
            }
        }
        assert_eq!(code_of(StatusCode::URI_TOO_LONG), ErrorCode::InvalidRequest);
    }
}
