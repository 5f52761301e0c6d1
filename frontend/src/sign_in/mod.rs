//! The sign-in: the one page every employee sees, and every app's sign-in
//! lands on, so it carries nothing else. The password, the second step
//! (an app's code, a recovery code or a passkey), a passkey alone, and the
//! two pages an app sends the browser to. Signed in, she goes on: to the
//! app that asked, to the account app for what the sign-in still owes
//! (a new password, a method to register) and for her own pages, or to
//! the admin center.

mod app_pages;
mod form;

use leptos::prelude::*;

use crate::route::{self, Route};
use crate::state::{self, Session};
use app_pages::{AppProblem, SignOutConfirm};
use form::SignIn;

pub fn mount() {
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let (session, checked) = crate::start_session(true);
    // The hash is followed: a link pasted over this page changes only it.
    let route = route::use_route();
    view! {
        // Drawn anew in the page's language when it changes.
        {move || {
            session.lang.track();
            match window().location().pathname().unwrap_or_default().as_str() {
                "/sign-out" => return view! { <SignOutConfirm /> }.into_any(),
                "/app-sign-in-problem" => return view! { <AppProblem /> }.into_any(),
                _ => {}
            }
            // The account app's pages that need no sign-in, addressed
            // here: a one-time link in an email sent before the account
            // app had its own address, or `#/forgot`.
            if let Route::SetPassword(_) | Route::Forgot = route.get() {
                state::go_to_account_app(&state::hash());
                return crate::loading();
            }
            match session.me.get() {
                _ if !checked.get() => crate::loading(),
                None => view! { <SignIn /> }.into_any(),
                Some(user) => {
                    go_on(session, &user);
                    crate::loading()
                }
            }
        }}
    }
}

/// Signed in (and any app that asked is not waiting, or the sign-in still
/// owes something): on to where she was headed. The page's hash is that
/// place: an admin center page (`#/users/{id}/reset` in a request email)
/// or one of her own (`#/security-info`).
fn go_on(session: Session, user: &rekey_shared::UserSummary) {
    let hash = state::hash();
    let own_page = Route::parse(&hash).is_own_page();
    let ask = session.ask.get_untracked();
    // Left either way: no ask from an earlier sign-in outlives this one.
    crate::hand_over::leave(ask);
    if user.role.is_admin() && !user.must_change_password && ask.is_none() && !own_page {
        state::go_to_admin_center(&hash);
    } else {
        state::go_to_account_app(&hash);
    }
}
