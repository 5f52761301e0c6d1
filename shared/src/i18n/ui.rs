//! The pages' words: the account app's (`UiTexts`, which carries the
//! sign-in's), and the admin center's (`AdminTexts`, which carries both).

use super::{ImportProblemTexts, SignInTexts};
use crate::audit::AuditAction;
use crate::users::Role;
use crate::validate::EmailProblem;

/// The account app's pages: "Forgot your password?", the forced and own
/// change, the one-time link's page, My apps, Security info and the asks.
/// Counts go through functions, which pick the singular or plural form
/// (both languages have one/other).
pub struct UiTexts {
    /// The sign-in's words, which these pages show too (`Deref`).
    pub sign_in_texts: &'static SignInTexts,
    pub main_menu: &'static str,
    pub role_user: &'static str,
    pub role_password_admin: &'static str,
    pub role_helpdesk_admin: &'static str,
    pub role_global_admin: &'static str,
    // Sign-in and "Forgot your password?"
    pub forgot_intro: &'static str,
    pub forgot_submit: &'static str,
    pub forgot_sent: &'static str,
    // Self-service reset
    pub sspr_title: &'static str,
    pub sspr_intro: &'static str,
    pub sspr_one_more: &'static str,
    pub sspr_email: &'static str,
    pub sspr_app: &'static str,
    pub sspr_passkey: &'static str,
    pub sspr_recovery: &'static str,
    pub send_code: &'static str,
    pub sspr_code_sent: &'static str,
    pub emailed_code: &'static str,
    pub other_way: &'static str,
    pub sspr_ask_admins: &'static str,
    pub sspr_new_title: &'static str,
    pub sspr_unlock: &'static str,
    pub sspr_done: &'static str,
    pub sspr_unlocked: &'static str,
    pub sspr_register_title: &'static str,
    pub sspr_register_intro: &'static str,
    pub sspr_reconfirm_title: &'static str,
    pub sspr_reconfirm_intro: &'static str,
    pub looks_good: &'static str,
    /// (skips left, of 3)
    pub skips_left: fn(u8) -> String,
    // The alternate email on Security info
    pub alternate_email: &'static str,
    pub add_alternate_email: &'static str,
    pub alternate_email_hint: &'static str,
    pub email_address: &'static str,
    /// (the address)
    pub alternate_code_sent: fn(&str) -> String,
    pub security_info: &'static str,
    pub security_info_intro: &'static str,
    pub add_authenticator_app: &'static str,
    pub no_methods: &'static str,
    pub authenticator_app: &'static str,
    pub recovery_codes: &'static str,
    pub never_used: &'static str,
    pub last_used: fn(&str) -> String,
    pub added_on: fn(&str) -> String,
    pub method_name: &'static str,
    pub save: &'static str,
    pub rename: &'static str,
    pub remove_method: &'static str,
    pub scan_qr: &'static str,
    pub enter_first_code: &'static str,
    pub qr_label: &'static str,
    pub or_type_key: &'static str,
    pub cancel: &'static str,
    // Passkeys
    pub passkey: &'static str,
    pub add_passkey: &'static str,
    pub create_passkey: &'static str,
    pub passkey_name_hint: &'static str,
    // Recovery codes
    pub password_or_code: &'static str,
    pub recovery_used_title: &'static str,
    /// (codes left)
    pub recovery_left: fn(u32) -> String,
    pub continue_label: &'static str,
    pub recovery_codes_intro: &'static str,
    pub get_recovery_codes: &'static str,
    pub get_new_recovery_codes: &'static str,
    pub recovery_codes_once: &'static str,
    pub copy_codes: &'static str,
    pub codes_copied: &'static str,
    pub codes_copy_failed: &'static str,
    pub download_codes: &'static str,
    /// The downloaded file's first line: (organisation, username)
    pub codes_file_header: fn(&str, &str) -> String,
    pub saved_them: &'static str,
    /// (codes left) in the method's row
    pub codes_left: fn(u32) -> String,
    // The policy's ask to register a method
    pub register_title: &'static str,
    pub register_intro: &'static str,
    pub register_for_app: &'static str,
    /// (days left to skip)
    pub register_days_left: fn(u32) -> String,
    pub register_required: &'static str,
    pub skip_for_now: &'static str,
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
    pub link_used: &'static str,
    pub link_expired: &'static str,
    pub link_revoked: &'static str,
    pub ask_again: &'static str,
    pub nav_my_apps: &'static str,
    pub nav_admin_center: &'static str,
    pub my_apps_intro: &'static str,
    pub no_my_apps: &'static str,
    pub close: &'static str,
    pub confirm_title: &'static str,
    pub confirm_intro: &'static str,
    pub confirm_button: &'static str,
    pub confirm_done: &'static str,
}

/// The admin center's own words. It also shows the account app's
/// (`ui`, reached through `Deref`), so the account app carries only those.
pub struct AdminTexts {
    pub ui: &'static UiTexts,
    /// The admin center's document title.
    pub admin_title: &'static str,
    pub load_more: &'static str,
    pub done: &'static str,
    // A user's sign-ins
    pub sign_ins: &'static str,
    pub signin_success: &'static str,
    pub signin_passkey: &'static str,
    pub signin_pass: &'static str,
    pub signin_app: &'static str,
    pub signin_wrong: &'static str,
    pub signin_locked: &'static str,
    pub signin_blocked: &'static str,
    pub signin_expired: &'static str,
    pub signin_signed_out: &'static str,
    pub no_sign_ins: &'static str,
    pub unlock: &'static str,
    // A user's authentication methods and Temporary Access Pass
    pub auth_methods: &'static str,
    pub no_auth_methods: &'static str,
    pub kind_app: &'static str,
    pub kind_passkey: &'static str,
    pub kind_codes: &'static str,
    pub remove_named: fn(&str) -> String,
    pub require_reregister: &'static str,
    pub reregister_done: &'static str,
    pub revoke_sessions: &'static str,
    pub revoked_done: &'static str,
    pub tap_title: &'static str,
    pub tap_live: fn(&str) -> String,
    pub tap_add: &'static str,
    pub tap_length: &'static str,
    pub tap_lifetime: &'static str,
    pub tap_one_time: &'static str,
    pub tap_shown_once: &'static str,
    pub bulk_reregister: &'static str,
    // The "Password reset" settings
    pub nav_password_reset: &'static str,
    pub sspr_title: &'static str,
    pub sspr_intro: &'static str,
    pub sspr_enabled: &'static str,
    pub sspr_none: &'static str,
    pub sspr_selected: &'static str,
    pub sspr_all: &'static str,
    pub sspr_roles: &'static str,
    pub sspr_required: &'static str,
    pub sspr_methods: &'static str,
    pub sspr_email: &'static str,
    pub sspr_app: &'static str,
    pub sspr_passkey: &'static str,
    pub sspr_recovery: &'static str,
    pub sspr_admins_two: &'static str,
    pub sspr_register: &'static str,
    pub sspr_reconfirm: &'static str,
    pub sspr_notify_users: &'static str,
    pub sspr_notify_admins: &'static str,
    pub sspr_saved: &'static str,
    pub bulk_reregister_done: fn(usize, usize) -> String,
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
    pub self_resolved_title: &'static str,
    pub col_resolved: &'static str,
    pub col_verified_with: &'static str,
    /// A page or pane whose code could not be fetched.
    pub page_not_loaded: &'static str,
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

impl std::ops::Deref for UiTexts {
    type Target = SignInTexts;

    fn deref(&self) -> &SignInTexts {
        self.sign_in_texts
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
