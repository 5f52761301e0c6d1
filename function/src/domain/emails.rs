//! The words of every email Rekey sends, as plain text and HTML
//! alternatives: the password email, the user's notice, and the admins'
//! "asked for a new password". Composition only; sending is the mailer's.
//! The words come from the shared message table, in the recipient's
//! language.

use rekey_shared::i18n::EmailTexts;
use rekey_shared::Lang;
use time::macros::format_description;
use time::OffsetDateTime;

use crate::domain::model::UserRecord;
use crate::ports::OutgoingEmail;

/// What a reset email says.
pub struct ResetEmail<'a> {
    pub actor: &'a UserRecord,
    pub target: &'a UserRecord,
    /// Present when the admin chose to send the password.
    pub password: Option<&'a str>,
    pub must_change: bool,
    pub expires_at: Option<i64>,
    pub at: i64,
    pub sign_in_url: &'a str,
    pub organization: &'a str,
}

/// "2026-11-24 17:50 UTC" in English, "24-11-2026 17:50 UTC" in Dutch.
pub fn format_time(ms: i64, lang: Lang) -> String {
    let t = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok();
    let formatted = match lang {
        Lang::En => t.and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        }),
        Lang::Nl => t.and_then(|t| {
            t.format(format_description!(
                "[day]-[month]-[year] [hour]:[minute] UTC"
            ))
            .ok()
        }),
    };
    formatted.unwrap_or_else(|| "?".into())
}

/// Escapes text for HTML element content and quoted attributes.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const HTML_OPEN: &str = "<!doctype html><html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#242424\">";

/// `<p>…</p>` of escaped text.
fn para(text: &str) -> String {
    format!("<p>{}</p>", escape_html(text))
}

impl ResetEmail<'_> {
    /// The email to `recipient`, in `lang`.
    pub fn to(&self, recipient: &str, lang: Lang) -> OutgoingEmail {
        let w: &EmailTexts = lang.emails();
        let (t, a) = (self.target, self.actor);
        let when = format_time(self.at, lang);
        let intro = (w.reset_intro)(
            &a.display_name,
            &a.username,
            &t.display_name,
            &t.username,
            self.organization,
            &when,
        );
        let change_line = if self.must_change {
            w.must_change
        } else {
            w.no_change
        };
        let expiry_line = self.expires_at.map(|e| (w.expires)(&format_time(e, lang)));

        let mut text = format!("{}\n\n{intro}\n\n{}: {}\n", w.hello, w.username, t.username);
        if let Some(pw) = self.password {
            text.push_str(&format!("{}: {pw}\n", w.temporary_password));
        }
        text.push_str(&format!("\n{change_line}\n"));
        if let Some(line) = &expiry_line {
            text.push_str(&format!("{line}\n"));
        }
        text.push_str(&format!(
            "\n{}\n\n{}\n\n-- \n{}\n",
            (w.sign_in_at)(self.sign_in_url),
            w.not_expected,
            (w.signature)(self.organization)
        ));

        let e = escape_html;
        let cell = "style=\"padding:4px 12px 4px 0\"";
        let mut html = format!(
            "{HTML_OPEN}{}{}<table role=\"presentation\" style=\"border-collapse:collapse\">\
             <tr><td {cell}>{}</td><td><code>{}</code></td></tr>",
            para(w.hello),
            para(&intro),
            e(w.username),
            e(&t.username)
        );
        if let Some(pw) = self.password {
            html.push_str(&format!(
                "<tr><td {cell}>{}</td>\
                 <td><code style=\"font-size:1.2em;background:#f3f2f1;padding:2px 6px\">{}</code></td></tr>",
                e(w.temporary_password),
                e(pw)
            ));
        }
        html.push_str(&format!("</table>{}", para(change_line)));
        if let Some(line) = &expiry_line {
            html.push_str(&para(line));
        }
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p><p style=\"color:#616161\">{}</p></body></html>",
            e(self.sign_in_url),
            e(&(w.sign_in_to)(self.organization)),
            e(w.not_expected)
        ));

        OutgoingEmail {
            to: recipient.to_string(),
            subject: (w.reset_subject)(&t.display_name, &t.username),
            text,
            html,
        }
    }
}

