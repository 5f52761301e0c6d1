//! Sign-ins waiting for their second factor.

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

use super::{backend, sql_error, SqliteStore};
use crate::domain::model::PendingSignIn;
use crate::ports::{PendingSignIns, StoreError};

#[async_trait]
impl PendingSignIns for SqliteStore {
    async fn insert_pending_sign_in(&self, p: &PendingSignIn) -> Result<(), StoreError> {
        let p = p.clone();
        self.write(move |c, _| {
            c.execute(
                "INSERT INTO pending_sign_ins (token_hash, user_id, epoch, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![p.token_hash, p.user_id, p.epoch, p.created_at, p.expires_at],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn pending_sign_in(&self, token_hash: &str) -> Result<Option<PendingSignIn>, StoreError> {
        let token_hash = token_hash.to_string();
        self.read(move |c, _| {
            c.query_row(
                "SELECT token_hash, user_id, epoch, created_at, expires_at \
                 FROM pending_sign_ins WHERE token_hash = ?1",
                [token_hash],
                |r| {
                    Ok(PendingSignIn {
                        token_hash: r.get(0)?,
                        user_id: r.get(1)?,
                        epoch: r.get(2)?,
                        created_at: r.get(3)?,
                        expires_at: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(backend)
        })
        .await
    }

    async fn take_pending_sign_in(&self, token_hash: &str) -> Result<bool, StoreError> {
        let token_hash = token_hash.to_string();
        self.write(move |c, _| {
            let n = c
                .execute(
                    "DELETE FROM pending_sign_ins WHERE token_hash = ?1",
                    [token_hash],
                )
                .map_err(backend)?;
            Ok(n == 1)
        })
        .await
    }

    async fn purge_pending_sign_ins(&self, now: i64) -> Result<(), StoreError> {
        self.write(move |c, _| {
            c.execute("DELETE FROM pending_sign_ins WHERE expires_at < ?1", [now])
                .map_err(backend)?;
            Ok(())
        })
        .await
    }
}
