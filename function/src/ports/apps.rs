//! Registered apps (OpenID Connect clients). Secrets are stored only as
//! hashes; the domain makes every decision.

use async_trait::async_trait;
use rekey_shared::AuditEvent;

use super::StoreError;
use crate::domain::model::AppRecord;

#[async_trait]
pub trait AppStore: Send + Sync {
    /// Adds an app with its audit events; `Duplicate` if the id is taken.
    async fn insert_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn app(&self, id: &str) -> Result<Option<AppRecord>, StoreError>;
    /// Every app, by name.
    async fn list_apps(&self) -> Result<Vec<AppRecord>, StoreError>;
    /// Writes `app` if the stored version still equals `app.version`,
    /// storing `app.version + 1`; `Conflict` otherwise, `NotFound` if gone.
    async fn update_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<u64, StoreError>;
    /// Removes the app; `NotFound` if it is not there.
    async fn delete_app(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError>;
}
