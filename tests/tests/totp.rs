//! Rekey's TOTP codes against OATH Toolkit's `oathtool`, an implementation
//! nobody on the team wrote, the way an authenticator app computes them:
//! for random seeds at random moments, the same six digits.

use std::process::Command;

use rand::{Rng, RngCore};
use rekey_function::domain::totp;

fn oathtool(seed: &[u8], secs: i64) -> String {
    let out = Command::new("oathtool")
        .args([
            "--totp",
            "--base32",
            &totp::base32(seed),
            "--now",
            &format!("@{secs}"),
        ])
        .output()
        .expect("oathtool (scripts/setup.sh installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn codes_agree_with_oathtool_for_random_seeds_and_moments() {
    let mut rng = rand::rng();
    for _ in 0..40 {
        let mut seed = [0u8; totp::SEED_LEN];
        rng.fill_bytes(&mut seed);
        let secs: i64 = rng.random_range(0..4_102_444_800);
        let theirs = oathtool(&seed, secs);
        assert_eq!(
            totp::code_at(&seed, secs * 1000),
            theirs,
            "seed {seed:?} at {secs}"
        );
        assert_eq!(
            totp::matching_step(&seed, &theirs, secs * 1000),
            Some(totp::step_of(secs * 1000))
        );
    }
}

#[test]
fn a_code_oathtool_gives_for_two_steps_away_is_refused() {
    let seed = totp::new_seed();
    let now: i64 = 1_900_000_000;
    let far = oathtool(&seed, now + 2 * totp::STEP_MS / 1000);
    let near =
        (-totp::SKEW..=totp::SKEW).any(|o| oathtool(&seed, now + o * totp::STEP_MS / 1000) == far);
    assert_eq!(totp::matching_step(&seed, &far, now * 1000).is_some(), near);
}
