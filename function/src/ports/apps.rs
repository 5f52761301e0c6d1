//! Persistence for OpenID Connect: registered apps, authorization codes,
//! access tokens and the public half of every signing key. Secrets are
//! stored only as hashes; the domain makes every decision.

use async_trait::async_trait;
use rekey_shared::AuditEvent;

use super::StoreError;
use crate::domain::model::{
    AccessTokenRecord, AppRecord, CodeRecord, ScimTokenRecord, SigningKeyRecord,
};

/// What spending an authorization code found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redemption {
    /// The code's first use: it is now marked used and its token stored.
    First(CodeRecord),
    /// The code was used before (a replay).
    Again(CodeRecord),
    Unknown,
}

#[async_trait]
pub trait AppStore: Send + Sync {
    /// Adds an app with its audit events; `Duplicate` if the id is taken.
    async fn insert_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<(), StoreError>;
    async fn app(&self, id: &str) -> Result<Option<AppRecord>, StoreError>;
    /// Every app, by name.
    async fn list_apps(&self) -> Result<Vec<AppRecord>, StoreError>;
    /// Writes `app` if the stored version still equals `app.version`,
    /// storing `app.version + 1`; `Conflict` otherwise, `NotFound` if gone.
    async fn update_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<u64, StoreError>;
    /// Removes the app; `NotFound` if it is not there.
    async fn delete_app(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError>;

    async fn insert_code(&self, code: &CodeRecord) -> Result<(), StoreError>;
    /// The code as stored now (a strong read), used or not.
    async fn code(&self, code_hash: &str) -> Result<Option<CodeRecord>, StoreError>;
    /// Marks the code used at `now` and stores the token it bought, in one
    /// atomic write: of two concurrent spends exactly one sees `First`, and
    /// a replay that loses finds the winner's token to revoke.
    async fn spend_code(
        &self,
        code: &CodeRecord,
        token: &AccessTokenRecord,
        now: i64,
    ) -> Result<Redemption, StoreError>;
    async fn access_token(&self, token_hash: &str)
        -> Result<Option<AccessTokenRecord>, StoreError>;
    /// Revokes every access token issued for the code, reading what the
    /// spend recorded strongly; returns how many.
    async fn revoke_code_tokens(&self, code_hash: &str) -> Result<u64, StoreError>;
    /// Forgets codes and tokens that expired before `now`.
    async fn purge_expired_grants(&self, now: i64) -> Result<(), StoreError>;

    /// Adds a SCIM bearer token (only its hash) with its audit events.
    async fn insert_scim_token(
        &self,
        token: &ScimTokenRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError>;
    /// Every SCIM token, newest first.
    async fn scim_tokens(&self) -> Result<Vec<ScimTokenRecord>, StoreError>;
    async fn scim_token_by_hash(&self, hash: &str) -> Result<Option<ScimTokenRecord>, StoreError>;
    /// Revokes a token; `NotFound` if it is not there.
    async fn delete_scim_token(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError>;

    /// Publishes a key; `Duplicate` if its kid is known.
    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> Result<(), StoreError>;
    /// Every published key, newest first.
    async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError>;
    /// Marks a key as no longer signing from `at` (it stays published
    /// until the tokens it signed have expired).
    async fn retire_signing_key(&self, kid: &str, at: i64) -> Result<(), StoreError>;
}
