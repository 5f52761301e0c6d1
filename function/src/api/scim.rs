//! SCIM 2.0 over HTTP at `/scim/v2` (RFC 7644): discovery, and the User
//! resource. Every request carries a bearer token a global admin made;
//! bodies are `application/scim+json`, errors SCIM's own.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

use super::client_addr::ClientAddr;
use crate::domain::model::{ScimTokenRecord, UserRecord};
use crate::domain::scim::{etag, to_scim, ScimError, MAX_COUNT, USER_SCHEMA};
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
        .fallback(|| async { answer(Err(ScimError::new(404, None, "No such endpoint."))) })
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
    answer(Err(ScimError::new(status.as_u16(), None, detail)))
}

async fn no_groups() -> Response {
    answer(Err(ScimError::new(
        404,
        None,
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

fn answer(result: Result<Response, ScimError>) -> Response {
    result.unwrap_or_else(|e| {
        let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
        scim_json(status, e.body())
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
        None => Err(ScimError::new(401, None, "A bearer token is required.")),
    };
    match client {
        Ok(client) => {
            request.extensions_mut().insert(client);
            next.run(request).await
        }
        Err(e) if e.status == 401 => {
            match app.scim_auth_failed(caller).await {
                Ok(()) => {
                    let mut response = answer(Err(e));
                    response
                        .headers_mut()
                        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                    response
                }
                Err(wait) => {
                    let mut response = answer(Err(ScimError::new(
                    429,
                    None,
                    format!("Too many refused requests from your address. Try again in {wait} seconds."),
                )));
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

fn one(app: &Rekey, status: StatusCode, user: &UserRecord, params: &Params) -> Response {
    let mut response = scim_json(status, params.project(to_scim(user, &base(app))));
    if let Ok(tag) = HeaderValue::from_str(&etag(user)) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    if status == StatusCode::CREATED {
        if let Ok(location) = HeaderValue::from_str(&format!("{}/Users/{}", base(app), user.id)) {
            response.headers_mut().insert(header::LOCATION, location);
        }
    }
    response
}

fn body_json(body: &Bytes) -> Result<Value, ScimError> {
    serde_json::from_slice(body)
        .map_err(|_| ScimError::new(400, Some("invalidSyntax"), "The body is not valid JSON."))
}

fn if_match(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    filter: Option<String>,
    // Signed: RFC 7644 §3.4.2.4 reads a startIndex below 1 as 1 and a
    // negative count as 0, rather than refusing them.
    #[serde(rename = "startIndex")]
    start_index: Option<i64>,
    count: Option<i64>,
    attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    excluded_attributes: Option<String>,
}

impl Params {
    /// `attributes` / `excludedAttributes` (top level and one level down);
    /// `id` and `schemas` are always returned.
    fn project(&self, mut resource: Value) -> Value {
        let list = |s: &Option<String>| -> Vec<String> {
            s.as_deref()
                .unwrap_or_default()
                .split(',')
                .map(|a| {
                    a.trim()
                        .trim_start_matches(USER_SCHEMA)
                        .trim_start_matches(':')
                        .to_ascii_lowercase()
                })
                .filter(|a| !a.is_empty())
                .collect()
        };
        let (only, except) = (list(&self.attributes), list(&self.excluded_attributes));
        let Some(object) = resource.as_object_mut() else {
            return resource;
        };
        if !only.is_empty() {
            object.retain(|k, v| {
                let key = k.to_ascii_lowercase();
                if key == "id" || key == "schemas" || only.contains(&key) {
                    return true;
                }
                let subs: Vec<String> = only
                    .iter()
                    .filter_map(|a| a.strip_prefix(&format!("{key}.")).map(str::to_string))
                    .collect();
                if subs.is_empty() {
                    return false;
                }
                let keep = |item: &mut Value| {
                    if let Some(o) = item.as_object_mut() {
                        o.retain(|sk, _| subs.contains(&sk.to_ascii_lowercase()));
                    }
                };
                match v {
                    Value::Array(items) => items.iter_mut().for_each(keep),
                    other => keep(other),
                }
                true
            });
        }
        for key in except {
            if key != "id" && key != "schemas" {
                object.retain(|k, _| k.to_ascii_lowercase() != key);
            }
        }
        resource
    }
}

async fn service_provider_config(State(app): State<Arc<Rekey>>) -> Response {
    scim_json(
        StatusCode::OK,
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": format!("{}/", app.issuer()),
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": MAX_COUNT},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": true},
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token a global admin creates in Rekey's admin center.",
                "primary": true
            }],
            "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{}/ServiceProviderConfig", base(&app))}
        }),
    )
}

fn user_resource_type(app: &Rekey) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "User Account",
        "schema": USER_SCHEMA,
        "meta": {"resourceType": "ResourceType", "location": format!("{}/ResourceTypes/User", base(app))}
    })
}

fn list_of(items: Vec<Value>) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": items.len(),
        "startIndex": 1,
        "itemsPerPage": items.len(),
        "Resources": items,
    })
}

async fn resource_types(State(app): State<Arc<Rekey>>) -> Response {
    scim_json(StatusCode::OK, list_of(vec![user_resource_type(&app)]))
}

async fn resource_type(State(app): State<Arc<Rekey>>, Path(id): Path<String>) -> Response {
    answer(if id == "User" {
        Ok(scim_json(StatusCode::OK, user_resource_type(&app)))
    } else {
        Err(ScimError::new(404, None, "No such resource type."))
    })
}

