//! Eight-digit codes sent to an address to prove it is hers: confirming
//! an alternate email on Security info, and the emailed gate of a
//! self-service reset. A code works once, for 10 minutes, and only its
//! hash (bound to what it is for) is ever stored.

use rand::Rng;
use rekey_shared::Lang;

use super::emails::escape_html;
use super::model::SentCode;
use super::session::{same, token_hash};
use crate::ports::OutgoingEmail;

pub const DIGITS: usize = 8;
pub const CODE_MS: i64 = 10 * 60_000;
/// Wrong tries after which a code is void (a new one can be sent).
pub const MAX_WRONG: u8 = 5;

/// A new code and what is kept of it, for `context` (what it proves).
pub fn new_code(context: &str, now: i64) -> (String, SentCode) {
    let code = format!("{:08}", rand::rng().random_range(0..100_000_000u32));
    let sent = SentCode {
        hash: hash(context, &code),
        expires_at: now + CODE_MS,
        wrong: 0,
    };
    (code, sent)
}

fn hash(context: &str, code: &str) -> String {
    token_hash(&format!("emailed-code:{context}:{code}"))
}

/// Whether `typed` (spaces allowed, as people copy it) is the code sent
/// for `context`, while it works. Compared in constant time.
pub fn matches(sent: &SentCode, context: &str, typed: &str, now: i64) -> bool {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let well_formed = digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit());
    let right = same(&sent.hash, &hash(context, &digits));
    well_formed && right && now < sent.expires_at && sent.wrong < MAX_WRONG
}

/// The email that carries a code, in the reader's language.
pub fn code_email(to: &str, code: &str, organization: &str, lang: Lang) -> OutgoingEmail {
    let w = lang.emails();
    let minutes = (CODE_MS / 60_000) as u32;
    let is = (w.code_is)(code, minutes);
    OutgoingEmail {
        to: to.to_string(),
        subject: (w.code_subject)(organization),
        text: format!("{is}\n\n{}\n", w.code_not_asked),
        html: format!(
            "<!doctype html><html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#242424\">\
             <p>{}</p><p style=\"font-size:24px;letter-spacing:4px\"><strong>{}</strong></p><p>{}</p></body></html>",
            escape_html(&is),
            escape_html(code),
            escape_html(w.code_not_asked)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_only_its_context_until_it_expires() {
        let (code, sent) = new_code("flow:a", 0);
        assert_eq!(code.len(), DIGITS);
        assert!(matches(&sent, "flow:a", &code, CODE_MS - 1));
        let spaced = format!("{} {}", &code[..4], &code[4..]);
        assert!(matches(&sent, "flow:a", &spaced, 1));
        assert!(!matches(&sent, "flow:a", &code, CODE_MS));
        assert!(!matches(&sent, "flow:b", &code, 1));
        assert!(!matches(&sent, "flow:a", "12345678x", 1));
        assert!(!matches(&sent, "flow:a", "", 1));
    }

    #[test]
    fn the_email_says_the_code_and_how_long_it_works_in_dutch_too() {
        let en = code_email("a@example.com", "01234567", "Contoso", Lang::En);
        assert!(en.text.contains("01234567") && en.text.contains("10 minutes"));
        assert_eq!(en.subject, "Your Contoso verification code");
        let nl = code_email("a@example.com", "01234567", "Contoso", Lang::Nl);
        assert!(nl.text.contains("10 minuten"), "{}", nl.text);
    }
}
