//! Secrets Rekey must read back (TOTP seeds): sealed before they reach the
//! store, opened only when a code is checked. Sealing authenticates too,
//! and binds a value to its record (`context`), so a sealed seed copied
//! into another record does not open there.

use async_trait::async_trait;
use zeroize::Zeroizing;

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// Not sealed under this key for this context, or changed since.
    #[error("the sealed value does not open: damaged, or sealed for another record or key")]
    Damaged,
    #[error("sealing failed: {0}")]
    Backend(String),
}

#[async_trait]
pub trait Sealer: Send + Sync {
    /// `plain`, encrypted and authenticated for `context`.
    async fn seal(&self, plain: &[u8], context: &str) -> Result<Vec<u8>, SealError>;
    /// The plain bytes of a value [`Sealer::seal`] made for `context`.
    async fn open(&self, sealed: &[u8], context: &str) -> Result<Zeroizing<Vec<u8>>, SealError>;
}
