//! The local Signer: ES256 and RS256 keys in a file in the data folder,
//! readable by its owner only (0600), made on first run. `rotate` adds a
//! newer pair; the newest of each algorithm signs.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use rekey_shared::SigningAlg;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::traits::PublicKeyParts;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use zeroize::Zeroize;

use crate::ports::{PublicKey, SignError, Signer};

const RSA_BITS: usize = 2048;

#[derive(Serialize, Deserialize)]
struct KeyFile {
    keys: Vec<StoredKey>,
}

#[derive(Serialize, Deserialize)]
struct StoredKey {
    alg: SigningAlg,
    created_at: i64,
    /// ES256: the 32-byte scalar; RS256: the PKCS #1 DER. base64url.
    private: String,
}

impl Drop for StoredKey {
    fn drop(&mut self) {
        self.private.zeroize();
    }
}

enum Private {
    Es256(p256::ecdsa::SigningKey),
    Rs256(Box<rsa::pkcs1v15::SigningKey<sha2::Sha256>>),
}

struct LocalKey {
    public: PublicKey,
    private: Private,
}

pub struct KeyFileSigner {
    /// The newest key of each algorithm.
    current: Vec<LocalKey>,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// RFC 7638's thumbprint of the required members: a stable `kid`.
pub fn thumbprint(members: &Value) -> String {
    // serde_json's maps are sorted by key, as RFC 7638 requires.
    crate::domain::oidc::s256(members.to_string().as_bytes())
}

/// The public JWK of a P-256 key, with its kid.
pub fn es256_jwk(key: &p256::ecdsa::VerifyingKey) -> (String, Value) {
    let point = key.to_sec1_point(false);
    let bytes = point.as_bytes();
    let members =
        json!({ "crv": "P-256", "kty": "EC", "x": b64(&bytes[1..33]), "y": b64(&bytes[33..65]) });
    let kid = thumbprint(&members);
    let mut jwk = members;
    jwk["kid"] = json!(kid);
    jwk["alg"] = json!("ES256");
    jwk["use"] = json!("sig");
    (kid, jwk)
}

/// The public JWK of an RSA key, with its kid.
pub fn rs256_jwk(key: &rsa::RsaPublicKey) -> (String, Value) {
    let members =
        json!({ "e": b64(&key.e().to_bytes_be()), "kty": "RSA", "n": b64(&key.n().to_bytes_be()) });
    let kid = thumbprint(&members);
    let mut jwk = members;
    jwk["kid"] = json!(kid);
    jwk["alg"] = json!("RS256");
    jwk["use"] = json!("sig");
    (kid, jwk)
}

fn invalid(why: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("signing key file: {why}"),
    )
}

fn new_key(alg: SigningAlg, now: i64) -> std::io::Result<StoredKey> {
    let private = match alg {
        SigningAlg::Es256 => loop {
            let mut scalar = [0u8; 32];
            rand::rng().fill_bytes(&mut scalar);
            // A scalar of zero or past the group order is refused: draw again.
            let made = p256::ecdsa::SigningKey::from_slice(&scalar).is_ok();
            let encoded = b64(&scalar);
            scalar.zeroize();
            if made {
                break encoded;
            }
        },
        SigningAlg::Rs256 => {
            let key =
                rsa::RsaPrivateKey::new(&mut rand_core_06::OsRng, RSA_BITS).map_err(invalid)?;
            b64(key.to_pkcs1_der().map_err(invalid)?.as_bytes())
        }
    };
    Ok(StoredKey {
        alg,
        created_at: now,
        private,
    })
}

fn load(stored: &StoredKey) -> std::io::Result<LocalKey> {
    let mut raw = URL_SAFE_NO_PAD.decode(&stored.private).map_err(invalid)?;
    let key = match stored.alg {
        SigningAlg::Es256 => {
            let key = p256::ecdsa::SigningKey::from_slice(&raw).map_err(invalid)?;
            let (kid, jwk) = es256_jwk(key.verifying_key());
            LocalKey {
                public: PublicKey {
                    kid,
                    alg: SigningAlg::Es256,
                    jwk,
                },
                private: Private::Es256(key),
            }
        }
        SigningAlg::Rs256 => {
            let key = rsa::RsaPrivateKey::from_pkcs1_der(&raw).map_err(invalid)?;
            let (kid, jwk) = rs256_jwk(&key.to_public_key());
            LocalKey {
                public: PublicKey {
                    kid,
                    alg: SigningAlg::Rs256,
                    jwk,
                },
                private: Private::Rs256(Box::new(rsa::pkcs1v15::SigningKey::new(key))),
            }
        }
    };
    raw.zeroize();
    Ok(key)
}

fn write_private(path: &Path, file: &KeyFile) -> std::io::Result<()> {
    let mut json = serde_json::to_vec_pretty(file).map_err(invalid)?;
    let tmp: PathBuf = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = {
        use std::io::Write;
        let mut f = options.open(&tmp)?;
        f.write_all(&json).and_then(|_| f.sync_all())
    };
    json.zeroize();
    written?;
    std::fs::rename(&tmp, path)
}

