//! Authorization codes and the access tokens they buy.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};

use super::apps::{token_key, ttl_secs};
use super::items::{backend, key, n, record_of, s, with_record, Item};
use super::{put, sdk, DynamoStore, TransactError, NOT_EXISTS};
use crate::domain::model::{AccessTokenRecord, CodeRecord};
use crate::domain::oidc::TOKEN_TTL_MS;
use crate::ports::{GrantStore, Redemption, StoreError};

fn code_key(hash: &str) -> Item {
    key(format!("C#{hash}"), "C")
}

fn code_of(item: &Item) -> Result<CodeRecord, StoreError> {
    let mut code: CodeRecord = record_of(item)?;
    code.used_at = item
        .get("used_at")
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok());
    Ok(code)
}

fn token_item(token: &AccessTokenRecord) -> Result<Item, StoreError> {
    let mut item = with_record(token_key(&token.token_hash), token)?;
    item.insert("ttl".into(), ttl_secs(token.expires_at));
    Ok(item)
}

#[async_trait]
impl GrantStore for DynamoStore {
    async fn insert_code(&self, code: &CodeRecord) -> Result<(), StoreError> {
        let mut item = with_record(code_key(&code.code_hash), code)?;
        // Kept while the tokens it bought live, so a replay can revoke them.
        item.insert("ttl".into(), ttl_secs(code.expires_at + TOKEN_TTL_MS));
        self.put_new_item(item).await
    }

    async fn code(&self, code_hash: &str) -> Result<Option<CodeRecord>, StoreError> {
        self.get(code_key(code_hash))
            .await?
            .as_ref()
            .map(code_of)
            .transpose()
    }

    async fn spend_code(
        &self,
        code: &CodeRecord,
        token: &AccessTokenRecord,
        now: i64,
    ) -> Result<Redemption, StoreError> {
        let code_hash = code.code_hash.as_str();
        // The code's "used" mark and the token are one transaction, and the
        // code remembers its token: a replay that loses the race reads the
        // code strongly and revokes exactly what the winner stored.
        let spend = Update::builder()
            .table_name(&self.table)
            .set_key(Some(code_key(code_hash)))
            .update_expression("SET used_at = :now, token_hash = :t")
            .condition_expression("attribute_exists(pk) AND attribute_not_exists(used_at)")
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":t", s(&token.token_hash))
            .build()
            .map_err(backend)?;
        let writes = vec![
            TransactWriteItem::builder().update(spend).build(),
            put(&self.table, token_item(token)?, Some(NOT_EXISTS))?,
        ];
        match self.transact(writes).await {
            Ok(()) => {}
            Err(TransactError::Condition) => {
                return Ok(match self.code(code_hash).await? {
                    Some(code) => Redemption::Again(code),
                    None => Redemption::Unknown,
                })
            }
            Err(e) => return Err(e.into()),
        }
        Ok(Redemption::First(CodeRecord {
            used_at: Some(now),
            ..code.clone()
        }))
    }

    async fn access_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<AccessTokenRecord>, StoreError> {
        self.get(token_key(token_hash))
            .await?
            .as_ref()
            .map(record_of)
            .transpose()
    }

    async fn revoke_code_tokens(&self, code_hash: &str) -> Result<u64, StoreError> {
        // The spend recorded its token on the code; a strong read finds it
        // even a moment after the winning exchange.
        let Some(hash) = self
            .get(code_key(code_hash))
            .await?
            .and_then(|item| item.get("token_hash").and_then(|v| v.as_s().ok()).cloned())
        else {
            return Ok(0);
        };
        let gone = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(token_key(&hash)))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(sdk)?;
        Ok(u64::from(gone.attributes.is_some_and(|a| !a.is_empty())))
    }

    async fn purge_expired_grants(&self, _now: i64) -> Result<(), StoreError> {
        // DynamoDB's TTL removes them; reads check expiry themselves.
        Ok(())
    }
}
