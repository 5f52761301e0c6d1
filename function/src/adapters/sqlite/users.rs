//! The users: one row each, found by id, login and search term.

use std::sync::atomic::Ordering;
use std::sync::LazyLock;

use async_trait::async_trait;
use rekey_shared::{AuditEvent, Lang, Role};
use rusqlite::{params_from_iter, OptionalExtension, ToSql, TransactionBehavior};

use super::{
    apps, backend, insert_audit, insert_terms, search, sql_error, user_from_row, SqliteStore,
    USER_COLUMNS,
};
use crate::domain::model::UserRecord;
use crate::ports::{Page, StoreError, UserQuery, UserStore};

/// The columns a user record writes, in one order for INSERT and UPDATE:
/// `written_values` gives their values. (`id` is the key; `version` and
/// `created_at` only the insert sets, and the update bumps `version`.)
const WRITTEN: [&str; 33] = [
    "username",
    "display_name",
    "display_name_lc",
    "email",
    "email_lc",
    "alternate_email",
    "role",
    "password_hash",
    "must_change_password",
    "temp_password_expires_at",
    "failed_sign_ins",
    "locked_until",
    "lockouts",
    "session_epoch",
    "name_words",
    "reset_requested_at",
    "preferred_language",
    "last_reset_by",
    "last_reset_at",
    "link_token_hash",
    "link_sent_at",
    "link_expires_at",
    "link_used_at",
    "first_name",
    "last_name",
    "blocked",
    "external_id",
    "link_alternate_hash",
    "blocked_by_scim",
    "verified_email",
    "mfa_asked_at",
    "temporary_pass",
    "security_info_check",
];

fn written_values(u: &UserRecord) -> Vec<Box<dyn ToSql + '_>> {
    let link = u.reset_link.as_ref();
    vec![
        Box::new(u.username.to_lowercase()),
        Box::new(&u.display_name),
        Box::new(u.display_name.to_lowercase()),
        Box::new(&u.email),
        Box::new(u.email.to_lowercase()),
        Box::new(&u.alternate_email),
        Box::new(u.role.as_str()),
        Box::new(&u.password_hash),
        Box::new(u.must_change_password),
        Box::new(u.temp_password_expires_at),
        Box::new(u.failed_sign_ins),
        Box::new(u.locked_until),
        Box::new(u.lockouts),
        Box::new(u.session_epoch),
        Box::new(search::name_words(&u.display_name)),
        Box::new(u.reset_requested_at),
        Box::new(u.preferred_language.map(Lang::as_str)),
        Box::new(&u.last_reset_by),
        Box::new(u.last_reset_at),
        Box::new(link.map(|l| &l.token_hash)),
        Box::new(link.map(|l| l.sent_at)),
        Box::new(link.map(|l| l.expires_at)),
        Box::new(link.and_then(|l| l.used_at)),
        Box::new(&u.first_name),
        Box::new(&u.last_name),
        Box::new(u.blocked),
        Box::new(&u.external_id),
        Box::new(link.and_then(|l| l.alternate_hash.as_ref())),
        Box::new(u.blocked_by_scim),
        Box::new(&u.verified_email),
        Box::new(u.mfa_asked_at),
        Box::new(
            u.temporary_pass
                .as_ref()
                .and_then(|t| serde_json::to_string(t).ok()),
        ),
        Box::new(
            u.security_info_check
                .as_ref()
                .and_then(|c| serde_json::to_string(c).ok()),
        ),
    ]
}

static INSERT_USER: LazyLock<String> = LazyLock::new(|| {
    let marks: Vec<String> = (1..=WRITTEN.len() + 3).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO users (id, version, created_at, {}) VALUES ({})",
        WRITTEN.join(", "),
        marks.join(", ")
    )
});

static UPDATE_USER: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = WRITTEN
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 2))
        .collect();
    format!(
        "UPDATE users SET {}, version = version + 1 WHERE id = ?1",
        sets.join(", ")
    )
});

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
                let mut stmt = tx.prepare_cached(&INSERT_USER).map_err(backend)?;
                for u in &users {
                    let mut values: Vec<Box<dyn ToSql + '_>> =
                        vec![Box::new(&u.id), Box::new(u.version), Box::new(u.created_at)];
                    values.extend(written_values(u));
                    stmt.execute(params_from_iter(values)).map_err(sql_error)?;
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
            let mut values: Vec<Box<dyn ToSql + '_>> = vec![Box::new(&user.id)];
            values.extend(written_values(&user));
            tx.prepare_cached(&UPDATE_USER)
                .and_then(|mut s| s.execute(params_from_iter(values)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_column_gets_one_value_in_its_place() {
        let user = UserRecord::new(
            "lee.gu",
            "Lee Gu",
            "lee@contoso.example",
            Role::User,
            "h".into(),
            0,
        );
        assert_eq!(written_values(&user).len(), WRITTEN.len());
        assert_eq!(INSERT_USER.matches('?').count(), WRITTEN.len() + 3);
        assert!(UPDATE_USER.contains(&format!("{} = ?{}", WRITTEN[29], 31)));
    }
}
