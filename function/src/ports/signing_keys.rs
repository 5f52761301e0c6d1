//! The public half of every ID-token signing key (the JWKS).

use async_trait::async_trait;

use super::StoreError;
use crate::domain::model::SigningKeyRecord;

#[async_trait]
pub trait SigningKeyStore: Send + Sync {
    /// Publishes a key; `Duplicate` if its kid is known.
    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> Result<(), StoreError>;
    /// Every published key, newest first.
    async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError>;
    /// Marks a key as no longer signing from `at` (it stays published
    /// until the tokens it signed have expired).
    async fn retire_signing_key(&self, kid: &str, at: i64) -> Result<(), StoreError>;
}
