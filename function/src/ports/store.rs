//! Persistence. Every user update is conditional on the version read, so
//! concurrent writers never lose an update; the domain retries on conflict.

use async_trait::async_trait;
use rekey_shared::{AuditEvent, Role};

use crate::domain::model::{SessionRecord, UserRecord};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record changed since it was read (optimistic concurrency).
    #[error("the record was changed by someone else")]
    Conflict,
    #[error("no such record")]
    NotFound,
    /// A unique key (username, email, id) is taken.
    #[error("a record with that key already exists")]
    Duplicate,
    #[error("the cursor is not valid")]
    InvalidCursor,
    #[error("store failure: {0}")]
    Backend(String),
}

/// A page of results; `next_cursor` is opaque to everything but its adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

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
pub trait Store:
    super::AppStore + super::ScimDirectory + super::LoginLocks + super::SignInLog + Send + Sync
{
    async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError>;
    /// By username or primary email, case-insensitively.
    async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError>;
    async fn search_users(&self, query: &UserQuery) -> Result<Page<UserRecord>, StoreError>;
    /// Inserts new users (all or none); `Duplicate` if a key is taken.
    async fn insert_users(&self, users: &[UserRecord]) -> Result<(), StoreError> {
        self.insert_users_with_audit(users, &[]).await
    }
    /// [`Store::insert_users`] with their audit events, in the same
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
    /// Appends events in one transaction.
    async fn append_audit(&self, events: &[AuditEvent]) -> Result<(), StoreError>;
    /// Newest first.
    async fn list_audit(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<AuditEvent>, StoreError>;
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Stores a live session's `last_seen_at` and `authenticated_at`;
    /// nothing if the session is gone.
    async fn touch_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    /// Deletes sessions that expired before `now_ms`; returns how many.
    async fn purge_expired_sessions(&self, now_ms: i64) -> Result<u64, StoreError>;
    /// Users with a pending reset request, newest request first.
    async fn pending_reset_requests(&self, limit: usize) -> Result<Vec<UserRecord>, StoreError>;
    /// Every user holding one of `roles` (the admins, in practice).
    async fn users_with_roles(&self, roles: &[Role]) -> Result<Vec<UserRecord>, StoreError>;
    /// Notes one rate-limited attempt under `key` at `at`.
    async fn record_attempt(&self, key: &str, at: i64) -> Result<(), StoreError>;
    /// Attempts under `key` at or after `since`.
    async fn count_attempts(&self, key: &str, since: i64) -> Result<u64, StoreError>;
    /// Forgets attempts older than `before`.
    async fn purge_attempts(&self, before: i64) -> Result<(), StoreError>;
}
