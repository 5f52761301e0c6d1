//! Rate-limited attempts, counted by key and time.

use async_trait::async_trait;
use rusqlite::params;

use super::{backend, SqliteStore};
use crate::ports::{AttemptStore, StoreError};

#[async_trait]
impl AttemptStore for SqliteStore {
    async fn record_attempt(&self, key: &str, at: i64) -> Result<(), StoreError> {
        let key = key.to_string();
        self.write(move |c, _| {
            c.prepare_cached("INSERT INTO request_attempts (key, at) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute(params![key, at]))
                .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn count_attempts(&self, key: &str, since: i64) -> Result<u64, StoreError> {
        let key = key.to_string();
        self.read(move |c, _| {
            c.prepare_cached("SELECT count(*) FROM request_attempts WHERE key = ?1 AND at >= ?2")
                .and_then(|mut s| s.query_row(params![key, since], |r| r.get(0)))
                .map_err(backend)
        })
        .await
    }

    async fn purge_attempts(&self, before: i64) -> Result<(), StoreError> {
        self.write(move |c, _| {
            c.execute("DELETE FROM request_attempts WHERE at < ?1", [before])
                .map_err(backend)?;
            Ok(())
        })
        .await
    }
}
