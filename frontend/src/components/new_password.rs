//! A new password and its confirmation, as every page that sets one asks
//! for it: the policy's length as she types, a mismatch shown at once.
//! The page keeps the signals and the submit.

use leptos::prelude::*;
use rekey_shared::validate::MAX_PASSWORD_LEN;

use crate::state::ui_texts;
use crate::Session;

/// Whether the confirmation, once typed, differs from the new password.
pub fn mismatch(new: RwSignal<String>, confirm: RwSignal<String>) -> bool {
    let c = confirm.get();
    !c.is_empty() && c != new.get()
}

/// The two fields; `children` (the server's refusal of the new password)
/// stand between them, next to the field they are about.
#[component]
pub fn NewPasswordFields(
    new: RwSignal<String>,
    confirm: RwSignal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let u = ui_texts();
    view! {
        <label for="new-password">{u.new_password}</label>
        <input id="new-password" type="password" autocomplete="new-password" required
            prop:value=move || new.get()
            on:input=move |ev| new.set(event_target_value(&ev)) />
        <p class="hint" aria-live="polite">
            {move || u.length_hint(new.get().chars().count(), session.min_password_length(), MAX_PASSWORD_LEN)}
        </p>
        {children.map(|c| c())}
        <label for="confirm-password">{u.confirm_password}</label>
        <input id="confirm-password" type="password" autocomplete="new-password" required
            prop:value=move || confirm.get()
            on:input=move |ev| confirm.set(event_target_value(&ev)) />
        {move || mismatch(new, confirm).then(|| view! { <p class="error">{u.mismatch}</p> })}
    }
}
