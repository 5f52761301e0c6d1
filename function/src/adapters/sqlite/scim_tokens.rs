//! SCIM clients' bearer tokens.

use async_trait::async_trait;
use rekey_shared::AuditEvent;
use rusqlite::params;

use super::apps::delete_by_id;
use super::records::{record, records, to_json};
use super::{sql_error, SqliteStore};
use crate::domain::model::ScimTokenRecord;
use crate::ports::{ScimTokenStore, StoreError};

#[async_trait]
impl ScimTokenStore for SqliteStore {
    async fn insert_scim_token(
        &self,
        token: &ScimTokenRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let token = token.clone();
        self.with_audit(audit, move |tx| {
            tx.execute(
                "INSERT INTO scim_tokens (id, token_hash, created_at, record) VALUES (?1, ?2, ?3, ?4)",
                params![token.id, token.token_hash, token.created_at, to_json(&token)?],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn scim_tokens(&self) -> Result<Vec<ScimTokenRecord>, StoreError> {
        self.read(|c, _| {
            records(
                c,
                "SELECT record FROM scim_tokens ORDER BY created_at DESC, id",
                [],
            )
        })
        .await
    }

    async fn scim_token_by_hash(&self, hash: &str) -> Result<Option<ScimTokenRecord>, StoreError> {
        let hash = hash.to_string();
        self.read(move |c, _| {
            record(
                c,
                "SELECT record FROM scim_tokens WHERE token_hash = ?1",
                [hash],
            )
        })
        .await
    }

    async fn delete_scim_token(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let id = id.to_string();
        self.with_audit(audit, move |tx| delete_by_id(tx, "scim_tokens", &id))
            .await
    }
}
