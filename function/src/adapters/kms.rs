//! The deployed Signer: AWS KMS asymmetric keys (`kms:Sign`). The private
//! keys never leave KMS; their public halves are read once at start.

use async_trait::async_trait;
use aws_sdk_kms::error::DisplayErrorContext;
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::{KeySpec, MessageType, SigningAlgorithmSpec};
use aws_sdk_kms::Client;
use rekey_shared::SigningAlg;
use rsa::pkcs8::DecodePublicKey;

use super::key_file::{es256_jwk, rs256_jwk};
use crate::ports::{PublicKey, SignError, Signer};

/// SubjectPublicKeyInfo's fixed prefix for an uncompressed P-256 key
/// (id-ecPublicKey, prime256v1), before the 65-byte point.
const P256_SPKI_PREFIX: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

struct KmsKey {
    public: PublicKey,
    key_id: String,
}

pub struct KmsSigner {
    client: Client,
    key_ids: Vec<String>,
    keys: tokio::sync::OnceCell<Vec<KmsKey>>,
}

fn failed(e: impl std::fmt::Display) -> SignError {
    SignError(e.to_string())
}

/// ECDSA's DER signature (SEQUENCE of two INTEGERs) as JWS's r || s.
pub fn der_to_jose(der: &[u8]) -> Option<Vec<u8>> {
    fn integer(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
        let (&tag, rest) = bytes.split_first()?;
        let (&len, rest) = rest.split_first()?;
        if tag != 0x02 || len as usize > rest.len() || len > 33 {
            return None;
        }
        Some(rest.split_at(len as usize))
    }
    let (&tag, rest) = der.split_first()?;
    let (&len, body) = rest.split_first()?;
    if tag != 0x30 || len as usize != body.len() {
        return None;
    }
    let (r, rest) = integer(body)?;
    let (s, rest) = integer(rest)?;
    if !rest.is_empty() {
        return None;
    }
    let mut out = vec![0u8; 64];
    for (value, at) in [(r, 0), (s, 32)] {
        let value = &value[value.iter().take_while(|b| **b == 0).count()..];
        if value.len() > 32 {
            return None;
        }
        out[at + 32 - value.len()..at + 32].copy_from_slice(value);
    }
    Some(out)
}

/// KMS names the spec twice: `KeySpec`, and the older
/// `CustomerMasterKeySpec`, which some emulators send alone.
#[allow(deprecated)]
fn key_spec(out: &aws_sdk_kms::operation::get_public_key::GetPublicKeyOutput) -> Option<&str> {
    out.key_spec()
        .map(KeySpec::as_str)
        .or(out.customer_master_key_spec().map(|s| s.as_str()))
}

impl KmsSigner {
    /// Names the keys; their public halves are read on first use.
    pub fn new(config: &aws_config::SdkConfig, key_ids: &[String]) -> Self {
        Self {
            client: Client::new(config),
            key_ids: key_ids.to_vec(),
            keys: tokio::sync::OnceCell::new(),
        }
    }

    async fn loaded(&self) -> Result<&[KmsKey], SignError> {
        let keys = self
            .keys
            .get_or_try_init(|| async {
                let mut keys = Vec::new();
                for key_id in &self.key_ids {
                    keys.push(self.read_key(key_id).await?);
                }
                Ok::<_, SignError>(keys)
            })
            .await?;
        Ok(keys)
    }

    /// The public half of a key (ECC_NIST_P256 signs ES256, RSA_2048 or
    /// larger RS256).
    async fn read_key(&self, key_id: &str) -> Result<KmsKey, SignError> {
        let out = self
            .client
            .get_public_key()
            .key_id(key_id)
            .send()
            .await
            .map_err(|e| failed(format!("KMS key {key_id}: {}", DisplayErrorContext(&e))))?;
        let der = out.public_key().map(|b| b.as_ref()).unwrap_or_default();
        let (alg, (kid, jwk)) = match key_spec(&out) {
            Some("ECC_NIST_P256") => {
                let point = der
                    .strip_prefix(&P256_SPKI_PREFIX[..])
                    .ok_or_else(|| failed("KMS returned a P-256 key in an unexpected form"))?;
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map_err(|_| failed("KMS returned an invalid P-256 key"))?;
                (SigningAlg::Es256, es256_jwk(&key))
            }
            Some("RSA_2048" | "RSA_3072" | "RSA_4096") => {
                let key = rsa::RsaPublicKey::from_public_key_der(der)
                    .map_err(|e| failed(format!("KMS returned an invalid RSA key: {e}")))?;
                (SigningAlg::Rs256, rs256_jwk(&key))
            }
            other => {
                return Err(failed(format!(
                    "KMS key {key_id} is {other:?}, not ECC_NIST_P256 or RSA"
                )))
            }
        };
        Ok(KmsKey {
            public: PublicKey { kid, alg, jwk },
            key_id: key_id.to_string(),
        })
    }
}

#[async_trait]
impl Signer for KmsSigner {
    async fn keys(&self) -> Result<Vec<PublicKey>, SignError> {
        Ok(self
            .loaded()
            .await?
            .iter()
            .map(|k| k.public.clone())
            .collect())
    }

    async fn sign(&self, kid: &str, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let key = self
            .loaded()
            .await?
            .iter()
            .find(|k| k.public.kid == kid)
            .ok_or_else(|| SignError(format!("no key {kid}")))?;
        let algorithm = match key.public.alg {
            SigningAlg::Es256 => SigningAlgorithmSpec::EcdsaSha256,
            SigningAlg::Rs256 => SigningAlgorithmSpec::RsassaPkcs1V15Sha256,
        };
        let out = self
            .client
            .sign()
            .key_id(&key.key_id)
            .message(Blob::new(message))
            .message_type(MessageType::Raw)
            .signing_algorithm(algorithm)
            .send()
            .await
            .map_err(|e| failed(DisplayErrorContext(&e)))?;
        let signature = out
            .signature()
            .ok_or_else(|| failed("KMS returned no signature"))?
            .as_ref();
        match key.public.alg {
            SigningAlg::Es256 => der_to_jose(signature)
                .ok_or_else(|| failed("KMS returned a malformed ECDSA signature")),
            SigningAlg::Rs256 => Ok(signature.to_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::der_to_jose;

    #[test]
    fn der_signatures_become_fixed_width_r_and_s() {
        // r with a leading zero (high bit set), s short.
        let mut der = vec![0x30, 0x26, 0x02, 0x21, 0x00];
        der.extend([0x80; 32]);
        der.extend([0x02, 0x01, 0x07]);
        let jose = der_to_jose(&der).unwrap();
        assert_eq!(&jose[..32], &[0x80; 32]);
        assert_eq!(&jose[32..63], &[0; 31]);
        assert_eq!(jose[63], 7);
        assert_eq!(der_to_jose(&der[..10]), None);
        assert_eq!(der_to_jose(&[0x31, 0x00]), None);
    }
}
