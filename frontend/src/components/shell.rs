use leptos::prelude::*;
use rekey_shared::UserSummary;

use super::apps::{Apps, MyApps};
use super::audit::AuditLog;
use super::change_password::ChangePassword;
use super::confirm_password::ConfirmPassword;
use super::reset_requests::ResetRequests;
use super::users::ActiveUsers;
use super::LanguageSwitch;
use crate::route::{use_route, Route};
use crate::{api, PendingRequests, ResetJobs, Session};

/// The signed-in frame: header with navigation, the current page.
///
/// - `user`: the signed-in account.
#[component]
pub fn Shell(user: UserSummary) -> impl IntoView {
    let session = expect_context::<Session>();
    let jobs = ResetJobs::new();
    provide_context(jobs);
    let requests = PendingRequests::new();
    provide_context(requests);
    if user.role.is_admin() {
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
    }
    let confirming = RwSignal::new(false);
    api::on_reauthentication_required(move || confirming.set(true));
    let route = use_route();
    let page = Memo::new(move |_| -> u8 {
        match route.get() {
            Route::Audit => 1,
            Route::Requests => 2,
            Route::Apps => 3,
            Route::Password => 5,
            _ => 0,
        }
    });
    let open = Signal::derive(move || match route.get() {
        Route::ResetUser(id) => Some(id),
        _ => None,
    });
    let outbox = move || session.info.get().and_then(|i| i.outbox_url);
    let is_admin = user.role.is_admin();
    let global = user.role == rekey_shared::Role::GlobalAdmin;
    let me = user.clone();
    let t = crate::state::texts();

    // The current page is marked for screen readers and styled by the same
    // attribute.
    let current = move |p: u8| (page.get() == p).then_some("page");
    let nav = if is_admin {
        view! {
            <nav aria-label=t.ui.main_menu>
                <a href="#/users" aria-current=move || current(0)>{t.ui.nav_users}</a>
                <a href="#/requests" aria-current=move || current(2)>
                    {t.ui.nav_requests}
                    {move || match requests.list.with(Vec::len) {
                        0 => None,
                        n => Some(view! { <span class="count-badge">{n}<span class="visually-hidden">{t.ui.pending_suffix}</span></span> }),
                    }}
                </a>
                <a href="#/audit" aria-current=move || current(1)>{t.ui.nav_audit}</a>
                {global.then(|| view! { <a href="#/apps" aria-current=move || current(3)>{t.ui.nav_apps}</a> })}
                {move || outbox().map(|href| view! { <a href=href target="_blank" rel="noopener">{t.ui.nav_outbox}</a> })}
            </nav>
        }
        .into_any()
    } else {
        // A plain user's own things only: their apps and their password.
        view! {
            <nav aria-label=t.ui.main_menu>
                <a href="#/my-apps" aria-current=move || (page.get() != 5).then_some("page")>{t.ui.nav_my_apps}</a>
                <a href="#/password" aria-current=move || current(5)>{t.ui.change_title}</a>
            </nav>
        }
        .into_any()
    };
    let me_for_page = user.clone();

    view! {
        <header class="top">
            <span class="brand">"Rekey"</span>
            {nav}
            <span class="who">{user.display_name.clone()} <small>{t.ui.role(user.role)}</small></span>
            <LanguageSwitch />
            <button class="ghost" on:click=move |_| {
                leptos::task::spawn_local(async move {
                    api::sign_out().await;
                    session.me.set(None);
                });
            }>{t.ui.sign_out}</button>
        </header>
        <main class="content">
            <ConfirmPassword open=confirming />
            {move || if !is_admin {
                match page.get() {
                    5 => view! { <ChangePassword user=me_for_page.clone() forced=false /> }.into_any(),
                    _ => view! { <MyApps /> }.into_any(),
                }
            } else {
                // Keyed on the page kind only, so opening a pane keeps the list.
                match page.get() {
                    1 => view! { <AuditLog /> }.into_any(),
                    2 => view! { <ResetRequests /> }.into_any(),
                    3 if global => view! { <Apps /> }.into_any(),
                    _ => view! { <ActiveUsers me=me.clone() open=open /> }.into_any(),
                }
            }}
        </main>
    }
}
