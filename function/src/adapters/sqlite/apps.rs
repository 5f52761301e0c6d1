//! OpenID Connect records in SQLite: one JSON record per row, with the
//! columns its queries need beside it.

use async_trait::async_trait;
use rekey_shared::AuditEvent;
use rusqlite::{params, OptionalExtension};

use super::records::{record, records, to_json};
use super::{backend, insert_audit, sql_error, SqliteStore};
use crate::domain::model::AppRecord;
use crate::ports::{AppStore, StoreError};

impl SqliteStore {
    /// Runs `change` and appends `audit` in one transaction.
    pub(super) async fn with_audit<T: Send + 'static>(
        &self,
        audit: &[AuditEvent],
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let audit = audit.to_vec();
        self.write(move |c, _| {
            let tx = c.transaction().map_err(backend)?;
            let done = change(&tx)?;
            for event in &audit {
                insert_audit(&tx, event)?;
            }
            tx.commit().map_err(backend)?;
            Ok(done)
        })
        .await
    }
}

/// Whether the row of `table` with `id` is still at `version`: `NotFound`
/// if it is gone, `Conflict` if it moved on.
pub(super) fn check_version(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    id: &str,
    version: u64,
) -> Result<(), StoreError> {
    let stored: Option<u64> = tx
        .query_row(
            &format!("SELECT version FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()
        .map_err(backend)?;
    match stored {
        None => Err(StoreError::NotFound),
        Some(v) if v != version => Err(StoreError::Conflict),
        Some(_) => Ok(()),
    }
}

/// Deletes the row of `table` whose `id` it is; `NotFound` if none.
pub(super) fn delete_by_id(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    id: &str,
) -> Result<(), StoreError> {
    match tx
        .execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])
        .map_err(backend)?
    {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

#[async_trait]
impl AppStore for SqliteStore {
    async fn insert_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let app = app.clone();
        self.with_audit(audit, move |tx| {
            tx.execute(
                "INSERT INTO apps (id, name_lc, version, record) VALUES (?1, ?2, ?3, ?4)",
                params![app.id, app.name.to_lowercase(), app.version, to_json(&app)?],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn app(&self, id: &str) -> Result<Option<AppRecord>, StoreError> {
        let id = id.to_string();
        self.read(move |c, _| record(c, "SELECT record FROM apps WHERE id = ?1", [id]))
            .await
    }

    async fn list_apps(&self) -> Result<Vec<AppRecord>, StoreError> {
        self.read(|c, _| records(c, "SELECT record FROM apps ORDER BY name_lc, id", []))
            .await
    }

    async fn update_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<u64, StoreError> {
        let mut app = app.clone();
        self.with_audit(audit, move |tx| {
            check_version(tx, "apps", &app.id, app.version)?;
            app.version += 1;
            tx.execute(
                "UPDATE apps SET name_lc = ?2, version = ?3, record = ?4 WHERE id = ?1",
                params![app.id, app.name.to_lowercase(), app.version, to_json(&app)?],
            )
            .map_err(sql_error)?;
            Ok(app.version)
        })
        .await
    }

    async fn delete_app(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let id = id.to_string();
        self.with_audit(audit, move |tx| delete_by_id(tx, "apps", &id))
            .await
    }
}
