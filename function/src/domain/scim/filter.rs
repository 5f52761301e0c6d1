//! The list filters Rekey answers (RFC 7644 §3.4.2.2): a few equality and
//! prefix tests, which is what Entra and Okta send.

use super::{ScimError, ScimRefusal};

/// `filter`: `userName eq`, `emails.value eq`, `displayName sw`, `id eq`.
#[derive(Debug, PartialEq, Eq)]
pub enum Filter {
    UserName(String),
    Email(String),
    DisplayNameStartsWith(String),
    Id(String),
    ExternalId(String),
}

pub fn parse_filter(filter: &str) -> Result<Filter, ScimError> {
    let bad = || {
        ScimError::new(ScimRefusal::InvalidFilter,
            "Supported filters: userName eq, emails.value eq, displayName sw, id eq, externalId eq (with a quoted value).",
        )
    };
    let filter = filter.trim();
    let (attr, rest) = filter.split_once(char::is_whitespace).ok_or_else(bad)?;
    let (op, value) = rest
        .trim_start()
        .split_once(char::is_whitespace)
        .ok_or_else(bad)?;
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(bad)?;
    // One quoted value: a quote inside it that is not escaped means more
    // expression follows (`... or userName eq "b"`), which Rekey does not do.
    if value.replace("\\\"", "").contains('"') {
        return Err(bad());
    }
    let value = value.replace("\\\"", "\"");
    match (
        attr.to_ascii_lowercase().as_str(),
        op.to_ascii_lowercase().as_str(),
    ) {
        ("username", "eq") => Ok(Filter::UserName(value.to_lowercase())),
        ("emails.value" | "emails", "eq") => Ok(Filter::Email(value.to_lowercase())),
        ("displayname", "sw") => Ok(Filter::DisplayNameStartsWith(value.to_lowercase())),
        ("id", "eq") => Ok(Filter::Id(value)),
        ("externalid", "eq") => Ok(Filter::ExternalId(value)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_supported_filters_parse_and_others_are_refused() {
        assert_eq!(
            parse_filter(r#"userName eq "Megan.Bowen""#),
            Ok(Filter::UserName("megan.bowen".into()))
        );
        assert_eq!(
            parse_filter(r#"emails.value EQ "a@b.example""#),
            Ok(Filter::Email("a@b.example".into()))
        );
        assert_eq!(
            parse_filter(r#"displayName sw "Meg""#),
            Ok(Filter::DisplayNameStartsWith("meg".into()))
        );
        for bad in [r#"userName co "x""#, "userName eq x", r#"title eq "x""#, ""] {
            assert_eq!(
                parse_filter(bad).unwrap_err().kind,
                ScimRefusal::InvalidFilter,
                "{bad}"
            );
        }
    }
}
