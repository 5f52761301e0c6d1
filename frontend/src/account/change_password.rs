use leptos::prelude::*;
use rekey_shared::UserSummary;

use super::LanguageSwitch;
use crate::components::{mismatch, NewPasswordFields};
use crate::requests::Submit;
use crate::state::{error_text, ui_texts};
use crate::{api, Session};

/// Changing one's own password: the only thing a user whose password must
/// change can do, and a plain user's own page otherwise.
///
/// - `user`: the signed-in account.
/// - `forced`: after an admin reset (a page of its own, with Sign out);
///   otherwise a page inside the signed-in frame.
#[component]
pub fn ChangePassword(user: UserSummary, forced: bool) -> impl IntoView {
    let session = expect_context::<Session>();
    let t = ui_texts();
    let changed = RwSignal::new(false);
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let sending = Submit::new();
    let (pending, error) = (sending.pending, sending.error);
    let differs = move || mismatch(new, confirm);
    let field_error = move |field: &'static str| {
        move || {
            error
                .get()
                .filter(|e| e.field.as_deref() == Some(field))
                .map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if differs() {
            return;
        }
        changed.set(false);
        let (c, n) = (current.get_untracked(), new.get_untracked());
        sending.run(api::change_password(c, n), move |r| {
            if forced {
                // On to the app that waits, else the account app goes on
                // (an admin to the admin center).
                match crate::state::continue_to() {
                    Some(to) if session.ask.get_untracked().is_none() => crate::state::go(&to),
                    _ => session.me.set(Some(r.user)),
                }
            } else {
                // She stays here: the new session cookie came with the answer.
                for field in [current, new, confirm] {
                    field.set(String::new());
                }
                changed.set(true);
            }
        });
    };

    let heading = NodeRef::<leptos::html::H1>::new();
    crate::focus::focus_on_mount(heading);
    let form = view! {
            <form class="card" on:submit=submit>
                <div class="card-head">
                    <h1 tabindex="-1" node_ref=heading>{if forced { t.change_forced_title } else { t.change_title }}</h1>
                    {forced.then(|| view! { <LanguageSwitch /> })}
                </div>
                <p class="muted">
                    {if forced { (t.change_forced_intro)(&user.display_name) } else { (t.change_intro)(&user.display_name) }}
                </p>
                <div role="status">{move || changed.get().then(|| view! { <p class="success">{t.changed}</p> })}</div>
                // Signed in with a passkey or a pass, she has no password to give.
                {move || session.pwd.get().then(|| view! {
                    <label for="current">{if forced { t.current_temporary } else { t.current }}</label>
                    <input id="current" type="password" autocomplete="current-password" required
                        prop:value=move || current.get()
                        on:input=move |ev| current.set(event_target_value(&ev)) />
                })}
                {field_error("current_password")}
                <NewPasswordFields new=new confirm=confirm>{field_error("new_password")}</NewPasswordFields>
                {move || error.get().filter(|e| e.field.is_none()).map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
                <button type="submit" class="primary" disabled=move || pending.get() || differs()>
                    {move || if pending.get() { t.changing } else { t.change_title }}
                </button>
                {forced.then(|| view! {
                    <button type="button" class="link" on:click=move |_| {
                        leptos::task::spawn_local(async move {
                            api::sign_out().await;
                            session.me.set(None);
                        });
                    }>{t.sign_out}</button>
                })}
            </form>
    };
    if forced {
        view! { <main class="sign-in">{form}</main> }.into_any()
    } else {
        view! { <section class="own-password">{form}</section> }.into_any()
    }
}
