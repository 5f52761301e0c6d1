//! SCIM clients' named bearer tokens, stored by their hashes.

use async_trait::async_trait;
use rekey_shared::AuditEvent;

use super::StoreError;
use crate::domain::model::ScimTokenRecord;

#[async_trait]
pub trait ScimTokenStore: Send + Sync {
    /// Adds a SCIM bearer token (only its hash) with its audit events.
    async fn insert_scim_token(
        &self,
        token: &ScimTokenRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Every SCIM token, newest first.
    async fn scim_tokens(&self) -> Result<Vec<ScimTokenRecord>, StoreError>;
    async fn scim_token_by_hash(&self, hash: &str) -> Result<Option<ScimTokenRecord>, StoreError>;
    /// Revokes a token; `NotFound` if it is not there.
    async fn delete_scim_token(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError>;
}
