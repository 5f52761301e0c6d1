//! The admin center: Active users with the reset, person, bulk and import
//! panes, reset requests, the audit log, apps and SCIM tokens. It has no
//! sign-in of its own: the account app signs in, changes a password that
//! must change, and sends admins here.

mod apps;
mod audit;
mod auth_methods;
mod bulk_pane;
mod import_pane;
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

/// The admin center, for a signed-in admin. Anyone else goes to the
/// account app, keeping the page (the URL's hash) to come back to: signed
/// out or with a password to change, to sign in; a plain user, to My apps.
#[component]
fn App() -> impl IntoView {
    let (session, checked) = crate::start_session();
    let back = || window().location().hash().unwrap_or_default();
    crate::api::on_session_lost(move || state::pass_on(&format!("/?session=ended{}", back())));
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
                    state::pass_on("/#/my-apps");
                    crate::loading()
                }
                _ => {
                    state::pass_on(&format!("/{}", back()));
                    crate::loading()
                }
            }
        }}
    }
}
