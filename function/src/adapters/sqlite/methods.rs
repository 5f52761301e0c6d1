//! Users' sign-in methods: one JSON record per row, the version beside it
//! for conditional writes.

use async_trait::async_trait;
use rekey_shared::AuditEvent;
use rusqlite::params;

use super::apps::{check_version, delete_by_id};
use super::records::{records, to_json};
use super::{sql_error, SqliteStore};
use crate::domain::model::MethodRecord;
use crate::ports::{MethodStore, StoreError};

#[async_trait]
impl MethodStore for SqliteStore {
    async fn insert_method(
        &self,
        method: &MethodRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let method = method.clone();
        self.with_audit(audit, move |tx| {
            tx.execute(
                "INSERT INTO auth_methods (id, user_id, created_at, version, record) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    method.id,
                    method.user_id,
                    method.created_at,
                    method.version,
                    to_json(&method)?
                ],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn methods_of(&self, user_id: &str) -> Result<Vec<MethodRecord>, StoreError> {
        let user_id = user_id.to_string();
        // Each record is written with its version, so it reads back whole.
        self.read(move |c, _| {
            records(
                c,
                "SELECT record FROM auth_methods WHERE user_id = ?1 ORDER BY created_at, id",
                [&user_id],
            )
        })
        .await
    }

    async fn update_method(
        &self,
        method: &MethodRecord,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        let mut method = method.clone();
        self.with_audit(audit, move |tx| {
            check_version(tx, "auth_methods", &method.id, method.version)?;
            method.version += 1;
            tx.execute(
                "UPDATE auth_methods SET version = ?2, record = ?3 WHERE id = ?1",
                params![method.id, method.version, to_json(&method)?],
            )
            .map_err(sql_error)?;
            Ok(method.version)
        })
        .await
    }

    async fn delete_method(
        &self,
        user_id: &str,
        id: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let (user_id, id) = (user_id.to_string(), id.to_string());
        self.with_audit(audit, move |tx| {
            let owner: Option<String> = rusqlite::OptionalExtension::optional(tx.query_row(
                "SELECT user_id FROM auth_methods WHERE id = ?1",
                [&id],
                |r| r.get(0),
            ))
            .map_err(super::backend)?;
            if owner.as_deref() != Some(user_id.as_str()) {
                return Err(StoreError::NotFound);
            }
            delete_by_id(tx, "auth_methods", &id)
        })
        .await
    }
}
