//! Discovery (RFC 7644 §4): what Rekey supports, its one resource type and
//! the User schema.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::{answer, base, scim_json};
use crate::domain::scim::{ScimError, ScimRefusal, MAX_COUNT, USER_SCHEMA};
use crate::domain::Rekey;

pub(super) async fn service_provider_config(State(app): State<Arc<Rekey>>) -> Response {
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

pub(super) async fn resource_types(State(app): State<Arc<Rekey>>) -> Response {
    scim_json(StatusCode::OK, list_of(vec![user_resource_type(&app)]))
}

pub(super) async fn resource_type(
    State(app): State<Arc<Rekey>>,
    Path(id): Path<String>,
) -> Response {
    answer(if id == "User" {
        Ok(scim_json(StatusCode::OK, user_resource_type(&app)))
    } else {
        Err(ScimError::new(
            ScimRefusal::NotFound,
            "No such resource type.",
        ))
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

pub(super) async fn schemas(State(app): State<Arc<Rekey>>) -> Response {
    scim_json(StatusCode::OK, list_of(vec![user_schema(&app)]))
}

pub(super) async fn schema(State(app): State<Arc<Rekey>>, Path(id): Path<String>) -> Response {
    answer(if id == USER_SCHEMA {
        Ok(scim_json(StatusCode::OK, user_schema(&app)))
    } else {
        Err(ScimError::new(ScimRefusal::NotFound, "No such schema."))
    })
}
