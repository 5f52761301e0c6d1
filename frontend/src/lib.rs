//! Rekey's three browser apps, from one crate: the sign-in (`sign_in`,
//! served at `/`) that every employee and every app's sign-in lands on,
//! the account app (`account`, at `/account/`: her own pages, a forgotten
//! password, a one-time link), and the admin center (`admin`, at
//! `/admin/`). Each is its own wasm build (`src/bin/`), so a sign-in
//! downloads neither of the others; they share the API client, the
//! decoder, the state and the small components here. All I/O goes
//! through `api`.

pub mod account;
pub mod admin;
mod api;
mod by_id;
mod components;
mod decode;
mod focus;
mod format;
mod hand_over;
mod passkey;
mod qr;
mod requests;
mod route;
pub mod sign_in;
mod state;
#[cfg(all(test, target_arch = "wasm32"))]
mod test_dom;

use leptos::prelude::*;

use state::{PendingRequests, ResetJobs, Session};

/// What every app does first: the session in context, the page's language,
/// then the service's facts and who is signed in (`checked` turns true
/// once asked). Signed in, the account's own language wins; otherwise the
/// page's language becomes the account's, so its emails match its pages.
///
/// `fresh`: an app's request (`?continue=`) here means it waits on a fresh
/// sign-in (the server found the session wanting: none, expired, locked
/// or `prompt=login`), so the session is not taken. The sign-in page says
/// so; the apps it sends on to take the session it just made.
fn start_session(fresh: bool) -> (Session, RwSignal<bool>) {
    let session = Session::new();
    provide_context(session);
    let checked = RwSignal::new(false);
    let start = state::initial_language();
    session.lang.set(start);
    state::apply_language(start);
    leptos::task::spawn_local(async move {
        if let Ok(info) = api::info().await {
            format::set_time_zone(&info.time_zone);
            session.info.set(Some(info));
        }
        // The page preloaded it, so it is read either way.
        let me = api::me().await;
        if !(fresh && state::continue_to().is_some()) {
            if let Ok(r) = me {
                let ask = hand_over::take().or_else(|| state::Ask::of(&r, state::app_wants_mfa()));
                session.ask.set(ask);
                session.mfa.set(state::is_mfa(&r));
                session.pwd.set(state::with_password(&r));
                session.me.set(Some(r.user));
            }
        }
        checked.set(true);
    });
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
    (session, checked)
}

/// "Loading…", while `start_session` asks who is signed in.
fn loading() -> AnyView {
    view! { <p class="loading" aria-live="polite">{state::texts().sign_in.loading}</p> }.into_any()
}
