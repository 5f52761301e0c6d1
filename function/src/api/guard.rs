//! Cross-site request forgery defence for every mutating request: a JSON
//! content type (which a cross-site form cannot send without a CORS
//! preflight Rekey never grants) and an Origin that is Rekey's own.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rekey_shared::{ApiError, ErrorCode};

use super::error::HttpError;
use crate::config::origin_of;

fn origin_allowed(headers: &HeaderMap, allowed: Option<&str>) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    match allowed {
        Some(allowed) => origin.eq_ignore_ascii_case(allowed),
        None => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            match (origin_of(origin), host) {
                (Some(o), Some(host)) => o
                    .split_once("://")
                    .is_some_and(|(_, h)| h.eq_ignore_ascii_case(host)),
                _ => false,
            }
        }
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

pub async fn mutation_guard(
    State(allowed): State<Arc<Option<String>>>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        if !origin_allowed(request.headers(), allowed.as_deref()) {
            return HttpError(ApiError::new(
                ErrorCode::OriginMismatch,
                "This request did not come from Rekey's own pages, so it was refused.",
            ))
            .into_response();
        }
        if !is_json(request.headers()) {
            return HttpError(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "Send the request body as application/json.",
            ))
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        h
    }

    #[test]
    fn the_origin_must_match_the_host_or_the_configured_origin() {
        assert!(origin_allowed(
            &headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"),
            None
        ));
        assert!(!origin_allowed(
            &headers(Some("http://evil.example"), "127.0.0.1:8080"),
            None
        ));
        assert!(!origin_allowed(&headers(None, "127.0.0.1:8080"), None));
        assert!(!origin_allowed(
            &headers(Some("null"), "127.0.0.1:8080"),
            None
        ));
        let cfg = Some("https://rekey.example.com");
        assert!(origin_allowed(
            &headers(Some("https://rekey.example.com"), "abc.lambda-url"),
            cfg
        ));
        assert!(!origin_allowed(
            &headers(Some("http://abc.lambda-url"), "abc.lambda-url"),
            cfg
        ));
    }

    #[test]
    fn only_json_content_types_pass() {
        let mut h = HeaderMap::new();
        assert!(!is_json(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert!(is_json(&h));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!is_json(&h));
    }
}
