//! English and Dutch: the languages Rekey speaks, and one typed table of
//! messages per language. Every table is a value of the same structs, so a
//! message missing in one language does not compile. The function uses it
//! for emails; the browser app for what it shows (error codes included).

mod en;
mod nl;

use crate::audit::AuditAction;
use crate::error::ErrorCode;
use crate::users::Role;
use crate::validate::EmailProblem;

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
    /// This language's messages.
    pub fn messages(self) -> &'static Messages {
        match self {
            Lang::En => &en::MESSAGES,
            Lang::Nl => &nl::MESSAGES,
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
    /// The language's own name, as its speakers write it (the switch).
    pub name: &'static str,
    /// The locale the browser formats dates in (`en-GB`, `nl-NL`).
    pub locale: &'static str,
    pub errors: ErrorTexts,
    pub ui: UiTexts,
}

/// What a row of "Add multiple users" gets wrong, by its code.
pub struct ImportProblemTexts {
    pub malformed_csv: &'static str,
    pub empty_file: &'static str,
    pub missing_column: &'static str,
    pub no_users: &'static str,
    pub invalid_username: &'static str,
    pub invalid_name: &'static str,
    pub invalid_email: &'static str,
    pub unknown_role: &'static str,
    pub role_not_allowed: &'static str,
    pub duplicate_in_file: &'static str,
    pub taken: &'static str,
    pub internal: &'static str,
}

impl ImportProblemTexts {
    /// The text for `code` (exhaustive: a new code needs its texts).
    pub fn of(&self, code: crate::ImportProblem) -> &'static str {
        use crate::ImportProblem::*;
        match code {
            MalformedCsv => self.malformed_csv,
            EmptyFile => self.empty_file,
            MissingColumn => self.missing_column,
            NoUsers => self.no_users,
            InvalidUsername => self.invalid_username,
            InvalidName => self.invalid_name,
            InvalidEmail => self.invalid_email,
            UnknownRole => self.unknown_role,
            RoleNotAllowed => self.role_not_allowed,
            DuplicateInFile => self.duplicate_in_file,
            Taken => self.taken,
            Internal => self.internal,
        }
    }
}

/// The pages: sign-in, forced and own change, Active users, the reset and
/// bulk panes, requests, the audit log. Counts go through functions, which
/// pick the singular or plural form (both languages have one/other).
pub struct UiTexts {
    /// The account app's document title.
    pub title: &'static str,
    pub loading: &'static str,
    pub sign_out: &'static str,
    pub language: &'static str,
    pub main_menu: &'static str,
    pub role_user: &'static str,
    pub role_password_admin: &'static str,
    pub role_helpdesk_admin: &'static str,
    pub role_global_admin: &'static str,
    // Sign-in and "Forgot your password?"
    pub sign_in_to: fn(org: &str) -> String,
    pub session_ended: &'static str,
    pub username_or_email: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub forgot: &'static str,
    pub forgot_intro: &'static str,
    pub forgot_submit: &'static str,
    pub forgot_sent: &'static str,
    pub back_to_sign_in: &'static str,
    // Changing a password
    pub change_forced_title: &'static str,
    pub change_title: &'static str,
    pub change_forced_intro: fn(name: &str) -> String,
    pub change_intro: fn(name: &str) -> String,
    pub changed: &'static str,
    pub current_temporary: &'static str,
    pub current: &'static str,
    pub new_password: &'static str,
    pub confirm_password: &'static str,
    pub mismatch: &'static str,
    pub changing: &'static str,
    pub characters: fn(n: usize) -> String,
    pub at_least: fn(min: usize) -> String,
    pub at_most: fn(max: usize) -> String,
    pub set_title: &'static str,
    pub set_intro: &'static str,
    pub set_submit: &'static str,
    pub set_done: &'static str,
    pub go_sign_in: &'static str,
    pub link_used: &'static str,
    pub link_expired: &'static str,
    pub link_revoked: &'static str,
    pub ask_again: &'static str,
    pub nav_my_apps: &'static str,
    pub nav_admin_center: &'static str,
    pub my_apps_intro: &'static str,
    pub no_my_apps: &'static str,
    pub sign_out_title: &'static str,
    pub sign_out_intro: &'static str,
    pub stay_signed_in: &'static str,
    pub problem_title: &'static str,
    pub problem_unknown_app: &'static str,
    pub problem_address: &'static str,
    pub problem_request: &'static str,
    pub problem_help: &'static str,
    pub continue_to_app: &'static str,
}

