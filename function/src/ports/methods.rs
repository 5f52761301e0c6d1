//! Users' sign-in methods (authenticator apps, recovery codes). Every
//! update is conditional on the version read: of twenty uses of one code
//! at once, one is written and the others see a conflict.

use async_trait::async_trait;
use rekey_shared::AuditEvent;

use super::StoreError;
use crate::domain::model::MethodRecord;

#[async_trait]
pub trait MethodStore: Send + Sync {
    /// Adds a method with its audit events; `Duplicate` if the id is taken.
    async fn insert_method(
        &self,
        method: &MethodRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Every method of the user, confirmed or not, oldest first.
    async fn methods_of(&self, user_id: &str) -> Result<Vec<MethodRecord>, StoreError>;
    /// Writes `method` if the stored version still equals its version,
    /// storing version + 1; `Conflict` otherwise, `NotFound` if gone.
    async fn update_method(
        &self,
        method: &MethodRecord,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError>;
    /// Removes one method; `NotFound` if it is not there.
    async fn delete_method(
        &self,
        user_id: &str,
        id: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
}
