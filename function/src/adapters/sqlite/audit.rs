//! The audit log, newest first.

use async_trait::async_trait;
use rekey_shared::AuditEvent;
use rusqlite::params;

use super::{backend, insert_audit, SqliteStore};
use crate::adapters::keys::{decode_cursor, encode_cursor};
use crate::ports::{AuditStore, Page, StoreError};

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit(&self, events: &[AuditEvent]) -> Result<(), StoreError> {
        let events = events.to_vec();
        self.write(move |c, _| {
            let tx = c.transaction().map_err(backend)?;
            for event in &events {
                insert_audit(&tx, event)?;
            }
            tx.commit().map_err(backend)
        })
        .await
    }

    async fn list_audit(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<AuditEvent>, StoreError> {
        let before: i64 = match cursor {
            Some(c) => decode_cursor(c)?,
            None => i64::MAX,
        };
        let limit = limit.max(1);
        self.read(move |c, _| {
            let mut stmt = c
                .prepare_cached(
                    "SELECT seq, event FROM audit_events WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2",
                )
                .map_err(backend)?;
            let rows = stmt
                .query_map(params![before, limit as i64 + 1], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(backend)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(backend)?;
            let more = rows.len() > limit;
            let mut items = Vec::with_capacity(limit);
            let mut last = None;
            for (seq, json) in rows.into_iter().take(limit) {
                items.push(serde_json::from_str(&json).map_err(backend)?);
                last = Some(seq);
            }
            Ok(Page {
                items,
                next_cursor: if more {
                    last.map(|s| encode_cursor(&s))
                } else {
                    None
                },
            })
        })
        .await
    }
}
