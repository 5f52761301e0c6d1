//! The account app: what every employee sees. Sign-in and "Forgot your
//! password?", the forced and the own password change, a one-time link's
//! page, My apps, Security info, and the pages an app sends the browser to. An admin who
//! signs in here goes on to the admin center.

mod add_alternate_email;
mod add_passkey;
mod app_pages;
mod asks;
mod change_password;
mod home;
mod my_apps;
mod recovery_codes;
mod security_info;
mod self_service;
mod set_password;
mod sign_in;

use leptos::prelude::*;

use crate::components::LanguageSwitch;
use crate::route::{self, Route};
use crate::state;
use app_pages::{AppProblem, SignOutConfirm};
use asks::AskPage;
use change_password::ChangePassword;
use home::Home;
use set_password::SetPassword;
use sign_in::SignIn;

pub fn mount() {
    leptos::mount::mount_to_body(App);
}

/// The account app. Its own pages are `#/my-apps`, `#/password`,
/// `#/security-info` and `#/set-password/…`; any other page (`#/users/{id}/reset` in an older
/// request email, or none) belongs to an admin's admin center, so a
/// signed-in admin is sent there with it, and anyone else to My apps.
#[component]
fn App() -> impl IntoView {
    let (session, checked) = crate::start_session();
    sign_in_again_when_session_ends(session);
    if state::session_ended_elsewhere() {
        session.lapsed.set(true);
    }
    let route = route::use_route();
    view! {
        // Drawn anew in the page's language when it changes.
        {move || {
            session.lang.track();
            let route = route.get();
            // A one-time link's page stands on its own, signed in or not.
            if let Route::SetPassword(token) = route {
                return view! { <SetPassword token=token /> }.into_any();
            }
            match window().location().pathname().unwrap_or_default().as_str() {
                "/sign-out" => return view! { <SignOutConfirm /> }.into_any(),
                "/app-sign-in-problem" => return view! { <AppProblem /> }.into_any(),
                _ => {}
            }
            match session.me.get() {
                _ if !checked.get() => crate::loading(),
                None => view! { <SignIn /> }.into_any(),
                Some(user) if user.must_change_password => {
                    view! { <ChangePassword user=user forced=true /> }.into_any()
                }
                Some(user) if session.ask.get().is_some() => {
                    view! { <AskPage user=user /> }.into_any()
                }
                Some(user) if user.role.is_admin() && !matches!(route, Route::MyApps | Route::Password | Route::SecurityInfo) => {
                    state::go_to_admin_center(&window().location().hash().unwrap_or_default());
                    crate::loading()
                }
                Some(user) => view! { <Home user=user page=route /> }.into_any(),
            }
        }}
    }
}

/// A session that ends while the page is open shows the sign-in again,
/// saying why.
fn sign_in_again_when_session_ends(session: state::Session) {
    crate::api::on_session_lost(move || {
        if session.me.get_untracked().is_some() {
            session.lapsed.set(true);
            session.me.set(None);
        }
    });
}