fn attribute(name: &str, kind: &str, extra: Value) -> Value {
    let mut a = json!({
        "name": name, "type": kind, "multiValued": false, "required": false,
        "caseExact": false, "mutability": "readWrite", "returned": "default", "uniqueness": "none",
    });
    if let (Some(a), Some(extra)) = (a.as_object_mut(), extra.as_object()) {
        a.extend(extra.clone());
    }
    a
}

fn user_schema(app: &Rekey) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "User Account",
        "attributes": [
            attribute("userName", "string", json!({"required": true, "uniqueness": "server"})),
            attribute("name", "complex", json!({"subAttributes": [
                attribute("givenName", "string", json!({})),
                attribute("familyName", "string", json!({})),
            ]})),
            attribute("displayName", "string", json!({})),
            attribute("emails", "complex", json!({"multiValued": true, "required": true, "subAttributes": [
                attribute("value", "string", json!({"required": true})),
                // Rekey keeps the primary address (typed "work") and one
                // other (typed "other"); other type names are not kept.
                attribute("type", "string", json!({"canonicalValues": ["work"]})),
                attribute("primary", "boolean", json!({})),
            ]})),
            attribute("active", "boolean", json!({})),
        ],
        "meta": {"resourceType": "Schema", "location": format!("{}/Schemas/{USER_SCHEMA}", base(app))}
    })
}

async fn schemas(State(app): State<Arc<Rekey>>) -> Response {
    scim_json(StatusCode::OK, list_of(vec![user_schema(&app)]))
}

async fn schema(State(app): State<Arc<Rekey>>, Path(id): Path<String>) -> Response {
    answer(if id == USER_SCHEMA {
        Ok(scim_json(StatusCode::OK, user_schema(&app)))
    } else {
        Err(ScimError::new(404, None, "No such schema."))
    })
}

fn params_of(
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<Params, ScimError> {
    query.map(|Query(p)| p).map_err(|_| {
        ScimError::new(
            400,
            Some("invalidValue"),
            "startIndex and count must be whole numbers.",
        )
    })
}

async fn list(
    State(app): State<Arc<Rekey>>,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    answer(async { list_with(&app, params_of(query)?).await }.await)
}

/// `POST /Users/.search` (RFC 7644 §3.4.3): the list's parameters in a body.
async fn search(State(app): State<Arc<Rekey>>, body: Bytes) -> Response {
    answer(
        async {
            let body = body_json(&body)?;
            let text = |k: &str| body.get(k).and_then(Value::as_str).map(String::from);
            let number = |k: &str| body.get(k).and_then(Value::as_i64);
            let join = |k: &str| {
                body.get(k).and_then(Value::as_array).map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(",")
                })
            };
            let params = Params {
                filter: text("filter"),
                start_index: number("startIndex"),
                count: number("count"),
                attributes: join("attributes"),
                excluded_attributes: join("excludedAttributes"),
            };
            list_with(&app, params).await
        }
        .await,
    )
}

async fn list_with(app: &Rekey, params: Params) -> Result<Response, ScimError> {
    let start = params.start_index.unwrap_or(1).max(1) as usize;
    let count = params
        .count
        .map_or(MAX_COUNT, |c| c.clamp(0, MAX_COUNT as i64) as usize);
    let (total, page) = app
        .scim_list(params.filter.as_deref(), start, count)
        .await?;
    let mut body = app.scim_list_body(&base(app), total, start, &page);
    if let Some(items) = body["Resources"].as_array_mut() {
        for item in items.iter_mut() {
            *item = params.project(item.take());
        }
    }
    Ok(scim_json(StatusCode::OK, body))
}

async fn get_one(
    State(app): State<Arc<Rekey>>,
    Path(id): Path<String>,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    answer(
        async {
            let params = params_of(query)?;
            let user = app.scim_get(&id).await?;
            Ok(one(&app, StatusCode::OK, &user, &params))
        }
        .await,
    )
}

async fn create(
    State(app): State<Arc<Rekey>>,
    axum::Extension(client): axum::Extension<ScimTokenRecord>,
    body: Bytes,
) -> Response {
    answer(
        async {
            let resource = body_json(&body)?;
            let user = app.scim_create(&client, &resource).await?;
            Ok(one(&app, StatusCode::CREATED, &user, &Params::default()))
        }
        .await,
    )
}

async fn replace(
    State(app): State<Arc<Rekey>>,
    axum::Extension(client): axum::Extension<ScimTokenRecord>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    change(&app, &client, &id, &headers, &body, false).await
}

async fn patch(
    State(app): State<Arc<Rekey>>,
    axum::Extension(client): axum::Extension<ScimTokenRecord>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    change(&app, &client, &id, &headers, &body, true).await
}

/// PUT (the whole resource) or PATCH (its Operations), under `If-Match`.
async fn change(
    app: &Rekey,
    client: &ScimTokenRecord,
    id: &str,
    headers: &HeaderMap,
    body: &Bytes,
    patch: bool,
) -> Response {
    answer(
        async {
            let body = body_json(body)?;
            let tag = if_match(headers);
            let user = if patch {
                app.scim_patch(client, id, tag.as_deref(), &body).await?
            } else {
                app.scim_replace(client, id, tag.as_deref(), &body).await?
            };
            Ok(one(app, StatusCode::OK, &user, &Params::default()))
        }
        .await,
    )
}

async fn remove(
    State(app): State<Arc<Rekey>>,
    axum::Extension(client): axum::Extension<ScimTokenRecord>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer(
        async {
            app.scim_delete(&client, &id, if_match(&headers).as_deref())
                .await?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        .await,
    )
}
