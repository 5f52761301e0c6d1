use leptos::prelude::*;
use rekey_shared::Lang;

use crate::state::{choose_language, texts, Session};

/// English or Nederlands, each in its own words. Signed in, the choice is
/// also kept on the account (its emails follow it).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let session = expect_context::<Session>();
    let current = session.lang.get_untracked();
    let t = texts();
    view! {
        <label class="language">
            <span class="visually-hidden">{t.sign_in.language}</span>
            <select on:change=move |ev| {
                if let Some(lang) = Lang::parse(&event_target_value(&ev)) {
                    let signed_in = session.me.with_untracked(Option::is_some);
                    choose_language(session, lang, signed_in);
                }
            }>
                {Lang::ALL.iter().map(|&lang| view! {
                    <option value=lang.as_str() selected=lang == current lang=lang.as_str()>
                        {lang.name()}
                    </option>
                }).collect_view()}
            </select>
        </label>
    }
}
