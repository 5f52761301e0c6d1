//! Generated passwords and the policy for typed ones (NIST SP 800-63B).

use rand::seq::IndexedRandom;
use rekey_shared::validate::check_password_length;
use rekey_shared::{ApiError, ErrorCode};

use super::secret::Secret;
use crate::domain::model::UserRecord;

// No characters that read alike (0/O/o, 1/l/I, |) and no quotes, spaces or
// brackets that get mangled when a password is copied out of an email.
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"!#$%&*+-=?@^_";
const CLASSES: [&[u8]; 4] = [UPPER, LOWER, DIGITS, SYMBOLS];

/// The shortest generated password: one of each class.
pub const MIN_GENERATED_LEN: usize = CLASSES.len();

/// A random password of `len` characters (at least [`MIN_GENERATED_LEN`]).
///
/// Each character is a uniform choice from the whole alphabet, drawn from
/// the thread's CSPRNG; a draw missing a class is thrown away and drawn
/// again, which keeps the result uniform over all passwords that have every
/// class (forcing one character per class would not). A draw that starts
/// with `=`, `+`, `-` or `@` is thrown away too: a spreadsheet would run it
/// as a formula, and the passwords CSV must hold the password as it is.
pub fn generate(len: usize) -> Secret {
    let len = len.max(MIN_GENERATED_LEN);
    let alphabet: Vec<u8> = CLASSES.concat();
    let mut rng = rand::rng();
    loop {
        let candidate: Vec<u8> = (0..len)
            .map(|_| *alphabet.choose(&mut rng).expect("alphabet is not empty"))
            .collect();
        if !matches!(candidate[0], b'=' | b'+' | b'-' | b'@')
            && CLASSES
                .iter()
                .all(|class| candidate.iter().any(|c| class.contains(c)))
        {
            return Secret::new(String::from_utf8(candidate).expect("ASCII alphabet"));
        }
    }
}

/// Checks a typed password for `user`. The error's message is the reason,
/// written for the admin who typed it.
pub fn check_typed(password: &str, user: &UserRecord, min_len: usize) -> Result<(), ApiError> {
    check_password_length(password, min_len)?;

    let lower = password.to_lowercase();
    if user.personal_terms().iter().any(|t| lower.contains(t)) {
        return Err(ApiError::new(
            ErrorCode::PasswordContainsPersonalInfo,
            "The password can't contain the user's name, username or email address.",
        )
        .with_field("password"));
    }

    // zxcvbn knows the common-password lists, keyboard walks, dates and
    // l33t spellings; scores 0 and 1 mean fewer than 10^6 guesses.
    let estimate = zxcvbn::zxcvbn(password, &[]);
    if estimate.score() < zxcvbn::Score::Two {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Err(ApiError::new(
            ErrorCode::PasswordTooCommon,
            format!(
                "That password is too common or easy to guess{hint}. \
                 Try a longer phrase of unrelated words."
            ),
        )
        .with_field("password"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rekey_shared::Role;

    fn megan() -> UserRecord {
        crate::seed::user_record(
            "megan.bowen",
            "Megan Bowen",
            Role::User,
            Some("mbowen77@personal.example".into()),
            String::new(),
            0,
        )
    }

    #[test]
    fn generated_passwords_have_every_class_and_no_ambiguous_character() {
        for _ in 0..500 {
            let pw = generate(16);
            let pw = pw.expose();
            assert_eq!(pw.len(), 16);
            for class in CLASSES {
                assert!(pw.bytes().any(|c| class.contains(&c)), "{class:?}");
            }
            assert!(!pw.contains(['0', 'O', 'o', '1', 'l', 'I', '|', ' ']));
        }
    }

    #[test]
    fn generation_uses_the_whole_alphabet_roughly_evenly() {
        let mut counts = std::collections::HashMap::new();
        for _ in 0..2_000 {
            for c in generate(16).expose().chars() {
                *counts.entry(c).or_insert(0u32) += 1;
            }
        }
        let alphabet_len = CLASSES.concat().len();
        assert_eq!(counts.len(), alphabet_len);
        let expected = 32_000.0 / alphabet_len as f64;
        for (c, n) in counts {
            let n = f64::from(n);
            assert!(n > expected * 0.7 && n < expected * 1.5, "{c}: {n}");
        }
    }

    #[test]
    fn generated_passwords_pass_the_policy() {
        for _ in 0..50 {
            assert!(check_typed(generate(16).expose(), &megan(), 8).is_ok());
        }
    }

    #[test]
    fn too_short_too_common_and_personal_passwords_are_refused_with_a_reason() {
        let cases = [
            ("Sh0rt!", ErrorCode::PasswordTooShort),
            ("password123", ErrorCode::PasswordTooCommon),
            ("qwertyuiop", ErrorCode::PasswordTooCommon),
            ("P@ssw0rd1", ErrorCode::PasswordTooCommon),
            ("MeganRocks-2026!", ErrorCode::PasswordContainsPersonalInfo),
            (
                "xx-BOWEN-long-enough",
                ErrorCode::PasswordContainsPersonalInfo,
            ),
            ("mbowen77 is fine?", ErrorCode::PasswordContainsPersonalInfo),
        ];
        for (pw, code) in cases {
            let e = check_typed(pw, &megan(), 8).unwrap_err();
            assert_eq!(e.code, code, "{pw}");
            assert!(
                !e.message.contains(pw),
                "the reason must not echo the password"
            );
        }
    }

    #[test]
    fn a_long_uncommon_phrase_passes_with_no_composition_rules() {
        assert!(check_typed("plum tractor seventeen lanterns", &megan(), 8).is_ok());
    }
}
