//! Sessions, by the hash of their token.

use async_trait::async_trait;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;

use super::items::{n, padded, s, session_from_item, session_item, session_key, BY_NAME};
use super::{sdk, DynamoStore, Query, NOT_EXISTS};
use crate::domain::model::SessionRecord;
use crate::ports::{SessionStore, StoreError};

#[async_trait]
impl SessionStore for DynamoStore {
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(session_item(session)))
            .condition_expression(NOT_EXISTS)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(_)) => {
                    Err(StoreError::Duplicate)
                }
                _ => Err(sdk(e)),
            },
        }
    }

    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.get(session_key(token_hash))
            .await?
            .as_ref()
            .map(session_from_item)
            .transpose()
    }

    async fn touch_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(session_key(&session.token_hash)))
            .update_expression("SET last_seen_at = :l, authenticated_at = :a, amr = :m")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":l", n(session.last_seen_at))
            .expression_attribute_values(":a", n(session.authenticated_at))
            .expression_attribute_values(":m", s(session.amr.join(" ")))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(UpdateItemError::ConditionalCheckFailedException(_)) => Ok(()),
                _ => Err(sdk(e)),
            },
        }
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(session_key(token_hash)))
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    async fn purge_expired_sessions(&self, now_ms: i64) -> Result<u64, StoreError> {
        let mut q = Query::new(
            Some(BY_NAME),
            "g1pk = :a AND g1sk < :b",
            vec![s("SESSIONS"), s(padded(now_ms.saturating_add(1)))],
        );
        q.projection = Some("pk, sk");
        let expired = self.query_all(&q, usize::MAX).await?;
        let count = expired.len() as u64;
        self.batch_delete(expired).await?;
        Ok(count)
    }
}
