//! The published signing keys.

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

use super::apps::{from_json, to_json};
use super::{backend, sql_error, SqliteStore};
use crate::domain::model::SigningKeyRecord;
use crate::ports::{SigningKeyStore, StoreError};

#[async_trait]
impl SigningKeyStore for SqliteStore {
    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> Result<(), StoreError> {
        let key = key.clone();
        self.write(move |c, _| {
            c.execute(
                "INSERT INTO signing_keys (kid, created_at, record) VALUES (?1, ?2, ?3)",
                params![key.kid, key.created_at, to_json(&key)?],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError> {
        self.read(|c, _| {
            let mut stmt = c
                .prepare_cached("SELECT record FROM signing_keys ORDER BY created_at DESC, kid")
                .map_err(backend)?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(backend)?;
            rows.map(|r| from_json(&r.map_err(backend)?)).collect()
        })
        .await
    }

    async fn retire_signing_key(&self, kid: &str, at: i64) -> Result<(), StoreError> {
        let kid = kid.to_string();
        self.write(move |c, _| {
            let tx = c.transaction().map_err(backend)?;
            let record: Option<String> = tx
                .query_row(
                    "SELECT record FROM signing_keys WHERE kid = ?1",
                    [&kid],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            let Some(record) = record else {
                return Err(StoreError::NotFound);
            };
            let mut key: SigningKeyRecord = from_json(&record)?;
            if key.retired_at.is_none() {
                key.retired_at = Some(at);
                tx.execute(
                    "UPDATE signing_keys SET record = ?2 WHERE kid = ?1",
                    params![kid, to_json(&key)?],
                )
                .map_err(backend)?;
            }
            tx.commit().map_err(backend)
        })
        .await
    }
}
