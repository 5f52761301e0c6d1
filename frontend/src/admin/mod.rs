//! The admin center: Active users with the reset, person, bulk and import
//! panes, reset requests, the audit log, apps and SCIM tokens. It has no
//! sign-in of its own: the sign-in signs admins in and sends them here,
//! after the account app when a password must change first.

mod apps;
mod audit;
mod auth_methods;
mod bulk_pane;
mod import_pane;
mod lazy_pages;
mod person_pane;
mod recipients;
mod reset_done;
mod reset_pane;
mod reset_requests;
mod reset_settings;
mod shell;
mod sign_ins;
mod users;

use leptos::prelude::*;

use crate::components::LanguageSwitch;
use crate::state;
use shell::Shell;

pub fn mount() {
    state::set_title(|lang| lang.admin().admin_title);
    leptos::mount::mount_to_body(App);
}

/// The admin center, for a signed-in admin. Anyone else goes elsewhere,
/// keeping the page (the URL's hash) to come back to: signed out, to sign
/// in; with a password to change or a method to register, to the account
/// app; a plain user, to My apps.
#[component]
fn App() -> impl IntoView {
    let (session, checked) = crate::start_session(false);
    crate::api::on_session_lost(move || state::pass_on_to_sign_in(true, &state::hash()));
    view! {
        {move || {
            session.lang.track();
            match session.me.get() {
                _ if !checked.get() => crate::loading(),
                // The account app asks what the sign-in owes first.
                Some(user) if user.role.is_admin() && !user.must_change_password && session.ask.get().is_none() => {
                    view! { <Shell user=user /> }.into_any()
                }
                Some(user) if !user.must_change_password && session.ask.get().is_none() => {
                    state::pass_on(&format!("{}#/my-apps", state::ACCOUNT_APP));
                    crate::loading()
                }
                Some(_) => {
                    state::go_to_account_app(&state::hash());
                    crate::loading()
                }
                None => {
                    state::pass_on_to_sign_in(false, &state::hash());
                    crate::loading()
                }
            }
        }}
    }
}
