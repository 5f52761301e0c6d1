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

/// `Store` and its blanket impl from one list of parts.
macro_rules! composed_of {
    ($(#[$doc:meta])* $($part:ident),+ $(,)?) => {
        $(#[$doc])*
        pub trait Store: $(super::$part +)+ Send + Sync {}

        impl<T> Store for T where T: $(super::$part +)+ Send + Sync {}
    };
}

composed_of!(
    /// Everything Rekey keeps. Each part is its own trait and, in each
    /// adapter, its own file; a new kind of record adds a trait here.
    UserStore,
    SessionStore,
    PendingSignIns,
    Ceremonies,
    AuditStore,
    AttemptStore,
    LoginLocks,
    SignInLog,
    MethodStore,
    AppStore,
    GrantStore,
    SigningKeyStore,
    ScimTokenStore,
    ScimDirectory,
    SettingsStore,
);
