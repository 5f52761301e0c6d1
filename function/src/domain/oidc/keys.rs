//! Publishing the signer's keys. The store keeps every public key, so any
//! instance can answer JWKS: a new key signs, and a retired one stays
//! published until the last token it signed has expired.

use rekey_shared::{ApiError, SigningAlg};
use serde_json::Value;

use super::{SigningKeyRecord, TOKEN_TTL_MS};
use crate::domain::{store_failure, Rekey};
use crate::ports::{PublicKey, StoreError};

impl Rekey {
    /// Publishes the signer's current keys, retiring the keys they replace.
    /// Run at start; cheap when nothing changed.
    pub async fn publish_signing_keys(&self) -> Result<(), StoreError> {
        let known = self.store.signing_keys().await?;
        let now = self.now();
        for key in self.signer.keys() {
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
        let now = self.now();
        let mut keys: Vec<SigningKeyRecord> = self
            .store
            .signing_keys()
            .await
            .map_err(store_failure)?
            .into_iter()
            .filter(|k| k.retired_at.is_none_or(|at| at + TOKEN_TTL_MS > now))
            .collect();
        for key in self.signer.keys() {
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

    /// The key that signs for `alg` now.
    pub fn signing_key(&self, alg: SigningAlg) -> Option<PublicKey> {
        self.signer.keys().into_iter().find(|k| k.alg == alg)
    }
}
