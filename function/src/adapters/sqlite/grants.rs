//! Authorization codes and the access tokens they buy.

use async_trait::async_trait;
use rusqlite::{params, OptionalExtension};

use super::records::{from_json, record, to_json};
use super::{backend, sql_error, SqliteStore};
use crate::domain::model::{AccessTokenRecord, CodeRecord};
use crate::domain::oidc::TOKEN_TTL_MS;
use crate::ports::{GrantStore, Redemption, StoreError};

/// A code as stored, with when it was used.
fn code_row(c: &rusqlite::Connection, code_hash: &str) -> Result<Option<CodeRecord>, StoreError> {
    let row: Option<(String, Option<i64>)> = c
        .query_row(
            "SELECT record, used_at FROM oauth_codes WHERE code_hash = ?1",
            [code_hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(backend)?;
    row.map(|(record, used_at)| {
        let mut code: CodeRecord = from_json(&record)?;
        code.used_at = used_at;
        Ok(code)
    })
    .transpose()
}

#[async_trait]
impl GrantStore for SqliteStore {
    async fn insert_code(&self, code: &CodeRecord) -> Result<(), StoreError> {
        let code = code.clone();
        self.write(move |c, _| {
            c.execute(
                "INSERT INTO oauth_codes (code_hash, expires_at, used_at, record) VALUES (?1, ?2, NULL, ?3)",
                params![code.code_hash, code.expires_at, to_json(&code)?],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn code(&self, code_hash: &str) -> Result<Option<CodeRecord>, StoreError> {
        let code_hash = code_hash.to_string();
        self.read(move |c, _| code_row(c, &code_hash)).await
    }

    async fn spend_code(
        &self,
        code: &CodeRecord,
        token: &AccessTokenRecord,
        now: i64,
    ) -> Result<Redemption, StoreError> {
        let code_hash = code.code_hash.clone();
        let token = token.clone();
        self.write(move |c, _| {
            let tx = c.transaction().map_err(backend)?;
            let Some(mut code) = code_row(&tx, &code_hash)? else {
                return Ok(Redemption::Unknown);
            };
            if code.used_at.is_some() {
                return Ok(Redemption::Again(code));
            }
            tx.execute(
                "UPDATE oauth_codes SET used_at = ?2 WHERE code_hash = ?1",
                params![code_hash, now],
            )
            .map_err(backend)?;
            tx.execute(
                "INSERT INTO oauth_tokens (token_hash, code_hash, expires_at, record) VALUES (?1, ?2, ?3, ?4)",
                params![token.token_hash, code_hash, token.expires_at, to_json(&token)?],
            )
            .map_err(sql_error)?;
            tx.commit().map_err(backend)?;
            code.used_at = Some(now);
            Ok(Redemption::First(code))
        })
        .await
    }

    async fn access_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<AccessTokenRecord>, StoreError> {
        let token_hash = token_hash.to_string();
        self.read(move |c, _| {
            record(
                c,
                "SELECT record FROM oauth_tokens WHERE token_hash = ?1",
                [token_hash],
            )
        })
        .await
    }

    async fn revoke_code_tokens(&self, code_hash: &str) -> Result<u64, StoreError> {
        let code_hash = code_hash.to_string();
        self.write(move |c, _| {
            let n = c
                .execute("DELETE FROM oauth_tokens WHERE code_hash = ?1", [code_hash])
                .map_err(backend)?;
            Ok(n as u64)
        })
        .await
    }

    async fn purge_expired_grants(&self, now: i64) -> Result<(), StoreError> {
        self.write(move |c, _| {
            // Used codes are kept while their tokens live, so a replay can
            // still revoke them.
            c.execute(
                "DELETE FROM oauth_codes WHERE expires_at < ?1",
                [now - TOKEN_TTL_MS],
            )
            .map_err(backend)?;
            c.execute("DELETE FROM oauth_tokens WHERE expires_at < ?1", [now])
                .map_err(backend)?;
            Ok(())
        })
        .await
    }
}
