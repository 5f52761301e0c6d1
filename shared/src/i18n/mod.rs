//! English and Dutch: the languages Rekey speaks, and one typed table of
//! messages per language. Every table is a value of the same structs, so a
//! message missing in one language does not compile. The function uses it
//! for emails; the browser app for what it shows (error codes included).

mod en;
mod nl;

use crate::error::ErrorCode;

named_enum! {
    /// A language Rekey speaks, by its BCP 47 primary subtag.
    pub enum Lang {
        En => "en",
        Nl => "nl",
    }
}

impl Lang {
    /// This language's messages.
    pub fn messages(self) -> &'static Messages {
        match self {
            Lang::En => &en::MESSAGES,
            Lang::Nl => &nl::MESSAGES,
        }
    }

    /// The language of one BCP 47 tag (`nl`, `nl-NL`, `nl-BE`, `EN-gb`),
    /// if Rekey speaks it.
    pub fn of_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .iter()
            .copied()
            .find(|l| l.as_str().eq_ignore_ascii_case(primary))
    }

    /// The first language Rekey speaks in a preference list, in order
    /// (the browser's `navigator.languages`).
    pub fn first_of<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<Lang> {
        tags.into_iter().find_map(Lang::of_tag)
    }

    /// The preferred language Rekey speaks in an `Accept-Language` header:
    /// highest quality first, ties in the order given; `q=0` means never.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::of_tag) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map(|(lang, _)| lang)
    }
}

/// Everything Rekey says in one language.
pub struct Messages {
    /// The language's own name, as its speakers write it (the switch).
    pub name: &'static str,
    pub errors: ErrorTexts,
    pub emails: EmailTexts,
}

/// What each error code means, for people. The server's `message` stays
/// English for API users; pages show these, in the page's language.
pub struct ErrorTexts {
    pub invalid_json: &'static str,
    pub invalid_request: &'static str,
    pub invalid_cursor: &'static str,
    pub payload_too_large: &'static str,
    pub unsupported_media_type: &'static str,
    pub origin_mismatch: &'static str,
    pub unauthenticated: &'static str,
    pub forbidden: &'static str,
    pub cannot_reset_self: &'static str,
    pub not_found: &'static str,
    pub method_not_allowed: &'static str,
    pub invalid_credentials: &'static str,
    pub account_locked: &'static str,
    pub password_too_short: &'static str,
    pub password_too_long: &'static str,
    pub password_too_common: &'static str,
    pub password_contains_personal_info: &'static str,
    pub password_reused: &'static str,
    pub current_password_incorrect: &'static str,
    pub password_change_required: &'static str,
    pub temporary_password_expired: &'static str,
    pub invalid_recipient: &'static str,
    pub too_many_recipients: &'static str,
    pub too_many_users: &'static str,
    pub conflict: &'static str,
    pub internal: &'static str,
    pub unavailable: &'static str,
}

impl ErrorTexts {
    /// The text for `code` (an exhaustive match: a new code needs a text
    /// in every language before it compiles).
    pub fn of(&self, code: ErrorCode) -> &'static str {
        use ErrorCode::*;
        match code {
            InvalidJson => self.invalid_json,
            InvalidRequest => self.invalid_request,
            InvalidCursor => self.invalid_cursor,
            PayloadTooLarge => self.payload_too_large,
            UnsupportedMediaType => self.unsupported_media_type,
            OriginMismatch => self.origin_mismatch,
            Unauthenticated => self.unauthenticated,
            Forbidden => self.forbidden,
            CannotResetSelf => self.cannot_reset_self,
            NotFound => self.not_found,
            MethodNotAllowed => self.method_not_allowed,
            InvalidCredentials => self.invalid_credentials,
            AccountLocked => self.account_locked,
            PasswordTooShort => self.password_too_short,
            PasswordTooLong => self.password_too_long,
            PasswordTooCommon => self.password_too_common,
            PasswordContainsPersonalInfo => self.password_contains_personal_info,
            PasswordReused => self.password_reused,
            CurrentPasswordIncorrect => self.current_password_incorrect,
            PasswordChangeRequired => self.password_change_required,
            TemporaryPasswordExpired => self.temporary_password_expired,
            InvalidRecipient => self.invalid_recipient,
            TooManyRecipients => self.too_many_recipients,
            TooManyUsers => self.too_many_users,
            Conflict => self.conflict,
            Internal => self.internal,
            Unavailable => self.unavailable,
        }
    }
}

