//! The single table's items, and their conversion to and from records.
//!
//! | item | pk | sk | GSI keys |
//! |---|---|---|---|
//! | user | `U#{id}` | `U` | by_name: `USERS`, name key · by_role: `ROLE#{role}`, name key · by_request (while asked): `REQUESTS`, time |
//! | login (username or email, lower case) | `N#{username}` / `E#{email}` | `L` | |
//! | search term | `U#{id}` | `T#{term}` | by_term: `T#{first char}`, `{term}\u{1}{id}` |
//! | externalId (SCIM) | `X#{external id}` | `X#{id}` | |
//! | SCIM page bookmark | `SCIMPAGES` | `{offset}` | |
//! | session | `S#{sha256}` | `S` | by_name: `SESSIONS`, expiry |
//! | audit event | `A#{event id}` | `A` | by_name: `AUDIT`, event id |
//! | rate-limit attempt | `R#{key}` | `{time}\u{1}{uuid}` | by_name: `ATTEMPTS`, time |
//! | user count | `META` | `USERS` | |
//!
//! Sort keys that hold numbers are offset and zero-padded, so string order
//! is number order. Sessions and attempts carry `ttl` (epoch seconds) for
//! DynamoDB's own expiry; the purge methods remove them sooner.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use rekey_shared::{AuditEvent, Lang, Role};

use crate::adapters::keys::terms;
use crate::domain::model::{password_only, SessionRecord, UserRecord};
use crate::ports::StoreError;

pub type Item = HashMap<String, AttributeValue>;

pub const BY_NAME: &str = "by_name";
pub const BY_TERM: &str = "by_term";
pub const BY_ROLE: &str = "by_role";
pub const BY_REQUEST: &str = "by_request";

/// Separates the parts of a composite sort key; sorts before any printable
/// character, so "lee gu" + SEP sorts before "lee gua".
pub const SEP: char = '\u{1}';

pub fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

pub fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

pub fn n(v: impl std::fmt::Display) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// A number as a fixed-width string whose order is the number's order.
pub fn padded(v: i64) -> String {
    format!("{:020}", i128::from(v) - i128::from(i64::MIN))
}

pub fn key(pk: String, sk: &str) -> Item {
    HashMap::from([("pk".into(), s(pk)), ("sk".into(), s(sk))])
}

pub fn user_key(id: &str) -> Item {
    key(format!("U#{id}"), "U")
}

pub fn username_key(username: &str) -> Item {
    key(format!("N#{}", username.to_lowercase()), "L")
}

pub fn email_key(email: &str) -> Item {
    key(format!("E#{}", email.to_lowercase()), "L")
}

pub fn count_key() -> Item {
    key("META".into(), "USERS")
}

/// `display name (lower case) SEP id`: the listing order, both directions.
pub fn name_key(display_name: &str, id: &str) -> String {
    format!("{}{SEP}{id}", display_name.to_lowercase())
}

/// Every term, each after SEP: a prefix `p` of any term is `contains(SEP p)`.
pub fn term_blob(user: &UserRecord) -> String {
    terms(user).iter().map(|t| format!("{SEP}{t}")).collect()
}

