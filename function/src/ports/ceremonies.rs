//! WebAuthn ceremonies by the hash of their id. Taking one is its single
//! use: of twenty finishes at once, one gets the state.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::model::Ceremony;

#[async_trait]
pub trait Ceremonies: Send + Sync {
    async fn insert_ceremony(&self, ceremony: &Ceremony) -> Result<(), StoreError>;
    /// Removes it and hands it to the one caller that did; `None` if it
    /// was gone already (finished, or never started).
    async fn take_ceremony(&self, id_hash: &str) -> Result<Option<Ceremony>, StoreError>;
    /// Forgets those that expired before `now`.
    async fn purge_ceremonies(&self, now: i64) -> Result<(), StoreError>;
}
