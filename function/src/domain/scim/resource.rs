//! The `User` resource (RFC 7643 §4.1) over a Rekey user: the record as a
//! resource, and a resource's attributes applied to a record.

use rekey_shared::validate::{check_name, check_username};
use serde_json::{json, Map, Value};

use super::{from_api, ScimError, ScimRefusal, USER_SCHEMA};
use crate::domain::model::UserRecord;

fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The ETag of a record: its version, weak.
pub fn etag(user: &UserRecord) -> String {
    format!("W/\"{}\"", user.version)
}

/// A user as SCIM shows it.
pub fn to_scim(user: &UserRecord, base: &str) -> Value {
    let mut emails = vec![json!({"value": user.email, "type": "work", "primary": true})];
    if let Some(alt) = &user.alternate_email {
        emails.push(json!({"value": alt, "type": "other", "primary": false}));
    }
    let mut name = Map::new();
    if let Some(g) = &user.first_name {
        name.insert("givenName".into(), json!(g));
    }
    if let Some(f) = &user.last_name {
        name.insert("familyName".into(), json!(f));
    }
    let mut out = json!({
        "schemas": [USER_SCHEMA],
        "id": user.id,
        "userName": user.username,
        "displayName": user.display_name,
        "emails": emails,
        "active": !user.blocked,
        "meta": {
            "resourceType": "User",
            "created": rfc3339(user.created_at),
            "lastModified": rfc3339(user.last_reset_at.unwrap_or(user.created_at).max(user.created_at)),
            "location": format!("{base}/Users/{}", user.id),
            "version": etag(user),
        }
    });
    if !name.is_empty() {
        out["name"] = Value::Object(name);
    }
    if let Some(id) = &user.external_id {
        out["externalId"] = json!(id);
    }
    out
}

/// SCIM booleans, including the strings some clients send ("False").
pub(super) fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Looks a key up case-insensitively (SCIM attribute names are).
pub(super) fn field<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

pub(super) fn text(v: Option<&Value>, what: &str) -> Result<Option<String>, ScimError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ScimError::invalid(format!("{what} must be a string."))),
    }
}

/// Applies SCIM's `emails` to the record: the primary (else the first)
/// is the email, the next the alternate address.
pub(super) fn apply_emails(user: &mut UserRecord, emails: &Value) -> Result<(), ScimError> {
    let list = emails
        .as_array()
        .ok_or_else(|| ScimError::invalid("emails must be a list."))?;
    let mut values: Vec<(bool, String)> = Vec::new();
    for e in list {
        let value = text(field(e, "value"), "emails.value")?
            .ok_or_else(|| ScimError::invalid("Each email needs a value."))?;
        rekey_shared::validate::check_email(value.trim())
            .map_err(|p| ScimError::invalid(format!("{value:?}: {}", p.message())))?;
        let primary = field(e, "primary").and_then(boolean).unwrap_or(false);
        values.push((primary, value.trim().to_string()));
    }
    if values.iter().filter(|(p, _)| *p).count() > 1 {
        return Err(ScimError::invalid("Only one email may be primary."));
    }
    values.sort_by_key(|(p, _)| !*p);
    let mut values = values.into_iter().map(|(_, v)| v);
    user.email = values
        .next()
        .ok_or_else(|| ScimError::invalid("A user needs an email address."))?;
    user.alternate_email = values.next();
    Ok(())
}

