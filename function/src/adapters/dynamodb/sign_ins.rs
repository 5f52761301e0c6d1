//! The sign-in log in the single table: `SI#{owner}`, sort key
//! `{padded time}\u{1}{id}`, the entry's JSON in `record`, and a `ttl` so
//! DynamoDB forgets entries after 30 days.

use async_trait::async_trait;
use rekey_shared::SignInEntry;

use super::items::{key, n, padded, record_of, s, with_record, SEP};
use super::{DynamoStore, Query};
use crate::ports::sign_in_log::SIGN_IN_LOG_DAYS;
use crate::ports::{SignInLog, StoreError};

const DAY_SECS: i64 = 86_400;

#[async_trait]
impl SignInLog for DynamoStore {
    async fn append_sign_in(&self, owner: &str, entry: &SignInEntry) -> Result<(), StoreError> {
        let mut item = with_record(
            key(
                format!("SI#{owner}"),
                &format!("{}{SEP}{}", padded(entry.at), entry.id),
            ),
            entry,
        )?;
        item.insert(
            "ttl".into(),
            n(entry.at.div_euclid(1000) + SIGN_IN_LOG_DAYS * DAY_SECS),
        );
        self.put_item(item).await
    }

    async fn sign_ins(
        &self,
        owner: &str,
        since: i64,
        limit: usize,
    ) -> Result<Vec<SignInEntry>, StoreError> {
        let mut q = Query::new(
            None,
            "pk = :a AND sk >= :b",
            vec![s(format!("SI#{owner}")), s(padded(since))],
        );
        q.forward = false;
        q.limit = Some(limit.max(1));
        self.query_all(&q, limit)
            .await?
            .iter()
            .map(record_of)
            .collect()
    }

    async fn purge_sign_ins(&self, _before: i64) -> Result<(), StoreError> {
        // DynamoDB's TTL removes them; reads ask for the last 30 days.
        Ok(())
    }
}
