//! The reset's outcome in the pane: the password once, and its emails.

use leptos::prelude::*;
use rekey_shared::{
    ApiError, EmailOutcome, EmailStatus, PasswordEmailRequest, ResetResult, UserSummary,
};

use super::recipients::RecipientsBox;
use crate::api;
use crate::components::SecretValue;
use crate::format::when;
use crate::state::{admin_texts, error_text};

/// Who got the password email and who did not.
pub(super) fn deliveries(emails: &[EmailOutcome]) -> impl IntoView {
    let u = admin_texts();
    view! {
        <h3>{u.email}</h3>
        <ul class="deliveries">
            {emails.iter().map(|e| {
                let sent = e.status == EmailStatus::Sent;
                view! {
                    <li class=if sent { "sent" } else { "failed" }>
                        {if sent { u.sent_to } else { u.not_sent_to }}
                        <strong>{e.recipient.clone()}</strong>
                        {e.error.clone().map(|m| format!(": {}", u.not_sent_reason.map_or(m, str::to_string)))}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The outcome: the password once (masked, Show, Copy), and the emails.
/// When none was sent yet, the next steps: "Send password in email" (recipients pre-filled with the admin's address, the user's
/// alternate a click away), then "Send email and close".
#[component]
pub(super) fn ResetDone(
    user: UserSummary,
    result: ResetResult,
    /// The signed-in admin's address (pre-filled).
    me_email: String,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let u = admin_texts();
    let emailed = !result.emails.is_empty();
    let send_after = RwSignal::new(false);
    let recipients = RwSignal::new(vec![me_email]);
    let sending = RwSignal::new(false);
    let sent_after: RwSignal<Option<Vec<EmailOutcome>>> = RwSignal::new(None);
    let send_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    // The form that held focus is gone: the outcome takes it (and, being a
    // status, is announced).
    let outcome = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        if let Some(p) = outcome.get() {
            let _ = p.focus();
        }
    });
    let (user_id, password, version) = (user.id.clone(), result.password.clone(), result.version);
    let send = move |_| {
        if sending.get_untracked() {
            return;
        }
        let request = PasswordEmailRequest {
            password: password.clone(),
            version,
            email_to: recipients.get_untracked(),
        };
        let id = user_id.clone();
        sending.set(true);
        send_error.set(None);
        leptos::task::spawn_local(async move {
            match api::email_password(&id, &request).await {
                // All sent: "Send email and close" closes.
                Ok(r) if r.emails.iter().all(|e| e.status == EmailStatus::Sent) => on_close.run(()),
                Ok(r) => {
                    sending.set(false);
                    sent_after.set(Some(r.emails));
                }
                Err(e) => {
                    sending.set(false);
                    send_error.set(Some(e));
                }
            }
        });
    };
    let offer = !emailed;
    view! {
        <div class="pane-body done">
            <p class="success" role="status" tabindex="-1" node_ref=outcome>{u.done_before} <strong>{user.display_name.clone()}</strong> {u.done_after}</p>
            <p class="label">{u.new_password}</p>
            <SecretValue value=result.password.clone() label=(u.new_password_for)(&user.username) />
            <p class="muted">
                {if result.must_change_password { u.must_change_next } else { u.no_change_needed }}
                {result.temporary_password_expires_at.map(|e| (u.stops_working)(&when(e)))}
            </p>
            {emailed.then(|| deliveries(&result.emails))}
            {move || sent_after.with(|s| s.as_deref().map(deliveries))}
            {offer.then(|| view! {
                <label class="choice">
                    <input type="checkbox" id="send-after" prop:checked=move || send_after.get()
                        on:change=move |ev| send_after.set(event_target_checked(&ev)) />
                    {u.send_email}
                </label>
                {move || send_after.get().then(|| view! {
                    <RecipientsBox recipients=recipients alternate=user.alternate_email.clone()
                        user_name=user.display_name.clone()
                        server_error=Signal::derive(move || send_error.get().map(|e| error_text(&e))) />
                })}
            })}
            <div class="pane-foot">
                {move || (offer && send_after.get()).then(|| view! {
                    <button type="button" class="primary send-and-close" on:click=send.clone()
                        disabled=move || sending.get() || recipients.with(Vec::is_empty)>
                        {move || if sending.get() { u.sending } else { u.send_and_close }}
                    </button>
                })}
                <button type="button" class=move || if offer && send_after.get() { "" } else { "primary" }
                    on:click=move |_| on_close.run(())>
                    {if emailed { u.close } else { u.done }}
                </button>
            </div>
        </div>
    }
}
