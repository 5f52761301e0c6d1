//! The audit log, newest first.

use async_trait::async_trait;
use rekey_shared::AuditEvent;

use super::items::{audit_from_item, audit_item, s, BY_NAME};
use super::{put, DynamoStore, Query, NOT_EXISTS, TRANSACT_MAX};
use crate::adapters::keys::{decode_cursor, encode_cursor};
use crate::ports::{AuditStore, Page, StoreError};

#[async_trait]
impl AuditStore for DynamoStore {
    async fn append_audit(&self, events: &[AuditEvent]) -> Result<(), StoreError> {
        // One transaction per 100 events (DynamoDB's limit).
        for chunk in events.chunks(TRANSACT_MAX) {
            let writes = chunk
                .iter()
                .map(|e| put(&self.table, audit_item(e)?, Some(NOT_EXISTS)))
                .collect::<Result<Vec<_>, _>>()?;
            self.transact(writes).await?;
        }
        Ok(())
    }

    async fn list_audit(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<AuditEvent>, StoreError> {
        let limit = limit.max(1);
        let before: Option<String> = cursor.map(decode_cursor).transpose()?;
        let mut values = vec![s("AUDIT")];
        let condition = match before {
            Some(id) => {
                values.push(s(id));
                "g1pk = :a AND g1sk < :b"
            }
            None => "g1pk = :a",
        };
        let mut q = Query::new(Some(BY_NAME), condition, values);
        q.forward = false;
        q.limit = Some(limit + 1);
        let rows = self.query_all(&q, limit + 1).await?;
        let more = rows.len() > limit;
        let items = rows
            .iter()
            .take(limit)
            .map(audit_from_item)
            .collect::<Result<Vec<_>, _>>()?;
        let next_cursor = more
            .then(|| items.last().map(|e: &AuditEvent| encode_cursor(&e.id)))
            .flatten();
        Ok(Page { items, next_cursor })
    }
}
