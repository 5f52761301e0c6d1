//! The local Sealer: AES-256-GCM under a key in a file in the data folder,
//! readable by its owner only (0600), made on first run, as the signing
//! keys are. A sealed value is a version byte, a random 96-bit nonce and
//! the ciphertext with its tag; the context is the associated data.

use std::path::Path;

use aes_gcm::aead::KeyInit;
use aes_gcm::{Aes256Gcm, Key};
use async_trait::async_trait;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use zeroize::{Zeroize, Zeroizing};

use super::aes_gcm_seal;
use crate::ports::{SealError, Sealer};

const VERSION: u8 = 1;

pub struct KeyFileSealer {
    cipher: Aes256Gcm,
}

impl KeyFileSealer {
    /// The key in `path` (base64 of 32 bytes), made there first if absent.
    pub fn open_or_create(path: &Path) -> std::io::Result<Self> {
        let mut key = match std::fs::read_to_string(path) {
            Ok(text) => {
                let key = STANDARD.decode(text.trim()).map_err(invalid)?;
                Zeroizing::new(key)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = Zeroizing::new(vec![0u8; 32]);
                rand::rng().fill_bytes(&mut key);
                write_private(path, &key)?;
                key
            }
            Err(e) => return Err(e),
        };
        if key.len() != 32 {
            key.zeroize();
            return Err(invalid("the seal key is not 32 bytes"));
        }
        Ok(Self {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key)),
        })
    }
}

fn invalid(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())
}

fn write_private(path: &Path, key: &[u8]) -> std::io::Result<()> {
    let mut text = Zeroizing::new(STANDARD.encode(key));
    text.push('\n');
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    {
        use std::io::Write;
        let mut f = options.open(&tmp)?;
        f.write_all(text.as_bytes()).and_then(|_| f.sync_all())?;
    }
    // A second process that raced here keeps the first key: both read it.
    match std::fs::hard_link(&tmp, path) {
        Ok(()) => std::fs::remove_file(&tmp),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::remove_file(&tmp),
        Err(e) => Err(e),
    }
}

#[async_trait]
impl Sealer for KeyFileSealer {
    async fn seal(&self, plain: &[u8], context: &str) -> Result<Vec<u8>, SealError> {
        aes_gcm_seal::seal(&self.cipher, &[VERSION], plain, context)
    }

    async fn open(&self, sealed: &[u8], context: &str) -> Result<Zeroizing<Vec<u8>>, SealError> {
        match sealed.split_first() {
            Some((&VERSION, body)) => aes_gcm_seal::open(&self.cipher, body, context),
            _ => Err(SealError::Damaged),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_sealed_seed_opens_for_its_record_only_and_never_shows_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seal-key");
        let sealer = KeyFileSealer::open_or_create(&path).unwrap();
        let seed = b"a twenty byte seed!!";
        let sealed = sealer.seal(seed, "method:1").await.unwrap();
        assert!(!sealed.windows(seed.len()).any(|w| w == seed));
        assert_eq!(&*sealer.open(&sealed, "method:1").await.unwrap(), seed);
        // Another record, a changed byte, a cut value: none opens.
        assert!(sealer.open(&sealed, "method:2").await.is_err());
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert!(sealer.open(&changed, "method:1").await.is_err());
        assert!(sealer.open(&sealed[..10], "method:1").await.is_err());
        assert!(sealer.open(&[], "method:1").await.is_err());
        // Two seals of one seed differ (a fresh nonce each).
        assert_ne!(sealer.seal(seed, "method:1").await.unwrap(), sealed);

        // The same key file opens it after a restart; another key does not.
        let again = KeyFileSealer::open_or_create(&path).unwrap();
        assert_eq!(&*again.open(&sealed, "method:1").await.unwrap(), seed);
        let other = KeyFileSealer::open_or_create(&dir.path().join("other")).unwrap();
        assert!(other.open(&sealed, "method:1").await.is_err());
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_its_owners_alone_and_a_damaged_one_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seal-key");
        KeyFileSealer::open_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::write(&path, "c2hvcnQ=\n").unwrap();
        assert!(KeyFileSealer::open_or_create(&path).is_err());
    }
}
