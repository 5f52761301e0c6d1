//! The AES-256-GCM framing both Sealers share: `header`, a random 96-bit
//! nonce, then the ciphertext with its tag; the record's context is the
//! associated data, so a value opens only for the record it was sealed for.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use zeroize::Zeroizing;

use crate::ports::SealError;

const NONCE_LEN: usize = 12;

/// `header` followed by `plain` sealed under `cipher` for `context`.
pub fn seal(
    cipher: &Aes256Gcm,
    header: &[u8],
    plain: &[u8],
    context: &str,
) -> Result<Vec<u8>, SealError> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rng().fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| SealError::Backend("AES-GCM refused to seal".into()))?;
    let mut out = Vec::with_capacity(header.len() + NONCE_LEN + sealed.len());
    out.extend_from_slice(header);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// The plain bytes of `body` (what follows the header) for `context`.
pub fn open(
    cipher: &Aes256Gcm,
    body: &[u8],
    context: &str,
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    if body.len() < NONCE_LEN {
        return Err(SealError::Damaged);
    }
    let (nonce, sealed) = body.split_at(NONCE_LEN);
    cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: context.as_bytes(),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| SealError::Damaged)
}
