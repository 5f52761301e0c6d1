//! Rekey's admin center. For now: sign in, see who you are, sign out.
//! (The Active users list and the reset pane are their own issue.)

mod api;

use leptos::prelude::*;
use rekey_shared::{ApiError, UserSummary};

fn main() {
    leptos::mount::mount_to_body(App);
}

/// The whole app: the sign-in page until a session exists, then the shell.
#[component]
fn App() -> impl IntoView {
    let me: RwSignal<Option<UserSummary>> = RwSignal::new(None);
    let checked = RwSignal::new(false);
    // An existing session (cookie) signs the admin straight in.
    leptos::task::spawn_local(async move {
        if let Ok(r) = api::me().await {
            me.set(Some(r.user));
        }
        checked.set(true);
    });

    view! {
        <Show
            when=move || checked.get()
            fallback=|| view! { <p class="loading" aria-live="polite">"Loading…"</p> }
        >
            {move || match me.get() {
                Some(user) => view! { <Shell user=user on_signed_out=move || me.set(None) /> }.into_any(),
                None => view! { <SignIn on_signed_in=move |u| me.set(Some(u)) /> }.into_any(),
            }}
        </Show>
    }
}

/// Username and password form; errors appear in place.
///
/// - `on_signed_in`: called with the account once a session exists.
#[component]
fn SignIn(#[prop(into)] on_signed_in: Callback<UserSummary>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let submit = Action::new_local(move |(u, p): &(String, String)| {
        let (u, p) = (u.clone(), p.clone());
        async move { api::sign_in(u, p).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(r)) => {
            password.set(String::new());
            on_signed_in.run(r.user);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });

    view! {
        <main class="sign-in">
            <form
                class="card"
                on:submit=move |ev| {
                    ev.prevent_default();
                    error.set(None);
                    submit.dispatch((username.get_untracked(), password.get_untracked()));
                }
            >
                <h1>"Rekey"</h1>
                <p class="muted">"Sign in to the admin center"</p>
                <label for="username">"Username or email"</label>
                <input
                    id="username"
                    name="username"
                    autocomplete="username"
                    required
                    prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev))
                />
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))
                />
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
                <button type="submit" class="primary" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}

/// The signed-in frame: who you are, the outbox link, sign out.
///
/// - `user`: the signed-in account.
/// - `on_signed_out`: called once the session has ended.
#[component]
fn Shell(user: UserSummary, #[prop(into)] on_signed_out: Callback<()>) -> impl IntoView {
    let sign_out = Action::new_local(|_: &()| api::sign_out());
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            on_signed_out.run(());
        }
    });
    let is_admin = user.role.is_admin();
    view! {
        <header class="top">
            <span class="brand">"Rekey"</span>
            <span class="who">{user.display_name.clone()} " · " {user.role.label()}</span>
            <a href="/outbox" target="_blank" rel="noopener">"Outbox"</a>
            <button on:click=move |_| { sign_out.dispatch(()); }>"Sign out"</button>
        </header>
        <main class="content">
            <h1>"Welcome, " {user.display_name.clone()}</h1>
            {if is_admin {
                view! { <p>"The admin center's user list arrives with the next release."</p> }.into_any()
            } else {
                view! { <p>"You're signed in. There is nothing to administer with a user account."</p> }.into_any()
            }}
        </main>
    }
}