pub fn user_item(u: &UserRecord) -> Item {
    let name = name_key(&u.display_name, &u.id);
    let mut item = user_key(&u.id);
    let mut put = |k: &str, v: AttributeValue| {
        item.insert(k.into(), v);
    };
    put("id", s(&u.id));
    put("username", s(u.username.to_lowercase()));
    put("display_name", s(&u.display_name));
    put("email", s(&u.email));
    put("role", s(u.role.as_str()));
    put("password_hash", s(&u.password_hash));
    put(
        "must_change_password",
        AttributeValue::Bool(u.must_change_password),
    );
    put("failed_sign_ins", n(u.failed_sign_ins));
    put("lockouts", n(u.lockouts));
    put("session_epoch", n(u.session_epoch));
    put("version", n(u.version));
    put("created_at", n(u.created_at));
    put("search_terms", s(term_blob(u)));
    put("g1pk", s("USERS"));
    put("g1sk", s(&name));
    put("g3pk", s(format!("ROLE#{}", u.role.as_str())));
    put("g3sk", s(&name));
    if let Some(v) = &u.alternate_email {
        put("alternate_email", s(v));
    }
    if let Some(v) = u.temp_password_expires_at {
        put("temp_password_expires_at", n(v));
    }
    if let Some(v) = u.locked_until {
        put("locked_until", n(v));
    }
    if let Some(link) = &u.reset_link {
        put("link_token_hash", s(&link.token_hash));
        put("link_sent_at", n(link.sent_at));
        put("link_expires_at", n(link.expires_at));
        if let Some(used) = link.used_at {
            put("link_used_at", n(used));
        }
        if let Some(v) = &link.alternate_hash {
            put("link_alternate_hash", s(v));
        }
    }
    if u.blocked_by_scim {
        put("blocked_by_scim", AttributeValue::Bool(true));
    }
    if let Some(v) = &u.verified_email {
        put("verified_email", s(v));
    }
    if let Some(t) = u.temporary_pass.as_ref() {
        if let Ok(json) = serde_json::to_string(t) {
            put("temporary_pass", s(json));
        }
    }
    if let Some(v) = u.mfa_asked_at {
        put("mfa_asked_at", n(v));
    }
    if let Some(c) = u.security_info_check.as_ref() {
        if let Ok(json) = serde_json::to_string(c) {
            put("security_info_check", s(json));
        }
    }
    if let Some(v) = &u.last_reset_by {
        put("last_reset_by", s(v));
    }
    if let Some(v) = u.last_reset_at {
        put("last_reset_at", n(v));
    }
    if let Some(lang) = u.preferred_language {
        put("preferred_language", s(lang.as_str()));
    }
    if let Some(v) = &u.first_name {
        put("first_name", s(v));
    }
    if let Some(v) = &u.last_name {
        put("last_name", s(v));
    }
    if u.blocked {
        put("blocked", AttributeValue::Bool(true));
    }
    if let Some(v) = &u.external_id {
        put("external_id", s(v));
    }
    if let Some(v) = u.reset_requested_at {
        put("reset_requested_at", n(v));
        // Sparse: only users with a pending request are in this index.
        put("g4pk", s("REQUESTS"));
        put("g4sk", s(format!("{}{SEP}{}", padded(v), u.id)));
    }
    item
}

pub fn get_s(item: &Item, k: &str) -> Result<String, StoreError> {
    match item.get(k) {
        Some(AttributeValue::S(v)) => Ok(v.clone()),
        other => Err(backend(format!("item attribute {k}: {other:?}"))),
    }
}

fn opt_n<T: std::str::FromStr>(item: &Item, k: &str) -> Result<Option<T>, StoreError> {
    match item.get(k) {
        None | Some(AttributeValue::Null(_)) => Ok(None),
        Some(AttributeValue::N(v)) => v
            .parse()
            .map(Some)
            .map_err(|_| backend(format!("item attribute {k}: {v:?}"))),
        Some(other) => Err(backend(format!("item attribute {k}: {other:?}"))),
    }
}

pub fn get_n<T: std::str::FromStr>(item: &Item, k: &str) -> Result<T, StoreError> {
    opt_n(item, k)?.ok_or_else(|| backend(format!("item attribute {k} missing")))
}

