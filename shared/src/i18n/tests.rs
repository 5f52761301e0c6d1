//! Both tables complete, translated and well formed.

use super::*;
use crate::audit::AuditAction;
use crate::error::ErrorCode;

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
    // The admin center's table reaches the account app's, and that the
    // sign-in's, through Deref.
    let u = a;
    assert!(std::ptr::eq(a.ui.sign_in_texts, &m.sign_in));
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
            u.signin_passkey,
            u.signin_pass,
            u.signin_app,
            u.signin_wrong,
            u.signin_locked,
            u.signin_blocked,
            u.signin_expired,
            u.signin_signed_out,
            u.no_sign_ins,
            u.auth_methods,
            u.no_auth_methods,
            u.kind_app,
            u.kind_codes,
            u.require_reregister,
            u.reregister_done,
            u.revoke_sessions,
            u.revoked_done,
            u.tap_title,
            u.tap_add,
            u.tap_length,
            u.tap_lifetime,
            u.tap_one_time,
            u.tap_shown_once,
            u.bulk_reregister,
            u.nav_password_reset,
            u.sspr_intro,
            u.sspr_enabled,
            u.sspr_none,
            u.sspr_selected,
            u.sspr_all,
            u.sspr_roles,
            u.sspr_required,
            u.sspr_methods,
            u.sspr_email,
            u.sspr_app,
            u.sspr_passkey,
            u.sspr_recovery,
            u.sspr_admins_two,
            u.sspr_register,
            u.sspr_reconfirm,
            u.sspr_notify_users,
            u.sspr_notify_admins,
            u.sspr_saved,
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
            u.code_title,
            u.code_intro,
            u.code_label,
            u.verify,
            u.verifying,
            u.security_info,
            u.security_info_intro,
            u.add_authenticator_app,
            u.no_methods,
            u.authenticator_app,
            u.recovery_codes,
            u.passkey,
            u.add_passkey,
            u.create_passkey,
            u.passkey_name_hint,
            u.sign_in_with_passkey,
            u.use_passkey,
            u.passkey_step_title,
            u.passkey_prompt,
            u.passkey_cancelled,
            u.passkey_exists,
            u.passkey_unsupported,
            u.never_used,
            u.method_name,
            u.save,
            u.rename,
            u.remove_method,
            u.scan_qr,
            u.enter_first_code,
            u.qr_label,
            u.or_type_key,
            u.cancel,
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
            u.self_resolved_title,
            u.col_resolved,
            u.page_not_loaded,
            u.col_verified_with,
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
        (u.last_used)("T"),
        (u.remove_named)("N"),
        (u.tap_live)("T"),
        (u.bulk_reregister_done)(1, 2),
        (u.added_on)("T"),
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
    const SAME_IN_BOTH: &[&str] = &["Status", "Apps", "Type", "Rekey", "Code", "Passkey"];
    for (e, n) in en.iter().zip(&nl) {
        assert!(!e.trim().is_empty() && !n.trim().is_empty());
        if !SAME_IN_BOTH.contains(&e.as_str()) {
            assert_ne!(e, n, "untranslated: {e:?}");
        }
    }
    assert_eq!(
        [Lang::En.name(), Lang::Nl.name()],
        ["English", "Nederlands"]
    );
}

#[test]
fn each_languages_tables_reach_that_languages_own_words() {
    for lang in Lang::ALL {
        let (sign_in, ui, admin) = (&lang.messages().sign_in, lang.ui(), lang.admin());
        assert!(std::ptr::eq(admin.ui, ui), "{lang:?}");
        assert!(std::ptr::eq(ui.sign_in_texts, sign_in), "{lang:?}");
    }
    assert_ne!(Lang::En.ui().main_menu, Lang::Nl.ui().main_menu);
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
