//! Persistence: the one `Store` the domain holds, composed of small traits,
//! one per kind of record (as fosite composes its storage), and the error
//! and page types they share.

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

/// Everything Rekey keeps. Each part is its own trait and, in each adapter,
/// its own file; a new kind of record adds a trait here.
pub trait Store:
    super::UserStore
    + super::SessionStore
    + super::AuditStore
    + super::AttemptStore
    + super::LoginLocks
    + super::SignInLog
    + super::AppStore
    + super::GrantStore
    + super::SigningKeyStore
    + super::ScimTokenStore
    + super::ScimDirectory
    + Send
    + Sync
{
}

impl<T> Store for T where
    T: super::UserStore
        + super::SessionStore
        + super::AuditStore
        + super::AttemptStore
        + super::LoginLocks
        + super::SignInLog
        + super::AppStore
        + super::GrantStore
        + super::SigningKeyStore
        + super::ScimTokenStore
        + super::ScimDirectory
        + Send
        + Sync
{
}
