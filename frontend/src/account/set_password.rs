use leptos::prelude::*;
use rekey_shared::LinkState;

use super::LanguageSwitch;
use crate::api;
use crate::components::{mismatch, NewPasswordFields};
use crate::requests::{alert, Submit};
use crate::state::ui_texts;

/// A one-time link's page. Opening it only asks what the link is worth
/// (mail scanners open links and run pages); the form's submit is the
/// link's one use.
///
/// - `token`: the link's token, from the URL's fragment.
#[component]
pub fn SetPassword(token: String) -> impl IntoView {
    let u = ui_texts();
    let state: RwSignal<Option<LinkState>> = RwSignal::new(None);
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let sending = Submit::new();
    let pending = sending.pending;
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
    let differs = move || mismatch(new, confirm);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if differs() {
            return;
        }
        let (token, password) = (token.clone(), new.get_untracked());
        sending.run(
            async move { api::use_link(&token, password).await },
            move |()| done.set(true),
        );
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
                        <a class="button" href="/">{u.go_sign_in}</a>
                    }.into_any(),
                    (None, _) => view! { <p class="muted">{u.loading}</p> }.into_any(),
                    (Some(LinkState::Valid), _) => view! {
                        <p class="muted">{u.set_intro}</p>
                        <NewPasswordFields new=new confirm=confirm />
                        {alert(sending.error)}
                        <button type="submit" class="primary" disabled=move || pending.get() || differs()>{u.set_submit}</button>
                    }.into_any(),
                    (Some(s), _) => view! {
                        <p class="error" role="alert">{match s {
                            LinkState::Used => u.link_used,
                            LinkState::Expired => u.link_expired,
                            _ => u.link_revoked,
                        }}</p>
                        <a class="button" href="#/forgot">{u.ask_again}</a>
                    }.into_any(),
                }}
            </form>
        </main>
    }
}
