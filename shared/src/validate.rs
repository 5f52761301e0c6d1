//! Validation that needs no I/O, shared by the browser and the function.

use crate::error::{ApiError, ErrorCode};
use crate::MAX_RECIPIENTS;

/// Longest address RFC 5321 lets through a mail system.
pub const MAX_EMAIL_LEN: usize = 254;
/// Shortest typed password the policy accepts by default (NIST SP 800-63B).
pub const DEFAULT_MIN_PASSWORD_LEN: usize = 8;
/// Longest password accepted (NIST asks that at least 64 be allowed).
pub const MAX_PASSWORD_LEN: usize = 128;

/// Why an email address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailProblem {
    Empty,
    TooLong,
    LineBreak,
    Malformed,
}

impl EmailProblem {
    pub fn message(self) -> &'static str {
        match self {
            EmailProblem::Empty => "Enter an email address.",
            EmailProblem::TooLong => "That email address is too long.",
            EmailProblem::LineBreak => "Email addresses cannot contain line breaks.",
            EmailProblem::Malformed => {
                "That doesn't look like an email address (name@example.com)."
            }
        }
    }
}

/// Checks an address of the everyday form `local@domain.tld`: the only form
/// a person types in a recipients box. Quoted local parts, IP literals and
/// comments are refused on purpose: they are where header injection hides.
pub fn check_email(address: &str) -> Result<(), EmailProblem> {
    if address.contains(['\r', '\n']) {
        return Err(EmailProblem::LineBreak);
    }
    if address.is_empty() {
        return Err(EmailProblem::Empty);
    }
    if address.len() > MAX_EMAIL_LEN {
        return Err(EmailProblem::TooLong);
    }
    let (local, domain) = address.rsplit_once('@').ok_or(EmailProblem::Malformed)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err(EmailProblem::Malformed)
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidRequest, message).with_field(field)
}

/// A username, lower-cased: either the plain form (letters, digits, `.`,
/// `-` and `_`, up to 64) or a user principal name in the everyday email
/// form (`alice@contoso.example`, up to 254), which is what Microsoft 365
/// signs in with and what Entra ID and Okta provision.
pub fn check_username(value: &str) -> Result<String, ApiError> {
    use crate::people::{MAX_UPN_LEN, MAX_USERNAME_LEN};
    let value = value.trim().to_lowercase();
    let plain = !value.is_empty()
        && value.len() <= MAX_USERNAME_LEN
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    let principal_name = value.len() <= MAX_UPN_LEN && check_email(&value).is_ok();
    if plain || principal_name {
        Ok(value)
    } else {
        Err(invalid(
            "username",
            "Use 1 to 64 letters, digits, dots, hyphens or underscores, or a sign-in name like alice@contoso.com.",
        ))
    }
}

