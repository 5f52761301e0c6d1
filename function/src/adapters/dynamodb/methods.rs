//! Users' sign-in methods in the single table: `AM#{user id}`, sort key the
//! method's id, its JSON in `record` and its `version` beside it for
//! conditional writes.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use rekey_shared::AuditEvent;

use super::items::{backend, key, n, record_of, s, with_record, Item};
use super::{delete, put, DynamoStore, Query, TransactError, NOT_EXISTS};
use crate::domain::model::MethodRecord;
use crate::ports::{MethodStore, StoreError};

pub(super) fn partition(user_id: &str) -> String {
    format!("AM#{user_id}")
}

fn method_key(user_id: &str, id: &str) -> Item {
    key(partition(user_id), id)
}

fn method_item(method: &MethodRecord) -> Result<Item, StoreError> {
    let mut item = with_record(method_key(&method.user_id, &method.id), method)?;
    item.insert("version".into(), n(method.version));
    Ok(item)
}

#[async_trait]
impl MethodStore for DynamoStore {
    async fn insert_method(
        &self,
        method: &MethodRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let write = put(&self.table, method_item(method)?, Some(NOT_EXISTS))?;
        match self.write_with_audit(write, audit).await {
            Err(TransactError::Condition) => Err(StoreError::Duplicate),
            done => Ok(done?),
        }
    }

    async fn methods_of(&self, user_id: &str) -> Result<Vec<MethodRecord>, StoreError> {
        let q = Query::new(None, "pk = :a", vec![s(partition(user_id))]);
        let mut found: Vec<MethodRecord> = self
            .query_all(&q, usize::MAX)
            .await?
            .iter()
            .map(record_of)
            .collect::<Result<_, _>>()?;
        found.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        Ok(found)
    }

    async fn update_method(
        &self,
        method: &MethodRecord,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        let mut next = method.clone();
        next.version += 1;
        let item = Put::builder()
            .table_name(&self.table)
            .set_item(Some(method_item(&next)?))
            .condition_expression("version = :v")
            .expression_attribute_values(":v", n(method.version))
            .build()
            .map_err(backend)?;
        let write = TransactWriteItem::builder().put(item).build();
        match self.write_with_audit(write, audit).await {
            Ok(()) => Ok(next.version),
            Err(TransactError::Condition) => {
                match self.get(method_key(&method.user_id, &method.id)).await? {
                    Some(_) => Err(StoreError::Conflict),
                    None => Err(StoreError::NotFound),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn delete_method(
        &self,
        user_id: &str,
        id: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        if self.get(method_key(user_id, id)).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let write = delete(&self.table, method_key(user_id, id))?;
        Ok(self.write_with_audit(write, audit).await?)
    }
}

impl DynamoStore {
    /// Forgets every method of a deleted user (SQLite's foreign key does
    /// the same): her sealed seeds and code hashes do not outlive her.
    pub(super) async fn delete_methods_of(&self, user_id: &str) -> Result<(), StoreError> {
        let q = Query::new(None, "pk = :a", vec![s(partition(user_id))]);
        let keys = self
            .query_all(&q, usize::MAX)
            .await?
            .iter()
            .map(|item| {
                let sk = item
                    .get("sk")
                    .and_then(|v| v.as_s().ok())
                    .ok_or_else(|| backend("a method without its sort key"))?;
                Ok(method_key(user_id, sk))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.batch_delete(keys).await
    }
}
