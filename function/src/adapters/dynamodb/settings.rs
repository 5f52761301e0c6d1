//! Organisation settings: `SETTINGS`, sort key the setting's key, its JSON
//! in `record` and its `version` beside it for conditional writes.

use async_trait::async_trait;
use rekey_shared::AuditEvent;

use super::items::{get_n, get_s, key, n, s, Item};
use super::{put, DynamoStore, TransactError};
use crate::ports::{SettingsStore, StoreError};

fn setting_key(name: &str) -> Item {
    key("SETTINGS".into(), name)
}

#[async_trait]
impl SettingsStore for DynamoStore {
    async fn setting(&self, name: &str) -> Result<Option<(String, u64)>, StoreError> {
        let Some(item) = self.get(setting_key(name)).await? else {
            return Ok(None);
        };
        Ok(Some((get_s(&item, "record")?, get_n(&item, "version")?)))
    }

    async fn put_setting(
        &self,
        name: &str,
        record: &str,
        version: u64,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        let mut item = setting_key(name);
        item.insert("record".into(), s(record));
        item.insert("version".into(), n(version + 1));
        let write = if version == 0 {
            put(&self.table, item, Some("attribute_not_exists(pk)"))?
        } else {
            let put = aws_sdk_dynamodb::types::Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("version = :v")
                .expression_attribute_values(":v", n(version))
                .build()
                .map_err(super::items::backend)?;
            aws_sdk_dynamodb::types::TransactWriteItem::builder()
                .put(put)
                .build()
        };
        match self.write_with_audit(write, audit).await {
            Ok(()) => Ok(version + 1),
            Err(TransactError::Condition) => Err(StoreError::Conflict),
            Err(e) => Err(e.into()),
        }
    }
}
