//! Unknown logins' lock records in SQLite: one row per hashed login.

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

use super::{backend, sql_error, SqliteStore};
use crate::ports::login_locks::{LoginLock, LoginLocks};
use crate::ports::StoreError;

#[async_trait]
impl LoginLocks for SqliteStore {
    async fn login_lock(&self, key: &str) -> Result<Option<LoginLock>, StoreError> {
        let key = key.to_string();
        self.read(move |c, _| {
            c.prepare_cached(
                "SELECT key, failed_sign_ins, locked_until, lockouts, version, expires_at \
                 FROM login_locks WHERE key = ?1",
            )
            .and_then(|mut s| {
                s.query_row([key], |r| {
                    Ok(LoginLock {
                        key: r.get(0)?,
                        failed_sign_ins: r.get(1)?,
                        locked_until: r.get(2)?,
                        lockouts: r.get(3)?,
                        version: r.get(4)?,
                        expires_at: r.get(5)?,
                    })
                })
                .optional()
            })
            .map_err(backend)
        })
        .await
    }

    async fn put_login_lock(&self, lock: &LoginLock) -> Result<u64, StoreError> {
        let l = lock.clone();
        self.write(move |c, _| {
            let written = if l.version == 0 {
                c.prepare_cached(
                    "INSERT INTO login_locks (key, failed_sign_ins, locked_until, lockouts, \
                     version, expires_at) VALUES (?1, ?2, ?3, ?4, 1, ?5)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        l.key,
                        l.failed_sign_ins,
                        l.locked_until,
                        l.lockouts,
                        l.expires_at
                    ])
                })
                .map_err(|e| match sql_error(e) {
                    StoreError::Duplicate => StoreError::Conflict,
                    e => e,
                })?
            } else {
                c.prepare_cached(
                    "UPDATE login_locks SET failed_sign_ins = ?2, locked_until = ?3, \
                     lockouts = ?4, version = version + 1, expires_at = ?5 \
                     WHERE key = ?1 AND version = ?6",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        l.key,
                        l.failed_sign_ins,
                        l.locked_until,
                        l.lockouts,
                        l.expires_at,
                        l.version
                    ])
                })
                .map_err(sql_error)?
            };
            match written {
                0 => Err(StoreError::Conflict),
                _ => Ok(l.version + 1),
            }
        })
        .await
    }

    async fn purge_login_locks(&self, now: i64) -> Result<(), StoreError> {
        self.write(move |c, _| {
            c.execute("DELETE FROM login_locks WHERE expires_at < ?1", [now])
                .map_err(backend)?;
            Ok(())
        })
        .await
    }
}
