//! The directory's accounts. Every update is conditional on the version
//! read, so concurrent writers never lose an update; the domain retries on
//! conflict.

use async_trait::async_trait;
use rekey_shared::{AuditEvent, Role};

use super::{Page, StoreError};
use crate::domain::model::UserRecord;

/// A users search: case-insensitive prefix of the display name (or any word
/// of it), the username or the email; sorted by display name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    pub prefix: String,
    pub cursor: Option<String>,
    pub limit: usize,
    /// Z to A instead of A to Z.
    pub descending: bool,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError>;
    /// By username or primary email, case-insensitively.
    async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError>;
    async fn search_users(&self, query: &UserQuery) -> Result<Page<UserRecord>, StoreError>;
    /// Inserts new users (all or none); `Duplicate` if a key is taken.
    async fn insert_users(&self, users: &[UserRecord]) -> Result<(), StoreError> {
        self.insert_users_with_audit(users, &[]).await
    }
    /// [`UserStore::insert_users`] with their audit events, in the same
    /// transaction (or undone with them).
    async fn insert_users_with_audit(
        &self,
        users: &[UserRecord],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    async fn count_users(&self) -> Result<u64, StoreError>;
    /// Writes `user` if the stored version still equals `user.version`,
    /// storing `user.version + 1` and the audit events in the same
    /// transaction. Returns the new version.
    async fn update_user(&self, user: &UserRecord, audit: &[AuditEvent])
        -> Result<u64, StoreError>;
    /// Deletes `user` (its logins, search terms and sessions with it) if the
    /// stored version still equals `user.version`, with the audit events
    /// in the same transaction: `Conflict` otherwise, `NotFound` if gone.
    async fn delete_user(&self, user: &UserRecord, audit: &[AuditEvent]) -> Result<(), StoreError>;
    /// Users with a pending reset request, newest request first.
    async fn pending_reset_requests(&self, limit: usize) -> Result<Vec<UserRecord>, StoreError>;
    /// Every user holding one of `roles` (the admins, in practice).
    async fn users_with_roles(&self, roles: &[Role]) -> Result<Vec<UserRecord>, StoreError>;
}
