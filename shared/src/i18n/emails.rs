//! The words of Rekey's emails.

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
    /// Subject of the one-time link: (organisation)
    pub link_subject: fn(org: &str) -> String,
    /// (admin, until when)
    pub link_intro: fn(&str, &str) -> String,
    pub link_action: &'static str,
    pub link_not_expected: &'static str,
    /// Subject of "a recovery code was used": (organisation)
    pub recovery_used_subject: fn(org: &str) -> String,
    /// (username, when, codes left)
    pub recovery_used: fn(&str, &str, u32) -> String,
    pub recovery_used_warn: &'static str,
    /// Subject of "a recovery code was used to reset the password": (organisation)
    pub recovery_reset_subject: fn(org: &str) -> String,
    /// (username, when, codes left)
    pub recovery_reset: fn(&str, &str, u32) -> String,
    pub recovery_reset_warn: &'static str,
    /// Subject of "the code step is locked": (organisation)
    pub codes_locked_subject: fn(org: &str) -> String,
    /// (username, when, until when)
    pub codes_locked: fn(&str, &str, &str) -> String,
    pub codes_locked_warn: &'static str,
    /// Subject of "an admin changed how you sign in": (organisation)
    pub admin_change_subject: fn(org: &str) -> String,
    /// (username, when, the admin's name, what they did: one of below)
    pub admin_changed: fn(&str, &str, &str, &str) -> String,
    /// (the method's name)
    pub what_method_removed: fn(&str) -> String,
    pub what_reregister: &'static str,
    pub what_revoked: &'static str,
    /// (until when)
    pub what_pass: fn(&str) -> String,
    pub admin_change_warn: &'static str,
    /// Subject of a verification code: (organisation)
    pub code_subject: fn(org: &str) -> String,
    /// (the code, minutes it works)
    pub code_is: fn(&str, u32) -> String,
    pub code_not_asked: &'static str,
    /// Subject to the admins: (her name)
    pub self_reset_subject: fn(name: &str) -> String,
    /// (her name, username, when)
    pub self_reset: fn(&str, &str, &str) -> String,
    pub self_reset_check: &'static str,
}
