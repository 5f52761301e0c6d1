use std::time::Duration;

use leptos::prelude::*;
use rekey_shared::{ApiError, UserSummary};

use super::lazy_pages;
use crate::by_id::ById;
use crate::format::{now_ms, statuses};
use crate::route::{navigate, Route};
use crate::{api, ResetJobs};

const KEY_ICON: &str =
    "M7 14a5 5 0 1 1 4.9-6H22v4h-2v3h-3v-3h-5.1A5 5 0 0 1 7 14Zm0-3a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z";

/// Active users: search as you type, Z-A/A-Z, paging, multi-select, and
/// the key icon that opens the reset pane.
///
/// - `me`: the signed-in admin (recipients are pre-filled with their email).
/// - `open`: the user whose reset pane is open, from the URL.
#[component]
pub fn ActiveUsers(me: UserSummary, #[prop(into)] open: Signal<Option<String>>) -> impl IntoView {
    let jobs = expect_context::<ResetJobs>();
    let query = RwSignal::new(String::new());
    let debounced = RwSignal::new(String::new());
    let descending = RwSignal::new(false);
    let rows: RwSignal<Vec<UserSummary>> = RwSignal::new(Vec::new());
    let next_cursor: RwSignal<Option<String>> = RwSignal::new(None);
    let loading = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let selected: RwSignal<ById<UserSummary>> = RwSignal::new(ById::new());
    let bulk_open = RwSignal::new(false);
    // The add-a-user pane (`Some(None)`) or one user's (`Some(Some(u))`).
    let person: RwSignal<Option<Option<UserSummary>>> = RwSignal::new(None);
    let importing = RwSignal::new(false);
    // Answers to superseded searches are dropped, not shown.
    let generation = StoredValue::new(0u64);
    let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);

    let load = move |append: bool| {
        let gen = generation.get_value() + 1;
        generation.set_value(gen);
        let q = debounced.get_untracked();
        let desc = descending.get_untracked();
        let cursor = if append {
            next_cursor.get_untracked()
        } else {
            None
        };
        loading.set(true);
        leptos::task::spawn_local(async move {
            let result = api::users(&q, cursor.as_deref(), desc).await;
            if generation.get_value() != gen {
                return;
            }
            match result {
                Ok(page) => {
                    error.set(None);
                    next_cursor.set(page.next_cursor);
                    if append {
                        rows.update(|r| r.extend(page.users));
                    } else {
                        rows.set(page.users);
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            loading.set(false);
        });
    };
    // First page whenever the (debounced) search or the order changes.
    Effect::new(move |_| {
        debounced.track();
        descending.track();
        load(false);
    });
    // A finished reset or a sent link changes a row's status: refresh
    // what is shown.
    Effect::new(move |prev: Option<(usize, u32)>| {
        let done = (jobs.results.with(ById::len), jobs.links_sent.get());
        if prev.is_some_and(|p| p != done) {
            load(false);
        }
        done
    });

    let on_search = move |ev: leptos::ev::Event| {
        query.set(event_target_value(&ev));
        if let Some(t) = timer.get_value() {
            t.clear();
        }
        let handle = set_timeout_with_handle(
            move || debounced.set(query.get_untracked().trim().to_string()),
            Duration::from_millis(200),
        )
        .ok();
        timer.set_value(handle);
    };

    let page_ids = move || rows.with(|r| r.iter().map(|u| u.id.clone()).collect::<Vec<_>>());
    let all_on_page = move || {
        let ids = page_ids();
        !ids.is_empty() && selected.with(|s| ids.iter().all(|id| s.contains(id)))
    };
    let toggle_page = move |on: bool| {
        let page = rows.get_untracked();
        selected.update(|s| {
            for u in page {
                if on {
                    s.insert(u.id.clone(), u);
                } else {
                    s.remove(&u.id);
                }
            }
        });
    };
    let me_for_pane = me.clone();
    let me_for_bulk = me.clone();
    let me_for_person = me.clone();
    let me_id = me.id.clone();

    let heading = NodeRef::<leptos::html::H1>::new();
    crate::focus::focus_on_mount(heading);
    let u = crate::state::admin_texts();
    view! {
        <section class="users">
            <div class="page-head">
                <h1 tabindex="-1" node_ref=heading>{u.nav_users}</h1>
                {move || {
                    let unseen = jobs.finished_unseen.get();
                    (!unseen.is_empty()).then(|| view! {
                        <div class="banner" role="status">
                            {unseen.into_iter().map(|(id, name)| view! {
                                <span>{u.finished_before} <strong>{name}</strong> {u.finished_after}
                                    <a href=Route::ResetUser(id.clone()).href()>{u.view_new_password}</a></span>
                            }).collect_view()}
                        </div>
                    })
                }}
            </div>
            <div class="toolbar">
                <input type="search" class="search" placeholder=u.search_placeholder
                    aria-label=u.search_label prop:value=move || query.get() on:input=on_search />
                <button type="button" class="primary bulk-open" disabled=move || selected.with(ById::is_empty)
                    on:click=move |_| bulk_open.set(true)>
                    {move || match selected.with(ById::len) {
                        0 | 1 => u.reset_password.to_string(),
                        n => (u.reset_password_n)(n),
                    }}
                </button>
                <span class="count" aria-live="polite">
                    {move || match selected.with(ById::len) {
                        0 => String::new(),
                        n => (u.selected)(n),
                    }}
                </span>
                {move || (!selected.with(ById::is_empty)).then(|| view! {
                    <button type="button" class="link" on:click=move |_| selected.set(ById::new())>{u.clear_selection}</button>
                })}
                <span class="toolbar-end">
                    <button type="button" class="add-user" on:click=move |_| person.set(Some(None))>{u.add_user}</button>
                    <button type="button" class="add-users" on:click=move |_| importing.set(true)>{u.add_users}</button>
                    <a class="button" href="/api/users/export" download="users.csv">{u.export_users}</a>
                </span>
            </div>
            {move || error.get().map(|e| view! { <p class="error banner" role="alert">{e.message}</p> })}
            <table class="grid users-grid">
                <thead>
                    <tr>
                        <th class="check">
                            <input type="checkbox" aria-label=u.select_all
                                prop:checked=all_on_page
                                on:change=move |ev| toggle_page(event_target_checked(&ev)) />
                        </th>
                        <th>
                            <button type="button" class="sort" aria-label=u.sort_by_name
                                on:click=move |_| descending.update(|d| *d = !*d)>
                                {u.col_display_name} " " {move || if descending.get() { "↓" } else { "↑" }}
                            </button>
                        </th>
                        <th>{u.col_username}</th>
                        <th>{u.col_email}</th>
                        <th>{u.col_role}</th>
                        <th>{u.col_status}</th>
                        <th class="actions"><span class="visually-hidden">{u.col_actions}</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|u| (u.id.clone(), u.version) let:user>
                        {
                            let id = user.id.clone();
                            let id_check = id.clone();
                            let for_select = user.clone();
                            let is_me = user.id == me_id;
                            let can_reset = me.role.can_reset(user.role) && !is_me;
                            let now = now_ms();
                            let reset_label = (u.reset_for)(&user.display_name);
                            view! {
                                <tr class:selected=move || selected.with(|s| s.contains(&id_check))>
                                    <td class="check">
                                        <input type="checkbox" aria-label=(u.select_user)(&user.display_name)
                                            prop:checked={ let id = id.clone(); move || selected.with(|s| s.contains(&id)) }
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                let u = for_select.clone();
                                                selected.update(|s| { if on { s.insert(u.id.clone(), u); } else { s.remove(&u.id); } });
                                            } />
                                    </td>
                                    <td class="name">
                                        {let whom = user.clone(); view! {
                                            <button type="button" class="link person" disabled=!can_reset
                                                on:click=move |_| person.set(Some(Some(whom.clone())))>{user.display_name.clone()}</button>
                                        }}
                                    </td>
                                    <td>{user.username.clone()}</td>
                                    <td>{user.email.clone()}</td>
                                    <td class="role">{u.role(user.role)}</td>
                                    <td>
                                        {statuses(&user, now, u).into_iter().map(|(kind, text)| view! {
                                            <span class=format!("badge {kind}")>{text}</span>
                                        }).collect_view()}
                                        {let id = id.clone(); move || jobs.pending.with(|p| p.contains(&id)).then(|| view! {
                                            <span class="badge warn">{u.resetting}</span>
                                        })}
                                    </td>
                                    <td class="actions">
                                        <button type="button" class="icon key" title=reset_label.clone() aria-label=reset_label data-user=id.clone()
                                            disabled=!can_reset
                                            on:click={ let id = id.clone(); move |_| navigate(&Route::ResetUser(id.clone())) }>
                                            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d=KEY_ICON fill="currentColor"/></svg>
                                        </button>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            {move || (rows.with(Vec::is_empty) && !loading.get() && error.get().is_none()).then(|| view! {
                <p class="empty">{u.no_match}</p>
            })}
            <div class="pager">
                {move || loading.get().then(|| view! { <span class="spinner" role="status">{u.loading}</span> })}
                {move || (next_cursor.get().is_some() && !loading.get()).then(|| view! {
                    <button type="button" on:click=move |_| load(true)>{u.load_more}</button>
                })}
                <span class="muted">{move || (u.shown)(rows.with(Vec::len))}</span>
            </div>
        </section>
        {move || open.get().map(|id| {
            let known = rows.with_untracked(|r| r.iter().find(|u| u.id == id).cloned());
            lazy_pages::when_loaded(lazy_pages::reset_pane(id, me_for_pane.clone(), known))
        })}
        {move || person.get().map(|whom| {
            let on_close = Callback::new(move |()| { person.set(None); load(false); });
            lazy_pages::when_loaded(lazy_pages::person_pane(me_for_person.clone(), whom, on_close))
        })}
        {move || importing.get().then(|| {
            let on_close = Callback::new(move |()| { importing.set(false); load(false); });
            lazy_pages::when_loaded(lazy_pages::import_pane(on_close))
        })}
        {move || bulk_open.get().then(|| {
            let chosen: Vec<UserSummary> = selected.get_untracked().into_values().collect();
            let on_close = Callback::new(move |()| { bulk_open.set(false); load(false); });
            lazy_pages::when_loaded(lazy_pages::bulk_pane(me_for_bulk.clone(), chosen, on_close))
        })}
    }
}
