//! Publishing the signer's keys. The store keeps every public key, so any
//! instance can answer JWKS: a new key signs, and a retired one stays
//! published until the last token it signed has expired.

use rekey_shared::{ApiError, SigningAlg};
use serde_json::Value;

use super::TOKEN_TTL_MS;

use crate::domain::model::SigningKeyRecord;
use crate::domain::{store_failure, Rekey};
use crate::ports::{PublicKey, StoreError};

impl Rekey {
    /// Publishes the signer's current keys, retiring the keys they replace.
    /// Run at start; cheap when nothing changed.
    pub async fn publish_signing_keys(&self) -> Result<(), StoreError> {
        let known = self.store.signing_keys().await?;
        let now = self.now();
        let current = self
            .signer
            .keys()
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        for key in current {
            if known.iter().any(|k| k.kid == key.kid) {
                continue;
            }
            let record = SigningKeyRecord {
                kid: key.kid.clone(),
                alg: key.alg,
                jwk: key.jwk.to_string(),
                created_at: now,
                retired_at: None,
            };
            match self.store.insert_signing_key(&record).await {
                Ok(()) | Err(StoreError::Duplicate) => {}
                Err(e) => return Err(e),
            }
            for old in known
                .iter()
                .filter(|k| k.alg == key.alg && k.retired_at.is_none())
            {
                self.store.retire_signing_key(&old.kid, now).await?;
            }
            tracing::info!(kid = %key.kid, alg = key.alg.as_str(), "published a new signing key");
        }
        Ok(())
    }

    /// The keys tokens may be checked against: the signer's own, and every
    /// published key not retired longer ago than a token lives.
    pub async fn verification_keys(&self) -> Result<Vec<SigningKeyRecord>, ApiError> {
        self.keys_published
            .get_or_try_init(|| self.publish_signing_keys())
            .await
            .map_err(store_failure)?;
        let now = self.now();
        let mut keys: Vec<SigningKeyRecord> = self
            .store
            .signing_keys()
            .await
            .map_err(store_failure)?
            .into_iter()
            .filter(|k| k.retired_at.is_none_or(|at| at + TOKEN_TTL_MS > now))
            .collect();
        for key in self.current_keys().await? {
            if !keys.iter().any(|k| k.kid == key.kid) {
                keys.push(SigningKeyRecord {
                    kid: key.kid,
                    alg: key.alg,
                    jwk: key.jwk.to_string(),
                    created_at: now,
                    retired_at: None,
                });
            }
        }
        Ok(keys)
    }

    /// The JWKS document's keys.
    pub async fn jwks(&self) -> Result<Vec<Value>, ApiError> {
        Ok(self
            .verification_keys()
            .await?
            .iter()
            .filter_map(|k| serde_json::from_str(&k.jwk).ok())
            .collect())
    }

    /// The signer's keys; a signer that cannot say is a logged 503.
    pub async fn current_keys(&self) -> Result<Vec<PublicKey>, ApiError> {
        self.signer.keys().await.map_err(|e| {
            tracing::error!(error = %e, "the signer's keys are unavailable");
            ApiError::new(
                rekey_shared::ErrorCode::Unavailable,
                "Signing is unavailable right now. Try again in a minute.",
            )
        })
    }

    /// The key that signs for `alg` now (published first, so the JWKS
    /// holds it before any token it signs exists).
    pub async fn signing_key(&self, alg: SigningAlg) -> Result<Option<PublicKey>, ApiError> {
        self.keys_published
            .get_or_try_init(|| self.publish_signing_keys())
            .await
            .map_err(store_failure)?;
        Ok(self
            .current_keys()
            .await?
            .into_iter()
            .find(|k| k.alg == alg))
    }
}
