//! A burst of concurrent sign-ins, as an attacker without an account sends
//! it: many requests for one username at the same moment.

use std::collections::BTreeMap;

use crate::TestApp;

/// What a burst did: the statuses it got, how many password hashes the
/// server checked for it, and the lock it left.
#[derive(Debug)]
pub struct BurstOutcome {
    pub statuses: BTreeMap<u16, usize>,
    pub hashes_checked: u64,
    /// Milliseconds from the end of the burst to the end of the lock.
    pub lock_left_ms: Option<i64>,
    pub lockouts: u32,
    /// Whether every 429 and 503 said when to come back.
    pub retry_after_on_every_refusal: bool,
}

impl BurstOutcome {
    pub fn count(&self, status: u16) -> usize {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    /// What a burst of wrong passwords may do to an account: check at most
    /// the limit's 10 hashes, leave one lock no longer than the first step
    /// (60 s), and answer nothing but 401, 423 or (a write that kept
    /// losing to others, never checked) 503 with Retry-After.
    pub fn assert_locked_for_the_first_step_only(&self) {
        assert!(self.hashes_checked <= 10, "{self:?}");
        assert_eq!(self.lockouts, 1, "{self:?}");
        let left = self.lock_left_ms.expect("locked");
        assert!(left > 0 && left <= 60_000, "{self:?}");
        assert!(self.count(401) <= 9, "{self:?}");
        let answered: usize = self.statuses.values().sum();
        assert_eq!(
            self.count(401) + self.count(423) + self.count(503),
            answered,
            "{self:?}"
        );
        assert!(self.retry_after_on_every_refusal, "{self:?}");
    }
}

/// An app on `store` whose per-address throttle and hash admission are out
/// of the way, so a burst from one test client reaches the lockout itself.
pub async fn spawn_app_without_front_limits(
    store: std::sync::Arc<dyn rekey_function::ports::Store>,
    dir: tempfile::TempDir,
) -> TestApp {
    crate::spawn_app_configured(
        store,
        std::sync::Arc::new(rekey_function::ports::SystemClock),
        dir,
        |s| {
            s.sign_in_throttle.burst = 100_000;
            s.sign_in_throttle.refill_ms = 1;
            s.max_pending_verifies = 10_000;
        },
    )
    .await
}

/// `n` concurrent sign-ins for `username` with `password`.
pub async fn sign_in_burst(
    app: &TestApp,
    user_id: &str,
    username: &str,
    password: &str,
    n: usize,
) -> BurstOutcome {
    let before = app.app.hasher.verifies();
    let answers =
        futures::future::join_all((0..n).map(|_| app.sign_in_response(username, password))).await;
    let hashes_checked = app.app.hasher.verifies() - before;
    let mut statuses = BTreeMap::new();
    let mut retry_after_on_every_refusal = true;
    for answer in &answers {
        let status = answer.status().as_u16();
        *statuses.entry(status).or_default() += 1;
        if matches!(status, 429 | 503) && answer.headers().get("retry-after").is_none() {
            retry_after_on_every_refusal = false;
        }
    }
    let record = app.user_record(user_id).await;
    let now = app.app.now();
    BurstOutcome {
        statuses,
        hashes_checked,
        lock_left_ms: record.locked_until.map(|until| until - now),
        lockouts: record.lockouts,
        retry_after_on_every_refusal,
    }
}

/// Sends `requests` all at once: each answer's status, in order.
pub async fn statuses<F>(requests: impl IntoIterator<Item = F>) -> Vec<u16>
where
    F: std::future::Future<Output = reqwest::Response>,
{
    futures::future::join_all(requests)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect()
}
