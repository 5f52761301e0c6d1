//! The embedded store: one SQLite file in WAL mode. One writer connection
//! (SQLite allows one writer at a time anyway) and a few readers, all used
//! from tokio's blocking pool so the executor never waits on disk.

mod apps;
mod backup;
mod login_locks;
mod schema;
mod scim;
mod search;
mod sign_ins;

pub use backup::backup;

use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rekey_shared::{AuditEvent, Lang, Role};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use crate::adapters::keys::{decode_cursor, encode_cursor};
use crate::domain::model::{ResetLink, SessionRecord, UserRecord};
use crate::ports::{Page, Store, StoreError, UserQuery};

const READERS: usize = 4;

/// The user columns, in [`user_from_row`]'s order, for a table aliased `u`.
pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.email, \
    u.alternate_email, u.role, u.password_hash, u.must_change_password, \
    u.temp_password_expires_at, u.failed_sign_ins, u.locked_until, u.lockouts, \
    u.session_epoch, u.version, u.created_at, u.reset_requested_at, u.preferred_language, \
    u.last_reset_by, u.last_reset_at, u.link_token_hash, u.link_sent_at, u.link_expires_at, \
    u.link_used_at, u.first_name, u.last_name, u.blocked, u.external_id, \
    u.link_alternate_hash, u.blocked_by_scim, u.verified_email";

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

