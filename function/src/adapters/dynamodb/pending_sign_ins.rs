//! Sign-ins waiting for their second factor: `PS#{token hash}`, with a
//! `ttl` so DynamoDB forgets the ones never finished.

use async_trait::async_trait;

use super::items::{get_n, get_s, key, n, s, ttl, Item};
use super::{sdk, DynamoStore};
use crate::domain::model::PendingSignIn;
use crate::ports::{PendingSignIns, StoreError};

fn pending_key(token_hash: &str) -> Item {
    key(format!("PS#{token_hash}"), "P")
}

#[async_trait]
impl PendingSignIns for DynamoStore {
    async fn insert_pending_sign_in(&self, p: &PendingSignIn) -> Result<(), StoreError> {
        let mut item = pending_key(&p.token_hash);
        item.insert("token_hash".into(), s(&p.token_hash));
        item.insert("user_id".into(), s(&p.user_id));
        item.insert("epoch".into(), n(p.epoch));
        item.insert("created_at".into(), n(p.created_at));
        item.insert("expires_at".into(), n(p.expires_at));
        item.insert("ttl".into(), ttl(p.expires_at));
        self.put_new_item(item).await
    }

    async fn pending_sign_in(&self, token_hash: &str) -> Result<Option<PendingSignIn>, StoreError> {
        let Some(item) = self.get(pending_key(token_hash)).await? else {
            return Ok(None);
        };
        Ok(Some(PendingSignIn {
            token_hash: get_s(&item, "token_hash")?,
            user_id: get_s(&item, "user_id")?,
            epoch: get_n(&item, "epoch")?,
            created_at: get_n(&item, "created_at")?,
            expires_at: get_n(&item, "expires_at")?,
        }))
    }

    async fn take_pending_sign_in(&self, token_hash: &str) -> Result<bool, StoreError> {
        let taken = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(pending_key(token_hash)))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await;
        match taken {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(sdk(e)),
        }
    }

    async fn purge_pending_sign_ins(&self, _now: i64) -> Result<(), StoreError> {
        // DynamoDB's TTL removes them; reads check `expires_at`.
        Ok(())
    }
}
