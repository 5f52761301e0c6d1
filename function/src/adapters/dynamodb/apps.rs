//! OpenID Connect records in the single table:
//!
//! | item | pk | sk | GSI by_name |
//! |---|---|---|---|
//! | app | `APP#{id}` | `APP` | `APPS`, name `\u{1}` id |
//! | authorization code | `C#{sha256}` | `C` | |
//! | access token | `AT#{sha256}` | `AT` | |
//! | signing key | `K#{kid}` | `K` | `KEYS`, created `\u{1}` kid |
//! | SCIM token | `SCIM#{sha256}` | `SCIM` | `SCIMTOKENS`, created `\u{1}` id |
//!
//! Each item holds the domain's JSON in `record`. Codes and tokens carry
//! `ttl`, so DynamoDB expires them itself; a spent code carries `used_at`
//! and the `token_hash` it bought.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use rekey_shared::AuditEvent;

use super::items::{backend, key, n, record_of, s, with_record, Item, BY_NAME, SEP};
use super::{audit_item, delete, put, DynamoStore, Query, TransactError, NOT_EXISTS};
use crate::domain::model::AppRecord;
use crate::ports::{AppStore, StoreError};

fn app_key(id: &str) -> Item {
    key(format!("APP#{id}"), "APP")
}
pub(super) fn token_key(hash: &str) -> Item {
    key(format!("AT#{hash}"), "AT")
}

/// DynamoDB's TTL is in seconds.
pub(super) fn ttl_secs(at_ms: i64) -> aws_sdk_dynamodb::types::AttributeValue {
    n(at_ms.div_euclid(1000) + 60)
}

fn app_item(app: &AppRecord) -> Result<Item, StoreError> {
    let mut item = with_record(app_key(&app.id), app)?;
    item.insert("version".into(), n(app.version));
    item.insert("g1pk".into(), s("APPS"));
    item.insert(
        "g1sk".into(),
        s(format!("{}{SEP}{}", app.name.to_lowercase(), app.id)),
    );
    Ok(item)
}

impl DynamoStore {
    pub(super) async fn write_with_audit(
        &self,
        write_with_audit: TransactWriteItem,
        audit: &[AuditEvent],
    ) -> Result<(), TransactError> {
        let mut writes = vec![write_with_audit];
        for e in audit {
            writes.push(
                put(
                    &self.table,
                    audit_item(e).map_err(TransactError::Other)?,
                    Some(NOT_EXISTS),
                )
                .map_err(TransactError::Other)?,
            );
        }
        self.transact(writes).await
    }
}

#[async_trait]
impl AppStore for DynamoStore {
    async fn insert_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let write = put(&self.table, app_item(app)?, Some(NOT_EXISTS))?;
        Ok(self.write_with_audit(write, audit).await?)
    }

    async fn app(&self, id: &str) -> Result<Option<AppRecord>, StoreError> {
        self.get(app_key(id))
            .await?
            .as_ref()
            .map(record_of)
            .transpose()
    }

    async fn list_apps(&self) -> Result<Vec<AppRecord>, StoreError> {
        let q = Query::new(Some(BY_NAME), "g1pk = :a", vec![s("APPS")]);
        self.query_all(&q, usize::MAX)
            .await?
            .iter()
            .map(record_of)
            .collect()
    }

    async fn update_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<u64, StoreError> {
        let mut next = app.clone();
        next.version += 1;
        let item = Put::builder()
            .table_name(&self.table)
            .set_item(Some(app_item(&next)?))
            .condition_expression("version = :v")
            .expression_attribute_values(":v", n(app.version))
            .build()
            .map_err(backend)?;
        let write = TransactWriteItem::builder().put(item).build();
        match self.write_with_audit(write, audit).await {
            Ok(()) => Ok(next.version),
            Err(TransactError::Condition) => match self.get(app_key(&app.id)).await? {
                Some(_) => Err(StoreError::Conflict),
                None => Err(StoreError::NotFound),
            },
            Err(e) => Err(e.into()),
        }
    }

    async fn delete_app(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError> {
        if self.get(app_key(id)).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let write = delete(&self.table, app_key(id))?;
        Ok(self.write_with_audit(write, audit).await?)
    }
}
