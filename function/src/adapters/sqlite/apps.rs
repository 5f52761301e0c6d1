//! OpenID Connect records in SQLite: one JSON record per row, with the
//! columns its queries need beside it.

use async_trait::async_trait;
use rekey_shared::AuditEvent;
use rusqlite::{params, OptionalExtension};

use super::{backend, insert_audit, sql_error, SqliteStore};
use crate::domain::model::{
    AccessTokenRecord, AppRecord, CodeRecord, ScimTokenRecord, SigningKeyRecord,
};
use crate::domain::oidc::TOKEN_TTL_MS;
use crate::ports::{AppStore, Redemption, StoreError};

fn to_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(backend)
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(backend)
}

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

impl SqliteStore {
    /// Runs `change` and appends `audit` in one transaction.
    pub(super) async fn with_audit<T: Send + 'static>(
        &self,
        audit: &[AuditEvent],
        change: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let audit = audit.to_vec();
        self.write(move |c, _| {
            let tx = c.transaction().map_err(backend)?;
            let done = change(&tx)?;
            for event in &audit {
                insert_audit(&tx, event)?;
            }
            tx.commit().map_err(backend)?;
            Ok(done)
        })
        .await
    }
}

/// Whether the row of `table` with `id` is still at `version`: `NotFound`
/// if it is gone, `Conflict` if it moved on.
pub(super) fn check_version(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    id: &str,
    version: u64,
) -> Result<(), StoreError> {
    let stored: Option<u64> = tx
        .query_row(
            &format!("SELECT version FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()
        .map_err(backend)?;
    match stored {
        None => Err(StoreError::NotFound),
        Some(v) if v != version => Err(StoreError::Conflict),
        Some(_) => Ok(()),
    }
}

/// Deletes the row of `table` whose `id` it is; `NotFound` if none.
pub(super) fn delete_by_id(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    id: &str,
) -> Result<(), StoreError> {
    match tx
        .execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])
        .map_err(backend)?
    {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

#[async_trait]
impl AppStore for SqliteStore {
    async fn insert_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let app = app.clone();
        self.with_audit(audit, move |tx| {
            tx.execute(
                "INSERT INTO apps (id, name_lc, version, record) VALUES (?1, ?2, ?3, ?4)",
                params![app.id, app.name.to_lowercase(), app.version, to_json(&app)?],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn app(&self, id: &str) -> Result<Option<AppRecord>, StoreError> {
        let id = id.to_string();
        self.read(move |c, _| {
            let record: Option<String> = c
                .query_row("SELECT record FROM apps WHERE id = ?1", [id], |r| r.get(0))
                .optional()
                .map_err(backend)?;
            record.as_deref().map(from_json).transpose()
        })
        .await
    }

    async fn list_apps(&self) -> Result<Vec<AppRecord>, StoreError> {
        self.read(|c, _| {
            let mut stmt = c
                .prepare_cached("SELECT record FROM apps ORDER BY name_lc, id")
                .map_err(backend)?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(backend)?;
            rows.map(|r| from_json(&r.map_err(backend)?)).collect()
        })
        .await
    }

    async fn update_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<u64, StoreError> {
        let mut app = app.clone();
        self.with_audit(audit, move |tx| {
            check_version(tx, "apps", &app.id, app.version)?;
            app.version += 1;
            tx.execute(
                "UPDATE apps SET name_lc = ?2, version = ?3, record = ?4 WHERE id = ?1",
                params![app.id, app.name.to_lowercase(), app.version, to_json(&app)?],
            )
            .map_err(sql_error)?;
            Ok(app.version)
        })
        .await
    }

    async fn delete_app(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let id = id.to_string();
        self.with_audit(audit, move |tx| delete_by_id(tx, "apps", &id))
            .await
    }

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
            let record: Option<String> = c
                .query_row(
                    "SELECT record FROM oauth_tokens WHERE token_hash = ?1",
                    [token_hash],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            record.as_deref().map(from_json).transpose()
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

    async fn insert_scim_token(
        &self,
        token: &ScimTokenRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let token = token.clone();
        self.with_audit(audit, move |tx| {
            tx.execute(
                "INSERT INTO scim_tokens (id, token_hash, created_at, record) VALUES (?1, ?2, ?3, ?4)",
                params![token.id, token.token_hash, token.created_at, to_json(&token)?],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn scim_tokens(&self) -> Result<Vec<ScimTokenRecord>, StoreError> {
        self.read(|c, _| {
            let mut stmt = c
                .prepare_cached("SELECT record FROM scim_tokens ORDER BY created_at DESC, id")
                .map_err(backend)?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(backend)?;
            rows.map(|r| from_json(&r.map_err(backend)?)).collect()
        })
        .await
    }

    async fn scim_token_by_hash(&self, hash: &str) -> Result<Option<ScimTokenRecord>, StoreError> {
        let hash = hash.to_string();
        self.read(move |c, _| {
            let record: Option<String> = c
                .query_row(
                    "SELECT record FROM scim_tokens WHERE token_hash = ?1",
                    [hash],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            record.as_deref().map(from_json).transpose()
        })
        .await
    }

    async fn delete_scim_token(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError> {
        let id = id.to_string();
        self.with_audit(audit, move |tx| delete_by_id(tx, "scim_tokens", &id))
            .await
    }

    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> Result<(), StoreError> {
        let key = key.clone();
        self.write(move |c, _| {
            c.execute(
                "INSERT INTO signing_keys (kid, created_at, record) VALUES (?1, ?2, ?3)",
                params![key.kid, key.created_at, to_json(&key)?],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError> {
        self.read(|c, _| {
            let mut stmt = c
                .prepare_cached("SELECT record FROM signing_keys ORDER BY created_at DESC, kid")
                .map_err(backend)?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(backend)?;
            rows.map(|r| from_json(&r.map_err(backend)?)).collect()
        })
        .await
    }

    async fn retire_signing_key(&self, kid: &str, at: i64) -> Result<(), StoreError> {
        let kid = kid.to_string();
        self.write(move |c, _| {
            let tx = c.transaction().map_err(backend)?;
            let record: Option<String> = tx
                .query_row(
                    "SELECT record FROM signing_keys WHERE kid = ?1",
                    [&kid],
                    |r| r.get(0),
                )
                .optional()
                .map_err(backend)?;
            let Some(record) = record else {
                return Err(StoreError::NotFound);
            };
            let mut key: SigningKeyRecord = from_json(&record)?;
            if key.retired_at.is_none() {
                key.retired_at = Some(at);
                tx.execute(
                    "UPDATE signing_keys SET record = ?2 WHERE kid = ?1",
                    params![kid, to_json(&key)?],
                )
                .map_err(backend)?;
            }
            tx.commit().map_err(backend)
        })
        .await
    }
}
