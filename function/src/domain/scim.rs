//! SCIM 2.0 (RFC 7643/7644) for HR systems and other identity providers:
//! the `User` resource over Rekey's directory, and the named bearer tokens
//! that let a client in. SCIM sees and changes plain users only: it never
//! creates an admin, touches an admin's account or sets a password.

use rekey_shared::{ApiError, AuditAction, ErrorCode, Role, ScimTokenCreated, ScimTokenSummary};
use serde_json::{json, Map, Value};

use super::audit::event;
use super::model::{ScimTokenRecord, UserRecord};
use super::permissions::{self, Setting};
use super::session::{new_token, token_hash};
use super::update::{Change, UpdateError};
use super::{store_failure, Rekey};
use crate::ports::StoreError;
use rekey_shared::validate::{check_name, check_username};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// Largest page a list answers with (and the default).
pub const MAX_COUNT: usize = 200;

/// A SCIM error (RFC 7644 §3.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    pub status: u16,
    pub scim_type: Option<&'static str>,
    pub detail: String,
}

impl ScimError {
    pub fn new(status: u16, scim_type: Option<&'static str>, detail: impl Into<String>) -> Self {
        Self {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    fn invalid(detail: impl Into<String>) -> Self {
        Self::new(400, Some("invalidValue"), detail)
    }

    fn not_found() -> Self {
        Self::new(404, None, "No such user.")
    }

    pub fn body(&self) -> Value {
        let mut body = json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": self.status.to_string(),
            "detail": self.detail,
        });
        if let Some(t) = self.scim_type {
            body["scimType"] = json!(t);
        }
        body
    }
}

fn from_api(e: ApiError) -> ScimError {
    let status = match e.code {
        ErrorCode::AlreadyExists => return ScimError::new(409, Some("uniqueness"), e.message),
        ErrorCode::NotFound => 404,
        ErrorCode::Forbidden => 403,
        ErrorCode::Conflict => 409,
        ErrorCode::Internal | ErrorCode::Unavailable => 500,
        _ => 400,
    };
    let scim_type = (status == 400).then_some("invalidValue");
    let detail = match e.field {
        Some(f) => format!("{} ({f})", e.message),
        None => e.message,
    };
    ScimError::new(status, scim_type, detail)
}

fn store_error(e: StoreError) -> ScimError {
    from_api(store_failure(e))
}

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
fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Looks a key up case-insensitively (SCIM attribute names are).
fn field<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn text(v: Option<&Value>, what: &str) -> Result<Option<String>, ScimError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ScimError::invalid(format!("{what} must be a string."))),
    }
}

