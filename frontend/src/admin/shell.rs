use leptos::prelude::*;
use rekey_shared::UserSummary;

use super::lazy_pages;
use super::users::ActiveUsers;
use super::LanguageSwitch;
use crate::components::ConfirmPassword;
use crate::route::{use_route, Route};
use crate::{api, PendingRequests, ResetJobs};

/// The admin center's frame: header with navigation, the current page.
///
/// - `user`: the signed-in admin.
#[component]
pub fn Shell(user: UserSummary) -> impl IntoView {
    let session = expect_context::<crate::Session>();
    let jobs = ResetJobs::new();
    provide_context(jobs);
    let requests = PendingRequests::new();
    provide_context(requests);
    requests.refresh();
    // Finished resets resolve requests; new requests arrive any time.
    Effect::new(move |prev: Option<usize>| {
        let n = jobs.results.with(crate::by_id::ById::len);
        if prev.is_some_and(|p| p != n) {
            requests.refresh();
        }
        n
    });
    let handle = set_interval_with_handle(
        move || requests.refresh(),
        std::time::Duration::from_secs(30),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    let confirming = RwSignal::new(false);
    api::on_reauthentication_required(move || confirming.set(true));
    let route = use_route();
    let page = Memo::new(move |_| -> u8 {
        match route.get() {
            Route::Audit => 1,
            Route::Requests => 2,
            Route::Apps => 3,
            Route::PasswordReset => 4,
            _ => 0,
        }
    });
    let open = Signal::derive(move || match route.get() {
        Route::ResetUser(id) => Some(id),
        _ => None,
    });
    let outbox = move || session.info.get().and_then(|i| i.outbox_url);
    let global = user.role == rekey_shared::Role::GlobalAdmin;
    let me = user.clone();
    let t = crate::state::admin_texts();

    // The current page is marked for screen readers and styled by the same
    // attribute.
    let current = move |p: u8| (page.get() == p).then_some("page");
    view! {
        <header class="top">
            <span class="brand">"Rekey"</span>
            <nav aria-label=t.main_menu>
                <a href="#/users" aria-current=move || current(0)>{t.nav_users}</a>
                <a href="#/requests" aria-current=move || current(2)>
                    {t.nav_requests}
                    {move || match requests.list.with(Vec::len) {
                        0 => None,
                        n => Some(view! { <span class="count-badge">{n}<span class="visually-hidden">{t.pending_suffix}</span></span> }),
                    }}
                </a>
                <a href="#/audit" aria-current=move || current(1)>{t.nav_audit}</a>
                {global.then(|| view! { <a href="#/apps" aria-current=move || current(3)>{t.nav_apps}</a> })}
                {global.then(|| view! { <a href="#/password-reset" aria-current=move || current(4)>{t.nav_password_reset}</a> })}
                {move || outbox().map(|href| view! { <a href=href target="_blank" rel="noopener">{t.nav_outbox}</a> })}
                // The admin's own apps and password are in the account app.
                <a href="/account/#/my-apps">{t.nav_my_apps}</a>
            </nav>
            <span class="who">{user.display_name.clone()} <small>{t.role(user.role)}</small></span>
            <LanguageSwitch />
            <button class="ghost" on:click=move |_| {
                leptos::task::spawn_local(async move {
                    api::sign_out().await;
                    crate::state::pass_on("/");
                });
            }>{t.sign_out}</button>
        </header>
        <main class="content">
            <ConfirmPassword open=confirming />
            // Keyed on the page kind only, so opening a pane keeps the list.
            {move || match page.get() {
                // Each page's code comes the first time it opens.
                1 => lazy_pages::when_loaded(lazy_pages::audit_log()).into_any(),
                2 => lazy_pages::when_loaded(lazy_pages::reset_requests()).into_any(),
                3 if global => lazy_pages::when_loaded(lazy_pages::apps()).into_any(),
                4 if global => lazy_pages::when_loaded(lazy_pages::reset_settings()).into_any(),
                _ => view! { <ActiveUsers me=me.clone() open=open /> }.into_any(),
            }}
        </main>
    }
}
