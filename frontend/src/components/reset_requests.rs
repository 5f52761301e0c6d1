use leptos::prelude::*;

use crate::format::when;
use crate::route::Route;
use crate::PendingRequests;

/// The pending requests, newest first, each a step from its reset pane.
#[component]
pub fn ResetRequests() -> impl IntoView {
    let requests = expect_context::<PendingRequests>();
    requests.refresh();
    let heading = NodeRef::<leptos::html::H1>::new();
    crate::focus::focus_on_mount(heading);
    view! {
        <section class="requests">
            <h1 tabindex="-1" node_ref=heading>"Reset requests"</h1>
            <p class="muted">"Users who asked for a new password. Resetting a user's password resolves their request."</p>
            <table class="grid">
                <thead><tr><th>"Display name"</th><th>"Username"</th><th>"Asked"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    // A short list of plain rows: unkeyed, smaller than <For>.
                    {move || requests.list.with(|list| list.iter().map(|u| view! {
                        <tr>
                            <td class="name">{u.display_name.clone()}</td>
                            <td>{u.username.clone()}</td>
                            <td>{u.reset_requested_at.map(when).unwrap_or_default()}</td>
                            <td class="actions">
                                <a class="button" href=Route::ResetUser(u.id.clone()).href()>"Reset password"</a>
                            </td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            {move || requests.list.with(Vec::is_empty).then(|| view! { <p class="empty">"No pending requests."</p> })}
        </section>
    }
}
