use leptos::prelude::*;
use rekey_shared::{ApiError, UserSummary};

use crate::{api, Session};

/// The only thing a user whose password must change can do: change it.
///
/// - `user`: the signed-in account.
#[component]
pub fn ChangePassword(user: UserSummary) -> impl IntoView {
    let session = expect_context::<Session>();
    let min = move || {
        session
            .info
            .get()
            .map(|i| i.min_password_length)
            .unwrap_or(8)
    };
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let mismatch = move || !confirm.get().is_empty() && confirm.get() != new.get();
    let field_error = move |field: &'static str| {
        move || {
            error
                .get()
                .filter(|e| e.field.as_deref() == Some(field))
                .map(|e| view! { <p class="error" role="alert">{e.message}</p> })
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if mismatch() || pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let (c, n) = (current.get_untracked(), new.get_untracked());
        leptos::task::spawn_local(async move {
            match api::change_password(c, n).await {
                Ok(r) => session.me.set(Some(r.user)),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };

    view! {
        <main class="sign-in">
            <form class="card" on:submit=submit>
                <h1>"Change your password"</h1>
                <p class="muted">
                    {user.display_name.clone()} ", your admin reset your password. Choose a new one to continue."
                </p>
                <label for="current">"Current (temporary) password"</label>
                <input id="current" type="password" autocomplete="current-password" required
                    on:input=move |ev| current.set(event_target_value(&ev)) />
                {field_error("current_password")}
                <label for="new-password">"New password"</label>
                <input id="new-password" type="password" autocomplete="new-password" required
                    on:input=move |ev| new.set(event_target_value(&ev)) />
                <p class="hint" aria-live="polite">
                    {move || {
                        let n = new.get().chars().count();
                        if n < min() { format!("{n} characters; at least {} needed", min()) } else { format!("{n} characters") }
                    }}
                </p>
                {field_error("new_password")}
                <label for="confirm-password">"Confirm new password"</label>
                <input id="confirm-password" type="password" autocomplete="new-password" required
                    on:input=move |ev| confirm.set(event_target_value(&ev)) />
                {move || mismatch().then(|| view! { <p class="error">"The passwords don't match."</p> })}
                {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
                <button type="submit" class="primary" disabled=move || pending.get() || mismatch()>
                    {move || if pending.get() { "Changing…" } else { "Change password" }}
                </button>
                <button type="button" class="link" on:click=move |_| {
                    leptos::task::spawn_local(async move {
                        api::sign_out().await;
                        session.me.set(None);
                    });
                }>"Sign out"</button>
            </form>
        </main>
    }
}
