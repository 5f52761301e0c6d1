//! "My apps": the apps a user opens, signing in with Rekey.

use leptos::prelude::*;

use crate::api;
use crate::requests::{banner, Load};
use crate::state::ui_texts;

/// "My apps": every app the user can open, signing in with Rekey.
#[component]
pub fn MyApps() -> impl IntoView {
    let u = ui_texts();
    let apps = Load::new();
    apps.from(api::my_apps());
    let heading = NodeRef::<leptos::html::H1>::new();
    crate::focus::focus_on_mount(heading);
    view! {
        <section class="my-apps">
            <h1 tabindex="-1" node_ref=heading>{u.nav_my_apps}</h1>
            <p class="muted">{u.my_apps_intro}</p>
            {banner(apps.error)}
            {move || apps.value.get().map(|list: rekey_shared::MyApps| if list.apps.is_empty() {
                view! { <p class="empty">{u.no_my_apps}</p> }.into_any()
            } else {
                view! {
                    <ul class="app-tiles">
                        {list.apps.into_iter().map(|a| view! { <li><a href=a.url>{a.name}</a></li> }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}
