//! What every store adapter shares: the search terms a prefix is matched
//! against, and opaque cursors (URL-safe base64 of JSON).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::domain::model::UserRecord;
use crate::ports::StoreError;

pub fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == '-'
}

pub fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(is_separator).filter(|w| !w.is_empty())
}

/// The lower-cased strings a search prefix is matched against.
pub fn terms(user: &UserRecord) -> Vec<String> {
    let name = user.display_name.to_lowercase();
    let mut terms: Vec<String> = words(&name).map(str::to_string).collect();
    terms.push(name);
    terms.push(user.username.to_lowercase());
    terms.push(user.email.to_lowercase());
    terms.sort();
    terms.dedup();
    terms
}

pub fn encode_cursor(value: &impl serde::Serialize) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap_or_default())
}

pub fn decode_cursor<T: serde::de::DeserializeOwned>(cursor: &str) -> Result<T, StoreError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| StoreError::InvalidCursor)?;
    serde_json::from_slice(&bytes).map_err(|_| StoreError::InvalidCursor)
}