#[async_trait]
impl Store for SqliteStore {
    async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError> {
        let id = id.to_string();
        self.read(move |c, _| {
            c.prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.id = ?1"
            ))
            .and_then(|mut s| s.query_row([id], user_from_row).optional())
            .map_err(backend)
        })
        .await
    }

    async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError> {
        let login = login.to_lowercase();
        self.read(move |c, _| {
            c.prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.username = ?1 \
                 UNION ALL SELECT {USER_COLUMNS} FROM users u WHERE u.email_lc = ?1 LIMIT 1"
            ))
            .and_then(|mut s| s.query_row([login], user_from_row).optional())
            .map_err(backend)
        })
        .await
    }

    async fn search_users(&self, query: &UserQuery) -> Result<Page<UserRecord>, StoreError> {
        let query = query.clone();
        self.read(move |c, total| search::search(c, &query, total))
            .await
    }

    async fn insert_users_with_audit(
        &self,
        users: &[UserRecord],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let users = users.to_vec();
        let audit = audit.to_vec();
        self.write(move |c, count| {
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            {
                let mut stmt = tx
                    .prepare_cached(
                        "INSERT INTO users (id, username, display_name, display_name_lc, email, \
                         email_lc, alternate_email, role, password_hash, must_change_password, \
                         temp_password_expires_at, failed_sign_ins, locked_until, lockouts, \
                         session_epoch, version, created_at, name_words, reset_requested_at, \
                         preferred_language, last_reset_by, last_reset_at, link_token_hash, link_sent_at, \
                         link_expires_at, link_used_at, first_name, last_name, blocked, external_id, \
                         link_alternate_hash, blocked_by_scim, verified_email) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)",
                    )
                    .map_err(backend)?;
                for u in &users {
                    stmt.execute(params![
                        u.id,
                        u.username.to_lowercase(),
                        u.display_name,
                        u.display_name.to_lowercase(),
                        u.email,
                        u.email.to_lowercase(),
                        u.alternate_email,
                        u.role.as_str(),
                        u.password_hash,
                        u.must_change_password,
                        u.temp_password_expires_at,
                        u.failed_sign_ins,
                        u.locked_until,
                        u.lockouts,
                        u.session_epoch,
                        u.version,
                        u.created_at,
                        search::name_words(&u.display_name),
                        u.reset_requested_at,
                        u.preferred_language.map(Lang::as_str),
                        u.last_reset_by,
                        u.last_reset_at,
                        u.reset_link.as_ref().map(|l| l.token_hash.clone()),
                        u.reset_link.as_ref().map(|l| l.sent_at),
                        u.reset_link.as_ref().map(|l| l.expires_at),
                        u.reset_link.as_ref().and_then(|l| l.used_at),
                        u.first_name,
                        u.last_name,
                        u.blocked,
                        u.external_id,
                        u.reset_link.as_ref().and_then(|l| l.alternate_hash.clone()),
                        u.blocked_by_scim,
                        u.verified_email
                    ])
                    .map_err(sql_error)?;
                    insert_terms(&tx, u).map_err(sql_error)?;
                }
            }
            for event in &audit {
                insert_audit(&tx, event)?;
            }
            tx.commit().map_err(backend)?;
            count.fetch_add(users.len() as u64, Ordering::Relaxed);
            Ok(())
        })
        .await
    }

    async fn count_users(&self) -> Result<u64, StoreError> {
        self.read(|c, _| {
            c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))
                .map_err(backend)
        })
        .await
    }

    async fn update_user(
        &self,
        user: &UserRecord,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        let user = user.clone();
        let audit = audit.to_vec();
        self.write(move |c, _| {
            // IMMEDIATE takes the write lock first, so the read below and the
            // write after it are one atomic step.
            let tx = c
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(backend)?;
            let stored: Option<(u64, String, String, String)> = tx
                .query_row(
                    "SELECT version, username, display_name, email FROM users WHERE id = ?1",
                    [&user.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()
                .map_err(backend)?;
            let Some((version, username, display_name, email)) = stored else {
                return Err(StoreError::NotFound);
            };
            if version != user.version {
                return Err(StoreError::Conflict);
            }
            tx.prepare_cached(
                "UPDATE users SET username = ?2, display_name = ?3, display_name_lc = ?4, \
                 email = ?5, email_lc = ?6, alternate_email = ?7, role = ?8, password_hash = ?9, \
                 must_change_password = ?10, temp_password_expires_at = ?11, \
                 failed_sign_ins = ?12, locked_until = ?13, lockouts = ?14, session_epoch = ?15, \
                 name_words = ?16, reset_requested_at = ?17, preferred_language = ?18, \
                 last_reset_by = ?19, last_reset_at = ?20, link_token_hash = ?21, \
                 link_sent_at = ?22, link_expires_at = ?23, link_used_at = ?24, \
                 first_name = ?25, last_name = ?26, blocked = ?27, external_id = ?28, \
                 link_alternate_hash = ?29, blocked_by_scim = ?30, verified_email = ?31, \
                 version = version + 1 WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.execute(params![
                    user.id,
                    user.username.to_lowercase(),
                    user.display_name,
                    user.display_name.to_lowercase(),
                    user.email,
                    user.email.to_lowercase(),
                    user.alternate_email,
                    user.role.as_str(),
                    user.password_hash,
                    user.must_change_password,
                    user.temp_password_expires_at,
                    user.failed_sign_ins,
                    user.locked_until,
                    user.lockouts,
                    user.session_epoch,
                    search::name_words(&user.display_name),
                    user.reset_requested_at,
                    user.preferred_language.map(Lang::as_str),
                    user.last_reset_by,
                    user.last_reset_at,
                    user.reset_link.as_ref().map(|l| l.token_hash.clone()),
                    user.reset_link.as_ref().map(|l| l.sent_at),
                    user.reset_link.as_ref().map(|l| l.expires_at),
                    user.reset_link.as_ref().and_then(|l| l.used_at),
                    user.first_name,
                    user.last_name,
                    user.blocked,
                    user.external_id,
                    user.reset_link
                        .as_ref()
                        .and_then(|l| l.alternate_hash.clone()),
                    user.blocked_by_scim,
                    user.verified_email
                ])
            })
            .map_err(sql_error)?;
            if (username, display_name, email)
                != (
                    user.username.clone(),
                    user.display_name.clone(),
                    user.email.clone(),
                )
            {
                tx.execute(
                    "DELETE FROM user_search_terms WHERE user_id = ?1",
                    [&user.id],
                )
                .map_err(backend)?;
                insert_terms(&tx, &user).map_err(sql_error)?;
            }
            for event in &audit {
                insert_audit(&tx, event)?;
            }
            tx.commit().map_err(backend)?;
            Ok(version + 1)
        })
        .await
    }

    async fn delete_user(&self, user: &UserRecord, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let (id, version) = (user.id.clone(), user.version);
        // Search terms and sessions go with it (ON DELETE CASCADE).
        self.with_audit(audit, move |tx| {
            apps::check_version(tx, "users", &id, version)?;
            apps::delete_by_id(tx, "users", &id)
        })
        .await?;
        self.inner.user_count.fetch_sub(1, Ordering::Relaxed);
        Ok(())
    }

    async fn append_audit(&self, events: &[AuditEvent]) -> Result<(), StoreError> {
        let events = events.to_vec();
        self.write(move |c, _| {
            let tx = c.transaction().map_err(backend)?;
            for event in &events {
                insert_audit(&tx, event)?;
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    async fn list_audit(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<AuditEvent>, StoreError> {
        let before: i64 = match cursor {
            Some(c) => decode_cursor(c)?,
            None => i64::MAX,
        };
        let limit = limit.max(1);
        self.read(move |c, _| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT seq, event FROM audit_events WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![before, limit as i64 + 1], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(backend)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(backend)?;
            let more = rows.len() > limit;
            let mut items = Vec::with_capacity(limit);
            let mut last = None;
            for (seq, json) in rows.into_iter().take(limit) {
                items.push(serde_json::from_str(&json).map_err(backend)?);
                last = Some(seq);
            }
            Ok(Page {
                items,
                next_cursor: if more {
                    last.map(|s| encode_cursor(&s))
                } else {
                    None
                },
            })
        })
        .await
    }

    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let s = session.clone();
        self.write(move |c, _| {
            c.prepare_cached(
                "INSERT INTO sessions (token_hash, user_id, epoch, created_at, expires_at, \
                 last_seen_at, authenticated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    s.token_hash,
                    s.user_id,
                    s.epoch,
                    s.created_at,
                    s.expires_at,
                    s.last_seen_at,
                    s.authenticated_at
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
                 authenticated_at FROM sessions WHERE token_hash = ?1",
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
                "UPDATE sessions SET last_seen_at = ?2, authenticated_at = ?3 WHERE token_hash = ?1",
            )
            .and_then(|mut st| st.execute(params![s.token_hash, s.last_seen_at, s.authenticated_at]))
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

    async fn pending_reset_requests(&self, limit: usize) -> Result<Vec<UserRecord>, StoreError> {
        self.read(move |c, _| {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.reset_requested_at IS NOT NULL \
                 ORDER BY u.reset_requested_at DESC LIMIT ?1"
            );
            let mut stmt = c.prepare_cached(&sql).map_err(backend)?;
            let rows = stmt
                .query_map([limit as i64], user_from_row)
                .map_err(backend)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(backend)?;
            Ok(rows)
        })
        .await
    }

    async fn users_with_roles(&self, roles: &[Role]) -> Result<Vec<UserRecord>, StoreError> {
        let roles: Vec<&'static str> = roles.iter().map(|r| r.as_str()).collect();
        self.read(move |c, _| {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.role = ?1 ORDER BY u.display_name_lc, u.id"
            );
            let mut stmt = c.prepare_cached(&sql).map_err(backend)?;
            let mut out = Vec::new();
            for role in roles {
                let rows = stmt
                    .query_map([role], user_from_row)
                    .map_err(backend)?
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map_err(backend)?;
                out.extend(rows);
            }
            Ok(out)
        })
        .await
    }

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

    async fn purge_expired_sessions(&self, now_ms: i64) -> Result<u64, StoreError> {
        self.write(move |c, _| {
            c.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now_ms])
                .map(|n| n as u64)
                .map_err(backend)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
