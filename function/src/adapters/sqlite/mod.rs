//! The embedded store: one SQLite file in WAL mode. One writer connection
//! (SQLite allows one writer at a time anyway) and a few readers, all used
//! from tokio's blocking pool so the executor never waits on disk.

mod apps;
mod attempts;
mod audit;
mod backup;
mod ceremonies;
mod grants;
mod login_locks;
mod methods;
mod pending_sign_ins;
mod records;
mod schema;
mod scim;
mod scim_tokens;
mod search;
mod sessions;
mod settings;
mod sign_ins;
mod signing_keys;
mod users;

pub use backup::backup;

use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rekey_shared::{AuditEvent, Lang, Role};
use rusqlite::{params, Connection, Row};

use crate::domain::model::{ResetLink, UserRecord};
use crate::ports::StoreError;

const READERS: usize = 4;

/// The user columns, in [`user_from_row`]'s order, for a table aliased `u`.
pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.email, \
    u.alternate_email, u.role, u.password_hash, u.must_change_password, \
    u.temp_password_expires_at, u.failed_sign_ins, u.locked_until, u.lockouts, \
    u.session_epoch, u.version, u.created_at, u.reset_requested_at, u.preferred_language, \
    u.last_reset_by, u.last_reset_at, u.link_token_hash, u.link_sent_at, u.link_expires_at, \
    u.link_used_at, u.first_name, u.last_name, u.blocked, u.external_id, \
    u.link_alternate_hash, u.blocked_by_scim, u.verified_email, u.mfa_asked_at, \
    u.temporary_pass, u.security_info_check";

struct Inner {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// Kept in memory for the search planner (see search.rs).
    user_count: AtomicU64,
}

#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn sql_error(e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => StoreError::Duplicate,
        _ => backend(e),
    }
}

fn configure(conn: &Connection, read_only: bool) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // WAL + NORMAL: durable across application crashes, one fsync per checkpoint.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    if read_only {
        conn.pragma_update(None, "query_only", "ON")?;
    }
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let done: usize = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(backend)?;
    for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction().map_err(backend)?;
        tx.execute_batch(sql).map_err(backend)?;
        tx.pragma_update(None, "user_version", i + 1)
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
    }
    Ok(())
}

pub(crate) fn user_from_row(row: &Row<'_>) -> rusqlite::Result<UserRecord> {
    let role: String = row.get(5)?;
    let role = Role::parse(&role).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            5,
            rusqlite::types::Type::Text,
            format!("unknown role {role:?}").into(),
        )
    })?;
    Ok(UserRecord {
        id: row.get(0)?,
        username: row.get(1)?,
        display_name: row.get(2)?,
        email: row.get(3)?,
        alternate_email: row.get(4)?,
        role,
        password_hash: row.get(6)?,
        must_change_password: row.get(7)?,
        temp_password_expires_at: row.get(8)?,
        failed_sign_ins: row.get(9)?,
        locked_until: row.get(10)?,
        lockouts: row.get(11)?,
        session_epoch: row.get(12)?,
        version: row.get(13)?,
        created_at: row.get(14)?,
        reset_requested_at: row.get(15)?,
        preferred_language: match row.get::<_, Option<String>>(16)? {
            None => None,
            Some(lang) => Some(Lang::parse(&lang).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    16,
                    rusqlite::types::Type::Text,
                    format!("unknown language {lang:?}").into(),
                )
            })?),
        },
        last_reset_by: row.get(17)?,
        last_reset_at: row.get(18)?,
        reset_link: match (
            row.get::<_, Option<String>>(19)?,
            row.get(20)?,
            row.get(21)?,
        ) {
            (Some(token_hash), Some(sent_at), Some(expires_at)) => Some(ResetLink {
                token_hash,
                sent_at,
                expires_at,
                used_at: row.get(22)?,
                alternate_hash: row.get(27)?,
            }),
            _ => None,
        },
        first_name: row.get(23)?,
        last_name: row.get(24)?,
        blocked: row.get(25)?,
        external_id: row.get(26)?,
        blocked_by_scim: row.get(28)?,
        verified_email: row.get(29)?,
        mfa_asked_at: row.get(30)?,
        temporary_pass: match row.get::<_, Option<String>>(31)? {
            None => None,
            Some(json) => Some(serde_json::from_str(&json).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    31,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?),
        },
        security_info_check: match row.get::<_, Option<String>>(32)? {
            None => None,
            Some(json) => Some(serde_json::from_str(&json).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    32,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?),
        },
    })
}

