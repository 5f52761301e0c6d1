//! The named bearer tokens that let a SCIM client in: global admins make
//! and revoke them; a request without a live one is audited and throttled.

use rekey_shared::validate::check_name;
use rekey_shared::{ApiError, AuditAction, ScimTokenCreated, ScimTokenSummary};

use super::{store_error, ScimError, ScimRefusal};
use crate::domain::audit::event;
use crate::domain::model::{ScimTokenRecord, UserRecord};
use crate::domain::permissions::{self, Setting};
use crate::domain::session::{new_token, token_hash};
use crate::domain::{store_failure, Rekey};

impl Rekey {
    pub async fn create_scim_token(
        &self,
        actor: &UserRecord,
        name: &str,
    ) -> Result<ScimTokenCreated, ApiError> {
        permissions::global_admin(actor, Setting::ScimTokens)?;
        let name = check_name(name, "name")?;
        let (secret, hash) = new_token();
        let now = self.now();
        let record = ScimTokenRecord {
            id: uuid::Uuid::new_v4().to_string(),
            name,
            token_hash: hash,
            created_at: now,
        };
        let mut audit = event(now, AuditAction::ScimTokenCreated, Some(actor), None);
        audit.app = Some(record.audit_app());
        self.store
            .insert_scim_token(&record, &[audit])
            .await
            .map_err(store_failure)?;
        Ok(ScimTokenCreated {
            token: record.summary(),
            secret,
        })
    }

    pub async fn scim_tokens(&self, actor: &UserRecord) -> Result<Vec<ScimTokenSummary>, ApiError> {
        permissions::global_admin(actor, Setting::ScimTokens)?;
        Ok(self
            .store
            .scim_tokens()
            .await
            .map_err(store_failure)?
            .iter()
            .map(ScimTokenRecord::summary)
            .collect())
    }

    pub async fn revoke_scim_token(&self, actor: &UserRecord, id: &str) -> Result<(), ApiError> {
        permissions::global_admin(actor, Setting::ScimTokens)?;
        let token = self
            .store
            .scim_tokens()
            .await
            .map_err(store_failure)?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| ApiError::not_found("That token"))?;
        let mut audit = event(self.now(), AuditAction::ScimTokenRevoked, Some(actor), None);
        audit.app = Some(token.audit_app());
        self.store
            .delete_scim_token(id, &[audit])
            .await
            .map_err(store_failure)
    }

    /// The token a SCIM request carries, if it is a live one.
    pub async fn scim_client(&self, bearer: &str) -> Result<ScimTokenRecord, ScimError> {
        let unauthorized = || {
            ScimError::new(
                ScimRefusal::Unauthorized,
                "A valid bearer token is required.",
            )
        };
        if bearer.len() != 43 {
            return Err(unauthorized());
        }
        self.store
            .scim_token_by_hash(&token_hash(bearer))
            .await
            .map_err(store_error)?
            .ok_or_else(unauthorized)
    }

    /// A SCIM request without a live token: audited with its address, and
    /// throttled as sign-ins are, so guessing fills neither the log nor
    /// the server. `Err` carries the seconds to wait.
    pub async fn scim_auth_failed(&self, client: &str) -> Result<(), u64> {
        let now = self.now();
        self.sign_in_throttle
            .take(client, now)
            .map_err(|wait_ms| (wait_ms.max(0) as u64).div_ceil(1000))?;
        tracing::warn!(client, "SCIM request refused: no live token");
        let mut audit = event(now, AuditAction::ScimAuthFailed, None, None);
        audit.client = Some(client.to_string());
        self.record(&[audit]).await;
        Ok(())
    }
}
