//! The SCIM directory on SQLite: the plain-user count from the users the
//! store counts anyway less the few admins, pages by `rowid` through the
//! role index (skipping an offset there touches no user row), and
//! externalId through its own index.

use async_trait::async_trait;

use super::{backend, user_from_row, SqliteStore, USER_COLUMNS};
use crate::domain::model::UserRecord;
use crate::ports::{ScimDirectory, StoreError};

#[async_trait]
impl ScimDirectory for SqliteStore {
    async fn count_plain_users(&self) -> Result<u64, StoreError> {
        self.read(|c, users| {
            let admins: u64 = c
                .prepare_cached(
                    "SELECT count(*) FROM users \
                     WHERE role IN ('password_admin', 'helpdesk_admin', 'global_admin')",
                )
                .and_then(|mut s| s.query_row([], |r| r.get(0)))
                .map_err(backend)?;
            Ok(users.saturating_sub(admins))
        })
        .await
    }

    async fn plain_users_page(
        &self,
        offset: u64,
        limit: usize,
    ) -> Result<Vec<UserRecord>, StoreError> {
        self.read(move |c, _| {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.rowid IN \
                 (SELECT rowid FROM users WHERE role = 'user' ORDER BY rowid LIMIT ?1 OFFSET ?2) \
                 ORDER BY u.rowid"
            );
            let mut statement = c.prepare_cached(&sql).map_err(backend)?;
            let rows = statement
                .query_map([limit as i64, offset as i64], user_from_row)
                .map_err(backend)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(backend)
        })
        .await
    }

    async fn plain_users_by_name_prefix(
        &self,
        prefix: &str,
        offset: u64,
        limit: usize,
    ) -> Result<(u64, Vec<UserRecord>), StoreError> {
        // A range on the name index: every text that starts with the
        // prefix sorts between it and it followed by the last code point.
        let (low, high) = (prefix.to_string(), format!("{prefix}\u{10FFFF}"));
        self.read(move |c, _| {
            let total: u64 = c
                .prepare_cached(
                    "SELECT count(*) FROM users                      WHERE display_name_lc >= ?1 AND display_name_lc < ?2 AND role = 'user'",
                )
                .and_then(|mut s| s.query_row([&low, &high], |r| r.get(0)))
                .map_err(backend)?;
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users u \
                 WHERE u.display_name_lc >= ?1 AND u.display_name_lc < ?2 AND u.role = 'user' \
                 ORDER BY u.display_name_lc, u.id LIMIT ?3 OFFSET ?4"
            );
            let mut statement = c.prepare_cached(&sql).map_err(backend)?;
            let rows = statement
                .query_map(
                    rusqlite::params![low, high, limit as i64, offset as i64],
                    user_from_row,
                )
                .map_err(backend)?;
            let page = rows.collect::<Result<Vec<_>, _>>().map_err(backend)?;
            Ok((total, page))
        })
        .await
    }

    async fn users_by_external_id(&self, external_id: &str) -> Result<Vec<UserRecord>, StoreError> {
        let external_id = external_id.to_string();
        self.read(move |c, _| {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.external_id = ?1 ORDER BY u.rowid LIMIT 100"
            );
            let mut statement = c.prepare_cached(&sql).map_err(backend)?;
            let rows = statement
                .query_map([external_id], user_from_row)
                .map_err(backend)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(backend)
        })
        .await
    }
}