/// Applies SCIM's `emails` to the record: the primary (else the first)
/// is the email, the next the alternate address.
fn apply_emails(user: &mut UserRecord, emails: &Value) -> Result<(), ScimError> {
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
fn set_attribute(user: &mut UserRecord, path: &str, value: &Value) -> Result<(), ScimError> {
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
                400,
                Some("mutability"),
                "Rekey never takes a password over SCIM; an admin sends a one-time link instead.",
            ))
        }
        // An empty list is no role: Entra sends `"roles": []`, Okta
        // `"groups": []`, with every user.
        "roles" | "entitlements" | "groups"
            if value.is_null() || value.as_array().is_some_and(Vec::is_empty) => {}
        "roles" | "entitlements" | "groups" => {
            return Err(ScimError::new(
                400,
                Some("mutability"),
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
fn apply_resource(user: &mut UserRecord, resource: &Value, replace: bool) -> Result<(), ScimError> {
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

/// `filter`: `userName eq`, `emails.value eq`, `displayName sw`, `id eq`.
#[derive(Debug, PartialEq, Eq)]
pub enum Filter {
    UserName(String),
    Email(String),
    DisplayNameStartsWith(String),
    Id(String),
    ExternalId(String),
}

pub fn parse_filter(filter: &str) -> Result<Filter, ScimError> {
    let bad = || {
        ScimError::new(
            400,
            Some("invalidFilter"),
            "Supported filters: userName eq, emails.value eq, displayName sw, id eq, externalId eq (with a quoted value).",
        )
    };
    let filter = filter.trim();
    let (attr, rest) = filter.split_once(char::is_whitespace).ok_or_else(bad)?;
    let (op, value) = rest
        .trim_start()
        .split_once(char::is_whitespace)
        .ok_or_else(bad)?;
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(bad)?;
    // One quoted value: a quote inside it that is not escaped means more
    // expression follows (`... or userName eq "b"`), which Rekey does not do.
    if value.replace("\\\"", "").contains('"') {
        return Err(bad());
    }
    let value = value.replace("\\\"", "\"");
    match (
        attr.to_ascii_lowercase().as_str(),
        op.to_ascii_lowercase().as_str(),
    ) {
        ("username", "eq") => Ok(Filter::UserName(value.to_lowercase())),
        ("emails.value" | "emails", "eq") => Ok(Filter::Email(value.to_lowercase())),
        ("displayname", "sw") => Ok(Filter::DisplayNameStartsWith(value.to_lowercase())),
        ("id", "eq") => Ok(Filter::Id(value)),
        ("externalid", "eq") => Ok(Filter::ExternalId(value)),
        _ => Err(bad()),
    }
}

fn scim_visible(user: &UserRecord) -> bool {
    user.role == Role::User
}

impl Rekey {
    // ---- tokens (global admins) ----

    pub async fn create_scim_token(
        &self,
        actor: &UserRecord,
        name: &str,
    ) -> Result<ScimTokenCreated, ApiError> {
        permissions::global_admin(actor, Setting::ScimTokens)?;
        let name = check_name(name, "name")?;
        let (secret, hash) = new_token();
        let now = self.now();
        let record = ScimTokenRecord {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            token_hash: hash,
            created_at: now,
        };
        let mut audit = event(now, AuditAction::ScimTokenCreated, Some(actor), None);
        audit.app = Some(record.audit_app());
        self.store
            .insert_scim_token(&record, &[audit])
            .await
            .map_err(store_failure)?;
        Ok(ScimTokenCreated {
            token: record.summary(),
            secret,
        })
    }

    pub async fn scim_tokens(&self, actor: &UserRecord) -> Result<Vec<ScimTokenSummary>, ApiError> {
        permissions::global_admin(actor, Setting::ScimTokens)?;
        Ok(self
            .store
            .scim_tokens()
            .await
            .map_err(store_failure)?
            .iter()
            .map(ScimTokenRecord::summary)
            .collect())
    }

    pub async fn revoke_scim_token(&self, actor: &UserRecord, id: &str) -> Result<(), ApiError> {
        permissions::global_admin(actor, Setting::ScimTokens)?;
        let token = self
            .store
            .scim_tokens()
            .await
            .map_err(store_failure)?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| ApiError::not_found("That token"))?;
        let mut audit = event(self.now(), AuditAction::ScimTokenRevoked, Some(actor), None);
        audit.app = Some(token.audit_app());
        self.store
            .delete_scim_token(id, &[audit])
            .await
            .map_err(store_failure)
    }

    /// The token a SCIM request carries, if it is a live one.
    pub async fn scim_client(&self, bearer: &str) -> Result<ScimTokenRecord, ScimError> {
        let unauthorized = || ScimError::new(401, None, "A valid bearer token is required.");
        if bearer.len() != 43 {
            return Err(unauthorized());
        }
        self.store
            .scim_token_by_hash(&token_hash(bearer))
            .await
            .map_err(store_error)?
            .ok_or_else(unauthorized)
    }

    /// A SCIM request without a live token: audited with its address, and
    /// throttled as sign-ins are, so guessing fills neither the log nor
    /// the server. `Err` carries the seconds to wait.
    pub async fn scim_auth_failed(&self, client: &str) -> Result<(), u64> {
        let now = self.now();
        self.sign_in_throttle
            .take(client, now)
            .map_err(|wait_ms| (wait_ms.max(0) as u64).div_ceil(1000))?;
        tracing::warn!(client, "SCIM request refused: no live token");
        let mut audit = event(now, AuditAction::ScimAuthFailed, None, None);
        audit.client = Some(client.to_string());
        self.record(&[audit]).await;
        Ok(())
    }

    // ---- the User resource ----

    async fn scim_user(&self, id: &str) -> Result<UserRecord, ScimError> {
        self.store
            .user_by_id(id)
            .await
            .map_err(store_error)?
            .filter(scim_visible)
            .ok_or_else(ScimError::not_found)
    }

    pub async fn scim_get(&self, id: &str) -> Result<UserRecord, ScimError> {
        self.scim_user(id).await
    }

    /// A list (RFC 7644 §3.4.2): `(total, page)`; `start` is 1-based.
    pub async fn scim_list(
        &self,
        filter: Option<&str>,
        start: usize,
        count: usize,
    ) -> Result<(usize, Vec<UserRecord>), ScimError> {
        let start = start.max(1);
        let count = count.min(MAX_COUNT);
        let matches: Vec<UserRecord> = match filter.map(parse_filter).transpose()? {
            // The whole directory: its count and one page, read as such.
            None => {
                let total = self.store.count_plain_users().await.map_err(store_error)?;
                let page = match count {
                    0 => Vec::new(),
                    _ => self
                        .store
                        .plain_users_page(start as u64 - 1, count)
                        .await
                        .map_err(store_error)?,
                };
                return Ok((total as usize, page));
            }
            Some(Filter::UserName(v)) | Some(Filter::Email(v)) => {
                let found = self.store.user_by_login(&v).await.map_err(store_error)?;
                found.into_iter().filter(scim_visible).collect()
            }
            Some(Filter::Id(id)) => self.scim_user(&id).await.into_iter().collect(),
            Some(Filter::ExternalId(id)) => self
                .store
                .users_by_external_id(&id)
                .await
                .map_err(store_error)?
                .into_iter()
                .filter(scim_visible)
                .collect(),
            Some(Filter::DisplayNameStartsWith(prefix)) => {
                let (total, page) = self
                    .store
                    .plain_users_by_name_prefix(&prefix, start as u64 - 1, count)
                    .await
                    .map_err(store_error)?;
                return Ok((total as usize, page));
            }
        };
        let total = matches.len();
        let page = matches.into_iter().skip(start - 1).take(count).collect();
        Ok((total, page))
    }

    pub async fn scim_create(
        &self,
        client: &ScimTokenRecord,
        resource: &Value,
    ) -> Result<UserRecord, ScimError> {
        let now = self.now();
        let mut user = UserRecord::new("", "", "", Role::User, String::new(), now);
        apply_resource(&mut user, resource, true)?;
        if user.username.is_empty() {
            return Err(ScimError::invalid("userName is required."));
        }
        if user.email.is_empty() {
            return Err(ScimError::invalid("A user needs an email address."));
        }
        // A user principal name may be someone else's email (and an email
        // someone's username): either would make one sign-in name mean two
        // people, so both are looked up as logins.
        for login in [user.username.clone(), user.email.to_lowercase()] {
            if self
                .store
                .user_by_login(&login)
                .await
                .map_err(store_error)?
                .is_some()
            {
                return Err(ScimError::new(
                    409,
                    Some("uniqueness"),
                    "That userName or email is taken.",
                ));
            }
        }
        // No password from SCIM: a random one nobody knows, until an admin
        // sends a one-time link or resets it.
        let unknown = super::password::generate(32);
        user.password_hash = self.hasher.hash(unknown).await.map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            ScimError::new(500, None, "Something went wrong on our side.")
        })?;
        let mut audit = event(now, AuditAction::UserCreated, None, Some(&user));
        audit.app = Some(client.audit_app());
        match self
            .store
            .insert_users_with_audit(std::slice::from_ref(&user), &[audit])
            .await
        {
            Ok(()) => {}
            Err(StoreError::Duplicate) => {
                return Err(ScimError::new(
                    409,
                    Some("uniqueness"),
                    "That userName or email is taken.",
                ))
            }
            Err(e) => return Err(store_error(e)),
        }
        Ok(user)
    }

    /// PUT or PATCH: `change` edits the stored record; `if_match` is an
    /// ETag the record must still have.
    pub async fn scim_update(
        &self,
        client: &ScimTokenRecord,
        id: &str,
        if_match: Option<&str>,
        change: impl Fn(&mut UserRecord) -> Result<(), ScimError>,
    ) -> Result<UserRecord, ScimError> {
        let user = self.scim_user(id).await?;
        let written = self
            .update_user(user, |current, now| {
                // Again on every attempt: the user may have become an admin
                // since the last read, and SCIM never touches admins.
                if !scim_visible(current) {
                    return Err(ScimError::not_found());
                }
                if if_match.is_some_and(|tag| tag != "*" && tag != etag(current)) {
                    return Err(ScimError::new(412, None, "The resource changed (ETag)."));
                }
                let mut next = current.clone();
                change(&mut next)?;
                // SCIM lifts only a block it set itself: an admin's block
                // stays until an admin lifts it.
                if current.blocked && !current.blocked_by_scim {
                    next.blocked = true;
                }
                if next.blocked && !current.blocked {
                    next.blocked_by_scim = true;
                    next.session_epoch += 1;
                }
                if !next.blocked {
                    next.blocked_by_scim = false;
                }
                if next == *current {
                    return Ok(Change::Keep);
                }
                let action = match (current.blocked, next.blocked) {
                    (false, true) => AuditAction::UserBlocked,
                    (true, false) => AuditAction::UserUnblocked,
                    _ => AuditAction::UserUpdated,
                };
                let mut audit = event(now, action, None, Some(&next));
                audit.app = Some(client.audit_app());
                Ok(Change::Write(next, vec![audit]))
            })
            .await;
        match written {
            Ok(user) => Ok(user),
            Err(UpdateError::Refused(e)) => Err(e),
            Err(UpdateError::Store(StoreError::Duplicate)) => Err(ScimError::new(
                409,
                Some("uniqueness"),
                "That userName or email is taken.",
            )),
            Err(UpdateError::Gone) => Err(ScimError::not_found()),
            Err(UpdateError::Contended) => Err(ScimError::new(
                409,
                None,
                "The user keeps changing; try again.",
            )),
            Err(UpdateError::Store(e)) => Err(store_error(e)),
        }
    }

    pub async fn scim_replace(
        &self,
        client: &ScimTokenRecord,
        id: &str,
        if_match: Option<&str>,
        resource: &Value,
    ) -> Result<UserRecord, ScimError> {
        self.scim_update(client, id, if_match, |user| {
            let display = user.display_name.clone();
            user.display_name.clear();
            apply_resource(user, resource, true)?;
            if user.display_name.is_empty() {
                user.display_name = display;
            }
            Ok(())
        })
        .await
    }

    pub async fn scim_patch(
        &self,
        client: &ScimTokenRecord,
        id: &str,
        if_match: Option<&str>,
        body: &Value,
    ) -> Result<UserRecord, ScimError> {
        let ops = field(body, "Operations")
            .and_then(Value::as_array)
            .ok_or_else(|| ScimError::invalid("A PATCH needs Operations."))?
            .clone();
        self.scim_update(client, id, if_match, move |user| {
            for op in &ops {
                let kind = text(field(op, "op"), "op")?
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let path = text(field(op, "path"), "path")?;
                let value = field(op, "value").cloned().unwrap_or(Value::Null);
                match (kind.as_str(), path) {
                    ("add" | "replace", None) => apply_resource(user, &value, false)?,
                    ("add" | "replace", Some(path)) => set_attribute(user, &path, &value)?,
                    ("remove", Some(path)) => match path.to_ascii_lowercase().as_str() {
                        "name.givenname" => user.first_name = None,
                        "name.familyname" => user.last_name = None,
                        "name" => {
                            user.first_name = None;
                            user.last_name = None;
                        }
                        "emails[type eq \"other\"]" | "emails[type eq \"other\"].value" => {
                            user.alternate_email = None
                        }
                        "externalid" => user.external_id = None,
                        // Back to what a user without one shows.
                        "displayname" => {
                            user.display_name = match (&user.first_name, &user.last_name) {
                                (Some(g), Some(f)) => format!("{g} {f}"),
                                _ => user.username.clone(),
                            }
                        }
                        // Absent means active (RFC 7643 leaves it to the service).
                        "active" => user.blocked = false,
                        "username"
                        | "emails"
                        | "emails[type eq \"work\"]"
                        | "emails[type eq \"work\"].value" => {
                            return Err(ScimError::new(
                                400,
                                Some("mutability"),
                                format!("{path:?} is required and can't be removed."),
                            ))
                        }
                        // Not kept, so already absent.
                        _ => {}
                    },
                    _ => {
                        return Err(ScimError::invalid(format!(
                            "Unsupported operation {kind:?}."
                        )))
                    }
                }
            }
            Ok(())
        })
        .await
    }

    pub async fn scim_delete(
        &self,
        client: &ScimTokenRecord,
        id: &str,
        if_match: Option<&str>,
    ) -> Result<(), ScimError> {
        for _ in 0..super::update::MAX_WRITE_ATTEMPTS {
            let user = self.scim_user(id).await?;
            if if_match.is_some_and(|tag| tag != "*" && tag != etag(&user)) {
                return Err(ScimError::new(412, None, "The resource changed (ETag)."));
            }
            let mut audit = event(self.now(), AuditAction::UserDeleted, None, Some(&user));
            audit.app = Some(client.audit_app());
            match self.store.delete_user(&user, &[audit]).await {
                Ok(()) => return Ok(()),
                Err(StoreError::Conflict) => continue,
                Err(StoreError::NotFound) => return Err(ScimError::not_found()),
                Err(e) => return Err(store_error(e)),
            }
        }
        Err(ScimError::new(
            409,
            None,
            "The user keeps changing; try again.",
        ))
    }

    /// A ListResponse body.
    pub fn scim_list_body(
        &self,
        base: &str,
        total: usize,
        start: usize,
        page: &[UserRecord],
    ) -> Value {
        json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start.max(1),
            "itemsPerPage": page.len(),
            "Resources": page.iter().map(|u| to_scim(u, base)).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supported_filters_parse_and_others_are_refused() {
        assert_eq!(
            parse_filter(r#"userName eq "Megan.Bowen""#),
            Ok(Filter::UserName("megan.bowen".into()))
        );
        assert_eq!(
            parse_filter(r#"emails.value EQ "a@b.example""#),
            Ok(Filter::Email("a@b.example".into()))
        );
        assert_eq!(
            parse_filter(r#"displayName sw "Meg""#),
            Ok(Filter::DisplayNameStartsWith("meg".into()))
        );
        for bad in [r#"userName co "x""#, "userName eq x", r#"title eq "x""#, ""] {
            assert_eq!(
                parse_filter(bad).unwrap_err().scim_type,
                Some("invalidFilter"),
                "{bad}"
            );
        }
    }

    #[test]
    fn emails_map_primary_to_the_email_and_the_next_to_the_alternate() {
        let mut u = crate::seed::user_record("x", "X", Role::User, None, String::new(), 0);
        apply_emails(&mut u, &json!([{"value": "home@x.example", "type": "home"}, {"value": "work@x.example", "primary": true}])).unwrap();
        assert_eq!(u.email, "work@x.example");
        assert_eq!(u.alternate_email.as_deref(), Some("home@x.example"));
        assert!(apply_emails(&mut u, &json!([])).is_err());
        assert!(apply_emails(&mut u, &json!([{"value": "a@x.example", "primary": true}, {"value": "b@x.example", "primary": "True"}])).is_err());
    }
}
