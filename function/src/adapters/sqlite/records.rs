//! Records kept as one JSON document per row (apps, grants, keys, SCIM
//! tokens, sign-ins), with the columns their queries need beside it.

use rusqlite::{Connection, OptionalExtension, Params};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::backend;
use crate::ports::StoreError;

pub(super) fn to_json(value: &impl Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(backend)
}

pub(super) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(backend)
}

/// The record `sql` selects (its first column), if there is one.
pub(super) fn record<T: DeserializeOwned>(
    c: &Connection,
    sql: &str,
    params: impl Params,
) -> Result<Option<T>, StoreError> {
    let text: Option<String> = c
        .query_row(sql, params, |r| r.get(0))
        .optional()
        .map_err(backend)?;
    text.as_deref().map(from_json).transpose()
}

/// Every record `sql` selects (its first column), in its order.
pub(super) fn records<T: DeserializeOwned>(
    c: &Connection,
    sql: &str,
    params: impl Params,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = c.prepare_cached(sql).map_err(backend)?;
    let rows = stmt
        .query_map(params, |r| r.get::<_, String>(0))
        .map_err(backend)?;
    rows.map(|r| from_json(&r.map_err(backend)?)).collect()
}
