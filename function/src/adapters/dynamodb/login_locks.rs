//! Unknown logins' lock records in the single table: `LL#{hashed login}`,
//! sort key `LL`, with a `ttl`, read and written the way a user's record
//! is (one strong read, one conditional put).

use async_trait::async_trait;
use aws_sdk_dynamodb::operation::put_item::PutItemError;

use super::items::{backend, key, n, Item};
use super::{sdk, DynamoStore, NOT_EXISTS};
use crate::ports::login_locks::{LoginLock, LoginLocks};
use crate::ports::StoreError;

fn lock_key(k: &str) -> Item {
    key(format!("LL#{k}"), "LL")
}

fn number<T: std::str::FromStr>(item: &Item, k: &str) -> Result<Option<T>, StoreError> {
    item.get(k)
        .map(|v| {
            v.as_n()
                .ok()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| backend(format!("item attribute {k}")))
        })
        .transpose()
}

fn lock_item(l: &LoginLock, version: u64) -> Item {
    let mut item = lock_key(&l.key);
    item.insert("failed_sign_ins".into(), n(l.failed_sign_ins));
    item.insert("lockouts".into(), n(l.lockouts));
    item.insert("version".into(), n(version));
    item.insert("expires_at".into(), n(l.expires_at));
    if let Some(until) = l.locked_until {
        item.insert("locked_until".into(), n(until));
    }
    // DynamoDB's TTL is in seconds; it deletes a little after, and reads
    // still see an expired record, which the domain starts over.
    item.insert("ttl".into(), n(l.expires_at.div_euclid(1000) + 3600));
    item
}

#[async_trait]
impl LoginLocks for DynamoStore {
    async fn login_lock(&self, k: &str) -> Result<Option<LoginLock>, StoreError> {
        let Some(item) = self.get(lock_key(k)).await? else {
            return Ok(None);
        };
        Ok(Some(LoginLock {
            key: k.to_string(),
            failed_sign_ins: number(&item, "failed_sign_ins")?.unwrap_or(0),
            locked_until: number(&item, "locked_until")?,
            lockouts: number(&item, "lockouts")?.unwrap_or(0),
            version: number(&item, "version")?.unwrap_or(0),
            expires_at: number(&item, "expires_at")?.unwrap_or(0),
        }))
    }

    async fn put_login_lock(&self, lock: &LoginLock) -> Result<u64, StoreError> {
        let next = lock.version + 1;
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(lock_item(lock, next)));
        put = if lock.version == 0 {
            put.condition_expression(NOT_EXISTS)
        } else {
            put.condition_expression("version = :v")
                .expression_attribute_values(":v", n(lock.version))
        };
        match put.send().await {
            Ok(_) => Ok(next),
            Err(e) => match e.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(_)) => Err(StoreError::Conflict),
                _ => Err(sdk(e)),
            },
        }
    }

    async fn purge_login_locks(&self, _now: i64) -> Result<(), StoreError> {
        // DynamoDB's TTL removes them.
        Ok(())
    }
}
