use leptos::prelude::*;
use rekey_shared::{ApiError, BulkResetItem, BulkResetRequest, ResetOptions, UserSummary};
use wasm_bindgen::JsCast;

use super::recipients::RecipientsBox;
use crate::api;
use crate::components::SecretValue;
use crate::format::passwords_csv;
use crate::state::{admin_texts, error_text};

/// One user's one-time link: sent, or why not.
type LinkOutcome = (String, Result<(), ApiError>);

/// Users per request, so progress can be shown as each batch returns.
const BATCH: usize = 25;

/// Offers `csv` as a download made in the browser; it is never uploaded.
pub(crate) fn download_csv(csv: &str) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&csv.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download("rekey-new-passwords.csv");
    a.click();
    web_sys::Url::revoke_object_url(&url)
}

/// Resets the selected users with the same options, with progress, then a
/// result per user and the new passwords as a CSV.
///
/// - `me`: the signed-in admin (recipients are pre-filled with their email).
/// - `users`: the selected users.
/// - `on_close`: closes the pane.
#[component]
pub fn BulkPane(
    me: UserSummary,
    users: Vec<UserSummary>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let require_change = RwSignal::new(true);
    let u = admin_texts();
    let send_email = RwSignal::new(false);
    let recipients = RwSignal::new(vec![me.email.clone()]);
    let done = RwSignal::new(0usize);
    let running = RwSignal::new(false);
    let results: RwSignal<Option<Vec<BulkResetItem>>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let total = users.len();
    let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    let names: Vec<(String, String)> = users
        .iter()
        .map(|u| (u.id.clone(), u.display_name.clone()))
        .collect();

    // One-time links instead of passwords: one request per user, in order.
    let links = RwSignal::new(false);
    let link_results: RwSignal<Option<Vec<LinkOutcome>>> = RwSignal::new(None);
    let link_ids = ids.clone();
    // "Require re-register MFA" for the selection: its results as the
    // links' are shown, a line per failure.
    let reregistered = RwSignal::new(false);
    let rereg_ids = ids.clone();
    let reregister = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        error.set(None);
        let ids = rereg_ids.clone();
        leptos::task::spawn_local(async move {
            match api::bulk_require_reregistration(ids).await {
                Ok(r) => {
                    reregistered.set(true);
                    link_results.set(Some(
                        r.results
                            .into_iter()
                            .map(|i| (i.user_id, i.error.map_or(Ok(()), Err)))
                            .collect(),
                    ));
                }
                Err(e) => error.set(Some(e)),
            }
            running.set(false);
        });
    };
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if running.get_untracked() {
            return;
        }
        running.set(true);
        error.set(None);
        done.set(0);
        if links.get_untracked() {
            let ids = link_ids.clone();
            leptos::task::spawn_local(async move {
                let mut all = Vec::with_capacity(ids.len());
                for id in ids {
                    let outcome = api::send_link(&id).await.map(|_| ());
                    all.push((id, outcome));
                    done.set(all.len());
                }
                link_results.set(Some(all));
                running.set(false);
            });
            return;
        }
        let options = ResetOptions {
            require_change: require_change.get_untracked(),
            email_to: if send_email.get_untracked() {
                recipients.get_untracked()
            } else {
                Vec::new()
            },
            ..ResetOptions::default()
        };
        let ids = ids.clone();
        leptos::task::spawn_local(async move {
            let mut all = Vec::with_capacity(ids.len());
            for batch in ids.chunks(BATCH) {
                let request = BulkResetRequest {
                    user_ids: batch.to_vec(),
                    options: options.clone(),
                };
                match api::reset_many(&request).await {
                    Ok(r) => all.extend(r.results),
                    Err(e) => {
                        error.set(Some(e));
                        break;
                    }
                }
                done.set(all.len());
            }
            results.set(Some(all));
            running.set(false);
        });
    };

    let names = StoredValue::new(names);
    let name_of = move |id: &str| {
        names.with_value(|names| {
            names
                .iter()
                .find(|(i, _)| i == id)
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| id.to_string())
        })
    };

    // A modal as the reset pane is: heading focused, Tab kept inside,
    // Escape closes (not mid-run), focus back on the button that opened it.
    let pane = NodeRef::<leptos::html::Div>::new();
    crate::focus::modal_keys(pane, move || {
        if !running.get_untracked() {
            on_close.run(());
        }
    });
    on_cleanup(|| {
        crate::focus::focus_first_of(vec!["button.bulk-open".into(), "input.search".into()])
    });
    let heading = NodeRef::<leptos::html::H2>::new();
    let outcome = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        // The run's outcome once there is one, else the heading.
        let target = outcome
            .get()
            .map(|p| p.unchecked_into::<web_sys::HtmlElement>())
            .or_else(|| heading.get().map(|h| h.unchecked_into()));
        if let Some(t) = target {
            let _ = t.focus();
        }
    });

    view! {
        <div class="backdrop"></div>
        <div class="pane wide" role="dialog" aria-modal="true" aria-labelledby="bulk-title" node_ref=pane>
            <div class="pane-head">
                <h2 id="bulk-title" tabindex="-1" node_ref=heading>{(u.bulk_title)(total)}</h2>
                <button type="button" class="icon" aria-label=u.close disabled=move || running.get()
                    on:click=move |_| on_close.run(())>"×"</button>
            </div>
            {move || link_results.get().map(|items| {
                let ok = items.iter().filter(|(_, r)| r.is_ok()).count();
                let failures = items.into_iter().filter_map(|(id, r)| r.err().map(|e| (name_of(&id), e))).map(|(name, e)| view! {
                    <li>{name} ": " {error_text(&e)}</li>
                }).collect_view();
                view! {
                    <div class="pane-body done">
                        <p class="success" role="status" tabindex="-1" node_ref=outcome>
                            {if reregistered.get_untracked() { (u.bulk_reregister_done)(ok, total) } else { (u.bulk_links_done)(ok, total) }}
                        </p>
                        <ul class="deliveries failed">{failures}</ul>
                        <div class="pane-foot">
                            <button type="button" class="primary" on:click=move |_| on_close.run(())>{u.close}</button>
                        </div>
                    </div>
                }
            })}
            {move || match (link_results.with(Option::is_some), results.get()) {
                (true, _) => ().into_any(),
                (false, None) => view! {
                    <form class="pane-body" on:submit=start.clone()>
                        <p class="muted">{u.bulk_intro}</p>
                        <label class="choice">
                            <input type="checkbox" id="bulk-links" prop:checked=move || links.get()
                                on:change=move |ev| links.set(event_target_checked(&ev)) />
                            {u.bulk_link}
                        </label>
                        {move || (!links.get()).then(|| view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || require_change.get()
                                    on:change=move |ev| require_change.set(event_target_checked(&ev)) />
                                {u.bulk_require}
                            </label>
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || send_email.get()
                                    on:change=move |ev| send_email.set(event_target_checked(&ev)) />
                                {u.bulk_send}
                            </label>
                        })}
                        {move || (send_email.get() && !links.get()).then(|| view! {
                            <RecipientsBox recipients=recipients alternate=None server_error=Signal::derive(move || error.get().filter(|e| e.field.is_some()).map(|e| error_text(&e))) />
                        })}
                        {move || running.get().then(|| view! {
                            <progress class="progress" max=total.to_string() value=move || done.get().to_string()
                                aria-label=u.progress_label></progress>
                            <p class="muted" aria-live="polite">{move || (u.progress)(done.get(), total)}</p>
                        })}
                        {move || error.get().map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
                        <div class="pane-foot">
                            <button type="submit" class="primary" disabled=move || running.get()>
                                {move || if running.get() { u.resetting.to_string() } else if links.get() { u.send_link.to_string() } else { (u.bulk_submit)(total) }}
                            </button>
                            <button type="button" class="reregister" disabled=move || running.get()
                                on:click=reregister.clone()>{u.bulk_reregister}</button>
                        </div>
                    </form>
                }.into_any(),
                (false, Some(items)) => {
                    let ok = items.iter().filter(|i| i.result.is_some()).count();
                    let csv = passwords_csv(&items);
                    let rows = items.into_iter().map(|item| {
                        let name = name_of(&item.user_id);
                        match (item.result, item.error) {
                            (Some(r), _) => view! {
                                <tr class="ok"><td>{name}</td><td>{r.username.clone()}</td>
                                    <td><SecretValue value=r.password.clone() label=(u.new_password_for)(&r.username) /></td>
                                    <td>{if r.emails.iter().any(|e| e.status != rekey_shared::EmailStatus::Sent) { u.result_email_failed } else { u.result_reset }}</td></tr>
                            }.into_any(),
                            (None, e) => view! {
                                <tr class="failed"><td>{name}</td><td></td><td></td>
                                    <td class="error">{e.map(|e| error_text(&e)).unwrap_or_default()}</td></tr>
                            }.into_any(),
                        }
                    }).collect_view();
                    view! {
                        <div class="pane-body done">
                            <p class="success" role="status" tabindex="-1" node_ref=outcome>{(u.bulk_done)(ok, total)}</p>
                            {move || error.get().map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
                            <table class="grid results">
                                <thead><tr><th>{u.col_user}</th><th>{u.col_username}</th><th>{u.new_password}</th><th>{u.col_result}</th></tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                            <div class="pane-foot">
                                <button type="button" class="primary" on:click=move |_| { let _ = download_csv(&csv); }>{u.download_csv}</button>
                                <button type="button" on:click=move |_| on_close.run(())>{u.close}</button>
                            </div>
                        </div>
                    }.into_any()
                }
            }}
        </div>
    }
}
