//! argon2id hashing on a dedicated pool, off the async executor.
//!
//! One thread per core bounds memory (each hash takes `m` KiB, kept per
//! thread) and lets a bulk reset use every core. The pool has two lanes:
//! interactive work (sign-in verifies, password changes, single resets)
//! is always taken before bulk work. One more thread takes interactive
//! work only, and on Linux the core threads run at a lower CPU priority
//! (nice 10), so a sign-in during a 1,000-user bulk reset neither waits
//! for a hash in progress nor shares its core evenly with one. When there
//! are no sign-ins the bulk still has every core.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, rand_core::RngCore, Output, PasswordHash, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use super::secret::Secret;
use pool::{lower_this_threads_priority, Pool, PoolHandle};

mod pool;

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

/// A failed hash as the API says it: logged here, "internal" there.
pub(crate) fn hash_failure(e: HashError) -> rekey_shared::ApiError {
    tracing::error!(error = %e, "password hashing failed");
    rekey_shared::ApiError::internal()
}

thread_local! {
    // Each hashing thread keeps its argon2 working memory between hashes:
    // allocating and page-faulting 19 MiB afresh cost a third of a hash,
    // and fresh blocks per verify let the allocator's arenas grow.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// argon2 into this thread's reused memory.
fn argon2_into(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        let blocks = argon.params().block_count();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
    })
}

struct Inner {
    argon: Argon2<'static>,
    /// Verified against for unknown users, so timing does not tell: a PHC
    /// string with the current parameters and random salt and output, so
    /// verifying it costs a real hash and never succeeds.
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
        argon2_into(
            &self.argon,
            password.expose().as_bytes(),
            salt_bytes,
            &mut out,
        )
        .map_err(|e| failed(&e))?;
        let output = Output::new(&out).map_err(|e| failed(&e))?;
        Ok(phc(params, salt.as_str(), &output))
    }

    /// Checks `password` against `phc` with the parameters the PHC string
    /// names (so older hashes keep verifying), in this thread's memory.
    fn verify_one(&self, password: &Secret, phc: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(phc) else {
            return false;
        };
        let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
            return false;
        };
        let algorithm = Algorithm::try_from(parsed.algorithm);
        let version = parsed.version.map_or(Ok(Version::V0x13), Version::try_from);
        let params = Params::try_from(&parsed);
        let (Ok(algorithm), Ok(version), Ok(params)) = (algorithm, version, params) else {
            return false;
        };
        let mut salt_buf = [0u8; 64];
        let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
            return false;
        };
        let argon = Argon2::new(algorithm, version, params);
        let mut out = vec![0u8; expected.len()];
        if argon2_into(&argon, password.expose().as_bytes(), salt, &mut out).is_err() {
            return false;
        }
        // Output's equality is constant-time.
        Output::new(&out).is_ok_and(|computed| computed == expected)
    }
}

fn phc(params: &Params, salt: &str, output: &Output) -> String {
    format!(
        "$argon2id$v=19$m={},t={},p={}${salt}${output}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
    )
}

/// Cheap to clone; all clones share one pool.
#[derive(Clone)]
pub struct Hasher {
    pool: Arc<PoolHandle>,
    params: HashParams,
    /// Unauthenticated verifies admitted and not yet done (queued or running).
    admitted: Arc<AtomicUsize>,
    max_admitted: usize,
    /// Every verify done, for the tests and benchmarks that count hash work.
    verifies: Arc<AtomicU64>,
}

/// The interactive lane is full: answer "try again shortly" at once rather
/// than queue behind work that would make every sign-in wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// A place in the interactive lane for one unauthenticated verify; the
/// place is given back when this is dropped.
pub struct Admission(Arc<AtomicUsize>);

