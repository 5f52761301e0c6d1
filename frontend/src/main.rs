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

use components::{ChangePassword, Shell, SignIn};
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

    api::on_session_lost(move || {
        if session.me.get_untracked().is_some() {
            session.lapsed.set(true);
            session.me.set(None);
        }
    });
    leptos::task::spawn_local(async move {
        if let Ok(info) = api::info().await {
            session.info.set(Some(info));
        }
        if let Ok(r) = api::me().await {
            session.me.set(Some(r.user));
        }
        checked.set(true);
    });

    view! {
        {move || match session.me.get() {
            _ if !checked.get() => view! { <p class="loading" aria-live="polite">"Loading…"</p> }.into_any(),
            None => view! { <SignIn /> }.into_any(),
            Some(user) if user.must_change_password => {
                view! { <ChangePassword user=user forced=true /> }.into_any()
            }
            Some(user) => view! { <Shell user=user /> }.into_any(),
        }}
    }
}
