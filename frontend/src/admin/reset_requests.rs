use leptos::prelude::*;

use crate::format::when;
use crate::requests::{banner, Load};
use crate::route::Route;
use crate::PendingRequests;

/// The pending requests, newest first, each a step from its reset pane.
#[component]
pub fn ResetRequests() -> impl IntoView {
    let requests = expect_context::<PendingRequests>();
    requests.refresh();
    let heading = NodeRef::<leptos::html::H1>::new();
    crate::focus::focus_on_mount(heading);
    let t = crate::state::admin_texts();
    let resolved: Load<Vec<rekey_shared::AuditEvent>> = Load::new();
    resolved.from(crate::api::self_resolved_requests());
    // A link that could not be sent says so above the list.
    let failed = resolved.error;
    view! {
        <section class="requests">
            <h1 tabindex="-1" node_ref=heading>{t.requests_title}</h1>
            <p class="muted">{t.requests_intro}</p>
            {banner(failed)}
            <table class="grid">
                <thead><tr><th>{t.col_display_name}</th><th>{t.col_username}</th><th>{t.col_asked}</th><th><span class="visually-hidden">{t.col_actions}</span></th></tr></thead>
                <tbody>
                    // A short list of plain rows: unkeyed, smaller than <For>.
                    {move || requests.list.with(|list| list.iter().map(|u| view! {
                        <tr>
                            <td class="name">{u.display_name.clone()}</td>
                            <td>{u.username.clone()}</td>
                            <td>{u.reset_requested_at.map(when).unwrap_or_default()}</td>
                            <td class="actions">
                                <a class="button" href=Route::ResetUser(u.id.clone()).href()>{t.reset_password}</a>
                                " "
                                // The other answer: a one-time link; sending it resolves the request.
                                <button type="button" class="send-link" on:click={
                                    let id = u.id.clone();
                                    move |_| {
                                        let id = id.clone();
                                        leptos::task::spawn_local(async move {
                                            match crate::api::send_link(&id).await {
                                                Ok(_) => requests.refresh(),
                                                Err(e) => failed.set(Some(e)),
                                            }
                                        });
                                    }
                                }>{t.send_link}</button>
                            </td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            {move || requests.list.with(Vec::is_empty).then(|| view! { <p class="empty">{t.no_requests}</p> })}
            {move || resolved.value.get().filter(|list| !list.is_empty()).map(|list| view! {
                <h2>{t.self_resolved_title}</h2>
                <table class="grid self-resolved">
                    <thead><tr><th>{t.col_display_name}</th><th>{t.col_username}</th><th>{t.col_resolved}</th><th>{t.col_verified_with}</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|e| {
                            let who = e.target.clone();
                            view! {
                                <tr>
                                    <td class="name">{who.as_ref().map(|p| p.display_name.clone())}</td>
                                    <td>{who.map(|p| p.username)}</td>
                                    <td>{when(e.at)}</td>
                                    <td>{super::audit::describe(&e, t)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
