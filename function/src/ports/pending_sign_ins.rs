//! Sign-ins between the password and the second factor, by the hash of
//! their token. Taking one is the single use: of two at once, one wins.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::model::PendingSignIn;

#[async_trait]
pub trait PendingSignIns: Send + Sync {
    async fn insert_pending_sign_in(&self, pending: &PendingSignIn) -> Result<(), StoreError>;
    async fn pending_sign_in(&self, token_hash: &str) -> Result<Option<PendingSignIn>, StoreError>;
    /// Removes it: `true` for the one caller that did, `false` if it was
    /// gone already.
    async fn take_pending_sign_in(&self, token_hash: &str) -> Result<bool, StoreError>;
    /// Forgets those that expired before `now`.
    async fn purge_pending_sign_ins(&self, now: i64) -> Result<(), StoreError>;
}
