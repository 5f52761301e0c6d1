//! The public half of an ID-token signing key.

use serde::{Deserialize, Serialize};

/// A published public key (JWKS); the private half is the signer's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningKeyRecord {
    pub kid: String,
    pub alg: rekey_shared::SigningAlg,
    /// The public JWK, as JSON text.
    pub jwk: String,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}
