//! Rate-limited attempts, counted by key and time.

use async_trait::async_trait;

use super::items::{attempt_item, padded, s, BY_NAME};
use super::{DynamoStore, Query};
use crate::ports::{AttemptStore, StoreError};

#[async_trait]
impl AttemptStore for DynamoStore {
    async fn record_attempt(&self, key: &str, at: i64) -> Result<(), StoreError> {
        self.put_item(attempt_item(key, at)).await
    }

    async fn count_attempts(&self, key: &str, since: i64) -> Result<u64, StoreError> {
        let q = Query::new(
            None,
            "pk = :a AND sk >= :b",
            vec![s(format!("R#{key}")), s(padded(since))],
        );
        self.count_all(q).await
    }

    async fn purge_attempts(&self, before: i64) -> Result<(), StoreError> {
        let mut q = Query::new(
            Some(BY_NAME),
            "g1pk = :a AND g1sk < :b",
            vec![s("ATTEMPTS"), s(padded(before))],
        );
        q.projection = Some("pk, sk");
        let old = self.query_all(&q, usize::MAX).await?;
        self.batch_delete(old).await
    }
}