/// "Your password was changed", to one of the user's own addresses, in the
/// user's language.
pub struct NoticeEmail<'a> {
    pub user: &'a UserRecord,
    /// The admin who reset it; `None` when the user changed it.
    pub by: Option<&'a UserRecord>,
    pub at: i64,
    pub organization: &'a str,
    pub sign_in_url: &'a str,
    pub lang: Lang,
}

impl NoticeEmail<'_> {
    pub fn to(&self, recipient: &str) -> OutgoingEmail {
        let w = self.lang.emails();
        let user = self.user;
        let when = format_time(self.at, self.lang);
        let what = match self.by {
            Some(admin) => {
                (w.notice_reset_by)(&user.username, &admin.display_name, &admin.username, &when)
            }
            None => (w.notice_changed)(&user.username, &when),
        };
        let hello = (w.hello_name)(&user.display_name);
        let url = self.sign_in_url;
        OutgoingEmail {
            to: recipient.to_string(),
            subject: (w.notice_subject)(self.organization),
            text: format!(
                "{hello}\n\n{what}\n\n{}\n{}\n\n{}\n",
                w.notice_fine,
                w.notice_warn,
                (w.sign_in_at)(url)
            ),
            html: format!(
                "{HTML_OPEN}{}{}{}<p><strong>{}</strong></p><p><a href=\"{}\">{}</a></p></body></html>",
                para(&hello),
                para(&what),
                para(w.notice_fine),
                escape_html(w.notice_warn),
                escape_html(url),
                escape_html(w.sign_in)
            ),
        }
    }
}

/// "… asked for a new password", to one admin who may reset the user, in
/// the admin's language.
pub struct RequestEmail<'a> {
    pub admin: &'a UserRecord,
    pub user: &'a UserRecord,
    pub at: i64,
    /// Where the admin center is; the email links to the user's reset pane.
    pub public_url: &'a str,
    pub lang: Lang,
}

impl RequestEmail<'_> {
    pub fn to_admin(&self) -> OutgoingEmail {
        let w = self.lang.emails();
        let (admin, user) = (self.admin, self.user);
        let link = format!(
            "{}/admin/#/users/{}/reset",
            self.public_url.trim_end_matches('/'),
            user.id
        );
        let hello = (w.hello_name)(&admin.display_name);
        let asked = (w.request_asked)(
            &user.display_name,
            &user.username,
            &format_time(self.at, self.lang),
        );
        OutgoingEmail {
            to: admin.email.clone(),
            subject: (w.request_subject)(&user.display_name),
            text: format!(
                "{hello}\n\n{asked}\n\n{}\n\n{}\n",
                (w.request_reset_here)(&link),
                w.request_ignore
            ),
            html: format!(
                "{HTML_OPEN}{}{}<p><a href=\"{}\">{}</a></p><p style=\"color:#616161\">{}</p></body></html>",
                para(&hello),
                para(&asked),
                escape_html(&link),
                escape_html(&(w.request_open_pane)(&user.display_name)),
                escape_html(w.request_ignore)
            ),
        }
    }
}

/// The one-time link, to one of the user's own addresses, in the user's
/// language. The link is the only place its secret appears.
pub struct LinkEmail<'a> {
    pub actor: &'a UserRecord,
    pub user: &'a UserRecord,
    pub link: &'a str,
    pub expires_at: i64,
    pub organization: &'a str,
    pub lang: Lang,
}