/// The admin center's own words. It also shows the account app's
/// (`ui`, reached through `Deref`), so the account app carries only those.
pub struct AdminTexts {
    pub ui: &'static UiTexts,
    /// The admin center's document title.
    pub admin_title: &'static str,
    pub load_more: &'static str,
    pub close: &'static str,
    pub done: &'static str,
    pub confirm_title: &'static str,
    pub confirm_intro: &'static str,
    pub confirm_button: &'static str,
    pub confirm_done: &'static str,
    // A user's sign-ins
    pub sign_ins: &'static str,
    pub signin_success: &'static str,
    pub signin_app: &'static str,
    pub signin_wrong: &'static str,
    pub signin_locked: &'static str,
    pub signin_blocked: &'static str,
    pub signin_expired: &'static str,
    pub signin_signed_out: &'static str,
    pub no_sign_ins: &'static str,
    pub unlock: &'static str,
    // Filtering and exporting the audit log
    pub all_events: &'static str,
    pub date_from: &'static str,
    pub date_to: &'static str,
    pub apply_filter: &'static str,
    pub export_csv: &'static str,
    pub export_json: &'static str,
    // The frame
    pub nav_users: &'static str,
    pub nav_requests: &'static str,
    pub nav_audit: &'static str,
    pub nav_outbox: &'static str,
    pub pending_suffix: &'static str,
    // Active users
    pub search_placeholder: &'static str,
    pub search_label: &'static str,
    pub reset_password: &'static str,
    pub reset_password_n: fn(n: usize) -> String,
    pub selected: fn(n: usize) -> String,
    pub clear_selection: &'static str,
    pub select_all: &'static str,
    pub select_user: fn(name: &str) -> String,
    pub sort_by_name: &'static str,
    pub col_display_name: &'static str,
    pub col_username: &'static str,
    pub col_email: &'static str,
    pub col_role: &'static str,
    pub col_status: &'static str,
    pub col_actions: &'static str,
    pub reset_for: fn(name: &str) -> String,
    pub resetting: &'static str,
    /// "The password for " NAME " was reset. " (the banner for a reset
    /// that finished while its pane was closed)
    pub finished_before: &'static str,
    pub finished_after: &'static str,
    pub view_new_password: &'static str,
    pub no_match: &'static str,
    pub shown: fn(n: usize) -> String,
    pub locked_until: fn(when: &str) -> String,
    pub temp_expired: &'static str,
    pub must_change: &'static str,
    pub asked_reset: fn(when: &str) -> String,
    pub active: &'static str,
    // The reset pane
    pub auto_generate: &'static str,
    pub let_me_create: &'static str,
    pub show: &'static str,
    pub hide: &'static str,
    pub require_change: &'static str,
    pub send_email: &'static str,
    /// "The password for " NAME " has been reset."
    pub done_before: &'static str,
    pub done_after: &'static str,
    pub new_password_for: fn(username: &str) -> String,
    pub must_change_next: &'static str,
    pub no_change_needed: &'static str,
    pub stops_working: fn(when: &str) -> String,
    pub email: &'static str,
    pub sent_to: &'static str,
    pub send_and_close: &'static str,
    pub sending: &'static str,
    pub not_sent_to: &'static str,
    /// Why an email was not sent, when the server's own (English) reason
    /// should not be shown; `None` shows the server's.
    pub not_sent_reason: Option<&'static str>,
    // Recipients
    pub recipients_label: &'static str,
    pub recipients: &'static str,
    pub remove: fn(address: &str) -> String,
    pub add: &'static str,
    pub email_placeholder: &'static str,
    pub already_listed: &'static str,
    pub at_most_recipients: fn(max: usize) -> String,
    pub add_alternate: fn(name: &str, address: &str) -> String,
    pub of_max: fn(n: usize, max: usize) -> String,
    pub email_empty: &'static str,
    pub email_too_long: &'static str,
    pub email_line_break: &'static str,
    pub email_malformed: &'static str,
    // A password shown once
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    // Bulk
    pub bulk_title: fn(n: usize) -> String,
    pub bulk_intro: &'static str,
    pub bulk_require: &'static str,
    pub bulk_send: &'static str,
    pub progress_label: &'static str,
    pub progress: fn(done: usize, total: usize) -> String,
    pub bulk_submit: fn(n: usize) -> String,
    pub bulk_done: fn(ok: usize, total: usize) -> String,
    pub col_user: &'static str,
    pub col_result: &'static str,
    pub result_reset: &'static str,
    pub result_email_failed: &'static str,
    pub download_csv: &'static str,
    // Requests
    pub requests_title: &'static str,
    pub requests_intro: &'static str,
    pub col_asked: &'static str,
    pub no_requests: &'static str,
    // The audit log
    pub col_when: &'static str,
    pub col_event: &'static str,
    pub col_by: &'static str,
    pub col_details: &'static str,
    pub nothing_yet: &'static str,
    pub action: fn(AuditAction) -> &'static str,
    /// (generated, must change, emailed to ("" for none), bulk)
    pub audit_reset: fn(bool, bool, &str, bool) -> String,
    /// (sent, recipient)
    pub audit_sent: fn(bool, &str) -> String,
    /// (told, recipient)
    pub audit_told: fn(bool, &str) -> String,
    pub audit_locked: fn(when: &str) -> String,
    pub audit_changed: &'static str,
    pub audit_requested: &'static str,
    pub audit_expired: &'static str,
    pub audit_link_sent: &'static str,
    pub audit_link_used: &'static str,
    // One-time links
    pub choice_link: &'static str,
    pub send_link: &'static str,
    pub link_sent_result: fn(when: &str) -> String,
    pub link_badge_open: fn(when: &str) -> String,
    pub link_badge_used: fn(when: &str) -> String,
    pub bulk_link: &'static str,
    pub bulk_links_done: fn(ok: usize, total: usize) -> String,
    // Apps (OpenID Connect)
    pub nav_apps: &'static str,
    pub register_app: &'static str,
    pub app_name: &'static str,
    pub kind_confidential: &'static str,
    pub kind_public: &'static str,
    pub redirect_uris: &'static str,
    pub logout_uris: &'static str,
    pub home_url: &'static str,
    pub use_rs256: &'static str,
    pub pkce_optional: &'static str,
    pub pkce_optional_label: &'static str,
    pub register: &'static str,
    pub client_id: &'static str,
    pub client_secret: &'static str,
    pub secret_once: &'static str,
    pub new_secret: &'static str,
    pub remove_app: &'static str,
    pub confirm_remove: &'static str,
    pub no_apps: &'static str,
    pub col_type: &'static str,
    pub col_redirects: &'static str,
    pub kind_label_confidential: &'static str,
    pub kind_label_public: &'static str,
    /// (issuer: Rekey's address, which apps are configured with)
    pub apps_intro: fn(issuer: &str) -> String,
    // Users come in
    pub add_user: &'static str,
    pub add_users: &'static str,
    pub export_users: &'static str,
    pub download_template: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub display_name_label: &'static str,
    pub username_label: &'static str,
    pub email_label: &'static str,
    pub alternate_label: &'static str,
    pub role_label: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub edit_user: &'static str,
    pub block_sign_in: &'static str,
    pub unblock_sign_in: &'static str,
    pub delete_user: &'static str,
    pub confirm_delete: &'static str,
    pub user_added: &'static str,
    pub stale_edit: &'static str,
    pub import_intro: &'static str,
    pub csv_file: &'static str,
    pub import_submit: &'static str,
    pub col_line: &'static str,
    pub col_column: &'static str,
    pub col_problem: &'static str,
    pub blocked_badge: &'static str,
    pub scim_title: &'static str,
    pub scim_intro: &'static str,
    pub token_name: &'static str,
    pub create_token: &'static str,
    pub revoke: &'static str,
    pub token_once: &'static str,
    pub no_tokens: &'static str,
    pub import_done: fn(usize) -> String,
    pub scim_address: fn(&str) -> String,
    pub import_problems: ImportProblemTexts,
}

