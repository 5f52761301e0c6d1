//! argon2id hashing on a dedicated pool, off the async executor.
//!
//! A pool of one thread per core bounds memory (each hash takes `m` KiB)
//! and lets a bulk reset use every core; the async side awaits a oneshot.

use std::cell::RefCell;
use std::sync::Arc;

use argon2::password_hash::{rand_core::OsRng, Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, PasswordVerifier, Version};
use rayon::prelude::*;

use super::secret::Secret;

/// argon2id cost. The default is OWASP's minimum for argon2id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for HashParams {
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("invalid argon2 parameters: {0}")]
    Params(String),
    #[error("hashing failed: {0}")]
    Hash(String),
    #[error("the hashing pool is gone")]
    PoolGone,
}

thread_local! {
    // Each hashing thread keeps its argon2 working memory between hashes:
    // allocating and page-faulting 19 MiB afresh cost a third of a hash.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

struct Inner {
    pool: rayon::ThreadPool,
    argon: Argon2<'static>,
    /// Verified against for unknown users, so timing does not tell.
    dummy_hash: String,
}

impl Inner {
    /// A PHC string, `$argon2id$v=19$m=..,t=..,p=..$salt$hash`, as
    /// `PasswordHasher::hash_password` makes it, but computed in this
    /// thread's reused memory.
    fn hash_one(&self, password: &Secret) -> Result<String, HashError> {
        let failed = |e: &dyn std::fmt::Display| HashError::Hash(e.to_string());
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_buf = [0u8; 64];
        let salt_bytes = salt
            .as_salt()
            .decode_b64(&mut salt_buf)
            .map_err(|e| failed(&e))?;
        let params = self.argon.params();
        let mut out = vec![0u8; params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN)];
        MEMORY
            .with(|memory| {
                let mut memory = memory.borrow_mut();
                let blocks = params.block_count();
                if memory.len() < blocks {
                    memory.resize(blocks, Block::default());
                }
                self.argon.hash_password_into_with_memory(
                    password.expose().as_bytes(),
                    salt_bytes,
                    &mut out,
                    &mut memory[..blocks],
                )
            })
            .map_err(|e| failed(&e))?;
        let output = Output::new(&out).map_err(|e| failed(&e))?;
        Ok(format!(
            "$argon2id$v=19$m={},t={},p={}${}${}",
            params.m_cost(),
            params.t_cost(),
            params.p_cost(),
            salt.as_str(),
            output
        ))
    }

    fn verify_one(&self, password: &Secret, phc: &str) -> bool {
        match PasswordHash::new(phc) {
            // Params come from the PHC string, so older hashes still verify.
            Ok(parsed) => self
                .argon
                .verify_password(password.expose().as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }
}

/// Cheap to clone; all clones share one pool.
#[derive(Clone)]
pub struct Hasher {
    inner: Arc<Inner>,
    params: HashParams,
}

impl Hasher {
    /// `threads = 0` means one per core.
    pub fn new(params: HashParams, threads: usize) -> Result<Self, HashError> {
        let argon_params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            None,
        )
        .map_err(|e| HashError::Params(e.to_string()))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("rekey-hash-{i}"))
            .build()
            .map_err(|e| HashError::Params(e.to_string()))?;
        let mut inner = Inner {
            pool,
            argon,
            dummy_hash: String::new(),
        };
        let dummy = Secret::new(uuid::Uuid::new_v4().to_string());
        inner.dummy_hash = inner.hash_one(&dummy)?;
        Ok(Self {
            inner: Arc::new(inner),
            params,
        })
    }

    pub fn params(&self) -> HashParams {
        self.params
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Inner) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let inner = Arc::clone(&self.inner);
        self.inner.pool.spawn(move || {
            let _ = tx.send(job(&inner));
        });
        rx.await.map_err(|_| HashError::PoolGone)
    }

    pub async fn hash(&self, password: Secret) -> Result<String, HashError> {
        self.run(move |inner| inner.hash_one(&password)).await?
    }

    /// Hashes all in parallel across the pool; results in input order.
    pub async fn hash_many(
        &self,
        passwords: Vec<Secret>,
    ) -> Result<Vec<Result<String, HashError>>, HashError> {
        self.run(move |inner| {
            inner
                .pool
                .install(|| passwords.par_iter().map(|p| inner.hash_one(p)).collect())
        })
        .await
    }

    /// Starts hashing every password now, in order, across the pool; each
    /// future resolves when its own hash is done, so a caller can write the
    /// first results while later ones are still hashing.
    pub fn hash_each(
        &self,
        passwords: Vec<Secret>,
    ) -> Vec<impl std::future::Future<Output = Result<String, HashError>> + Send + 'static> {
        passwords
            .into_iter()
            .map(|password| {
                let (tx, rx) = tokio::sync::oneshot::channel();
                let inner = Arc::clone(&self.inner);
                // From outside the pool, spawns queue first in, first out.
                self.inner.pool.spawn(move || {
                    let _ = tx.send(inner.hash_one(&password));
                });
                async move { rx.await.map_err(|_| HashError::PoolGone)? }
            })
            .collect()
    }

    /// Verifies against `phc`, or against a dummy hash when there is none so
    /// that unknown and known accounts cost the same.
    pub async fn verify(&self, password: Secret, phc: Option<String>) -> bool {
        self.run(move |inner| match phc {
            Some(phc) => inner.verify_one(&password, &phc),
            None => {
                inner.verify_one(&password, &inner.dummy_hash);
                false
            }
        })
        .await
        .unwrap_or(false)
    }

    /// A hash made synchronously (seeding).
    pub fn hash_blocking(&self, password: &Secret) -> Result<String, HashError> {
        self.inner.hash_one(password)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Hasher {
        Hasher::new(
            HashParams {
                memory_kib: 1024,
                iterations: 1,
                parallelism: 1,
            },
            2,
        )
        .unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let h = cheap();
        let phc = h.hash(Secret::new("correct horse".into())).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        assert!(
            h.verify(Secret::new("correct horse".into()), Some(phc.clone()))
                .await
        );
        assert!(!h.verify(Secret::new("wrong horse".into()), Some(phc)).await);
        assert!(!h.verify(Secret::new("anything".into()), None).await);
    }

    #[test]
    fn hashes_match_the_reference_implementation() {
        use argon2::PasswordHasher;
        let h = cheap();
        let phc = h.hash_blocking(&Secret::new("pw".into())).unwrap();
        let parsed = PasswordHash::new(&phc).unwrap();
        let reference = h
            .inner
            .argon
            .hash_password(b"pw", parsed.salt.unwrap())
            .unwrap()
            .to_string();
        assert_eq!(phc, reference);
    }

    #[tokio::test]
    async fn old_hashes_keep_verifying_after_the_parameters_change() {
        let old = cheap()
            .hash(Secret::new("pw-from-2024".into()))
            .await
            .unwrap();
        let new = Hasher::new(HashParams::default(), 1).unwrap();
        assert!(
            new.verify(Secret::new("pw-from-2024".into()), Some(old))
                .await
        );
    }

    #[tokio::test]
    async fn many_hashes_come_back_in_order_with_distinct_salts() {
        let h = cheap();
        let pws: Vec<Secret> = (0..8).map(|i| Secret::new(format!("pw{i}"))).collect();
        let hashes: Vec<String> = h
            .hash_many(pws)
            .await
            .unwrap()
            .into_iter()
            .map(Result::unwrap)
            .collect();
        for (i, phc) in hashes.iter().enumerate() {
            assert!(
                h.verify(Secret::new(format!("pw{i}")), Some(phc.clone()))
                    .await
            );
        }
        let mut unique = hashes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), hashes.len());
    }
}
