//! SCIM clients' bearer tokens.

use async_trait::async_trait;
use rekey_shared::AuditEvent;

use super::items::{key, padded, record_of, s, with_record, Item, SEP};
use super::{delete, put, DynamoStore, NOT_EXISTS};
use crate::domain::model::ScimTokenRecord;
use crate::ports::{ScimTokenStore, StoreError};

fn scim_key(hash: &str) -> Item {
    key(format!("SCIM#{hash}"), "SCIM")
}

#[async_trait]
impl ScimTokenStore for DynamoStore {
    async fn insert_scim_token(
        &self,
        token: &ScimTokenRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut item = with_record(scim_key(&token.token_hash), token)?;
        item.insert("g1pk".into(), s("SCIMTOKENS"));
        item.insert(
            "g1sk".into(),
            s(format!("{}{SEP}{}", padded(token.created_at), token.id)),
        );
        let write = put(&self.table, item, Some(NOT_EXISTS))?;
        Ok(self.write_with_audit(write, audit).await?)
    }

    async fn scim_tokens(&self) -> Result<Vec<ScimTokenRecord>, StoreError> {
        self.records_newest_first("SCIMTOKENS").await
    }

    async fn scim_token_by_hash(&self, hash: &str) -> Result<Option<ScimTokenRecord>, StoreError> {
        self.get(scim_key(hash))
            .await?
            .as_ref()
            .map(record_of)
            .transpose()
    }

    async fn delete_scim_token(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let token = self
            .scim_tokens()
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(StoreError::NotFound)?;
        let write = delete(&self.table, scim_key(&token.token_hash))?;
        Ok(self.write_with_audit(write, audit).await?)
    }
}
