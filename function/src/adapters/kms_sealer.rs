//! The deployed Sealer: envelope encryption under an AWS KMS symmetric key.
//! A process asks KMS for one data key when it first seals (kept in memory,
//! never stored in clear) and seals with AES-256-GCM; each sealed value
//! carries its data key as KMS wrapped it. Opening unwraps each distinct
//! data key once per process (a cold start), so a sign-in costs KMS
//! nothing after the first. A value is: version 2, the wrapped key's
//! length (2 bytes, big-endian) and the wrapped key, a 96-bit nonce, then
//! the ciphertext with its tag; the record's context is the associated
//! data, and KMS's encryption context names Rekey's purpose.

use std::collections::HashMap;

use aes_gcm::aead::KeyInit;
use aes_gcm::{Aes256Gcm, Key};
use async_trait::async_trait;
use aws_sdk_kms::error::DisplayErrorContext;
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::DataKeySpec;
use aws_sdk_kms::Client;
use tokio::sync::{Mutex, OnceCell};
use zeroize::Zeroizing;

use super::aes_gcm_seal;
use crate::ports::{SealError, Sealer};

const VERSION: u8 = 2;
const PURPOSE: (&str, &str) = ("purpose", "rekey-sealed-secrets");

struct DataKey {
    cipher: Aes256Gcm,
    wrapped: Vec<u8>,
}

pub struct KmsSealer {
    client: Client,
    key_id: String,
    sealing: OnceCell<DataKey>,
    /// Unwrapped keys by their wrapped bytes.
    opened: Mutex<HashMap<Vec<u8>, Aes256Gcm>>,
}

fn failed(e: impl std::fmt::Display) -> SealError {
    SealError::Backend(e.to_string())
}

fn cipher_of(plain_key: &[u8]) -> Result<Aes256Gcm, SealError> {
    if plain_key.len() != 32 {
        return Err(failed("KMS gave a data key that is not 256 bits"));
    }
    Ok(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(plain_key)))
}

impl KmsSealer {
    pub fn new(config: &aws_config::SdkConfig, key_id: &str) -> Self {
        Self::with_client(Client::new(config), key_id)
    }

    pub fn with_client(client: Client, key_id: &str) -> Self {
        Self {
            client,
            key_id: key_id.to_string(),
            sealing: OnceCell::new(),
            opened: Mutex::new(HashMap::new()),
        }
    }

    async fn data_key(&self) -> Result<&DataKey, SealError> {
        self.sealing
            .get_or_try_init(|| async {
                let out = self
                    .client
                    .generate_data_key()
                    .key_id(&self.key_id)
                    .key_spec(DataKeySpec::Aes256)
                    .encryption_context(PURPOSE.0, PURPOSE.1)
                    .send()
                    .await
                    .map_err(|e| failed(DisplayErrorContext(e)))?;
                let plain = Zeroizing::new(
                    out.plaintext()
                        .ok_or_else(|| failed("KMS gave no data key"))?
                        .as_ref()
                        .to_vec(),
                );
                let wrapped = out
                    .ciphertext_blob()
                    .ok_or_else(|| failed("KMS gave no wrapped data key"))?
                    .as_ref()
                    .to_vec();
                Ok(DataKey {
                    cipher: cipher_of(&plain)?,
                    wrapped,
                })
            })
            .await
    }

    async fn unwrapped(&self, wrapped: &[u8]) -> Result<Aes256Gcm, SealError> {
        if let Some(cipher) = self.opened.lock().await.get(wrapped) {
            return Ok(cipher.clone());
        }
        let out = self
            .client
            .decrypt()
            .ciphertext_blob(Blob::new(wrapped))
            .encryption_context(PURPOSE.0, PURPOSE.1)
            .send()
            .await
            .map_err(|e| match e.as_service_error() {
                Some(service) if service.is_invalid_ciphertext_exception() => SealError::Damaged,
                _ => failed(DisplayErrorContext(e)),
            })?;
        let plain = Zeroizing::new(
            out.plaintext()
                .ok_or_else(|| failed("KMS gave no data key"))?
                .as_ref()
                .to_vec(),
        );
        let cipher = cipher_of(&plain)?;
        self.opened
            .lock()
            .await
            .insert(wrapped.to_vec(), cipher.clone());
        Ok(cipher)
    }
}

#[async_trait]
impl Sealer for KmsSealer {
    async fn seal(&self, plain: &[u8], context: &str) -> Result<Vec<u8>, SealError> {
        let key = self.data_key().await?;
        let wrapped_len = u16::try_from(key.wrapped.len()).map_err(failed)?;
        let mut header = Vec::with_capacity(3 + key.wrapped.len());
        header.push(VERSION);
        header.extend_from_slice(&wrapped_len.to_be_bytes());
        header.extend_from_slice(&key.wrapped);
        aes_gcm_seal::seal(&key.cipher, &header, plain, context)
    }

    async fn open(&self, sealed: &[u8], context: &str) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let [version, a, b, rest @ ..] = sealed else {
            return Err(SealError::Damaged);
        };
        let wrapped_len = usize::from(u16::from_be_bytes([*a, *b]));
        if *version != VERSION || rest.len() < wrapped_len {
            return Err(SealError::Damaged);
        }
        let (wrapped, body) = rest.split_at(wrapped_len);
        let cipher = self.unwrapped(wrapped).await?;
        aes_gcm_seal::open(&cipher, body, context)
    }
}
