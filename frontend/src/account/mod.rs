//! The account app, at `/account/`: an employee's own pages once signed
//! in (My apps, Security info, her password), what the sign-in still owes
//! (the forced password change, a method to register), and two pages that
//! need no sign-in: "Forgot your password?" and a one-time link's page.
//! Signed out, she signs in at `/` and comes back; an admin goes on to
//! the admin center.

mod add_alternate_email;
mod add_passkey;
mod asks;
mod change_password;
mod home;
mod my_apps;
mod recovery_codes;
mod security_info;
mod self_service;
mod set_password;

use leptos::prelude::*;

use crate::components::LanguageSwitch;
use crate::route::{self, Route};
use crate::state;
use asks::AskPage;
use change_password::ChangePassword;
use home::Home;
use self_service::ForgotPassword;
use set_password::SetPassword;

pub fn mount() {
    leptos::mount::mount_to_body(App);
}

/// The account app. Its own pages are `#/my-apps`, `#/password`,
/// `#/security-info`, `#/forgot` and `#/set-password/…`; any other page
/// belongs to an admin's admin center, so a signed-in admin is sent there
/// with it, and anyone else to My apps.
#[component]
fn App() -> impl IntoView {
    let (session, checked) = crate::start_session(false);
    sign_in_again_when_session_ends(session);
    let route = route::use_route();
    view! {
        // Drawn anew in the page's language when it changes.
        {move || {
            session.lang.track();
            let route = route.get();
            // These stand on their own, signed in or not.
            match route {
                Route::SetPassword(token) => return view! { <SetPassword token=token /> }.into_any(),
                Route::Forgot => return view! { <ForgotPassword on_back=state::go_to_sign_in /> }.into_any(),
                _ => {}
            }
            match session.me.get() {
                _ if !checked.get() => crate::loading(),
                None => {
                    state::pass_on_to_sign_in(false, &state::hash());
                    crate::loading()
                }
                Some(user) if user.must_change_password => {
                    view! { <ChangePassword user=user forced=true /> }.into_any()
                }
                Some(user) if session.ask.get().is_some() => {
                    view! { <AskPage user=user /> }.into_any()
                }
                Some(user) if user.role.is_admin() && !route.is_own_page() => {
                    state::go_to_admin_center(&state::hash());
                    crate::loading()
                }
                Some(user) => view! { <Home user=user page=route /> }.into_any(),
            }
        }}
    }
}

/// A session that ends while the page is open sends her to sign in again,
/// which says why, and back here after.
fn sign_in_again_when_session_ends(session: state::Session) {
    crate::api::on_session_lost(move || {
        if session.me.get_untracked().is_some() {
            state::pass_on_to_sign_in(true, &state::hash());
        }
    });
}
