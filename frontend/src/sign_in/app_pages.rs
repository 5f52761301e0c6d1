//! Pages an app sends the browser to: asking before an app signs the user
//! out of Rekey, and why an app's sign-in could not go on.

use leptos::prelude::*;

use crate::state::{go, texts};
use crate::{api, focus};

/// "Sign out of Rekey?": an app asked without proving which sign-in it
/// meant (no valid `id_token_hint`), so the user decides.
#[component]
pub fn SignOutConfirm() -> impl IntoView {
    let u = &texts().sign_in;
    focus::focus_first_of(vec!["#sign-out".into()]);
    view! {
        <main class="sign-in">
            <div class="card">
                <h1>{u.sign_out_title}</h1>
                <p class="muted">{u.sign_out_intro}</p>
                <button id="sign-out" class="primary" on:click=move |_| {
                    leptos::task::spawn_local(async move {
                        api::sign_out().await;
                        go("/");
                    });
                }>{u.sign_out}</button>
                <button type="button" class="link" on:click=move |_| go("/")>{u.stay_signed_in}</button>
            </div>
        </main>
    }
}

/// Why an app's sign-in stopped at Rekey (the app is unknown, or asked to
/// return somewhere it never registered): Rekey redirects nowhere then.
#[component]
pub fn AppProblem() -> impl IntoView {
    let u = &texts().sign_in;
    let reason = web_sys::Url::new(&window().location().href().unwrap_or_default())
        .ok()
        .and_then(|url| url.search_params().get("reason"))
        .unwrap_or_default();
    let why = match reason.as_str() {
        "unknown_app" => u.problem_unknown_app,
        "redirect_uri" | "logout_uri" => u.problem_address,
        _ => u.problem_request,
    };
    view! {
        <main class="sign-in">
            <div class="card">
                <h1>{u.problem_title}</h1>
                <p role="alert">{why}</p>
                <p class="muted">{u.problem_help}</p>
                <a class="button" href="/">{u.go_sign_in}</a>
            </div>
        </main>
    }
}