impl AdminTexts {
    pub fn email_problem(&self, problem: EmailProblem) -> &'static str {
        match problem {
            EmailProblem::Empty => self.email_empty,
            EmailProblem::TooLong => self.email_too_long,
            EmailProblem::LineBreak => self.email_line_break,
            EmailProblem::Malformed => self.email_malformed,
        }
    }
}

/// The admin center shows the account app's words too.
impl std::ops::Deref for AdminTexts {
    type Target = UiTexts;

    fn deref(&self) -> &UiTexts {
        self.ui
    }
}

impl UiTexts {
    pub fn role(&self, role: Role) -> &'static str {
        match role {
            Role::User => self.role_user,
            Role::PasswordAdmin => self.role_password_admin,
            Role::HelpdeskAdmin => self.role_helpdesk_admin,
            Role::GlobalAdmin => self.role_global_admin,
        }
    }

    /// "12 characters", "3 characters; at least 8 needed", "130 characters;
    /// at most 128": the typed-password hint.
    pub fn length_hint(&self, n: usize, min: usize, max: usize) -> String {
        let count = (self.characters)(n);
        if n < min {
            format!("{count}; {}", (self.at_least)(min))
        } else if n > max {
            format!("{count}; {}", (self.at_most)(max))
        } else {
            count
        }
    }
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
    pub reauthentication_required: &'static str,
    pub temporary_password_expired: &'static str,
    pub invalid_recipient: &'static str,
    pub too_many_recipients: &'static str,
    pub too_many_users: &'static str,
    pub too_many_rows: &'static str,
    pub conflict: &'static str,
    pub reset_not_current: &'static str,
    pub password_not_current: &'static str,
    pub reset_link_invalid: &'static str,
    pub rate_limited: &'static str,
    pub account_blocked: &'static str,
    pub already_exists: &'static str,
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
            ReauthenticationRequired => self.reauthentication_required,
            TemporaryPasswordExpired => self.temporary_password_expired,
            InvalidRecipient => self.invalid_recipient,
            TooManyRecipients => self.too_many_recipients,
            TooManyUsers => self.too_many_users,
            TooManyRows => self.too_many_rows,
            Conflict => self.conflict,
            ResetNotCurrent => self.reset_not_current,
            PasswordNotCurrent => self.password_not_current,
            ResetLinkInvalid => self.reset_link_invalid,
            RateLimited => self.rate_limited,
            AccountBlocked => self.account_blocked,
            AlreadyExists => self.already_exists,
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
    /// Subject of the one-time link: (organisation)
    pub link_subject: fn(org: &str) -> String,
    /// (admin, until when)
    pub link_intro: fn(&str, &str) -> String,
    pub link_action: &'static str,
    pub link_not_expected: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of a table, in declaration order, with the functions
    /// called on fixed arguments.
    fn texts(m: &Messages, a: &AdminTexts, e: &EmailTexts) -> Vec<String> {
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
                e.link_action,
                e.link_not_expected,
            ]
            .map(str::to_string),
        );
        // The admin center's table reaches the account app's through Deref.
        let u = a;
        assert!(std::ptr::eq(a.ui, &m.ui));
        all.extend(
            [
                u.title,
                u.admin_title,
                u.nav_admin_center,
                u.loading,
                u.load_more,
                u.close,
                u.done,
                u.sign_out,
                u.language,
                u.main_menu,
                u.role_user,
                u.role_password_admin,
                u.role_helpdesk_admin,
                u.role_global_admin,
                u.session_ended,
                u.username_or_email,
                u.password,
                u.confirm_title,
                u.confirm_intro,
                u.confirm_button,
                u.confirm_done,
                u.sign_ins,
                u.signin_success,
                u.signin_app,
                u.signin_wrong,
                u.signin_locked,
                u.signin_blocked,
                u.signin_expired,
                u.signin_signed_out,
                u.no_sign_ins,
                u.unlock,
                u.all_events,
                u.date_from,
                u.date_to,
                u.apply_filter,
                u.export_csv,
                u.export_json,
                u.sign_in,
                u.signing_in,
                u.forgot,
                u.forgot_intro,
                u.forgot_submit,
                u.forgot_sent,
                u.back_to_sign_in,
                u.change_forced_title,
                u.change_title,
                u.changed,
                u.current_temporary,
                u.current,
                u.new_password,
                u.confirm_password,
                u.mismatch,
                u.changing,
                u.nav_users,
                u.nav_requests,
                u.nav_audit,
                u.nav_outbox,
                u.pending_suffix,
                u.search_placeholder,
                u.search_label,
                u.reset_password,
                u.clear_selection,
                u.select_all,
                u.sort_by_name,
                u.col_display_name,
                u.col_username,
                u.col_email,
                u.col_role,
                u.col_status,
                u.col_actions,
                u.resetting,
                u.finished_before,
                u.finished_after,
                u.view_new_password,
                u.no_match,
                u.temp_expired,
                u.must_change,
                u.active,
                u.auto_generate,
                u.let_me_create,
                u.show,
                u.hide,
                u.require_change,
                u.send_email,
                u.done_before,
                u.done_after,
                u.must_change_next,
                u.no_change_needed,
                u.email,
                u.sent_to,
                u.send_and_close,
                u.sending,
                u.not_sent_to,
                u.recipients_label,
                u.recipients,
                u.add,
                u.email_placeholder,
                u.already_listed,
                u.email_empty,
                u.email_too_long,
                u.email_line_break,
                u.email_malformed,
                u.copy,
                u.copied,
                u.copy_failed,
                u.bulk_intro,
                u.bulk_require,
                u.bulk_send,
                u.progress_label,
                u.col_user,
                u.col_result,
                u.result_reset,
                u.result_email_failed,
                u.download_csv,
                u.requests_title,
                u.requests_intro,
                u.col_asked,
                u.no_requests,
                u.col_when,
                u.col_event,
                u.col_by,
                u.col_details,
                u.nothing_yet,
                u.audit_changed,
                u.audit_requested,
                u.audit_expired,
                u.audit_link_sent,
                u.audit_link_used,
                u.choice_link,
                u.send_link,
                u.bulk_link,
                u.set_title,
                u.set_intro,
                u.set_submit,
                u.set_done,
                u.go_sign_in,
                u.link_used,
                u.link_expired,
                u.link_revoked,
                u.ask_again,
                u.nav_apps,
                u.nav_my_apps,
                u.register_app,
                u.app_name,
                u.kind_confidential,
                u.kind_public,
                u.redirect_uris,
                u.logout_uris,
                u.home_url,
                u.use_rs256,
                u.pkce_optional,
                u.pkce_optional_label,
                u.register,
                u.client_id,
                u.client_secret,
                u.secret_once,
                u.new_secret,
                u.remove_app,
                u.confirm_remove,
                u.no_apps,
                u.col_type,
                u.col_redirects,
                u.kind_label_confidential,
                u.kind_label_public,
                u.my_apps_intro,
                u.no_my_apps,
                u.sign_out_title,
                u.sign_out_intro,
                u.stay_signed_in,
                u.problem_title,
                u.problem_unknown_app,
                u.problem_address,
                u.problem_request,
                u.problem_help,
                u.continue_to_app,
                u.add_user,
                u.add_users,
                u.export_users,
                u.download_template,
                u.first_name,
                u.last_name,
                u.display_name_label,
                u.username_label,
                u.email_label,
                u.alternate_label,
                u.role_label,
                u.save,
                u.saved,
                u.edit_user,
                u.block_sign_in,
                u.unblock_sign_in,
                u.delete_user,
                u.confirm_delete,
                u.user_added,
                u.stale_edit,
                u.import_intro,
                u.csv_file,
                u.import_submit,
                u.col_line,
                u.col_column,
                u.col_problem,
                u.blocked_badge,
                u.scim_title,
                u.scim_intro,
                u.token_name,
                u.create_token,
                u.revoke,
                u.token_once,
                u.no_tokens,
            ]
            .map(str::to_string),
        );
        all.extend(AuditAction::ALL.iter().map(|&a| (u.action)(a).to_string()));
        all.extend([
            (u.sign_in_to)("Contoso"),
            (u.apps_intro)("https://rekey.example"),
            (u.import_done)(1),
            (u.import_done)(3),
            (u.scim_address)("https://rekey.example/scim/v2"),
            (u.change_forced_intro)("Megan"),
            (u.change_intro)("Megan"),
            (u.characters)(1),
            (u.characters)(12),
            (u.at_least)(8),
            (u.at_most)(128),
            (u.reset_password_n)(3),
            (u.selected)(3),
            (u.select_user)("Megan"),
            (u.reset_for)("Megan"),
            (u.shown)(50),
            (u.locked_until)("T"),
            (u.asked_reset)("T"),
            (u.new_password_for)("megan"),
            (u.stops_working)("T"),
            (u.remove)("a@b.example"),
            (u.at_most_recipients)(5),
            (u.add_alternate)("Megan", "a@b.example"),
            (u.of_max)(1, 5),
            (u.bulk_title)(1),
            (u.bulk_title)(3),
            (u.progress)(1, 3),
            (u.bulk_submit)(1),
            (u.bulk_submit)(3),
            (u.bulk_done)(1, 1),
            (u.bulk_done)(2, 3),
            (u.audit_reset)(true, true, "", false),
            (u.audit_reset)(false, false, "a@b.example", true),
            (u.audit_sent)(true, "a@b.example"),
            (u.audit_sent)(false, "a@b.example"),
            (u.audit_told)(true, "a@b.example"),
            (u.audit_told)(false, "a@b.example"),
            (u.audit_locked)("T"),
            (u.link_sent_result)("T"),
            (u.link_badge_open)("T"),
            (u.link_badge_used)("T"),
            (u.bulk_links_done)(1, 1),
            (u.bulk_links_done)(2, 3),
            (e.link_subject)("Contoso"),
            (e.link_intro)("Alex", "T"),
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
        let (en, nl) = (
            texts(Lang::En.messages(), Lang::En.admin(), Lang::En.emails()),
            texts(Lang::Nl.messages(), Lang::Nl.admin(), Lang::Nl.emails()),
        );
        assert_eq!(en.len(), nl.len());
        // The same word in both languages: Dutch admins use these as they are.
        const SAME_IN_BOTH: &[&str] = &["Status", "Apps", "Type", "Rekey"];
        for (e, n) in en.iter().zip(&nl) {
            assert!(!e.trim().is_empty() && !n.trim().is_empty());
            if !SAME_IN_BOTH.contains(&e.as_str()) {
                assert_ne!(e, n, "untranslated: {e:?}");
            }
        }
        assert_ne!(Lang::En.messages().name, Lang::Nl.messages().name);
    }

    #[test]
    fn counts_take_the_singular_for_one_and_the_plural_otherwise() {
        for lang in Lang::ALL {
            let u = lang.admin();
            assert_ne!(
                (u.characters)(1),
                (u.characters)(2).replace('2', "1"),
                "{lang:?}"
            );
            assert_ne!(
                (u.bulk_submit)(1),
                (u.bulk_submit)(2).replace('2', "1"),
                "{lang:?}"
            );
        }
        let en = Lang::En.admin();
        assert_eq!(en.length_hint(3, 8, 128), "3 characters; at least 8 needed");
        assert_eq!(en.length_hint(1, 8, 128), "1 character; at least 8 needed");
        assert_eq!(en.length_hint(130, 8, 128), "130 characters; at most 128");
        assert_eq!(en.length_hint(12, 8, 128), "12 characters");
        let nl = Lang::Nl.admin();
        assert_eq!(nl.length_hint(3, 8, 128), "3 tekens; minimaal 8 nodig");
        assert_eq!(nl.length_hint(1, 8, 128), "1 teken; minimaal 8 nodig");
        assert_eq!(
            (nl.bulk_done)(3, 3),
            "3 van 3 wachtwoorden zijn opnieuw ingesteld."
        );
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
