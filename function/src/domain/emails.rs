//! The words of every email Rekey sends, as plain text and HTML
//! alternatives: the password email, the user's notice, and the admins'
//! "asked for a new password". Composition only; sending is the mailer's.

use time::macros::format_description;
use time::OffsetDateTime;

use super::user::UserRecord;
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

/// "2026-11-24 17:50 UTC".
pub fn format_time(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_else(|| "an unknown time".into())
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

impl ResetEmail<'_> {
    pub fn to(&self, recipient: &str) -> OutgoingEmail {
        let t = self.target;
        let a = self.actor;
        let when = format_time(self.at);
        let change_line = if self.must_change {
            "The password must be changed at the first sign-in."
        } else {
            "No change is required at sign-in."
        };
        let expiry_line = self.expires_at.map(|e| {
            format!(
                "The temporary password stops working on {}; after that, ask an admin for a new one.",
                format_time(e)
            )
        });

        let mut text = format!(
            "Hello,\n\n{} ({}) reset the password for {} ({}) in {} on {}.\n\n",
            a.display_name, a.username, t.display_name, t.username, self.organization, when
        );
        text.push_str(&format!("Username: {}\n", t.username));
        if let Some(pw) = self.password {
            text.push_str(&format!("Temporary password: {pw}\n"));
        }
        text.push_str(&format!("\n{change_line}\n"));
        if let Some(line) = &expiry_line {
            text.push_str(&format!("{line}\n"));
        }
        text.push_str(&format!(
            "\nSign in at {}\n\nIf you did not expect this email, tell your administrator.\n\n-- \nRekey for {}\n",
            self.sign_in_url, self.organization
        ));

        let e = escape_html;
        let mut html = format!(
            "<!doctype html><html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#242424\">\
             <p>Hello,</p><p><strong>{}</strong> ({}) reset the password for <strong>{}</strong> ({}) in {} on {}.</p>\
             <table role=\"presentation\" style=\"border-collapse:collapse\"><tr><td style=\"padding:4px 12px 4px 0\">Username</td><td><code>{}</code></td></tr>",
            e(&a.display_name), e(&a.username), e(&t.display_name), e(&t.username),
            e(self.organization), e(&when), e(&t.username)
        );
        if let Some(pw) = self.password {
            html.push_str(&format!(
                "<tr><td style=\"padding:4px 12px 4px 0\">Temporary password</td>\
                 <td><code style=\"font-size:1.2em;background:#f3f2f1;padding:2px 6px\">{}</code></td></tr>",
                e(pw)
            ));
        }
        html.push_str(&format!("</table><p>{}</p>", e(change_line)));
        if let Some(line) = &expiry_line {
            html.push_str(&format!("<p>{}</p>", e(line)));
        }
        html.push_str(&format!(
            "<p><a href=\"{url}\">Sign in to {org}</a></p>\
             <p style=\"color:#616161\">If you did not expect this email, tell your administrator.</p>\
             </body></html>",
            url = e(self.sign_in_url),
            org = e(self.organization)
        ));

        OutgoingEmail {
            to: recipient.to_string(),
            subject: format!("New password for {} ({})", t.display_name, t.username),
            text,
            html,
        }
    }
}

/// "Your password was changed", to one of the user's own addresses.
pub struct NoticeEmail<'a> {
    pub user: &'a UserRecord,
    /// The admin who reset it; `None` when the user changed it.
    pub by: Option<&'a UserRecord>,
    pub at: i64,
    pub organization: &'a str,
    pub sign_in_url: &'a str,
}

impl NoticeEmail<'_> {
    pub fn to(&self, recipient: &str) -> OutgoingEmail {
        let user = self.user;
        let when = format_time(self.at);
        let what = match self.by {
            Some(admin) => format!(
                "was reset by {} ({}) on {when}",
                admin.display_name, admin.username
            ),
            None => format!("was changed on {when}"),
        };
        let url = self.sign_in_url;
        let e = escape_html;
        OutgoingEmail {
            to: recipient.to_string(),
            subject: format!("Your {} password was changed", self.organization),
            text: format!(
                "Hello {},\n\nThe password for your account {} {what}.\n\n\
                 If this was you or your admin at your request, there is nothing to do.\n\
                 If you did not expect it, tell your administrator right away: someone else may be using your account.\n\n\
                 Sign in at {url}\n",
                user.display_name, user.username
            ),
            html: format!(
                "<!doctype html><html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#242424\">\
                 <p>Hello {},</p><p>The password for your account <strong>{}</strong> {}.</p>\
                 <p>If this was you or your admin at your request, there is nothing to do.</p>\
                 <p><strong>If you did not expect it, tell your administrator right away:</strong> someone else may be using your account.</p>\
                 <p><a href=\"{}\">Sign in</a></p></body></html>",
                e(&user.display_name), e(&user.username), e(&what), e(url)
            ),
        }
    }
}

/// "… asked for a new password", to one admin who may reset the user.
pub struct RequestEmail<'a> {
    pub admin: &'a UserRecord,
    pub user: &'a UserRecord,
    pub at: i64,
    /// Where the admin center is; the email links to the user's reset pane.
    pub public_url: &'a str,
}

impl RequestEmail<'_> {
    pub fn to_admin(&self) -> OutgoingEmail {
        let (admin, user) = (self.admin, self.user);
        let link = format!(
            "{}/#/users/{}/reset",
            self.public_url.trim_end_matches('/'),
            user.id
        );
        let when = format_time(self.at);
        let e = escape_html;
        OutgoingEmail {
            to: admin.email.clone(),
            subject: format!("{} asked for a new password", user.display_name),
            text: format!(
                "Hello {},\n\n{} ({}) asked for a new password on {}.\n\nReset it here: {}\n\n\
                 If you don't know about this request, you can ignore it: nothing changes until an admin resets the password.\n",
                admin.display_name, user.display_name, user.username, when, link
            ),
            html: format!(
                "<!doctype html><html><body style=\"font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#242424\">\
                 <p>Hello {},</p><p><strong>{}</strong> ({}) asked for a new password on {}.</p>\
                 <p><a href=\"{}\">Open the reset pane for {}</a></p>\
                 <p style=\"color:#616161\">If you don't know about this request, you can ignore it: nothing changes until an admin resets the password.</p>\
                 </body></html>",
                e(&admin.display_name), e(&user.display_name), e(&user.username), e(&when), e(&link), e(&user.display_name)
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
        .to("it@contoso.example");
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
        .to("a@b.example");
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
            }
            .to_admin();
            assert_eq!(mail.to, admin.email);
            assert_eq!(mail.subject, "Megan Bowen asked for a new password");
            let link = format!("https://rekey.example.com/#/users/{}/reset", megan.id);
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
}