/// A name as a person types it: trimmed, 1 to 100 characters, no control
/// characters.
pub fn check_name(value: &str, field: &str) -> Result<String, ApiError> {
    use crate::people::MAX_NAME_LEN;
    let value = value.trim();
    if value.is_empty() || value.chars().count() > MAX_NAME_LEN {
        return Err(invalid(
            field,
            format!("Give 1 to {MAX_NAME_LEN} characters."),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid(field, "Names can't hold control characters."));
    }
    Ok(value.to_string())
}

/// Validates the password email's recipients: at most [`MAX_RECIPIENTS`],
/// each a valid address. Returns them trimmed, without case-insensitive
/// duplicates, in the order given. Errors name the field (`email_to[i]`).
pub fn check_recipients(recipients: &[String]) -> Result<Vec<String>, ApiError> {
    if recipients.len() > MAX_RECIPIENTS {
        return Err(ApiError::new(
            ErrorCode::TooManyRecipients,
            format!("The password can be emailed to at most {MAX_RECIPIENTS} recipients."),
        )
        .with_field("email_to"));
    }
    let mut out: Vec<String> = Vec::with_capacity(recipients.len());
    for (i, raw) in recipients.iter().enumerate() {
        // Trim spaces only: a CR or LF anywhere is refused, not trimmed away.
        let address = raw.trim_matches(' ');
        if let Err(problem) = check_email(address) {
            return Err(
                ApiError::new(ErrorCode::InvalidRecipient, problem.message())
                    .with_field(format!("email_to[{i}]")),
            );
        }
        if !out.iter().any(|a| a.eq_ignore_ascii_case(address)) {
            out.push(address.to_string());
        }
    }
    Ok(out)
}

/// The length rule for typed passwords, counted in characters.
pub fn check_password_length(password: &str, min_len: usize) -> Result<(), ApiError> {
    let len = password.chars().count();
    if len < min_len {
        return Err(ApiError::new(
            ErrorCode::PasswordTooShort,
            format!("Use at least {min_len} characters ({len} so far)."),
        )
        .with_field("password"));
    }
    if len > MAX_PASSWORD_LEN {
        return Err(ApiError::new(
            ErrorCode::PasswordTooLong,
            format!("Use at most {MAX_PASSWORD_LEN} characters."),
        )
        .with_field("password"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_addresses_pass() {
        for a in [
            "megan.bowen@contoso.example",
            "a+tag@sub.example.co",
            "o'neil@example.org",
        ] {
            assert_eq!(check_email(a), Ok(()), "{a}");
        }
    }

    #[test]
    fn malformed_addresses_fail_with_a_reason() {
        assert_eq!(check_email(""), Err(EmailProblem::Empty));
        assert_eq!(
            check_email("a@b.example\r\nBcc: x@evil.example"),
            Err(EmailProblem::LineBreak)
        );
        for a in [
            "plain",
            "@example.com",
            "a@",
            "a@localhost",
            "a..b@example.com",
            "a@-x.com",
            "a b@example.com",
            "a@example.c",
            "\"q\"@example.com",
            "a@[127.0.0.1]",
        ] {
            assert_eq!(check_email(a), Err(EmailProblem::Malformed), "{a}");
        }
        assert_eq!(
            check_email(&format!("{}@example.com", "a".repeat(250))),
            Err(EmailProblem::TooLong)
        );
    }

    #[test]
    fn recipients_are_capped_at_five_and_deduplicated() {
        let five: Vec<String> = (0..5).map(|i| format!("r{i}@example.com")).collect();
        assert_eq!(check_recipients(&five).unwrap().len(), 5);
        let mut six = five.clone();
        six.push("r5@example.com".into());
        let e = check_recipients(&six).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooManyRecipients);
        let dup = vec!["A@example.com".to_string(), " a@example.com".to_string()];
        assert_eq!(check_recipients(&dup).unwrap(), vec!["A@example.com"]);
    }

    #[test]
    fn a_bad_recipient_names_its_field() {
        let list = vec!["ok@example.com".to_string(), "x@example.com\n".to_string()];
        let e = check_recipients(&list).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRecipient);
        assert_eq!(e.field.as_deref(), Some("email_to[1]"));
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert_eq!(
            check_password_length("short", 8).unwrap_err().code,
            ErrorCode::PasswordTooShort
        );
        assert!(check_password_length("ünïcödé!", 8).is_ok());
        assert_eq!(
            check_password_length(&"x".repeat(129), 8).unwrap_err().code,
            ErrorCode::PasswordTooLong
        );
    }

    #[test]
    fn usernames_are_plain_or_a_user_principal_name() {
        for ok in [
            "lee.gu",
            "Lee_Gu-2",
            "alice@contoso.example",
            "o'brien@contoso.co.uk",
        ] {
            assert_eq!(check_username(ok).unwrap(), ok.to_lowercase(), "{ok}");
        }
        let long_upn = format!("{}@{}.example", "a".repeat(64), "b".repeat(63));
        assert!(check_username(&long_upn).is_ok());
        for bad in [
            "",
            "   ",
            "lee gu",
            "lee@",
            "@contoso.example",
            "a@b@contoso.example",
            "alice@contoso",
            "alice@contoso.example\r\nBcc: x@y.example",
            "<alice@contoso.example>",
            &"a".repeat(65),
        ] {
            let e = check_username(bad).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::InvalidRequest, Some("username")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn names_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(
            check_name("  Megan Bowen ", "display_name").unwrap(),
            "Megan Bowen"
        );
        assert!(check_name(&"x".repeat(100), "first_name").is_ok());
        assert!(check_name(&"x".repeat(101), "first_name").is_err());
        assert!(check_name("", "last_name").is_err());
        assert_eq!(
            check_name("Bob\u{7}", "last_name")
                .unwrap_err()
                .field
                .as_deref(),
            Some("last_name")
        );
    }
}
