//! WebAuthn ceremonies: `WC#{id hash}`, the record's JSON, and a `ttl` so
//! DynamoDB forgets the ones never finished.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::ReturnValue;

use super::items::{key, record_of, ttl, with_record, Item};
use super::{sdk, DynamoStore};
use crate::domain::model::Ceremony;
use crate::ports::{Ceremonies, StoreError};

fn ceremony_key(id_hash: &str) -> Item {
    key(format!("WC#{id_hash}"), "C")
}

#[async_trait]
impl Ceremonies for DynamoStore {
    async fn insert_ceremony(&self, ceremony: &Ceremony) -> Result<(), StoreError> {
        let mut item = with_record(ceremony_key(&ceremony.id_hash), ceremony)?;
        item.insert("ttl".into(), ttl(ceremony.expires_at));
        self.put_new_item(item).await
    }

    async fn take_ceremony(&self, id_hash: &str) -> Result<Option<Ceremony>, StoreError> {
        // One conditional delete: of twenty at once, one sees the old item.
        let taken = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(ceremony_key(id_hash)))
            .condition_expression("attribute_exists(pk)")
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match taken {
            Ok(out) => out.attributes().map(record_of).transpose(),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(None)
            }
            Err(e) => Err(sdk(e)),
        }
    }

    async fn purge_ceremonies(&self, _now: i64) -> Result<(), StoreError> {
        // DynamoDB's TTL removes them; finishes check `expires_at`.
        Ok(())
    }
}
