//! "Add passkey" on Security info: a name, then the browser's own prompt.
//! The prompt and its failures are announced (a status, an alert).

use leptos::prelude::*;
use rekey_shared::{MethodSummary, NewPasskey, SecurityInfo};

use crate::passkey;
use crate::state::ui_texts;

#[component]
pub fn AddPasskey(#[prop(into)] on_added: Callback<Vec<MethodSummary>>) -> impl IntoView {
    let t = ui_texts();
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let waiting = RwSignal::new(false);
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if waiting.get_untracked() {
            return;
        }
        failure.set(None);
        waiting.set(true);
        let body = serde_json::to_string(&NewPasskey {
            name: name.get_untracked(),
        })
        .unwrap_or_default();
        leptos::task::spawn_local(async move {
            let done = passkey::ceremony::<SecurityInfo>(
                "/api/me/methods/passkeys/options",
                body,
                "/api/me/methods/passkeys",
                true,
            )
            .await;
            match done {
                Ok(info) => {
                    open.set(false);
                    name.set(String::new());
                    on_added.run(info.methods);
                }
                Err(f) => failure.set(Some(passkey::failure_text(&f))),
            }
            waiting.set(false);
        });
    };
    let show = move |_| {
        open.set(true);
        crate::focus::focus_first_of(vec!["#passkey-name".into()]);
    };
    move || {
        if !passkey::supported() {
            return None;
        }
        Some(if open.get() {
            view! {
                <form class="add-passkey card" on:submit=submit>
                    <h2>{t.add_passkey}</h2>
                    <label for="passkey-name">{t.method_name}</label>
                    <input id="passkey-name" maxlength="64" aria-describedby="passkey-name-hint"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev)) />
                    <p id="passkey-name-hint" class="muted">{t.passkey_name_hint}</p>
                    <p class="notice" role="status">{move || waiting.get().then_some(t.passkey_prompt)}</p>
                    {move || failure.get().map(|f| view! { <p class="error" role="alert">{f}</p> })}
                    <button type="submit" class="primary" disabled=move || waiting.get()>{t.create_passkey}</button>
                    <button type="button" class="link" on:click=move |_| open.set(false)>{t.cancel}</button>
                </form>
            }
            .into_any()
        } else {
            view! {
                <button type="button" on:click=show>{t.add_passkey}</button>
            }
            .into_any()
        })
    }
}
