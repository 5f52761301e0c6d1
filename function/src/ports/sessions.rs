//! Signed-in sessions, stored by the hash of their token.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::model::SessionRecord;

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Stores a live session's `last_seen_at` and `authenticated_at`;
    /// nothing if the session is gone.
    async fn touch_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    /// Deletes sessions that expired before `now_ms`; returns how many.
    async fn purge_expired_sessions(&self, now_ms: i64) -> Result<u64, StoreError>;
}
