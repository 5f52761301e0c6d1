use leptos::prelude::*;

use crate::api;
use crate::requests::{alert, Submit};
use crate::state::ui_texts;

/// "Confirm your password": asked for when a sensitive change (an app, a
/// SCIM token, an admin role) finds the sign-in too old. Once confirmed,
/// the admin makes the change again.
///
/// - `open`: shown while true; closing sets it false.
#[component]
pub fn ConfirmPassword(open: RwSignal<bool>) -> impl IntoView {
    let t = ui_texts();
    let session = expect_context::<crate::Session>();
    let password = RwSignal::new(String::new());
    let sending = Submit::new();
    let error = sending.error;
    let done = RwSignal::new(false);
    let close = move || {
        open.set(false);
        password.set(String::new());
        error.set(None);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = password.get_untracked();
        // Six digits are her app's code (no password is that short), when
        // this session showed she has an app.
        let code = session.mfa.get_untracked()
            && typed.len() == 6
            && typed.bytes().all(|b| b.is_ascii_digit());
        let confirmed = async move {
            if code {
                api::confirm_code(typed).await
            } else {
                api::confirm_password(typed).await
            }
        };
        sending.run(confirmed, move |()| {
            close();
            done.set(true);
        });
    };
    view! {
        {move || done.get().then(|| view! { <p class="success banner" role="status">{t.confirm_done}</p> })}
        {move || open.get().then(|| {
            done.set(false);
            crate::focus::focus_first_of(vec!["#confirm-password".into()]);
            view! {
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
                <form class="card" on:submit=submit>
                    <h2 id="confirm-title">{t.confirm_title}</h2>
                    <p>{t.confirm_intro}</p>
                    <label for="confirm-password">{if session.mfa.get_untracked() { t.password_or_code } else { t.password }}</label>
                    <input id="confirm-password" type="password" autocomplete="current-password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
                    {alert(error)}
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || sending.pending.get()>{t.confirm_button}</button>
                        " "
                        <button type="button" on:click=move |_| close()>{t.close}</button>
                    </div>
                </form>
            </div>
        }})}
    }
}
