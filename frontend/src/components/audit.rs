use leptos::prelude::*;
use rekey_shared::{ApiError, AuditAction, AuditEvent};

use crate::api;
use crate::format::when;

fn describe(e: &AuditEvent) -> String {
    match e.action {
        AuditAction::PasswordReset => {
            let how = if e.generated == Some(true) {
                "generated"
            } else {
                "typed"
            };
            let change = if e.must_change_password == Some(true) {
                ", must change at sign-in"
            } else {
                ""
            };
            let mail = if e.email_to.is_empty() {
                ", not emailed".to_string()
            } else {
                format!(", emailed to {}", e.email_to.join(", "))
            };
            let bulk = if e.bulk == Some(true) { " (bulk)" } else { "" };
            format!("Password {how}{change}{mail}{bulk}")
        }
        AuditAction::ResetEmailSent => e
            .deliveries
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    if d.sent {
                        "Sent to"
                    } else {
                        "Failed to send to"
                    },
                    d.recipient
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        AuditAction::AccountLocked => {
            format!(
                "Locked until {}",
                e.locked_until.map(when).unwrap_or_default()
            )
        }
        AuditAction::PasswordChanged => "Changed their own password".to_string(),
        AuditAction::ResetRequested => "Asked the admins for a new password".to_string(),
        AuditAction::NoticeSent => e
            .deliveries
            .iter()
            .map(|d| {
                format!(
                    "{} {}",
                    if d.sent { "Told" } else { "Could not tell" },
                    d.recipient
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        AuditAction::TemporaryPasswordExpired => {
            "Signed in with an expired temporary password (refused)".to_string()
        }
    }
}

fn action_label(a: AuditAction) -> &'static str {
    match a {
        AuditAction::PasswordReset => "Password reset",
        AuditAction::ResetEmailSent => "Password emailed",
        AuditAction::AccountLocked => "Account locked",
        AuditAction::PasswordChanged => "Password changed",
        AuditAction::ResetRequested => "Reset requested",
        AuditAction::NoticeSent => "User notified",
        AuditAction::TemporaryPasswordExpired => "Expired password refused",
    }
}

/// The audit log: who did what to whom, when, and how it was delivered.
#[component]
pub fn AuditLog() -> impl IntoView {
    let events: RwSignal<Vec<AuditEvent>> = RwSignal::new(Vec::new());
    let cursor: RwSignal<Option<String>> = RwSignal::new(None);
    let loading = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let load = move || {
        loading.set(true);
        let c = cursor.get_untracked();
        leptos::task::spawn_local(async move {
            match api::audit(c.as_deref()).await {
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

    let heading = NodeRef::<leptos::html::H1>::new();
    crate::focus::focus_on_mount(heading);
    view! {
        <section class="audit">
            <h1 tabindex="-1" node_ref=heading>"Audit log"</h1>
            {move || error.get().map(|e| view! { <p class="error banner" role="alert">{e.message}</p> })}
            <table class="grid">
                <thead><tr><th>"When"</th><th>"Event"</th><th>"By"</th><th>"User"</th><th>"Details"</th></tr></thead>
                <tbody>
                    // Rows are only ever appended: an unkeyed list is enough,
                    // and much smaller than <For>'s keyed diff.
                    {move || events.with(|events| events.iter().map(|e| view! {
                        <tr>
                            <td>{when(e.at)}</td>
                            <td>{action_label(e.action)}</td>
                            <td>{e.actor.as_ref().map(|p| p.display_name.clone()).unwrap_or_else(|| "—".into())}</td>
                            <td>{e.target.as_ref().map(|p| p.display_name.clone()).unwrap_or_default()}</td>
                            <td>{describe(e)}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            {move || (events.with(Vec::is_empty) && !loading.get()).then(|| view! { <p class="empty">"Nothing has happened yet."</p> })}
            <div class="pager">
                {move || loading.get().then(|| view! { <span role="status">"Loading…"</span> })}
                {move || (cursor.get().is_some() && !loading.get()).then(|| view! {
                    <button type="button" on:click=move |_| load()>"Load more"</button>
                })}
            </div>
        </section>
    }
}
