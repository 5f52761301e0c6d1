//! English and Dutch: the languages Rekey speaks, and one typed table of
//! messages per language. Every table is a value of the same structs, so a
//! message missing in one language does not compile. The function uses it
//! for emails; the browser app for what it shows (error codes included).

mod emails;
mod en;
mod errors;
mod nl;
mod sign_in;
#[cfg(test)]
mod tests;
mod ui;

pub use emails::EmailTexts;
pub use errors::{ErrorTexts, ImportProblemTexts};
pub use sign_in::SignInTexts;
pub use ui::{AdminTexts, UiTexts};

named_enum! {
    /// A language Rekey speaks, by its BCP 47 primary subtag.
    #[derive(Default)]
    pub enum Lang {
        #[default]
        En => "en",
        Nl => "nl",
    }
}

impl Lang {
    /// The language's own name, as its speakers write it (the switch). Not
    /// in `Messages`: a page that speaks one language still names both.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
        }
    }

    /// This language's messages.
    pub fn messages(self) -> &'static Messages {
        match self {
            Lang::En => &en::MESSAGES,
            Lang::Nl => &nl::MESSAGES,
        }
    }

    /// The account app's words (the admin center shows them too).
    pub fn ui(self) -> &'static UiTexts {
        match self {
            Lang::En => &en::UI,
            Lang::Nl => &nl::UI,
        }
    }

    /// The admin center's words (only the admin center shows them).
    pub fn admin(self) -> &'static AdminTexts {
        match self {
            Lang::En => &en::ADMIN,
            Lang::Nl => &nl::ADMIN,
        }
    }

    /// The words of Rekey's emails (only the function sends them).
    pub fn emails(self) -> &'static EmailTexts {
        match self {
            Lang::En => &en::EMAILS,
            Lang::Nl => &nl::EMAILS,
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
    /// The locale the browser formats dates in (`en-GB`, `nl-NL`).
    pub locale: &'static str,
    pub errors: ErrorTexts,
    /// The sign-in's words: the only page words the sign-in app carries.
    pub sign_in: SignInTexts,
}
