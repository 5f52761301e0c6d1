use leptos::prelude::*;
use rekey_shared::ApiError;

use crate::{api, Session};

/// Username and password; errors appear in place.
#[component]
pub fn SignIn() -> impl IntoView {
    let session = expect_context::<Session>();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let organization = move || {
        session
            .info
            .get()
            .map(|i| i.organization)
            .unwrap_or_default()
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        pending.set(true);
        let (u, p) = (username.get_untracked(), password.get_untracked());
        leptos::task::spawn_local(async move {
            match api::sign_in(u, p).await {
                Ok(r) => {
                    password.set(String::new());
                    session.lapsed.set(false);
                    session.me.set(Some(r.user));
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };

    view! {
        <main class="sign-in">
            <form class="card" on:submit=submit>
                <h1>"Rekey"</h1>
                <p class="muted">"Sign in to the " {organization} " admin center"</p>
                {move || session.lapsed.get().then(|| view! {
                    <p class="notice" role="status">"Your session ended. Sign in again to continue where you were."</p>
                })}
                <label for="username">"Username or email"</label>
                <input id="username" name="username" autocomplete="username" required autofocus
                    prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev)) />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev)) />
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
