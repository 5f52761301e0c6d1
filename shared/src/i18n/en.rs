//! English.

use super::{EmailTexts, ErrorTexts, Messages};

pub static MESSAGES: Messages = Messages {
    name: "English",
    errors: ErrorTexts {
        invalid_json: "The request is not valid JSON.",
        invalid_request: "The request is not valid.",
        invalid_cursor: "That page link is not valid; start from the first page.",
        payload_too_large: "The request is too large.",
        unsupported_media_type: "The request was sent in a form Rekey does not accept.",
        origin_mismatch: "This request did not come from Rekey's own pages, so it was refused.",
        unauthenticated: "Your session has ended. Sign in again.",
        forbidden: "You don't have permission to do this.",
        cannot_reset_self: "You can't reset your own password here. Use Change password instead.",
        not_found: "That was not found.",
        method_not_allowed: "This action is not available here.",
        invalid_credentials: "That username and password don't match. Check them and try again.",
        account_locked: "This account is locked after too many failed sign-ins. Try again later, or ask an admin to reset the password.",
        password_too_short: "The password is too short.",
        password_too_long: "The password is too long.",
        password_too_common: "This password is too common or too easy to guess.",
        password_contains_personal_info: "The password must not contain the user's name, username or email.",
        password_reused: "Choose a new password, not the one you have now.",
        current_password_incorrect: "Your current password isn't right.",
        password_change_required: "Change your password before you continue.",
        temporary_password_expired: "Your temporary password has expired. Ask your admin for a new one.",
        invalid_recipient: "This is not a valid email address.",
        too_many_recipients: "Send to at most 5 recipients.",
        too_many_users: "Reset at most 1,000 users at a time.",
        conflict: "This was changed by someone else at the same moment. Nothing was changed; try again.",
        internal: "Something went wrong on our side. Nothing was changed; try again.",
        unavailable: "Rekey is not available just now. Try again shortly.",
    },
    emails: EmailTexts {
        hello: "Hello,",
        hello_name: |name| format!("Hello {name},"),
        reset_subject: |name, username| format!("New password for {name} ({username})"),
        reset_intro: |admin, admin_username, user, username, org, when| {
            format!("{admin} ({admin_username}) reset the password for {user} ({username}) in {org} on {when}.")
        },
        username: "Username",
        temporary_password: "Temporary password",
        must_change: "The password must be changed at the first sign-in.",
        no_change: "No change is required at sign-in.",
        expires: |when| {
            format!("The temporary password stops working on {when}; after that, ask an admin for a new one.")
        },
        sign_in_at: |url| format!("Sign in at {url}"),
        sign_in_to: |org| format!("Sign in to {org}"),
        not_expected: "If you did not expect this email, tell your administrator.",
        signature: |org| format!("Rekey for {org}"),
        notice_subject: |org| format!("Your {org} password was changed"),
        notice_reset_by: |username, admin, admin_username, when| {
            format!("The password for your account {username} was reset by {admin} ({admin_username}) on {when}.")
        },
        notice_changed: |username, when| {
            format!("The password for your account {username} was changed on {when}.")
        },
        notice_fine: "If this was you or your admin at your request, there is nothing to do.",
        notice_warn: "If you did not expect it, tell your administrator right away: someone else may be using your account.",
        sign_in: "Sign in",
        request_subject: |name| format!("{name} asked for a new password"),
        request_asked: |name, username, when| {
            format!("{name} ({username}) asked for a new password on {when}.")
        },
        request_reset_here: |link| format!("Reset it here: {link}"),
        request_open_pane: |name| format!("Open the reset pane for {name}"),
        request_ignore: "If you don't know about this request, you can ignore it: nothing changes until an admin resets the password.",
    },
};
