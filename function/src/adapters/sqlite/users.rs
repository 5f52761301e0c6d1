//! The users: one row each, found by id, login and search term.

use async_trait::async_trait;

use super::{
    apps, backend, insert_audit, insert_terms, search, sql_error, user_from_row, SqliteStore,
    USER_COLUMNS,
};
use crate::domain::model::UserRecord;
use crate::ports::UserStore;
use crate::ports::{Page, StoreError, UserQuery};
use rekey_shared::{AuditEvent, Lang, Role};
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use std::sync::atomic::Ordering;

#[async_trait]
impl UserStore for SqliteStore {
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
}
