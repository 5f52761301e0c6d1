//! WebAuthn ceremonies between start and finish (a few minutes each).

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

use super::records::{from_json, to_json};
use super::{backend, sql_error, SqliteStore};
use crate::domain::model::Ceremony;
use crate::ports::{Ceremonies, StoreError};

#[async_trait]
impl Ceremonies for SqliteStore {
    async fn insert_ceremony(&self, ceremony: &Ceremony) -> Result<(), StoreError> {
        let ceremony = ceremony.clone();
        self.write(move |c, _| {
            c.execute(
                "INSERT INTO ceremonies (id_hash, expires_at, record) VALUES (?1, ?2, ?3)",
                params![ceremony.id_hash, ceremony.expires_at, to_json(&ceremony)?],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn take_ceremony(&self, id_hash: &str) -> Result<Option<Ceremony>, StoreError> {
        let id_hash = id_hash.to_string();
        self.write(move |c, _| {
            let text: Option<String> = c
                .query_row(
                    "DELETE FROM ceremonies WHERE id_hash = ?1 RETURNING record",
                    [id_hash],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            text.as_deref().map(from_json).transpose()
        })
        .await
    }

    async fn purge_ceremonies(&self, now: i64) -> Result<(), StoreError> {
        self.write(move |c, _| {
            c.execute("DELETE FROM ceremonies WHERE expires_at < ?1", [now])
                .map_err(backend)?;
            Ok(())
        })
        .await
    }
}
