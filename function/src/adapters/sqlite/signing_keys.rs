//! The published signing keys.

use async_trait::async_trait;
use rusqlite::params;

use super::records::{record, records, to_json};
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
            records(
                c,
                "SELECT record FROM signing_keys ORDER BY created_at DESC, kid",
                [],
            )
        })
        .await
    }

    async fn retire_signing_key(&self, kid: &str, at: i64) -> Result<(), StoreError> {
        let kid = kid.to_string();
        self.write(move |c, _| {
            let tx = c.transaction().map_err(backend)?;
            let found: Option<SigningKeyRecord> = record(
                &tx,
                "SELECT record FROM signing_keys WHERE kid = ?1",
                [&kid],
            )?;
            let Some(mut key) = found else {
                return Err(StoreError::NotFound);
            };
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
