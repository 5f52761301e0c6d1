//! The audit log: append-only, read newest first.

use async_trait::async_trait;
use rekey_shared::AuditEvent;

use super::{Page, StoreError};

#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends events in one transaction.
    async fn append_audit(&self, events: &[AuditEvent]) -> Result<(), StoreError>;
    /// Newest first.
    async fn list_audit(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<AuditEvent>, StoreError>;
}
