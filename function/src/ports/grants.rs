//! What an app's sign-in grants: authorization codes and the access
//! tokens they buy, stored by the hashes of their secrets.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::model::{AccessTokenRecord, CodeRecord};

/// What spending an authorization code found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redemption {
    /// The code's first use: it is now marked used and its token stored.
    First(CodeRecord),
    /// The code was used before (a replay).
    Again(CodeRecord),
    Unknown,
}

#[async_trait]
pub trait GrantStore: Send + Sync {
    async fn insert_code(&self, code: &CodeRecord) -> Result<(), StoreError>;
    /// The code as stored now (a strong read), used or not.
    async fn code(&self, code_hash: &str) -> Result<Option<CodeRecord>, StoreError>;
    /// Marks the code used at `now` and stores the token it bought, in one
    /// atomic write: of two concurrent spends exactly one sees `First`, and
    /// a replay that loses finds the winner's token to revoke.
    async fn spend_code(
        &self,
        code: &CodeRecord,
        token: &AccessTokenRecord,
        now: i64,
    ) -> Result<Redemption, StoreError>;
    async fn access_token(&self, token_hash: &str)
        -> Result<Option<AccessTokenRecord>, StoreError>;
    /// Revokes every access token issued for the code, reading what the
    /// spend recorded strongly; returns how many.
    async fn revoke_code_tokens(&self, code_hash: &str) -> Result<u64, StoreError>;
    /// Forgets codes and tokens that expired before `now`.
    async fn purge_expired_grants(&self, now: i64) -> Result<(), StoreError>;
}
