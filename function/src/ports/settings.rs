//! Organisation settings, each a JSON record under its key with a version
//! for conditional writes (two admins saving at once: one wins).

use async_trait::async_trait;
use rekey_shared::AuditEvent;

use super::StoreError;

#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// The record under `key` and its version, if it was ever written.
    async fn setting(&self, key: &str) -> Result<Option<(String, u64)>, StoreError>;
    /// Writes `record` if the stored version is still `version` (0: none
    /// stored yet), storing version + 1; `Conflict` otherwise.
    async fn put_setting(
        &self,
        key: &str,
        record: &str,
        version: u64,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError>;
}