fn insert_terms(tx: &rusqlite::Transaction<'_>, user: &UserRecord) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO user_search_terms (term, user_id, name_key) VALUES (?1, ?2, ?3)",
    )?;
    let name_key = user.display_name.to_lowercase();
    for term in crate::adapters::keys::terms(user) {
        stmt.execute(params![term, user.id, name_key])?;
    }
    Ok(())
}

fn insert_audit(tx: &rusqlite::Transaction<'_>, event: &AuditEvent) -> Result<(), StoreError> {
    let json = serde_json::to_string(event).map_err(backend)?;
    let action = serde_json::to_value(event.action).map_err(backend)?;
    tx.prepare_cached(
        "INSERT INTO audit_events (id, at, action, actor_id, target_id, event) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut s| {
        s.execute(params![
            event.id,
            event.at,
            action.as_str().unwrap_or_default(),
            event.actor.as_ref().map(|p| &p.id),
            event.target.as_ref().map(|p| &p.id),
            json
        ])
    })
    .map_err(sql_error)?;
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if need be) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(backend)?;
        }
        let mut writer = Connection::open(path).map_err(backend)?;
        configure(&writer, false).map_err(backend)?;
        migrate(&mut writer)?;
        let user_count: u64 = writer
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .map_err(backend)?;
        let readers = (0..READERS)
            .map(|_| {
                let conn = Connection::open(path)?;
                configure(&conn, true)?;
                Ok(Mutex::new(conn))
            })
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(backend)?;
        Ok(Self {
            inner: Arc::new(Inner {
                writer: Mutex::new(writer),
                readers,
                next_reader: AtomicUsize::new(0),
                user_count: AtomicU64::new(user_count),
            }),
        })
    }

    async fn read<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Connection, u64) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let i = inner.next_reader.fetch_add(1, Ordering::Relaxed) % inner.readers.len();
            let conn = inner.readers[i].lock().map_err(backend)?;
            job(&conn, inner.user_count.load(Ordering::Relaxed))
        })
        .await
        .map_err(backend)?
    }

    async fn write<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Connection, &AtomicU64) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut conn = inner.writer.lock().map_err(backend)?;
            job(&mut conn, &inner.user_count)
        })
        .await
        .map_err(backend)?
    }

    /// Refreshes the planner's statistics (after a large import).
    pub async fn analyze(&self) -> Result<(), StoreError> {
        self.write(|c, _| c.execute_batch("ANALYZE").map_err(backend))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::UserStore;

    #[tokio::test]
    async fn a_database_from_before_languages_opens_with_every_user_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        // The store as the previous release left it: the first migration only.
        let user = crate::seed::user_record(
            "lee.gu",
            "Lee Gu",
            Role::User,
            None,
            "$argon2id$x".into(),
            5,
        );
        {
            let mut c = Connection::open(&path).unwrap();
            let tx = c.transaction().unwrap();
            tx.execute_batch(schema::MIGRATIONS[0]).unwrap();
            tx.pragma_update(None, "user_version", 1).unwrap();
            tx.execute(
                "INSERT INTO users (id, username, display_name, display_name_lc, name_words, email, \
                 email_lc, role, password_hash, must_change_password, failed_sign_ins, lockouts, \
                 session_epoch, version, created_at) \
                 VALUES (?1, 'lee.gu', 'Lee Gu', 'lee gu', ' lee gu', ?2, ?2, 'user', '$argon2id$x', 0, 0, 0, 0, 0, 5)",
                params![user.id, user.email],
            )
            .unwrap();
            tx.commit().unwrap();
        }

        let store = SqliteStore::open(&path).unwrap();
        let found = store.user_by_id(&user.id).await.unwrap().unwrap();
        assert_eq!(found, user, "read back as it was, with no language");
        let mut dutch = found;
        dutch.preferred_language = Some(Lang::Nl);
        dutch.version = store.update_user(&dutch, &[]).await.unwrap();
        assert_eq!(store.user_by_login("lee.gu").await.unwrap(), Some(dutch));
        drop(store);
        // Opening again applies nothing twice.
        assert!(SqliteStore::open(&path).is_ok());
    }
}
