//! An authenticator app, as far as a test needs one: OATH Toolkit's
//! `oathtool` computing the code a phone would show for a typed secret.

use std::process::Command;

/// The 6-digit TOTP code for the base32 `secret` at `at_ms`.
pub fn code(secret: &str, at_ms: i64) -> String {
    let out = Command::new("oathtool")
        .args([
            "--totp",
            "--base32",
            secret,
            "--now",
            &format!("@{}", at_ms.div_euclid(1000)),
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

/// The code for now, by this machine's clock.
pub fn code_now(secret: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    code(secret, now)
}
