//! Rate-limited attempts ("Forgot your password?" per address, and the
//! like), counted by key over a window.

use async_trait::async_trait;

use super::StoreError;

#[async_trait]
pub trait AttemptStore: Send + Sync {
    /// Notes one rate-limited attempt under `key` at `at`.
    async fn record_attempt(&self, key: &str, at: i64) -> Result<(), StoreError>;
    /// Attempts under `key` at or after `since`.
    async fn count_attempts(&self, key: &str, since: i64) -> Result<u64, StoreError>;
    /// Forgets attempts older than `before`.
    async fn purge_attempts(&self, before: i64) -> Result<(), StoreError>;
}
