//! The published signing keys.

use async_trait::async_trait;

use super::items::{key, padded, record_of, s, with_record, Item, SEP};
use super::{put, DynamoStore, NOT_EXISTS};
use crate::domain::model::SigningKeyRecord;
use crate::ports::{SigningKeyStore, StoreError};

fn signing_key_key(kid: &str) -> Item {
    key(format!("K#{kid}"), "K")
}

#[async_trait]
impl SigningKeyStore for DynamoStore {
    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> Result<(), StoreError> {
        let mut item = with_record(signing_key_key(&key.kid), key)?;
        item.insert("g1pk".into(), s("KEYS"));
        item.insert(
            "g1sk".into(),
            s(format!("{}{SEP}{}", padded(key.created_at), key.kid)),
        );
        let write = put(&self.table, item, Some(NOT_EXISTS))?;
        Ok(self.transact(vec![write]).await?)
    }

    async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError> {
        self.records_newest_first("KEYS").await
    }

    async fn retire_signing_key(&self, kid: &str, at: i64) -> Result<(), StoreError> {
        let Some(item) = self.get(signing_key_key(kid)).await? else {
            return Err(StoreError::NotFound);
        };
        let mut record: SigningKeyRecord = record_of(&item)?;
        if record.retired_at.is_some() {
            return Ok(());
        }
        record.retired_at = Some(at);
        let item = with_record(item, &record)?;
        self.put_item(item).await
    }
}
