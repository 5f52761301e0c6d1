//! Reading the directory: who is there, for admins.

use rekey_shared::{ApiError, ErrorCode, UserPage, UserSummary, MAX_PAGE_SIZE};

use super::{model::UserRecord, permissions, store_failure, Rekey};
use crate::ports::UserQuery;

/// Longest search text accepted (longer cannot match a stored name anyway).
pub const MAX_QUERY_LEN: usize = 100;

impl Rekey {
    /// Users whose display name (or a word of it), username or email starts
    /// with `query`, case-insensitively, by display name.
    pub async fn search_users(
        &self,
        actor: &UserRecord,
        query: &str,
        cursor: Option<&str>,
        limit: usize,
        descending: bool,
    ) -> Result<UserPage, ApiError> {
        permissions::admin(actor)?;
        let prefix = query.trim().to_lowercase();
        if prefix.chars().count() > MAX_QUERY_LEN {
            return Err(ApiError::new(
                ErrorCode::InvalidRequest,
                format!("Search for at most {MAX_QUERY_LEN} characters."),
            )
            .with_field("q"));
        }
        let page = self
            .store
            .search_users(&UserQuery {
                prefix,
                cursor: cursor.map(str::to_string),
                limit: limit.clamp(1, MAX_PAGE_SIZE),
                descending,
            })
            .await
            .map_err(store_failure)?;
        let now = self.now();
        Ok(UserPage {
            users: page.items.iter().map(|u| u.summary(now)).collect(),
            next_cursor: page.next_cursor,
        })
    }

    pub async fn user(&self, actor: &UserRecord, id: &str) -> Result<UserSummary, ApiError> {
        permissions::admin(actor)?;
        self.store
            .user_by_id(id)
            .await
            .map_err(store_failure)?
            .map(|u| u.summary(self.now()))
            .ok_or_else(|| ApiError::not_found("That user"))
    }
}