pub fn user_from_item(item: &Item) -> Result<UserRecord, StoreError> {
    let role = get_s(item, "role")?;
    Ok(UserRecord {
        id: get_s(item, "id")?,
        username: get_s(item, "username")?,
        display_name: get_s(item, "display_name")?,
        email: get_s(item, "email")?,
        alternate_email: item
            .get("alternate_email")
            .and_then(|v| v.as_s().ok())
            .cloned(),
        role: Role::parse(&role).ok_or_else(|| backend(format!("unknown role {role:?}")))?,
        password_hash: get_s(item, "password_hash")?,
        must_change_password: matches!(
            item.get("must_change_password"),
            Some(AttributeValue::Bool(true))
        ),
        temp_password_expires_at: opt_n(item, "temp_password_expires_at")?,
        failed_sign_ins: get_n(item, "failed_sign_ins")?,
        locked_until: opt_n(item, "locked_until")?,
        lockouts: get_n(item, "lockouts")?,
        session_epoch: get_n(item, "session_epoch")?,
        version: get_n(item, "version")?,
        created_at: get_n(item, "created_at")?,
        reset_requested_at: opt_n(item, "reset_requested_at")?,
        last_reset_by: item
            .get("last_reset_by")
            .and_then(|v| v.as_s().ok())
            .cloned(),
        last_reset_at: opt_n(item, "last_reset_at")?,
        reset_link: match item.get("link_token_hash").and_then(|v| v.as_s().ok()) {
            Some(hash) => Some(crate::domain::model::ResetLink {
                token_hash: hash.clone(),
                sent_at: get_n(item, "link_sent_at")?,
                expires_at: get_n(item, "link_expires_at")?,
                used_at: opt_n(item, "link_used_at")?,
                alternate_hash: item
                    .get("link_alternate_hash")
                    .and_then(|v| v.as_s().ok())
                    .cloned(),
            }),
            None => None,
        },
        first_name: item.get("first_name").and_then(|v| v.as_s().ok()).cloned(),
        last_name: item.get("last_name").and_then(|v| v.as_s().ok()).cloned(),
        blocked: matches!(item.get("blocked"), Some(AttributeValue::Bool(true))),
        external_id: item.get("external_id").and_then(|v| v.as_s().ok()).cloned(),
        blocked_by_scim: matches!(
            item.get("blocked_by_scim"),
            Some(AttributeValue::Bool(true))
        ),
        verified_email: item
            .get("verified_email")
            .and_then(|v| v.as_s().ok())
            .cloned(),
        mfa_asked_at: opt_n(item, "mfa_asked_at")?,
        temporary_pass: match item.get("temporary_pass").and_then(|v| v.as_s().ok()) {
            None => None,
            Some(json) => Some(serde_json::from_str(json).map_err(backend)?),
        },
        security_info_check: match item.get("security_info_check").and_then(|v| v.as_s().ok()) {
            None => None,
            Some(json) => Some(serde_json::from_str(json).map_err(backend)?),
        },
        preferred_language: match item.get("preferred_language") {
            None => None,
            Some(v) => {
                let lang = v
                    .as_s()
                    .map_err(|_| backend("item attribute preferred_language"))?;
                Some(
                    Lang::parse(lang)
                        .ok_or_else(|| backend(format!("unknown language {lang:?}")))?,
                )
            }
        },
    })
}

/// The items that only exist to find a user: logins and search terms.
pub fn lookup_items(u: &UserRecord) -> Vec<Item> {
    let owner = |mut item: Item| {
        item.insert("user_id".into(), s(&u.id));
        item
    };
    let mut items = vec![owner(username_key(&u.username)), owner(email_key(&u.email))];
    items.extend(terms(u).into_iter().map(|t| term_item(u, &t)));
    if let Some(external) = &u.external_id {
        // Not unique: one item per user under the id.
        items.push(owner(key(format!("X#{external}"), &format!("X#{}", u.id))));
    }
    items
}

pub fn term_item(u: &UserRecord, term: &str) -> Item {
    let first: String = term.chars().take(1).collect();
    let mut item = key(format!("U#{}", u.id), &format!("T#{term}"));
    item.insert("user_id".into(), s(&u.id));
    item.insert("name_key".into(), s(name_key(&u.display_name, &u.id)));
    item.insert("g2pk".into(), s(format!("T#{first}")));
    item.insert("g2sk".into(), s(format!("{term}{SEP}{}", u.id)));
    item
}

/// DynamoDB's TTL is in seconds; keep items a day past their own expiry.
pub fn ttl(at_ms: i64) -> AttributeValue {
    n(at_ms.div_euclid(1000) + 86_400)
}

/// The domain's JSON record an item carries in `record`.
pub fn record_of<T: serde::de::DeserializeOwned>(item: &Item) -> Result<T, StoreError> {
    let text = item
        .get("record")
        .and_then(|v| v.as_s().ok())
        .ok_or_else(|| backend("an item without its record"))?;
    serde_json::from_str(text).map_err(backend)
}

/// `item` with `value` as its JSON `record`.
pub fn with_record(mut item: Item, value: &impl serde::Serialize) -> Result<Item, StoreError> {
    item.insert(
        "record".into(),
        s(serde_json::to_string(value).map_err(backend)?),
    );
    Ok(item)
}

pub fn session_key(token_hash: &str) -> Item {
    key(format!("S#{token_hash}"), "S")
}