/// The words of Rekey's three emails. Functions take what the sentence
/// needs, so each language orders it its own way.
pub struct EmailTexts {
    /// "Hello,"
    pub hello: &'static str,
    /// "Hello {name},"
    pub hello_name: fn(name: &str) -> String,
    /// Subject of the password email: (user's name, username).
    pub reset_subject: fn(name: &str, username: &str) -> String,
    /// (admin, admin's username, user, user's username, organisation, when)
    pub reset_intro: fn(&str, &str, &str, &str, &str, &str) -> String,
    pub username: &'static str,
    pub temporary_password: &'static str,
    pub must_change: &'static str,
    pub no_change: &'static str,
    /// (when the temporary password stops working)
    pub expires: fn(when: &str) -> String,
    /// (sign-in address)
    pub sign_in_at: fn(url: &str) -> String,
    /// Link text: (organisation)
    pub sign_in_to: fn(org: &str) -> String,
    pub not_expected: &'static str,
    /// (organisation)
    pub signature: fn(org: &str) -> String,
    /// Subject of the notice: (organisation)
    pub notice_subject: fn(org: &str) -> String,
    /// (username, admin, admin's username, when)
    pub notice_reset_by: fn(&str, &str, &str, &str) -> String,
    /// (username, when)
    pub notice_changed: fn(&str, &str) -> String,
    pub notice_fine: &'static str,
    pub notice_warn: &'static str,
    pub sign_in: &'static str,
    /// Subject of the admins' email: (user's name)
    pub request_subject: fn(name: &str) -> String,
    /// (user's name, username, when)
    pub request_asked: fn(&str, &str, &str) -> String,
    /// (link)
    pub request_reset_here: fn(link: &str) -> String,
    /// Link text: (user's name)
    pub request_open_pane: fn(name: &str) -> String,
    pub request_ignore: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of a table, in declaration order, with the functions
    /// called on fixed arguments.
    fn texts(m: &Messages) -> Vec<String> {
        let e = &m.emails;
        let mut all: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|&c| m.errors.of(c).to_string())
            .collect();
        all.extend(
            [
                e.hello,
                e.username,
                e.temporary_password,
                e.must_change,
                e.no_change,
                e.not_expected,
                e.notice_fine,
                e.notice_warn,
                e.sign_in,
                e.request_ignore,
            ]
            .map(str::to_string),
        );
        all.extend([
            (e.hello_name)("Megan"),
            (e.reset_subject)("Megan Bowen", "megan.bowen"),
            (e.reset_intro)("A", "a", "M", "m", "Contoso", "T"),
            (e.expires)("T"),
            (e.sign_in_at)("https://x.example/"),
            (e.sign_in_to)("Contoso"),
            (e.signature)("Contoso"),
            (e.notice_subject)("Contoso"),
            (e.notice_reset_by)("m", "A", "a", "T"),
            (e.notice_changed)("m", "T"),
            (e.request_subject)("Megan Bowen"),
            (e.request_asked)("M", "m", "T"),
            (e.request_reset_here)("https://x.example/#/users/1/reset"),
            (e.request_open_pane)("Megan Bowen"),
        ]);
        all
    }

    #[test]
    fn every_dutch_text_is_translated_and_none_is_empty() {
        let (en, nl) = (texts(Lang::En.messages()), texts(Lang::Nl.messages()));
        assert_eq!(en.len(), nl.len());
        for (e, n) in en.iter().zip(&nl) {
            assert!(!e.trim().is_empty() && !n.trim().is_empty());
            assert_ne!(e, n, "untranslated: {e:?}");
        }
        assert_ne!(Lang::En.messages().name, Lang::Nl.messages().name);
    }

    #[test]
    fn every_error_code_reads_in_dutch() {
        for &code in ErrorCode::ALL {
            let (en, nl) = (
                Lang::En.messages().errors.of(code),
                Lang::Nl.messages().errors.of(code),
            );
            assert_ne!(en, nl, "{code}");
            assert!(nl.ends_with('.'), "{code}: {nl}");
        }
        // Distinct codes read differently (a copy-paste slip shows here).
        let mut nl: Vec<&str> = ErrorCode::ALL
            .iter()
            .map(|&c| Lang::Nl.messages().errors.of(c))
            .collect();
        nl.sort_unstable();
        nl.dedup();
        assert_eq!(nl.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn dutch_browsers_and_headers_get_dutch() {
        assert_eq!(Lang::of_tag("nl"), Some(Lang::Nl));
        assert_eq!(Lang::of_tag("nl-NL"), Some(Lang::Nl));
        assert_eq!(Lang::of_tag("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::of_tag("NL_nl"), Some(Lang::Nl));
        assert_eq!(Lang::of_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::of_tag("de-DE"), None);
        assert_eq!(Lang::of_tag(""), None);
        assert_eq!(Lang::first_of(["fr-FR", "nl-BE", "en"]), Some(Lang::Nl));
        assert_eq!(Lang::first_of(["fr-FR"]), None);
        for (header, lang) in [
            ("nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7", Some(Lang::Nl)),
            ("en-US,en;q=0.9,nl;q=0.8", Some(Lang::En)),
            ("de-DE, nl;q=0.5, en;q=0.6", Some(Lang::En)),
            ("fr, nl;q=0", None),
            ("nl;q=bogus, en;q=0.1", Some(Lang::En)),
            ("*", None),
            ("", None),
        ] {
            assert_eq!(Lang::from_accept_language(header), lang, "{header}");
        }
    }
}