fn read_file(path: &Path) -> std::io::Result<Option<KeyFile>> {
    match std::fs::read(path) {
        Ok(mut bytes) => {
            let file = serde_json::from_slice(&bytes).map_err(invalid);
            bytes.zeroize();
            file.map(Some)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

impl KeyFileSigner {
    /// Opens the key file, making one (an ES256 and an RS256 key) if there
    /// is none.
    pub fn open_or_create(path: &Path, now: i64) -> std::io::Result<Self> {
        let file = match read_file(path)? {
            Some(file) => file,
            None => {
                let file = KeyFile {
                    keys: vec![
                        new_key(SigningAlg::Es256, now)?,
                        new_key(SigningAlg::Rs256, now)?,
                    ],
                };
                write_private(path, &file)?;
                file
            }
        };
        Self::from_file(&file)
    }

    /// Adds a newer key of each algorithm; the old ones stop signing.
    pub fn rotate(path: &Path, now: i64) -> std::io::Result<Self> {
        let mut file = read_file(path)?.unwrap_or(KeyFile { keys: Vec::new() });
        file.keys.push(new_key(SigningAlg::Es256, now)?);
        file.keys.push(new_key(SigningAlg::Rs256, now)?);
        write_private(path, &file)?;
        Self::from_file(&file)
    }

    fn from_file(file: &KeyFile) -> std::io::Result<Self> {
        let mut current = Vec::new();
        for alg in SigningAlg::ALL {
            let newest = file
                .keys
                .iter()
                .filter(|k| k.alg == *alg)
                .max_by_key(|k| k.created_at);
            if let Some(stored) = newest {
                current.push(load(stored)?);
            }
        }
        if current.is_empty() {
            return Err(invalid("it holds no keys"));
        }
        Ok(Self { current })
    }
}

impl KeyFileSigner {
    /// The keys that sign now.
    pub fn public_keys(&self) -> Vec<PublicKey> {
        self.current.iter().map(|k| k.public.clone()).collect()
    }
}

#[async_trait]
impl Signer for KeyFileSigner {
    async fn keys(&self) -> Result<Vec<PublicKey>, SignError> {
        Ok(self.public_keys())
    }

    async fn sign(&self, kid: &str, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let key = self
            .current
            .iter()
            .find(|k| k.public.kid == kid)
            .ok_or_else(|| SignError(format!("no key {kid}")))?;
        Ok(match &key.private {
            Private::Es256(k) => {
                use p256::ecdsa::signature::Signer;
                let signature: p256::ecdsa::Signature = k.sign(message);
                signature.to_bytes().to_vec()
            }
            Private::Rs256(k) => {
                // Blinded (a random factor per signature), so the time a
                // signature takes says nothing about the key or the
                // message: the rsa crate's own answer to RUSTSEC-2023-0071
                // for signing.
                use rsa::signature::{RandomizedSigner, SignatureEncoding};
                k.sign_with_rng(&mut rsa::rand_core::OsRng, message)
                    .to_vec()
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::SigningKeyRecord;
    use crate::domain::oidc::jwt;

    fn published(signer: &KeyFileSigner) -> Vec<SigningKeyRecord> {
        signer
            .public_keys()
            .into_iter()
            .map(|k| SigningKeyRecord {
                kid: k.kid,
                alg: k.alg,
                jwk: k.jwk.to_string(),
                created_at: 0,
                retired_at: None,
            })
            .collect()
    }

    #[tokio::test]
    async fn the_key_file_is_private_and_its_tokens_verify_with_the_published_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("signing-keys.json");
        let signer = KeyFileSigner::open_or_create(&path, 1).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let claims = json!({ "sub": "u1" });
        for key in signer.public_keys() {
            let token = jwt::sign(&signer, &key, &claims).await.unwrap();
            assert_eq!(
                jwt::verify(&token, &published(&signer)),
                Some(claims.clone())
            );
            // Tampered claims or a swapped alg fail.
            let parts: Vec<&str> = token.split('.').collect();
            let forged = format!("{}.{}.{}", parts[0], b64(br#"{"sub":"admin"}"#), parts[2]);
            assert_eq!(jwt::verify(&forged, &published(&signer)), None);
            let none = format!("{}.{}.", b64(br#"{"alg":"none"}"#), parts[1]);
            assert_eq!(jwt::verify(&none, &published(&signer)), None);
        }
        // Reopening finds the same keys; rotating makes new ones.
        let again = KeyFileSigner::open_or_create(&path, 2).unwrap();
        assert_eq!(again.public_keys(), signer.public_keys());
        let rotated = KeyFileSigner::rotate(&path, 3).unwrap();
        let (old, new) = (signer.public_keys(), rotated.public_keys());
        assert!(new.iter().all(|k| !old.contains(k)));
        assert_eq!(new.len(), 2);
    }
}
