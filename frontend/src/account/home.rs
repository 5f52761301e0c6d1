use leptos::prelude::*;
use rekey_shared::UserSummary;

use super::change_password::ChangePassword;
use super::my_apps::MyApps;
use super::security_info::SecurityInfo;
use super::LanguageSwitch;
use crate::route::Route;
use crate::state::ui_texts;

/// A signed-in employee's frame: her apps and her password, and for an
/// admin the way to the admin center.
///
/// - `user`: the signed-in account.
/// - `page`: `Route::Password` or `Route::SecurityInfo` for those pages,
///   else My apps.
#[component]
pub fn Home(user: UserSummary, page: Route) -> impl IntoView {
    let t = ui_texts();
    let password = page == Route::Password;
    let security = page == Route::SecurityInfo;
    let current = move |this: bool| this.then_some("page");
    view! {
        <header class="top">
            <span class="brand">"Rekey"</span>
            <nav aria-label=t.main_menu>
                <a href="#/my-apps" aria-current=current(!password && !security)>{t.nav_my_apps}</a>
                <a href="#/security-info" aria-current=current(security)>{t.security_info}</a>
                <a href="#/password" aria-current=current(password)>{t.change_title}</a>
                {user.role.is_admin().then(|| view! { <a href=crate::state::ADMIN_CENTER>{t.nav_admin_center}</a> })}
            </nav>
            <span class="who">{user.display_name.clone()} <small>{t.role(user.role)}</small></span>
            <LanguageSwitch />
            <button class="ghost" on:click=move |_| {
                leptos::task::spawn_local(async move {
                    crate::api::sign_out().await;
                    crate::state::pass_on("/");
                });
            }>{t.sign_out}</button>
        </header>
        <main class="content">
            {if password {
                view! { <ChangePassword user=user forced=false /> }.into_any()
            } else if security {
                view! { <SecurityInfo /> }.into_any()
            } else {
                view! { <MyApps /> }.into_any()
            }}
        </main>
    }
}