impl Drop for Admission {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Unauthenticated verifies in flight at once by default: with one thread
/// per core plus one, the last admitted waits some ten hashes at most.
pub const DEFAULT_MAX_ADMITTED: usize = 32;

impl Hasher {
    /// `threads` bulk threads (0: one per core), plus one thread for
    /// interactive work only.
    pub fn new(params: HashParams, threads: usize) -> Result<Self, HashError> {
        let argon_params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            None,
        )
        .map_err(|e| HashError::Params(e.to_string()))?;
        let salt = SaltString::generate(&mut OsRng);
        let mut random_output = [0u8; Params::DEFAULT_OUTPUT_LEN];
        OsRng.fill_bytes(&mut random_output);
        let output = Output::new(&random_output).map_err(|e| HashError::Params(e.to_string()))?;
        let dummy_hash = phc(&argon_params, salt.as_str(), &output);
        let pool = Arc::new(Pool::new(Inner {
            argon: Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params),
            dummy_hash,
        }));
        let threads = match threads {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        };
        for i in 0..=threads {
            let pool = Arc::clone(&pool);
            // The last thread is the interactive one, at normal priority.
            let interactive_only = i == threads;
            std::thread::Builder::new()
                .name(if interactive_only {
                    "rekey-hash-interactive".into()
                } else {
                    format!("rekey-hash-{i}")
                })
                .spawn(move || {
                    if !interactive_only {
                        lower_this_threads_priority();
                    }
                    pool.work(interactive_only)
                })
                .map_err(|e| HashError::Params(e.to_string()))?;
        }
        Ok(Self {
            pool: Arc::new(PoolHandle(pool)),
            params,
            admitted: Arc::new(AtomicUsize::new(0)),
            max_admitted: DEFAULT_MAX_ADMITTED,
            verifies: Arc::new(AtomicU64::new(0)),
        })
    }

    /// At most `max` unauthenticated verifies in flight (at least one).
    pub fn with_max_admitted(mut self, max: usize) -> Self {
        self.max_admitted = max.max(1);
        self
    }

    pub fn params(&self) -> HashParams {
        self.params
    }

    /// A place for one unauthenticated verify, or [`Busy`] when the lane
    /// already holds as many as it may.
    pub fn admit(&self) -> Result<Admission, Busy> {
        let max = self.max_admitted;
        self.admitted
            .try_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .map(|_| Admission(Arc::clone(&self.admitted)))
            .map_err(|_| Busy)
    }

    /// How many verifies this hasher (and its clones) has done.
    pub fn verifies(&self) -> u64 {
        self.verifies.load(Ordering::Relaxed)
    }

    /// Queues `job` and returns the receiver of its result.
    fn queue<T: Send + 'static>(
        &self,
        interactive: bool,
        job: impl FnOnce(&Inner) -> T + Send + 'static,
    ) -> tokio::sync::oneshot::Receiver<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.pool.0.push(
            Box::new(move |inner| {
                let _ = tx.send(job(inner));
            }),
            interactive,
        );
        rx
    }

    /// One password hashed ahead of any bulk work (a single reset, a
    /// change of one's own password).
    pub async fn hash(&self, password: Secret) -> Result<String, HashError> {
        self.queue(true, move |inner| inner.hash_one(&password))
            .await
            .map_err(|_| HashError::PoolGone)?
    }

    /// Hashes all in the bulk lane, in parallel across the pool; results in
    /// input order.
    pub async fn hash_many(&self, passwords: Vec<Secret>) -> Vec<Result<String, HashError>> {
        futures::future::join_all(self.hash_each(passwords)).await
    }

    /// Starts hashing every password now, in order, in the bulk lane; each
    /// future resolves when its own hash is done, so a caller can write the
    /// first results while later ones are still hashing.
    pub fn hash_each(
        &self,
        passwords: Vec<Secret>,
    ) -> Vec<impl std::future::Future<Output = Result<String, HashError>> + Send + 'static> {
        passwords
            .into_iter()
            .map(|password| {
                let rx = self.queue(false, move |inner| inner.hash_one(&password));
                async move { rx.await.map_err(|_| HashError::PoolGone)? }
            })
            .collect()
    }

    /// Verifies against `phc`, or against a dummy hash when there is none so
    /// that unknown and known accounts cost the same. Interactive lane.
    pub async fn verify(&self, password: Secret, phc: Option<String>) -> bool {
        let verifies = Arc::clone(&self.verifies);
        self.queue(true, move |inner| {
            verifies.fetch_add(1, Ordering::Relaxed);
            match phc {
                Some(phc) => inner.verify_one(&password, &phc),
                None => {
                    inner.verify_one(&password, &inner.dummy_hash);
                    false
                }
            }
        })
        .await
        .unwrap_or(false)
    }

    /// A hash made synchronously (seeding, the add-admin command), on the
    /// pool so that no other thread keeps argon2's memory. Not for use
    /// from a hashing thread.
    pub fn hash_blocking(&self, password: &Secret) -> Result<String, HashError> {
        let (tx, rx) = std::sync::mpsc::channel();
        let password = password.clone();
        self.pool.0.push(
            Box::new(move |inner| {
                let _ = tx.send(inner.hash_one(&password));
            }),
            true,
        );
        rx.recv().map_err(|_| HashError::PoolGone)?
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
            .pool
            .0
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

    #[tokio::test]
    async fn a_verify_goes_ahead_of_queued_bulk_hashes() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let h = Hasher::new(
            HashParams {
                memory_kib: 8 * 1024,
                iterations: 1,
                parallelism: 1,
            },
            1,
        )
        .unwrap();
        let phc = h.hash(Secret::new("mine".into())).await.unwrap();
        let done = Arc::new(AtomicUsize::new(0));
        let bulk: Vec<_> = h
            .hash_each((0..40).map(|i| Secret::new(format!("bulk{i}"))).collect())
            .into_iter()
            .map(|f| {
                let done = Arc::clone(&done);
                tokio::spawn(async move {
                    f.await.unwrap();
                    done.fetch_add(1, Ordering::SeqCst);
                })
            })
            .collect();
        assert!(h.verify(Secret::new("mine".into()), Some(phc)).await);
        // First in, first out would have made it wait for all 40; with its
        // own lane it takes about one hash's time, whatever else the
        // machine is running meanwhile.
        let before = done.load(Ordering::SeqCst);
        assert!(before <= 10, "{before} bulk hashes went first");
        for task in bulk {
            task.await.unwrap();
        }
        assert_eq!(done.load(Ordering::SeqCst), 40);
    }

    #[test]
    fn admissions_are_bounded_and_given_back_when_dropped() {
        let h = cheap().with_max_admitted(2);
        let first = h.admit().expect("first");
        let second = h.admit().expect("second");
        assert_eq!(h.admit().err(), Some(Busy));
        drop(first);
        let third = h.admit().expect("a place was given back");
        assert_eq!(h.admit().err(), Some(Busy));
        drop((second, third));
        assert!(h.admit().is_ok());
    }

    #[tokio::test]
    async fn malformed_or_foreign_hashes_never_verify() {
        let h = cheap();
        let pw = || Secret::new("pw".into());
        for phc in [
            "",
            "not a phc string",
            "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ",
            "$scrypt$ln=1,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        ] {
            assert!(!h.verify(pw(), Some(phc.into())).await, "{phc}");
        }
        // A well-formed hash of another password, and the dummy hash.
        let other = h.hash(Secret::new("other".into())).await.unwrap();
        assert!(!h.verify(pw(), Some(other)).await);
        let dummy = h.pool.0.inner.dummy_hash.clone();
        assert!(PasswordHash::new(&dummy).is_ok());
        assert!(!h.verify(pw(), Some(dummy)).await);
    }
}
