//! "My apps": the apps a user opens, signing in with Rekey.

use leptos::prelude::*;
use rekey_shared::ApiError;

use crate::api;
use crate::state::{error_text, ui_texts};

/// "My apps": every app the user can open, signing in with Rekey.
#[component]
pub fn MyApps() -> impl IntoView {
    let u = ui_texts();
    let apps: RwSignal<Option<Result<rekey_shared::MyApps, ApiError>>> = RwSignal::new(None);
    leptos::task::spawn_local(async move { apps.set(Some(api::my_apps().await)) });
    let heading = NodeRef::<leptos::html::H1>::new();
    crate::focus::focus_on_mount(heading);
    view! {
        <section class="my-apps">
            <h1 tabindex="-1" node_ref=heading>{u.nav_my_apps}</h1>
            <p class="muted">{u.my_apps_intro}</p>
            {move || apps.get().map(|r| match r {
                Ok(list) if list.apps.is_empty() => view! { <p class="empty">{u.no_my_apps}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="app-tiles">
                        {list.apps.into_iter().map(|a| view! { <li><a href=a.url>{a.name}</a></li> }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <p class="error banner" role="alert">{error_text(&e)}</p> }.into_any(),
            })}
        </section>
    }
}
