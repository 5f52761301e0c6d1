//! Signing ID tokens. Locally a key file in the data folder; deployed, an
//! AWS KMS asymmetric key whose private half never leaves KMS.

use async_trait::async_trait;
use rekey_shared::SigningAlg;

/// A key the signer holds, as JWKS publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub kid: String,
    pub alg: SigningAlg,
    /// The public JWK (RFC 7517), with `kid`, `alg` and `use`.
    pub jwk: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
#[error("signing failed: {0}")]
pub struct SignError(pub String);

#[async_trait]
pub trait Signer: Send + Sync {
    /// The keys that sign now: at most one per algorithm. (KMS's are read
    /// on first use, not at start: a Lambda cold start waits for nothing.)
    async fn keys(&self) -> Result<Vec<PublicKey>, SignError>;
    /// The JWS signature (for ES256 the 64-byte r || s) of `message`
    /// under the key `kid`.
    async fn sign(&self, kid: &str, message: &[u8]) -> Result<Vec<u8>, SignError>;
}
