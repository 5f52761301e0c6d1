//! The sign-in log in SQLite: one JSON entry per row, by owner and time.

use async_trait::async_trait;
use rekey_shared::SignInEntry;
use rusqlite::params;

use super::records::records;
use super::{backend, sql_error, SqliteStore};
use crate::ports::{SignInLog, StoreError};

#[async_trait]
impl SignInLog for SqliteStore {
    async fn append_sign_in(&self, owner: &str, entry: &SignInEntry) -> Result<(), StoreError> {
        let (owner, entry) = (owner.to_string(), entry.clone());
        let record = serde_json::to_string(&entry).map_err(backend)?;
        self.write(move |c, _| {
            c.prepare_cached(
                "INSERT INTO sign_ins (id, owner, at, record) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![entry.id, owner, entry.at, record]))
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn sign_ins(
        &self,
        owner: &str,
        since: i64,
        limit: usize,
    ) -> Result<Vec<SignInEntry>, StoreError> {
        let owner = owner.to_string();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(move |c, _| {
            records(
                c,
                "SELECT record FROM sign_ins WHERE owner = ?1 AND at >= ?2 \
                 ORDER BY at DESC, id DESC LIMIT ?3",
                params![owner, since, limit],
            )
        })
        .await
    }

    async fn purge_sign_ins(&self, before: i64) -> Result<(), StoreError> {
        self.write(move |c, _| {
            c.execute("DELETE FROM sign_ins WHERE at < ?1", [before])
                .map_err(backend)?;
            Ok(())
        })
        .await
    }
}
