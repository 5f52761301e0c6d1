//! "Add alternate email" on Security info: an address of her own, then
//! the code sent to it. It counts (for a self-service reset) only once
//! the code came back.

use leptos::prelude::*;
use rekey_shared::{AlternateEmailStarted, MethodSummary};

use crate::requests::{alert, Submit};
use crate::state::ui_texts;
use crate::{api, focus};

#[component]
pub fn AddAlternateEmail(#[prop(into)] on_added: Callback<Vec<MethodSummary>>) -> impl IntoView {
    let t = ui_texts();
    let open = RwSignal::new(false);
    let address = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let started: RwSignal<Option<AlternateEmailStarted>> = RwSignal::new(None);
    let sending = Submit::new();
    let (pending, error) = (sending.pending, sending.error);
    let close = move || {
        open.set(false);
        started.set(None);
        code.set(String::new());
        error.set(None);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match started.get_untracked() {
            None => sending.run(
                api::start_alternate_email(address.get_untracked()),
                move |s| {
                    started.set(Some(s));
                    focus::focus_first_of(vec!["#alternate-code".into()]);
                },
            ),
            Some(s) => {
                let typed = code.get_untracked();
                let confirmed = async move {
                    let confirmed = api::confirm_alternate_email(&s.id, typed).await;
                    // A code that failed is spent; she types the next one.
                    if confirmed.is_err() {
                        code.set(String::new());
                    }
                    confirmed
                };
                sending.run(confirmed, move |info| {
                    close();
                    on_added.run(info.methods);
                });
            }
        }
    };
    let show = move |_| {
        open.set(true);
        focus::focus_first_of(vec!["#alternate-address".into()]);
    };
    move || {
        if !open.get() {
            return view! { <button type="button" on:click=show>{t.add_alternate_email}</button> }
                .into_any();
        }
        view! {
            <form class="card add-alternate" on:submit=submit>
                <h2>{t.add_alternate_email}</h2>
                {move || match started.get() {
                    None => view! {
                        <label for="alternate-address">{t.email_address}</label>
                        <input id="alternate-address" type="email" autocomplete="email" required
                            aria-describedby="alternate-hint"
                            prop:value=move || address.get()
                            on:input=move |ev| address.set(event_target_value(&ev)) />
                        <p id="alternate-hint" class="muted">{t.alternate_email_hint}</p>
                        <button type="submit" class="primary" disabled=move || pending.get()>{t.send_code}</button>
                    }.into_any(),
                    Some(s) => view! {
                        <p class="notice" role="status">{(t.alternate_code_sent)(&s.address)}</p>
                        <label for="alternate-code">{t.emailed_code}</label>
                        <input id="alternate-code" inputmode="numeric" autocomplete="one-time-code" required maxlength="9"
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev)) />
                        <button type="submit" class="primary" disabled=move || pending.get()>
                            {move || if pending.get() { t.verifying } else { t.verify }}
                        </button>
                    }.into_any(),
                }}
                {alert(error)}
                <button type="button" class="link" on:click=move |_| close()>{t.cancel}</button>
            </form>
        }
        .into_any()
    }
}
