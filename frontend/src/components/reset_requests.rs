use leptos::prelude::*;
use rekey_shared::UserSummary;

use crate::api;
use crate::format::when;
use crate::route::Route;

/// Users who asked for a reset that the signed-in admin may do.
#[derive(Clone, Copy)]
pub struct PendingRequests {
    pub list: RwSignal<Vec<UserSummary>>,
}

impl PendingRequests {
    pub fn new() -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
        }
    }

    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            if let Ok(list) = api::reset_requests().await {
                self.list.set(list);
            }
        });
    }
}

/// The pending requests, newest first, each a step from its reset pane.
#[component]
pub fn Requests() -> impl IntoView {
    let requests = expect_context::<PendingRequests>();
    requests.refresh();
    view! {
        <section class="requests">
            <h1>"Reset requests"</h1>
            <p class="muted">"Users who asked for a new password. Resetting a user's password resolves their request."</p>
            <table class="grid">
                <thead><tr><th>"Display name"</th><th>"Username"</th><th>"Asked"</th><th></th></tr></thead>
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