pub fn session_item(r: &SessionRecord) -> Item {
    let mut item = session_key(&r.token_hash);
    item.insert("token_hash".into(), s(&r.token_hash));
    item.insert("user_id".into(), s(&r.user_id));
    item.insert("epoch".into(), n(r.epoch));
    item.insert("created_at".into(), n(r.created_at));
    item.insert("expires_at".into(), n(r.expires_at));
    item.insert("last_seen_at".into(), n(r.last_seen_at));
    item.insert("authenticated_at".into(), n(r.authenticated_at));
    item.insert("amr".into(), s(r.amr.join(" ")));
    item.insert("g1pk".into(), s("SESSIONS"));
    item.insert(
        "g1sk".into(),
        s(format!("{}{SEP}{}", padded(r.expires_at), r.token_hash)),
    );
    item.insert("ttl".into(), ttl(r.expires_at));
    item
}

pub fn session_from_item(item: &Item) -> Result<SessionRecord, StoreError> {
    Ok(SessionRecord {
        token_hash: get_s(item, "token_hash")?,
        user_id: get_s(item, "user_id")?,
        epoch: get_n(item, "epoch")?,
        created_at: get_n(item, "created_at")?,
        expires_at: get_n(item, "expires_at")?,
        // Sessions from before these were kept count from their start.
        last_seen_at: opt_n(item, "last_seen_at")?.unwrap_or(get_n(item, "created_at")?),
        authenticated_at: opt_n(item, "authenticated_at")?.unwrap_or(get_n(item, "created_at")?),
        // Sessions from before it was kept were password-only.
        amr: item
            .get("amr")
            .and_then(|v| v.as_s().ok())
            .map_or_else(password_only, |m| {
                m.split_whitespace().map(String::from).collect()
            }),
    })
}

pub fn audit_item(e: &AuditEvent) -> Result<Item, StoreError> {
    let mut item = key(format!("A#{}", e.id), "A");
    item.insert(
        "event".into(),
        s(serde_json::to_string(e).map_err(backend)?),
    );
    item.insert("g1pk".into(), s("AUDIT"));
    item.insert("g1sk".into(), s(&e.id));
    Ok(item)
}

pub fn audit_from_item(item: &Item) -> Result<AuditEvent, StoreError> {
    serde_json::from_str(&get_s(item, "event")?).map_err(backend)
}

pub fn attempt_item(k: &str, at: i64) -> Item {
    let unique = format!("{}{SEP}{}", padded(at), uuid::Uuid::new_v4().simple());
    let mut item = key(format!("R#{k}"), &unique);
    item.insert("g1pk".into(), s("ATTEMPTS"));
    item.insert("g1sk".into(), s(format!("{unique}{SEP}{k}")));
    item.insert("ttl".into(), ttl(at));
    item
}

/// The table's own key of an item read from an index.
pub fn primary_key(item: &Item) -> Item {
    item.iter()
        .filter(|(k, _)| *k == "pk" || *k == "sk")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_numbers_sort_as_numbers() {
        let mut v = [i64::MIN, -5, -1, 0, 1, 9, 10, 1_700_000_000_000, i64::MAX];
        let mut by_text: Vec<i64> = v.to_vec();
        by_text.sort_by_key(|x| padded(*x));
        v.sort();
        assert_eq!(by_text, v);
    }

    #[test]
    fn a_user_survives_the_round_trip_through_an_item() {
        let mut u = crate::seed::user_record(
            "lee.gu",
            "Lee Gu",
            Role::HelpdeskAdmin,
            Some("lee@home.example".into()),
            "$argon2id$x".into(),
            7,
        );
        u.reset_requested_at = Some(9);
        u.preferred_language = Some(rekey_shared::Lang::Nl);
        u.last_reset_by = Some("admin-1".into());
        u.last_reset_at = Some(11);
        u.mfa_asked_at = Some(15);
        u.security_info_check = Some(crate::domain::model::SecurityInfoCheck {
            skips: 2,
            confirmed_at: Some(16),
        });
        u.reset_link = Some(crate::domain::model::ResetLink {
            token_hash: "ab".repeat(32),
            sent_at: 12,
            expires_at: 13,
            used_at: Some(14),
            alternate_hash: Some("cd".repeat(32)),
        });
        u.blocked_by_scim = true;
        u.verified_email = Some("lee.gu@contoso.example".into());
        u.locked_until = Some(-3);
        u.version = 4;
        assert_eq!(user_from_item(&user_item(&u)).unwrap(), u);
    }
}
