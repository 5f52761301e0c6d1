use leptos::prelude::*;
use rekey_shared::{ApiError, AuditAction, AuditEvent, SsprMethod};

use rekey_shared::i18n::AdminTexts;

use crate::api;
use crate::format::when;
use crate::state::{admin_texts, error_text};

pub(super) fn describe(e: &AuditEvent, u: &AdminTexts) -> String {
    let deliveries = |say: fn(bool, &str) -> String| {
        e.deliveries
            .iter()
            .map(|d| say(d.sent, &d.recipient))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match e.action {
        AuditAction::PasswordReset => (u.audit_reset)(
            e.generated == Some(true),
            e.must_change_password == Some(true),
            &e.email_to.join(", "),
            e.bulk == Some(true),
        ),
        AuditAction::ResetEmailSent => deliveries(u.audit_sent),
        AuditAction::AccountLocked => {
            (u.audit_locked)(&e.locked_until.map(when).unwrap_or_default())
        }
        AuditAction::PasswordChanged => u.audit_changed.to_string(),
        AuditAction::ResetRequested => u.audit_requested.to_string(),
        AuditAction::NoticeSent => deliveries(u.audit_told),
        AuditAction::TemporaryPasswordExpired => u.audit_expired.to_string(),
        AuditAction::ResetLinkSent => u.audit_link_sent.to_string(),
        AuditAction::ResetLinkUsed => u.audit_link_used.to_string(),
        AuditAction::AppRegistered
        | AuditAction::AppSecretRotated
        | AuditAction::AppRemoved
        | AuditAction::ScimTokenCreated
        | AuditAction::ScimTokenRevoked
        | AuditAction::CodeReplayed => e.app.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        // The event's name and its target say it all.
        AuditAction::UserCreated
        | AuditAction::UserUpdated
        | AuditAction::UserBlocked
        | AuditAction::UserUnblocked
        | AuditAction::UserDeleted
        | AuditAction::AccountUnlocked
        | AuditAction::UsersExported
        | AuditAction::MfaReregistrationRequired
        | AuditAction::SessionsRevoked
        | AuditAction::TemporaryPassIssued
        | AuditAction::TemporaryPassUsed
        | AuditAction::PasswordResetSettingsChanged => String::new(),
        AuditAction::ScimAuthFailed => e.client.clone().unwrap_or_default(),
        // The methods she proved herself with.
        AuditAction::PasswordResetSelfService | AuditAction::AccountUnlockedSelfService => e
            .verified_with
            .iter()
            .map(|m| match m {
                SsprMethod::AlternateEmail => u.sspr_email,
                SsprMethod::AuthenticatorApp => u.sspr_app,
                SsprMethod::Passkey => u.sspr_passkey,
                SsprMethod::RecoveryCode => u.sspr_recovery,
            })
            .collect::<Vec<_>>()
            .join(", "),
        // The method's name.
        AuditAction::MethodAdded
        | AuditAction::MethodRemoved
        | AuditAction::RecoveryCodesCreated
        | AuditAction::RecoveryCodeUsed
        | AuditAction::PasskeyCloneSuspected => e
            .method
            .as_ref()
            .map(|m| m.name.clone())
            .unwrap_or_default(),
    }
}

/// The audit log: who did what to whom, when, and how it was delivered.
#[component]
pub fn AuditLog() -> impl IntoView {
    let events: RwSignal<Vec<AuditEvent>> = RwSignal::new(Vec::new());
    let cursor: RwSignal<Option<String>> = RwSignal::new(None);
    let loading = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    // The filters as a query string (`&user=…&action=…`), applied on submit.
    let filter = RwSignal::new(String::new());
    let load = move || {
        loading.set(true);
        let c = cursor.get_untracked();
        let f = filter.get_untracked();
        leptos::task::spawn_local(async move {
            match api::audit(c.as_deref(), &f).await {
                Ok(page) => {
                    events.update(|e| e.extend(page.events));
                    cursor.set(page.next_cursor);
                }
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    load();

    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The form's own fields, as the browser encodes them; empty ones
        // filter nothing, and dates go as the inputs have them (YYYY-MM-DD,
        // read by the API as whole days in UTC).
        let form: web_sys::HtmlFormElement = event_target(&ev);
        let query = web_sys::FormData::new_with_form(&form)
            .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data))
            .map(|params| String::from(params.to_string()))
            .unwrap_or_default();
        filter.set(format!("&{query}"));
        events.set(Vec::new());
        cursor.set(None);
        load();
    };
    let field = |name: &'static str, label: &'static str, kind: &'static str| {
        view! { <label>{label}<input name=name type=kind /></label> }
    };
    let heading = NodeRef::<leptos::html::H1>::new();
    crate::focus::focus_on_mount(heading);
    let u = admin_texts();
    view! {
        <section class="audit">
            <h1 tabindex="-1" node_ref=heading>{u.nav_audit}</h1>
            {move || error.get().map(|e| view! { <p class="error banner" role="alert">{error_text(&e)}</p> })}
            <form class="filters" on:submit=apply>
                {field("user", u.col_user, "search")}
                {field("actor", u.col_by, "search")}
                <label>{u.col_event}<select name="action">
                    <option value="">{u.all_events}</option>
                    {AuditAction::ALL.iter().map(|&a| view! { <option value=a.as_str()>{(u.action)(a)}</option> }).collect_view()}
                </select></label>
                {field("from", u.date_from, "date")}
                {field("to", u.date_to, "date")}
                <button type="submit">{u.apply_filter}</button>
                <a href=move || format!("/api/audit/export?format=csv{}", filter.get()) download="audit.csv">{u.export_csv}</a>
                <a href=move || format!("/api/audit/export?format=json{}", filter.get()) download="audit.json">{u.export_json}</a>
            </form>
            <table class="grid">
                <thead><tr><th>{u.col_when}</th><th>{u.col_event}</th><th>{u.col_by}</th><th>{u.col_user}</th><th>{u.col_details}</th></tr></thead>
                <tbody>
                    // Rows are only ever appended: an unkeyed list is enough,
                    // and much smaller than <For>'s keyed diff.
                    {move || events.with(|events| events.iter().map(|e| view! {
                        <tr>
                            <td>{when(e.at)}</td>
                            <td>{(u.action)(e.action)}</td>
                            <td>{e.actor.as_ref().map(|p| p.display_name.clone()).unwrap_or_else(|| "—".into())}</td>
                            <td>{e.target.as_ref().map(|p| p.display_name.clone()).unwrap_or_default()}</td>
                            <td>{describe(e, u)}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            {move || (events.with(Vec::is_empty) && !loading.get()).then(|| view! { <p class="empty">{u.nothing_yet}</p> })}
            <div class="pager">
                {move || loading.get().then(|| view! { <span role="status">{u.loading}</span> })}
                {move || (cursor.get().is_some() && !loading.get()).then(|| view! {
                    <button type="button" on:click=move |_| load()>{u.load_more}</button>
                })}
            </div>
        </section>
    }
}