impl LinkEmail<'_> {
    pub fn to(&self, recipient: &str) -> OutgoingEmail {
        let w = self.lang.emails();
        let hello = (w.hello_name)(&self.user.display_name);
        let intro = (w.link_intro)(
            &self.actor.display_name,
            &format_time(self.expires_at, self.lang),
        );
        OutgoingEmail {
            to: recipient.to_string(),
            subject: (w.link_subject)(self.organization),
            text: format!(
                "{hello}\n\n{intro}\n\n{}: {}\n\n{}\n",
                w.link_action, self.link, w.link_not_expected
            ),
            html: format!(
                "{HTML_OPEN}{}{}<p><a href=\"{}\" style=\"display:inline-block;padding:8px 16px;background:#0f6cbd;color:#fff;text-decoration:none;border-radius:4px\">{}</a></p>\
                 <p style=\"color:#616161\">{}</p></body></html>",
                para(&hello),
                para(&intro),
                escape_html(self.link),
                escape_html(w.link_action),
                escape_html(w.link_not_expected)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rekey_shared::Role;

    fn user(name: &str, username: &str) -> UserRecord {
        crate::seed::user_record(username, name, Role::User, None, String::new(), 0)
    }

    #[test]
    fn the_email_says_who_whom_the_password_and_what_to_do() {
        let admin = user("Alex Wilber", "admin");
        let target = user("Megan <b>Bowen</b>", "megan.bowen");
        let mail = ResetEmail {
            actor: &admin,
            target: &target,
            password: Some("Xy7#kP2q&mN4vR8s"),
            must_change: true,
            expires_at: Some(1_800_000_000_000),
            at: 1_764_000_000_000,
            sign_in_url: "http://127.0.0.1:8080/",
            organization: "Contoso",
        }
        .to("it@contoso.example", Lang::En);
        assert_eq!(mail.to, "it@contoso.example");
        for part in [&mail.text, &mail.html] {
            assert!(part.contains("Alex Wilber"));
            assert!(part.contains("megan.bowen"));
            assert!(part.contains("must be changed"));
            assert!(part.contains("http://127.0.0.1:8080/"));
            assert!(part.contains("2027-01-15 08:00 UTC"));
        }
        assert!(mail.text.contains("Temporary password: Xy7#kP2q&mN4vR8s"));
        assert!(mail.html.contains("Xy7#kP2q&amp;mN4vR8s"));
        assert!(mail.html.contains("Megan &lt;b&gt;Bowen&lt;/b&gt;"));
        assert!(!mail.html.contains("<b>Bowen"));
    }

    #[test]
    fn without_the_password_the_email_never_mentions_one() {
        let admin = user("Alex Wilber", "admin");
        let target = user("Megan Bowen", "megan.bowen");
        let mail = ResetEmail {
            actor: &admin,
            target: &target,
            password: None,
            must_change: false,
            expires_at: None,
            at: 0,
            sign_in_url: "http://x.example/",
            organization: "Contoso",
        }
        .to("a@b.example", Lang::En);
        assert!(!mail.text.contains("Temporary password"));
        assert!(mail.text.contains("No change is required"));
    }

    #[test]
    fn the_notice_says_who_changed_it_and_never_carries_a_password() {
        let admin = user("Alex Wilber", "admin");
        let megan = user("Megan <Bowen>", "megan.bowen");
        let notice = |by| NoticeEmail {
            user: &megan,
            by,
            at: 1_764_000_000_000,
            organization: "Contoso",
            sign_in_url: "https://rekey.example.com/",
            lang: Lang::En,
        };
        let reset = notice(Some(&admin)).to("megan@home.example");
        assert_eq!(reset.to, "megan@home.example");
        assert_eq!(reset.subject, "Your Contoso password was changed");
        for part in [&reset.text, &reset.html] {
            assert!(
                part.contains("was reset by Alex Wilber (admin) on 2025-11-24 16:00 UTC"),
                "{part}"
            );
            assert!(part.contains("tell your administrator right away"));
            assert!(part.contains("https://rekey.example.com/"));
            assert!(!part.to_lowercase().contains("temporary password"));
        }
        assert!(reset.html.contains("Megan &lt;Bowen&gt;") && !reset.html.contains("<Bowen>"));
        let own = notice(None).to("megan.bowen@contoso.example");
        assert!(own.text.contains("was changed on 2025-11-24 16:00 UTC"));
        assert!(!own.text.contains("Alex"));
    }

    #[test]
    fn the_request_email_links_the_admin_to_the_users_reset_pane() {
        let admin = user("Alex Wilber", "admin");
        let megan = user("Megan Bowen", "megan.bowen");
        for base in ["https://rekey.example.com", "https://rekey.example.com/"] {
            let mail = RequestEmail {
                admin: &admin,
                user: &megan,
                at: 1_764_000_000_000,
                public_url: base,
                lang: Lang::En,
            }
            .to_admin();
            assert_eq!(mail.to, admin.email);
            assert_eq!(mail.subject, "Megan Bowen asked for a new password");
            let link = format!("https://rekey.example.com/admin/#/users/{}/reset", megan.id);
            assert!(
                mail.text.contains(&format!("Reset it here: {link}")),
                "{}",
                mail.text
            );
            assert!(mail.html.contains(&format!("href=\"{link}\"")));
            assert!(mail.text.contains(
                "Megan Bowen (megan.bowen) asked for a new password on 2025-11-24 16:00 UTC"
            ));
        }
    }

    #[test]
    fn each_email_reads_in_dutch_for_a_dutch_reader() {
        let admin = user("Alex Wilber", "admin");
        let megan = user("Megan Bowen", "megan.bowen");
        let reset = ResetEmail {
            actor: &admin,
            target: &megan,
            password: Some("Xy7#kP2q&mN4vR8s"),
            must_change: true,
            expires_at: Some(1_800_000_000_000),
            at: 1_764_000_000_000,
            sign_in_url: "https://rekey.example.com/",
            organization: "Contoso",
        };
        let nl = reset.to("megan@home.example", Lang::Nl);
        assert_eq!(
            nl.subject,
            "Nieuw wachtwoord voor Megan Bowen (megan.bowen)"
        );
        for part in [&nl.text, &nl.html] {
            assert!(part.contains("Hallo,"), "{part}");
            assert!(part.contains("heeft op 24-11-2025 16:00 UTC het wachtwoord van Megan Bowen (megan.bowen) bij Contoso opnieuw ingesteld"), "{part}");
            assert!(part.contains("Gebruikersnaam"));
            assert!(part.contains("Tijdelijk wachtwoord"));
            assert!(part.contains("bij de eerste aanmelding worden gewijzigd"));
            assert!(part.contains("15-01-2027 08:00 UTC"));
            for english in [
                "Hello",
                "Username",
                "Temporary password",
                "Sign in",
                "reset the password",
            ] {
                assert!(!part.contains(english), "{english} in {part}");
            }
        }
        assert!(nl.text.contains("Tijdelijk wachtwoord: Xy7#kP2q&mN4vR8s"));
        let en = reset.to("it@contoso.example", Lang::En);
        assert_eq!(en.subject, "New password for Megan Bowen (megan.bowen)");
        assert!(en.text.contains("2025-11-24 16:00 UTC"));

        let notice = NoticeEmail {
            user: &megan,
            by: Some(&admin),
            at: 1_764_000_000_000,
            organization: "Contoso",
            sign_in_url: "https://rekey.example.com/",
            lang: Lang::Nl,
        }
        .to("megan@home.example");
        assert_eq!(notice.subject, "Uw wachtwoord voor Contoso is gewijzigd");
        assert!(notice.text.starts_with("Hallo Megan Bowen,"));
        assert!(notice
            .text
            .contains("is op 24-11-2025 16:00 UTC opnieuw ingesteld door Alex Wilber (admin)"));
        assert!(notice.html.contains("Aanmelden"));

        let request = RequestEmail {
            admin: &admin,
            user: &megan,
            at: 1_764_000_000_000,
            public_url: "https://rekey.example.com",
            lang: Lang::Nl,
        }
        .to_admin();
        assert_eq!(
            request.subject,
            "Megan Bowen heeft een nieuw wachtwoord aangevraagd"
        );
        assert!(request
            .text
            .contains("Stel het hier opnieuw in: https://rekey.example.com/admin/#/users/"));
        assert!(request
            .html
            .contains("Wachtwoord opnieuw instellen voor Megan Bowen"));
    }

    #[test]
    fn the_link_email_carries_the_link_in_the_readers_language() {
        let admin = user("Alex Wilber", "admin");
        let megan = user("Megan Bowen", "megan.bowen");
        let link = "https://rekey.example.com/account/#/set-password/id.secret";
        for (lang, subject, action) in [
            (
                Lang::Nl,
                "Kies uw nieuwe wachtwoord voor Contoso",
                "Een nieuw wachtwoord kiezen",
            ),
            (
                Lang::En,
                "Choose your new Contoso password",
                "Choose a new password",
            ),
        ] {
            let mail = LinkEmail {
                actor: &admin,
                user: &megan,
                link,
                expires_at: 1_764_000_000_000,
                organization: "Contoso",
                lang,
            }
            .to("megan@home.example");
            assert_eq!(mail.subject, subject);
            assert!(
                mail.text.contains(&format!("{action}: {link}")),
                "{}",
                mail.text
            );
            assert!(mail.html.contains(&format!("href=\"{link}\"")));
            assert!(mail.text.contains("Alex Wilber"));
        }
    }
}