/// Sets one top-level attribute (or `name.*`) from a SCIM value.
pub(super) fn set_attribute(
    user: &mut UserRecord,
    path: &str,
    value: &Value,
) -> Result<(), ScimError> {
    match path.to_ascii_lowercase().as_str() {
        "username" => {
            let v = text(Some(value), "userName")?.unwrap_or_default();
            user.username = check_username(&v).map_err(from_api)?;
        }
        "displayname" => {
            let v = text(Some(value), "displayName")?.unwrap_or_default();
            user.display_name = check_name(&v, "displayName").map_err(from_api)?;
        }
        "name.givenname" => {
            user.first_name = text(Some(value), "name.givenName")?
                .map(|v| check_name(&v, "name.givenName"))
                .transpose()
                .map_err(from_api)?;
        }
        "name.familyname" => {
            user.last_name = text(Some(value), "name.familyName")?
                .map(|v| check_name(&v, "name.familyName"))
                .transpose()
                .map_err(from_api)?;
        }
        "name" => {
            let given = field(value, "givenName").cloned().unwrap_or(Value::Null);
            let family = field(value, "familyName").cloned().unwrap_or(Value::Null);
            set_attribute(user, "name.givenName", &given)?;
            set_attribute(user, "name.familyName", &family)?;
        }
        "emails" => apply_emails(user, value)?,
        "emails[type eq \"work\"].value" => {
            let v = text(Some(value), "emails.value")?.unwrap_or_default();
            rekey_shared::validate::check_email(v.trim())
                .map_err(|p| ScimError::invalid(p.message()))?;
            user.email = v.trim().to_string();
        }
        "emails[type eq \"other\"].value" => {
            user.alternate_email = match text(Some(value), "emails.value")? {
                None => None,
                Some(v) if v.trim().is_empty() => None,
                Some(v) => {
                    rekey_shared::validate::check_email(v.trim())
                        .map_err(|p| ScimError::invalid(p.message()))?;
                    Some(v.trim().to_string())
                }
            };
        }
        "active" => {
            let active = boolean(value)
                .ok_or_else(|| ScimError::invalid("active must be true or false."))?;
            user.blocked = !active;
        }
        "externalid" => {
            user.external_id = text(Some(value), "externalId")?
                .filter(|v| !v.is_empty())
                .map(check_external_id)
                .transpose()?;
        }
        "preferredlanguage" => {
            // "nl-NL", "nl" or "en-US": the language is what Rekey keeps.
            let tag = text(Some(value), "preferredLanguage")?.unwrap_or_default();
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            if let Some(lang) = rekey_shared::Lang::parse(&primary.to_ascii_lowercase()) {
                user.preferred_language = Some(lang);
            }
        }
        // Never over SCIM: passwords are set by an admin or by the user,
        // and roles only in the admin center.
        "password" => {
            return Err(ScimError::new(
                ScimRefusal::Mutability,
                "Rekey never takes a password over SCIM; an admin sends a one-time link instead.",
            ))
        }
        // An empty list is no role: Entra sends `"roles": []`, Okta
        // `"groups": []`, with every user.
        "roles" | "entitlements" | "groups"
            if value.is_null() || value.as_array().is_some_and(Vec::is_empty) => {}
        "roles" | "entitlements" | "groups" => {
            return Err(ScimError::new(
                ScimRefusal::Mutability,
                "Roles are given in Rekey's admin center, not over SCIM.",
            ))
        }
        // Everything else (title, phoneNumbers, addresses, the enterprise
        // extension, ...) is not kept: RFC 7644 lets a service provider
        // ignore what it does not store, and Entra's and Okta's default
        // mappings send them all.
        _ => {}
    }
    Ok(())
}

/// The provisioning system's id: up to 256 characters, none of them a
/// control character.
fn check_external_id(value: String) -> Result<String, ScimError> {
    if value.chars().count() > 256 || value.chars().any(char::is_control) {
        return Err(ScimError::invalid(
            "externalId must be 1 to 256 characters without control characters.",
        ));
    }
    Ok(value)
}

/// A whole resource (POST, PUT, or a PATCH without a path).
pub(super) fn apply_resource(
    user: &mut UserRecord,
    resource: &Value,
    replace: bool,
) -> Result<(), ScimError> {
    let object = resource
        .as_object()
        .ok_or_else(|| ScimError::invalid("The body must be a JSON object."))?;
    if replace {
        user.first_name = None;
        user.last_name = None;
        user.alternate_email = None;
        user.external_id = None;
    }
    for (key, value) in object {
        set_attribute(user, key, value)?;
    }
    if user.display_name.trim().is_empty() {
        user.display_name = match (&user.first_name, &user.last_name) {
            (Some(g), Some(f)) => format!("{g} {f}"),
            _ => user.username.clone(),
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_map_primary_to_the_email_and_the_next_to_the_alternate() {
        let mut u =
            crate::seed::user_record("x", "X", rekey_shared::Role::User, None, String::new(), 0);
        apply_emails(&mut u, &json!([{"value": "home@x.example", "type": "home"}, {"value": "work@x.example", "primary": true}])).unwrap();
        assert_eq!(u.email, "work@x.example");
        assert_eq!(u.alternate_email.as_deref(), Some("home@x.example"));
        assert!(apply_emails(&mut u, &json!([])).is_err());
        assert!(apply_emails(&mut u, &json!([{"value": "a@x.example", "primary": true}, {"value": "b@x.example", "primary": "True"}])).is_err());
    }
}
