//! The sign-in log's store: entries under the account they concern (or,
//! for a login that is no account, under a hash of it, never shown), kept
//! 30 days.

use async_trait::async_trait;
use rekey_shared::SignInEntry;

use super::StoreError;

/// How long the store keeps sign-in entries.
pub const SIGN_IN_LOG_DAYS: i64 = 30;

#[async_trait]
pub trait SignInLog: Send + Sync {
    /// Adds `entry` under `owner` (a user id, or an unknown login's key).
    async fn append_sign_in(&self, owner: &str, entry: &SignInEntry) -> Result<(), StoreError>;
    /// `owner`'s entries at or after `since`, newest first, at most `limit`.
    async fn sign_ins(
        &self,
        owner: &str,
        since: i64,
        limit: usize,
    ) -> Result<Vec<SignInEntry>, StoreError>;
    /// Forgets entries older than `before`.
    async fn purge_sign_ins(&self, before: i64) -> Result<(), StoreError>;
}
