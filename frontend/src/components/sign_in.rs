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
    let forgot = RwSignal::new(false);
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

    // `autofocus` acts only on the first page load; the app draws this
    // page again after every sign-out.
    crate::focus::focus_first_of(vec!["#username".into()]);
    let form = move || {
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
                    <button type="button" class="link" on:click=move |_| forgot.set(true)>"Forgot your password?"</button>
                </form>
            </main>
        }
    };
    view! {
        {move || if forgot.get() {
            view! { <ForgotPassword on_back=move || {
                forgot.set(false);
                crate::focus::focus_first_of(vec!["#username".into()]);
            } /> }.into_any()
        } else {
            form().into_any()
        }}
    }
}

/// "Forgot your password?": asks the user's admins for a reset. The answer
/// is the same whether or not the account exists.
#[component]
pub fn ForgotPassword(#[prop(into)] on_back: Callback<()>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    // Opened from a button that is now gone: focus goes to the one field.
    crate::focus::focus_first_of(vec!["#forgot-username".into()]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        pending.set(true);
        let u = username.get_untracked();
        leptos::task::spawn_local(async move {
            match api::ask_for_reset(u).await {
                Ok(()) => sent.set(true),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    view! {
        <main class="sign-in">
            <form class="card" on:submit=submit>
                <h1>"Forgot your password?"</h1>
                {move || if sent.get() {
                    view! {
                        <p class="success" role="status">
                            "Thanks. If that account exists, the admins who can reset it have been asked to. They will send you a new password."
                        </p>
                    }.into_any()
                } else {
                    view! {
                        <p class="muted">"Enter your username or email. Your admins will be asked to reset your password."</p>
                        <label for="forgot-username">"Username or email"</label>
                        <input id="forgot-username" autocomplete="username" required autofocus
                            on:input=move |ev| username.set(event_target_value(&ev)) />
                        {move || error.get().map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
                        <button type="submit" class="primary" disabled=move || pending.get()>"Ask for a new password"</button>
                    }.into_any()
                }}
                <button type="button" class="link" on:click=move |_| on_back.run(())>"Back to sign in"</button>
            </form>
        </main>
    }
}
