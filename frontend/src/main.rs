//! Rekey's admin center: sign in, Active users, the reset pane, bulk
//! resets and the audit log. A Leptos (csr) app; all I/O goes through
//! `api`.

mod api;
mod by_id;
mod components;
mod decode;
mod focus;
mod format;
mod route;
mod state;
#[cfg(all(test, target_arch = "wasm32"))]
mod test_dom;

use leptos::prelude::*;

use components::{AppProblem, ChangePassword, SetPassword, Shell, SignIn, SignOutConfirm};
use state::{PendingRequests, ResetJobs, Session};

fn main() {
    leptos::mount::mount_to_body(App);
}

/// The whole app. The current page lives in the URL's hash, so a lapsed
/// session returns to the same page after signing in again.
#[component]
fn App() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    let checked = RwSignal::new(false);
    let start = state::initial_language();
    session.lang.set(start);
    state::apply_language(start);

    api::on_session_lost(move || {
        if session.me.get_untracked().is_some() {
            session.lapsed.set(true);
            session.me.set(None);
        }
    });
    leptos::task::spawn_local(async move {
        if let Ok(info) = api::info().await {
            format::set_time_zone(&info.time_zone);
            session.info.set(Some(info));
        }
        // An app's request waits on a fresh sign-in (the server found the
        // session wanting: none, expired, locked or `prompt=login`).
        if state::continue_to().is_none() {
            if let Ok(r) = api::me().await {
                session.me.set(Some(r.user));
            }
        }
        checked.set(true);
    });
    // Signed in: the account's own language when it has one; otherwise the
    // page's language becomes the account's, so its emails match its pages.
    Effect::new(move |_| {
        let signed_in = session
            .me
            .with(|me| me.as_ref().map(|u| u.preferred_language));
        match signed_in {
            Some(Some(lang)) => state::choose_language(session, lang, false),
            Some(None) => {
                let lang = session.lang.get_untracked();
                state::choose_language(session, lang, true);
            }
            None => {}
        }
    });

    let route = route::use_route();
    // Only entering or leaving a link's page redraws the app, not every page.
    let link_token = Memo::new(move |_| match route.get() {
        route::Route::SetPassword(token) => Some(token),
        _ => None,
    });
    view! {
        // Drawn anew in the page's language when it changes.
        {move || {
            session.lang.track();
            // A one-time link's page stands on its own, signed in or not.
            if let Some(token) = link_token.get() {
                return view! { <SetPassword token=token /> }.into_any();
            }
            // Pages an app sends the browser to.
            match window().location().pathname().unwrap_or_default().as_str() {
                "/sign-out" => return view! { <SignOutConfirm /> }.into_any(),
                "/app-sign-in-problem" => return view! { <AppProblem /> }.into_any(),
                _ => {}
            }
            match session.me.get() {
            _ if !checked.get() => view! { <p class="loading" aria-live="polite">{state::texts().ui.loading}</p> }.into_any(),
            None => view! { <SignIn /> }.into_any(),
            Some(user) if user.must_change_password => {
                view! { <ChangePassword user=user forced=true /> }.into_any()
            }
            Some(user) => view! { <Shell user=user /> }.into_any(),
            }
        }}
    }
}
