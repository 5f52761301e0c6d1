//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as every
//! authenticator app computes them: HMAC-SHA-1, 6 digits, 30-second steps,
//! and one step either side for a phone's clock that drifts. Seeds are 160
//! random bits (RFC 4226 §4), shown to the user once as base32 in an
//! `otpauth://` URI.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

pub const DIGITS: usize = 6;
pub const STEP_MS: i64 = 30_000;
/// Steps either side of now a code may come from.
pub const SKEW: i64 = 1;
pub const SEED_LEN: usize = 20;

/// A new random seed.
pub fn new_seed() -> [u8; SEED_LEN] {
    let mut seed = [0u8; SEED_LEN];
    rand::rng().fill_bytes(&mut seed);
    seed
}

/// The step a moment falls in (RFC 6238 §4: T0 = 0).
pub fn step_of(now_ms: i64) -> i64 {
    now_ms.div_euclid(STEP_MS)
}

/// HOTP (RFC 4226 §5.3): the code for one counter value.
pub fn hotp(seed: &[u8], counter: u64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(seed).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    binary % 10u32.pow(DIGITS as u32)
}

/// The code an authenticator app shows at `now_ms`, as it shows it.
pub fn code_at(seed: &[u8], now_ms: i64) -> String {
    format!(
        "{:0width$}",
        hotp(seed, step_of(now_ms) as u64),
        width = DIGITS
    )
}

/// The step `code` belongs to, when it is the code of one within [`SKEW`]
/// of now. Every candidate is computed and compared in full, so the time
/// taken says nothing about which one (or whether one) matched. Typed
/// spaces ("123 456") are ignored, as authenticator apps show them.
pub fn matching_step(seed: &[u8], code: &str, now_ms: i64) -> Option<i64> {
    let typed: Vec<u8> = code.bytes().filter(|b| *b != b' ').collect();
    if typed.len() != DIGITS || !typed.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let now = step_of(now_ms);
    let mut found = None;
    for step in now - SKEW..=now + SKEW {
        let expected = format!("{:0width$}", hotp(seed, step as u64), width = DIGITS);
        let differ = expected
            .bytes()
            .zip(&typed)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if differ == 0 && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// Base32 without padding (RFC 4648 §6), as `otpauth://` URIs carry seeds.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The key URI authenticator apps read from a QR code (Google's "Key Uri
/// Format", which they all follow): the issuer names the organisation and
/// labels the account, so a phone with several Rekeys tells them apart.
pub fn otpauth_uri(issuer: &str, account: &str, seed: &[u8]) -> String {
    let issuer_enc = percent(issuer);
    format!(
        "otpauth://totp/{issuer_enc}:{}?secret={}&issuer={issuer_enc}&algorithm=SHA1&digits={DIGITS}&period={}",
        percent(account),
        base32(seed),
        STEP_MS / 1000
    )
}

/// Modules of clear border around a QR code, as scanners expect.
const QUIET_ZONE: i32 = 4;

/// `text` as a QR code (medium error correction): the SVG path of its
/// dark modules, each a unit square, and the width with the quiet zone.
pub fn qr_path(text: &str) -> Option<(String, u32)> {
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let mut d = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                d.push_str(&format!("M{} {}h1v1h-1z", x + QUIET_ZONE, y + QUIET_ZONE));
            }
        }
    }
    Some((d, (size + 2 * QUIET_ZONE) as u32))
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SEED: &[u8] = b"12345678901234567890";

    #[test]
    fn hotp_gives_rfc_4226_appendix_d_values() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, want) in expected.into_iter().enumerate() {
            assert_eq!(hotp(RFC_SEED, counter as u64), want, "counter {counter}");
        }
    }

    #[test]
    fn totp_gives_rfc_6238_appendix_b_values_in_six_digits() {
        // The RFC lists 8 digits; an app's 6 are the same number mod 10^6.
        for (secs, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code_at(RFC_SEED, secs * 1000), eight[2..], "at {secs}");
        }
    }

    #[test]
    fn a_code_matches_its_own_step_and_one_either_side_only() {
        let seed = new_seed();
        let now = 1_800_000_000_000;
        let step = step_of(now);
        for offset in -SKEW..=SKEW {
            let code = code_at(&seed, now + offset * STEP_MS);
            assert_eq!(matching_step(&seed, &code, now), Some(step + offset));
        }
        let far = code_at(&seed, now + 2 * STEP_MS);
        if matching_step(&seed, &far, now).is_some() {
            // Only when the far code happens to equal a near one.
            assert!((-SKEW..=SKEW).any(|o| code_at(&seed, now + o * STEP_MS) == far));
        }
        let spaced = format!(
            "{} {}",
            &code_at(&seed, now)[..3],
            &code_at(&seed, now)[3..]
        );
        assert_eq!(matching_step(&seed, &spaced, now), Some(step));
        for bad in ["", "12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(matching_step(&seed, bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn base32_follows_rfc_4648_without_padding() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32(plain.as_bytes()), encoded);
        }
        assert_eq!(base32(RFC_SEED), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    #[test]
    fn the_key_uri_names_the_issuer_and_the_account_encoded() {
        let uri = otpauth_uri("Contoso Ltd", "megan@contoso.com", RFC_SEED);
        assert_eq!(
            uri,
            "otpauth://totp/Contoso%20Ltd:megan%40contoso.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Contoso%20Ltd&algorithm=SHA1&digits=6&period=30"
        );
    }
}
