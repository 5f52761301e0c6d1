//! Sessions, by the hash of their token.

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

use super::{backend, sql_error, SqliteStore};
use crate::domain::model::SessionRecord;
use crate::ports::{SessionStore, StoreError};

#[async_trait]
impl SessionStore for SqliteStore {
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let s = session.clone();
        self.write(move |c, _| {
            c.prepare_cached(
                "INSERT INTO sessions (token_hash, user_id, epoch, created_at, expires_at, \
                 last_seen_at, authenticated_at, amr) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    s.token_hash,
                    s.user_id,
                    s.epoch,
                    s.created_at,
                    s.expires_at,
                    s.last_seen_at,
                    s.authenticated_at,
                    s.amr.join(" ")
                ])
            })
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let token_hash = token_hash.to_string();
        self.read(move |c, _| {
            c.prepare_cached(
                "SELECT token_hash, user_id, epoch, created_at, expires_at, last_seen_at, \
                 authenticated_at, amr FROM sessions WHERE token_hash = ?1",
            )
            .and_then(|mut s| {
                s.query_row([token_hash], |r| {
                    Ok(SessionRecord {
                        token_hash: r.get(0)?,
                        user_id: r.get(1)?,
                        epoch: r.get(2)?,
                        created_at: r.get(3)?,
                        expires_at: r.get(4)?,
                        last_seen_at: r.get(5)?,
                        authenticated_at: r.get(6)?,
                        amr: r
                            .get::<_, String>(7)?
                            .split_whitespace()
                            .map(String::from)
                            .collect(),
                    })
                })
                .optional()
            })
            .map_err(backend)
        })
        .await
    }

    async fn touch_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let s = session.clone();
        self.write(move |c, _| {
            c.prepare_cached(
                "UPDATE sessions SET last_seen_at = ?2, authenticated_at = ?3, amr = ?4 \
                 WHERE token_hash = ?1",
            )
            .and_then(|mut st| {
                st.execute(params![
                    s.token_hash,
                    s.last_seen_at,
                    s.authenticated_at,
                    s.amr.join(" ")
                ])
            })
            .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let token_hash = token_hash.to_string();
        self.write(move |c, _| {
            c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])
                .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn purge_expired_sessions(&self, now_ms: i64) -> Result<u64, StoreError> {
        self.write(move |c, _| {
            c.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now_ms])
                .map(|n| n as u64)
                .map_err(backend)
        })
        .await
    }
}
