//! The User resource's endpoints: list and search, read, create, replace,
//! patch and delete.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use super::{answer, base, list_body, scim_json};
use crate::domain::model::{ScimTokenRecord, UserRecord};
use crate::domain::scim::{etag, to_scim, ScimError, ScimRefusal, MAX_COUNT, USER_SCHEMA};
use crate::domain::Rekey;

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
        .map_err(|_| ScimError::new(ScimRefusal::InvalidSyntax, "The body is not valid JSON."))
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

fn params_of(
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<Params, ScimError> {
    query.map(|Query(p)| p).map_err(|_| {
        ScimError::new(
            ScimRefusal::InvalidValue,
            "startIndex and count must be whole numbers.",
        )
    })
}

pub(super) async fn list(
    State(app): State<Arc<Rekey>>,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Response {
    answer(async { list_with(&app, params_of(query)?).await }.await)
}

/// `POST /Users/.search` (RFC 7644 §3.4.3): the list's parameters in a body.
pub(super) async fn search(State(app): State<Arc<Rekey>>, body: Bytes) -> Response {
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
    let mut body = list_body(&base(app), total, start, &page);
    if let Some(items) = body["Resources"].as_array_mut() {
        for item in items.iter_mut() {
            *item = params.project(item.take());
        }
    }
    Ok(scim_json(StatusCode::OK, body))
}

pub(super) async fn get_one(
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

pub(super) async fn create(
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

pub(super) async fn replace(
    State(app): State<Arc<Rekey>>,
    axum::Extension(client): axum::Extension<ScimTokenRecord>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    change(&app, &client, &id, &headers, &body, false).await
}

pub(super) async fn patch(
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

pub(super) async fn remove(
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
