//! Organisation settings: one JSON record per key, with its version.

use async_trait::async_trait;
use rekey_shared::AuditEvent;
use rusqlite::{params, OptionalExtension};

use super::{backend, SqliteStore};
use crate::ports::{SettingsStore, StoreError};

#[async_trait]
impl SettingsStore for SqliteStore {
    async fn setting(&self, key: &str) -> Result<Option<(String, u64)>, StoreError> {
        let key = key.to_string();
        self.read(move |c, _| {
            c.query_row(
                "SELECT record, version FROM settings WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(backend)
        })
        .await
    }

    async fn put_setting(
        &self,
        key: &str,
        record: &str,
        version: u64,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        let (key, record) = (key.to_string(), record.to_string());
        self.with_audit(audit, move |tx| {
            let written = if version == 0 {
                tx.execute(
                    "INSERT INTO settings (key, version, record) VALUES (?1, 1, ?2) \
                     ON CONFLICT (key) DO NOTHING",
                    params![key, record],
                )
            } else {
                tx.execute(
                    "UPDATE settings SET version = version + 1, record = ?2 \
                     WHERE key = ?1 AND version = ?3",
                    params![key, record, version],
                )
            }
            .map_err(backend)?;
            if written == 1 {
                Ok(version + 1)
            } else {
                Err(StoreError::Conflict)
            }
        })
        .await
    }
}
