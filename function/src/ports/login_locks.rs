//! The lock state of a login that is no account. Failed sign-ins for a
//! login nobody has are counted as a real account's are, on a small record
//! read and written the way a user's is, so neither the answer nor the
//! store work tells whether an account exists.

use async_trait::async_trait;

use super::StoreError;

/// Failures and lock of one unknown login; only a hash of the login is
/// kept (`key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginLock {
    pub key: String,
    pub failed_sign_ins: u32,
    pub locked_until: Option<i64>,
    pub lockouts: u32,
    /// 0 for a record not stored yet.
    pub version: u64,
    /// When the store may forget it.
    pub expires_at: i64,
}

impl LoginLock {
    pub fn new(key: String) -> Self {
        Self {
            key,
            failed_sign_ins: 0,
            locked_until: None,
            lockouts: 0,
            version: 0,
            expires_at: 0,
        }
    }
}

#[async_trait]
pub trait LoginLocks: Send + Sync {
    /// The record under `key`, expired or not (the domain starts an
    /// expired one over, keeping its version).
    async fn login_lock(&self, key: &str) -> Result<Option<LoginLock>, StoreError>;
    /// Writes `lock` if the stored version still equals `lock.version` (no
    /// record for 0), storing `version + 1`; `Conflict` otherwise.
    async fn put_login_lock(&self, lock: &LoginLock) -> Result<u64, StoreError>;
    /// Forgets records that expired before `now`.
    async fn purge_login_locks(&self, now: i64) -> Result<(), StoreError>;
}
