//! SCIM 2.0 over HTTP at `/scim/v2` (RFC 7644): discovery, and the User
//! resource. Every request carries a bearer token a global admin made;
//! bodies are `application/scim+json`, errors SCIM's own.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};

use super::client_addr::ClientAddr;
use discovery::{resource_type, resource_types, schema, schemas, service_provider_config};
use users::{create, get_one, list, patch, remove, replace, search};

mod discovery;
mod users;
use crate::domain::model::UserRecord;
use crate::domain::scim::{to_scim, ScimError, ScimRefusal};
use crate::domain::Rekey;
use crate::metrics::Metric;

const SCIM_JSON: &str = "application/scim+json";
const BODY_LIMIT: usize = 64 * 1024;

pub fn routes(app: Arc<Rekey>) -> Router {
    let v2 = Router::new()
        .route("/ServiceProviderConfig", get(service_provider_config))
        .route("/ResourceTypes", get(resource_types))
        .route("/ResourceTypes/{id}", get(resource_type))
        .route("/Schemas", get(schemas))
        .route("/Schemas/{id}", get(schema))
        .route("/Users", get(list).post(create))
        .route("/Users/.search", axum::routing::post(search))
        .route("/.search", axum::routing::post(search))
        .route(
            "/Users/{id}",
            get(get_one).put(replace).patch(patch).delete(remove),
        )
        // No groups (and no Group in /ResourceTypes): Entra and Okta are
        // set up without group push, and this says why if one asks.
        .route("/Groups", axum::routing::any(no_groups))
        .route("/Groups/{*rest}", axum::routing::any(no_groups))
        .fallback(|| async {
            answer(Err(ScimError::new(
                ScimRefusal::NotFound,
                "No such endpoint.",
            )))
        })
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            authenticate,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(scim_errors_only))
        .with_state(app);
    Router::new().nest("/scim/v2", v2)
}

/// A refusal from beneath the handlers (a method the endpoint lacks, a
/// body over the limit, a path that is not UTF-8) in SCIM's error shape
/// (RFC 7644 §3.12), as every other SCIM answer.
async fn scim_errors_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    if !super::error::is_plain_refusal(&response) {
        return response;
    }
    let status = response.status();
    let detail = match status {
        StatusCode::METHOD_NOT_ALLOWED => super::error::WRONG_METHOD.to_string(),
        StatusCode::PAYLOAD_TOO_LARGE => super::error::body_over(BODY_LIMIT),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Send the body as application/scim+json.".to_string(),
        s if s.is_server_error() => "Something went wrong on our side; try again.".to_string(),
        _ => "The request could not be read: check its path, query and body.".to_string(),
    };
    refusal(status, None, &detail)
}

async fn no_groups() -> Response {
    answer(Err(ScimError::new(
        ScimRefusal::NotFound,
        "Rekey keeps users only: there are no groups to provision (see /ResourceTypes).",
    )))
}

fn base(app: &Rekey) -> String {
    format!("{}/scim/v2", app.issuer())
}

fn scim_json(status: StatusCode, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// An error (RFC 7644 §3.12): its status, `scimType` and a sentence.
fn refusal(status: StatusCode, scim_type: Option<&str>, detail: &str) -> Response {
    let mut body = json!({
        "schemas": [ERROR_SCHEMA],
        "status": status.as_u16().to_string(),
        "detail": detail,
    });
    if let Some(t) = scim_type {
        body["scimType"] = json!(t);
    }
    scim_json(status, body)
}

/// Each kind of refusal's status and `scimType` (RFC 7644 §3.12, table 9).
fn status_of(kind: ScimRefusal) -> (StatusCode, Option<&'static str>) {
    match kind {
        ScimRefusal::InvalidValue => (StatusCode::BAD_REQUEST, Some("invalidValue")),
        ScimRefusal::InvalidSyntax => (StatusCode::BAD_REQUEST, Some("invalidSyntax")),
        ScimRefusal::InvalidFilter => (StatusCode::BAD_REQUEST, Some("invalidFilter")),
        ScimRefusal::Mutability => (StatusCode::BAD_REQUEST, Some("mutability")),
        ScimRefusal::Unauthorized => (StatusCode::UNAUTHORIZED, None),
        ScimRefusal::Forbidden => (StatusCode::FORBIDDEN, None),
        ScimRefusal::NotFound => (StatusCode::NOT_FOUND, None),
        ScimRefusal::Uniqueness => (StatusCode::CONFLICT, Some("uniqueness")),
        ScimRefusal::Conflict => (StatusCode::CONFLICT, None),
        ScimRefusal::PreconditionFailed => (StatusCode::PRECONDITION_FAILED, None),
        ScimRefusal::Internal => (StatusCode::INTERNAL_SERVER_ERROR, None),
    }
}

fn answer(result: Result<Response, ScimError>) -> Response {
    result.unwrap_or_else(|e| {
        let (status, scim_type) = status_of(e.kind);
        refusal(status, scim_type, &e.detail)
    })
}

/// A ListResponse (RFC 7644 §3.4.2).
fn list_body(base: &str, total: usize, start: usize, page: &[UserRecord]) -> Value {
    json!({
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start.max(1),
        "itemsPerPage": page.len(),
        "Resources": page.iter().map(|u| to_scim(u, base)).collect::<Vec<_>>(),
    })
}

/// The bearer token, checked before anything else runs.
async fn authenticate(
    State(app): State<Arc<Rekey>>,
    ClientAddr(caller): ClientAddr,
    request: Request,
    next: Next,
) -> Response {
    let response = authenticated(app, &caller, request, next).await;
    crate::metrics::count(Metric::ScimRequest);
    if response.status().is_client_error() || response.status().is_server_error() {
        crate::metrics::count(Metric::ScimError);
    }
    response
}

async fn authenticated(
    app: Arc<Rekey>,
    caller: &str,
    mut request: Request,
    next: Next,
) -> Response {
    // The scheme is case-insensitive (RFC 7235), the token is not.
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_string());
    let client = match bearer {
        Some(token) => app.scim_client(&token).await,
        None => Err(ScimError::new(
            ScimRefusal::Unauthorized,
            "A bearer token is required.",
        )),
    };
    match client {
        Ok(client) => {
            request.extensions_mut().insert(client);
            next.run(request).await
        }
        Err(e) if e.kind == ScimRefusal::Unauthorized => {
            match app.scim_auth_failed(caller).await {
                Ok(()) => {
                    let mut response = answer(Err(e));
                    response
                        .headers_mut()
                        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                    response
                }
                Err(wait) => {
                    let mut response = refusal(
                        StatusCode::TOO_MANY_REQUESTS,
                        None,
                        &format!("Too many refused requests from your address. Try again in {wait} seconds."),
                    );
                    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
                        response.headers_mut().insert(header::RETRY_AFTER, v);
                    }
                    response
                }
            }
        }
        Err(e) => answer(Err(e)),
    }
}
