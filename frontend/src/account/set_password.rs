use leptos::prelude::*;
use rekey_shared::validate::MAX_PASSWORD_LEN;
use rekey_shared::{ApiError, LinkState};

use super::LanguageSwitch;
use crate::state::{error_text, texts};
use crate::{api, Session};

/// A one-time link's page. Opening it only asks what the link is worth
/// (mail scanners open links and run pages); the form's submit is the
/// link's one use.
///
/// - `token`: the link's token, from the URL's fragment.
#[component]
pub fn SetPassword(token: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let t = texts();
    let u = &t.ui;
    let state: RwSignal<Option<LinkState>> = RwSignal::new(None);
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    let done = RwSignal::new(false);
    {
        let token = token.clone();
        leptos::task::spawn_local(async move {
            let s = api::link_status(&token)
                .await
                .map_or(LinkState::Revoked, |s| s.state);
            state.set(Some(s));
        });
    }
    let mismatch = move || !confirm.get().is_empty() && confirm.get() != new.get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if mismatch() || pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let (token, password) = (token.clone(), new.get_untracked());
        leptos::task::spawn_local(async move {
            match api::use_link(&token, password).await {
                Ok(()) => done.set(true),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let heading = NodeRef::<leptos::html::H1>::new();
    crate::focus::focus_on_mount(heading);
    view! {
        <main class="sign-in">
            <form class="card" on:submit=submit>
                <div class="card-head">
                    <h1 tabindex="-1" node_ref=heading>{u.set_title}</h1>
                    <LanguageSwitch />
                </div>
                {move || match (state.get(), done.get()) {
                    (_, true) => view! {
                        <p class="success" role="status">{u.set_done}</p>
                        <a class="button" href="#/">{u.go_sign_in}</a>
                    }.into_any(),
                    (None, _) => view! { <p class="muted">{u.loading}</p> }.into_any(),
                    (Some(LinkState::Valid), _) => view! {
                        <p class="muted">{u.set_intro}</p>
                        <label for="new-password">{u.new_password}</label>
                        <input id="new-password" type="password" autocomplete="new-password" required
                            on:input=move |ev| new.set(event_target_value(&ev)) />
                        <p class="hint" aria-live="polite">
                            {move || u.length_hint(new.get().chars().count(), session.min_password_length(), MAX_PASSWORD_LEN)}
                        </p>
                        <label for="confirm-password">{u.confirm_password}</label>
                        <input id="confirm-password" type="password" autocomplete="new-password" required
                            on:input=move |ev| confirm.set(event_target_value(&ev)) />
                        {move || mismatch().then(|| view! { <p class="error">{u.mismatch}</p> })}
                        {move || error.get().map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
                        <button type="submit" class="primary" disabled=move || pending.get() || mismatch()>{u.set_submit}</button>
                    }.into_any(),
                    (Some(s), _) => view! {
                        <p class="error" role="alert">{match s {
                            LinkState::Used => u.link_used,
                            LinkState::Expired => u.link_expired,
                            _ => u.link_revoked,
                        }}</p>
                        <a class="button" href="#/">{u.ask_again}</a>
                    }.into_any(),
                }}
            </form>
        </main>
    }
}
