//! Reading `REKEY_*` variables: each value parsed and checked where it is
//! read, and a refusal that names the variable and says what it must be.

use std::fmt::Display;
use std::ops::{Bound, RangeBounds};
use std::str::FromStr;

use super::ConfigError;

/// What a number counts, for the sentence that says what it must be.
#[derive(Debug, Clone, Copy)]
pub(super) enum Unit {
    Whole,
    Seconds,
    Millis,
    Kib,
}

impl Unit {
    fn noun(self) -> &'static str {
        match self {
            Unit::Whole => "whole number",
            Unit::Seconds => "number of seconds",
            Unit::Millis => "number of milliseconds",
            Unit::Kib => "number of KiB",
        }
    }
}

/// "a whole number from 8 to 64", "a positive number of seconds", "a
/// number of seconds, at least 60", "a number of milliseconds up to 10000".
fn expected<T: Display>(range: &impl RangeBounds<T>, unit: Unit) -> String {
    let noun = unit.noun();
    match (range.start_bound(), range.end_bound()) {
        (Bound::Included(a), Bound::Included(b)) => format!("a {noun} from {a} to {b}"),
        (Bound::Included(a), Bound::Unbounded) if a.to_string() == "1" => {
            format!("a positive {noun}")
        }
        (Bound::Included(a), Bound::Unbounded) => format!("a {noun}, at least {a}"),
        (Bound::Unbounded, Bound::Included(b)) => format!("a {noun} up to {b}"),
        _ => format!("a {noun}"),
    }
}

/// The variables, through `get` (the environment, or a test's map).
pub(super) struct Vars<F: Fn(&str) -> Option<String>>(pub F);

impl<F: Fn(&str) -> Option<String>> Vars<F> {
    pub fn get(&self, var: &str) -> Option<String> {
        (self.0)(var)
    }

    fn refusal(var: &'static str, raw: &str, expect: &str) -> ConfigError {
        ConfigError {
            var,
            problem: format!("{raw:?} is not {expect}"),
        }
    }

    /// A number in `range`; `default` when unset.
    pub fn number<T>(
        &self,
        var: &'static str,
        default: T,
        range: impl RangeBounds<T>,
        unit: Unit,
    ) -> Result<T, ConfigError>
    where
        T: FromStr + PartialOrd + Display,
    {
        match self.get(var) {
            None => Ok(default),
            Some(raw) => raw
                .trim()
                .parse::<T>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| Self::refusal(var, &raw, &expected(&range, unit))),
        }
    }

    /// One of a few words (`T`'s `FromStr`), as `expect` lists them.
    pub fn choice<T: FromStr>(
        &self,
        var: &'static str,
        default: T,
        expect: &str,
    ) -> Result<T, ConfigError> {
        match self.get(var) {
            None => Ok(default),
            Some(raw) => raw
                .trim()
                .parse::<T>()
                .map_err(|_| Self::refusal(var, &raw, expect)),
        }
    }
}

/// An IANA time zone name's shape (`UTC`, `Europe/Amsterdam`,
/// `America/Argentina/Buenos_Aires`, `Etc/GMT+1`). The browser, which has
/// the time zone database, is the judge of whether it exists.
pub(super) fn is_time_zone_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
}

/// An `smtp://` or `smtps://` URL with a host and no credentials in it
/// (they would show wherever the URL does).
pub(super) fn check_smtp_url(raw: &str) -> Result<String, ConfigError> {
    let problem = |problem: &str| ConfigError {
        var: "REKEY_SMTP_URL",
        problem: problem.into(),
    };
    let url = url::Url::parse(raw.trim())
        .map_err(|_| problem("not a URL such as smtps://mail.contoso.com"))?;
    if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none() {
        return Err(problem(
            "use smtps://host[:port] (TLS) or smtp://host[:port][?tls=required] (STARTTLS)",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem(
            "put the credentials in REKEY_SMTP_USERNAME and REKEY_SMTP_PASSWORD, not in the URL",
        ));
    }
    Ok(url.to_string())
}

/// The domain of the sender address (`Rekey <no-reply@contoso.com>`).
pub(super) fn mail_domain(mail_from: Option<&str>) -> String {
    mail_from
        .and_then(|from| from.rsplit_once('@'))
        .map(|(_, domain)| domain.trim_end_matches('>').trim().to_ascii_lowercase())
        .filter(|d| rekey_shared::validate::check_email(&format!("admin@{d}")).is_ok())
        .unwrap_or_else(|| "rekey.example".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_said_as_people_write_it() {
        assert_eq!(
            expected(&(8..=64), Unit::Whole),
            "a whole number from 8 to 64"
        );
        assert_eq!(
            expected(&(1..), Unit::Seconds),
            "a positive number of seconds"
        );
        assert_eq!(
            expected(&(60..), Unit::Seconds),
            "a number of seconds, at least 60"
        );
        assert_eq!(
            expected(&(..=10_000), Unit::Millis),
            "a number of milliseconds up to 10000"
        );
        assert_eq!(
            expected(&(8u32..), Unit::Kib),
            "a number of KiB, at least 8"
        );
    }

    #[test]
    fn a_number_out_of_its_range_names_its_variable_and_the_range() {
        let vars = Vars(|_| Some("7".to_string()));
        let e = vars
            .number("REKEY_X", 10u32, 8..=64, Unit::Whole)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "REKEY_X: \"7\" is not a whole number from 8 to 64"
        );
        let unset = Vars(|_| None);
        assert_eq!(
            unset.number("REKEY_X", 10u32, 8..=64, Unit::Whole).unwrap(),
            10
        );
    }
}
