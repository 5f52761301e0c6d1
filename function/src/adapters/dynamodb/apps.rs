//! OpenID Connect records in the single table:
//!
//! | item | pk | sk | GSI by_name |
//! |---|---|---|---|
//! | app | `APP#{id}` | `APP` | `APPS`, name `\u{1}` id |
//! | authorization code | `C#{sha256}` | `C` | |
//! | access token | `AT#{sha256}` | `AT` | |
//! | signing key | `K#{kid}` | `K` | `KEYS`, created `\u{1}` kid |
//! | SCIM token | `SCIM#{sha256}` | `SCIM` | `SCIMTOKENS`, created `\u{1}` id |
//!
//! Each item holds the domain's JSON in `record`. Codes and tokens carry
//! `ttl`, so DynamoDB expires them itself; a spent code carries `used_at`
//! and the `token_hash` it bought.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use rekey_shared::AuditEvent;

use super::items::{backend, key, n, padded, record_of, s, with_record, Item, BY_NAME, SEP};
use super::{audit_item, delete, put, sdk, DynamoStore, Query, TransactError, NOT_EXISTS};
use crate::domain::model::{
    AccessTokenRecord, AppRecord, CodeRecord, ScimTokenRecord, SigningKeyRecord,
};
use crate::domain::oidc::TOKEN_TTL_MS;
use crate::ports::{AppStore, Redemption, StoreError};

fn app_key(id: &str) -> Item {
    key(format!("APP#{id}"), "APP")
}
fn code_key(hash: &str) -> Item {
    key(format!("C#{hash}"), "C")
}
fn token_key(hash: &str) -> Item {
    key(format!("AT#{hash}"), "AT")
}
fn scim_key(hash: &str) -> Item {
    key(format!("SCIM#{hash}"), "SCIM")
}
fn signing_key_key(kid: &str) -> Item {
    key(format!("K#{kid}"), "K")
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

/// DynamoDB's TTL is in seconds.
fn ttl_secs(at_ms: i64) -> aws_sdk_dynamodb::types::AttributeValue {
    n(at_ms.div_euclid(1000) + 60)
}

fn app_item(app: &AppRecord) -> Result<Item, StoreError> {
    let mut item = with_record(app_key(&app.id), app)?;
    item.insert("version".into(), n(app.version));
    item.insert("g1pk".into(), s("APPS"));
    item.insert(
        "g1sk".into(),
        s(format!("{}{SEP}{}", app.name.to_lowercase(), app.id)),
    );
    Ok(item)
}

impl DynamoStore {
    async fn app_write(
        &self,
        app_write: TransactWriteItem,
        audit: &[AuditEvent],
    ) -> Result<(), TransactError> {
        let mut writes = vec![app_write];
        for e in audit {
            writes.push(
                put(
                    &self.table,
                    audit_item(e).map_err(TransactError::Other)?,
                    Some(NOT_EXISTS),
                )
                .map_err(TransactError::Other)?,
            );
        }
        self.transact(writes).await
    }
}

#[async_trait]
impl AppStore for DynamoStore {
    async fn insert_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let write = put(&self.table, app_item(app)?, Some(NOT_EXISTS))?;
        Ok(self.app_write(write, audit).await?)
    }

    async fn app(&self, id: &str) -> Result<Option<AppRecord>, StoreError> {
        self.get(app_key(id))
            .await?
            .as_ref()
            .map(record_of)
            .transpose()
    }

    async fn list_apps(&self) -> Result<Vec<AppRecord>, StoreError> {
        let q = Query::new(Some(BY_NAME), "g1pk = :a", vec![s("APPS")]);
        self.query_all(&q, usize::MAX)
            .await?
            .iter()
            .map(record_of)
            .collect()
    }

    async fn update_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<u64, StoreError> {
        let mut next = app.clone();
        next.version += 1;
        let item = Put::builder()
            .table_name(&self.table)
            .set_item(Some(app_item(&next)?))
            .condition_expression("version = :v")
            .expression_attribute_values(":v", n(app.version))
            .build()
            .map_err(backend)?;
        let write = TransactWriteItem::builder().put(item).build();
        match self.app_write(write, audit).await {
            Ok(()) => Ok(next.version),
            Err(TransactError::Condition) => match self.get(app_key(&app.id)).await? {
                Some(_) => Err(StoreError::Conflict),
                None => Err(StoreError::NotFound),
            },
            Err(e) => Err(e.into()),
        }
    }

    async fn delete_app(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError> {
        if self.get(app_key(id)).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        let write = delete(&self.table, app_key(id))?;
        Ok(self.app_write(write, audit).await?)
    }

    async fn insert_code(&self, code: &CodeRecord) -> Result<(), StoreError> {
        let mut item = with_record(code_key(&code.code_hash), code)?;
        // Kept while the tokens it bought live, so a replay can revoke them.
        item.insert("ttl".into(), ttl_secs(code.expires_at + TOKEN_TTL_MS));
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(NOT_EXISTS)
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
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

    async fn insert_scim_token(
        &self,
        token: &ScimTokenRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut item = with_record(scim_key(&token.token_hash), token)?;
        item.insert("g1pk".into(), s("SCIMTOKENS"));
        item.insert(
            "g1sk".into(),
            s(format!("{}{SEP}{}", padded(token.created_at), token.id)),
        );
        let write = put(&self.table, item, Some(NOT_EXISTS))?;
        Ok(self.app_write(write, audit).await?)
    }

    async fn scim_tokens(&self) -> Result<Vec<ScimTokenRecord>, StoreError> {
        let mut q = Query::new(Some(BY_NAME), "g1pk = :a", vec![s("SCIMTOKENS")]);
        q.forward = false;
        self.query_all(&q, usize::MAX)
            .await?
            .iter()
            .map(record_of)
            .collect()
    }

    async fn scim_token_by_hash(&self, hash: &str) -> Result<Option<ScimTokenRecord>, StoreError> {
        self.get(scim_key(hash))
            .await?
            .as_ref()
            .map(record_of)
            .transpose()
    }

    async fn delete_scim_token(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let token = self
            .scim_tokens()
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or(StoreError::NotFound)?;
        let write = delete(&self.table, scim_key(&token.token_hash))?;
        Ok(self.app_write(write, audit).await?)
    }

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
        let mut q = Query::new(Some(BY_NAME), "g1pk = :a", vec![s("KEYS")]);
        q.forward = false;
        self.query_all(&q, usize::MAX)
            .await?
            .iter()
            .map(record_of)
            .collect()
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
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }
}
