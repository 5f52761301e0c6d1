//! A per-client-address token bucket in front of unauthenticated password
//! hashing, so that one source cannot spend the process's argon2 time.
//!
//! It lives in memory: the work it guards is this process's own. A bucket
//! holds `burst` tokens and regains one every `refill_ms`; an address that
//! finds its bucket empty is told how long until the next token.

use std::collections::HashMap;
use std::sync::Mutex;

/// Above this many tracked addresses, full buckets are forgotten (they are
/// the same as no bucket at all), so a spray of addresses cannot grow the
/// map without end.
const PRUNE_AT: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleLimits {
    pub burst: u32,
    pub refill_ms: i64,
}

impl Default for ThrottleLimits {
    /// 30 at once, then 2 a second: room for an office behind one NAT
    /// address at nine in the morning, far below what a guesser wants.
    fn default() -> Self {
        Self {
            burst: 30,
            refill_ms: 500,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// Tokens at `at`, in thousandths (so partial refills are kept).
    milli_tokens: i64,
    at: i64,
}

pub struct Throttle {
    limits: ThrottleLimits,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Throttle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Self {
            limits,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `key` at `now_ms`, or says in how many
    /// milliseconds the next one will be there.
    pub fn take(&self, key: &str, now_ms: i64) -> Result<(), i64> {
        let full = i64::from(self.limits.burst) * 1000;
        let refill = self.limits.refill_ms.max(1);
        let mut buckets = self.buckets.lock().expect("throttle buckets");
        if buckets.len() >= PRUNE_AT && !buckets.contains_key(key) {
            buckets.retain(|_, b| b.milli_tokens + (now_ms - b.at) * 1000 / refill < full);
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            milli_tokens: full,
            at: now_ms,
        });
        let elapsed = (now_ms - bucket.at).max(0);
        bucket.milli_tokens = (bucket.milli_tokens + elapsed * 1000 / refill).min(full);
        bucket.at = now_ms;
        if bucket.milli_tokens >= 1000 {
            bucket.milli_tokens -= 1000;
            Ok(())
        } else {
            Err(((1000 - bucket.milli_tokens) * refill + 999) / 1000)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> Throttle {
        Throttle::new(ThrottleLimits {
            burst: 3,
            refill_ms: 1000,
        })
    }

    #[test]
    fn a_burst_is_allowed_and_then_one_per_refill() {
        let t = throttle();
        for _ in 0..3 {
            assert_eq!(t.take("a", 0), Ok(()));
        }
        assert_eq!(t.take("a", 0), Err(1000));
        assert_eq!(t.take("a", 400), Err(600));
        assert_eq!(t.take("a", 1000), Ok(()));
        assert_eq!(t.take("a", 1000), Err(1000));
    }

    #[test]
    fn addresses_have_buckets_of_their_own() {
        let t = throttle();
        for _ in 0..3 {
            t.take("a", 0).unwrap();
        }
        assert!(t.take("a", 0).is_err());
        assert_eq!(t.take("b", 0), Ok(()));
    }

    #[test]
    fn a_long_pause_refills_no_more_than_the_burst() {
        let t = throttle();
        for _ in 0..3 {
            t.take("a", 0).unwrap();
        }
        for _ in 0..3 {
            assert_eq!(t.take("a", 3_600_000), Ok(()));
        }
        assert!(t.take("a", 3_600_000).is_err());
    }

    #[test]
    fn a_spray_of_addresses_does_not_grow_the_map_without_end() {
        let t = throttle();
        for i in 0..(PRUNE_AT * 3) {
            // Each address is back to full a second later, so it can go.
            t.take(&format!("10.0.{i}"), (i as i64) * 1000).unwrap();
        }
        assert!(t.buckets.lock().unwrap().len() <= PRUNE_AT + 1);
    }
}
