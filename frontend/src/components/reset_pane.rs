use leptos::html;
use leptos::prelude::*;
use rekey_shared::{
    ApiError, EmailStatus, ErrorCode, PasswordChoice, ResetOptions, ResetResult, UserSummary,
};

use super::recipients::RecipientsBox;
use super::secret::SecretValue;
use super::users::ResetJobs;
use crate::api;
use crate::format::when;
use crate::route::{navigate, Route};

/// The reset pane (a modal side panel, as in the M365 admin center).
///
/// - `user_id`: whose password to reset.
/// - `me`: the signed-in admin.
/// - `known`: the user's row, when the list has it (otherwise fetched).
#[component]
pub fn ResetPane(user_id: String, me: UserSummary, known: Option<UserSummary>) -> impl IntoView {
    let jobs = expect_context::<ResetJobs>();
    let user: RwSignal<Option<UserSummary>> = RwSignal::new(known.clone());
    let load_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    if known.is_none() {
        let id = user_id.clone();
        leptos::task::spawn_local(async move {
            match api::user(&id).await {
                Ok(u) => user.set(Some(u)),
                Err(e) => load_error.set(Some(e)),
            }
        });
    }
    // Seen now: no "finished while closed" banner for this user.
    jobs.finished_unseen.update(|m| {
        m.remove(&user_id);
    });

    let close = {
        let id = user_id.clone();
        move || {
            // A shown result is done with; a pending one stays with its job.
            if !jobs.pending.with_untracked(|p| p.contains(&id)) {
                jobs.results.update(|r| {
                    r.remove(&id);
                });
            }
            navigate(&Route::Users);
        }
    };
    let close_on_escape = close.clone();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            close_on_escape();
        }
    });
    on_cleanup(move || handle.remove());

    let heading = NodeRef::<html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });

    // Only success swaps the form for the result; errors stay in the form,
    // which keeps what the admin typed.
    let id_for_result = user_id.clone();
    let done = Memo::new(move |_| {
        jobs.results
            .with(|r| matches!(r.get(&id_for_result), Some(Ok(_))))
    });
    let id_for_result = user_id.clone();
    let result = move || {
        jobs.results
            .with_untracked(|r| r.get(&id_for_result).cloned())
            .and_then(Result::ok)
    };
    let close_backdrop = close.clone();
    let close_x = close.clone();

    view! {
        <div class="backdrop" on:click=move |_| close_backdrop()></div>
        <aside class="pane" role="dialog" aria-modal="true" aria-labelledby="pane-title">
            <div class="pane-head">
                <h2 id="pane-title" tabindex="-1" node_ref=heading>"Reset password"</h2>
                <button type="button" class="icon" aria-label="Close" on:click=move |_| close_x()>"×"</button>
            </div>
            {move || load_error.get().map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
            {
                let me = me.clone();
                let close = close.clone();
                let user_id = user_id.clone();
                move || match (user.get(), done.get().then(&result).flatten()) {
                    (None, _) => view! { <p class="muted">"Loading…"</p> }.into_any(),
                    (Some(u), Some(r)) => view! { <ResetDone user=u result=r on_close=close.clone() /> }.into_any(),
                    (Some(u), None) => view! { <ResetForm user=u me=me.clone() user_id=user_id.clone() /> }.into_any(),
                }
            }
        </aside>
    }
}

/// The options: generate or type, require change, send in email.
#[component]
fn ResetForm(user: UserSummary, me: UserSummary, user_id: String) -> impl IntoView {
    let jobs = expect_context::<ResetJobs>();
    let generate = RwSignal::new(true);
    let typed = RwSignal::new(String::new());
    let show_typed = RwSignal::new(false);
    let require_change = RwSignal::new(true);
    let send_email = RwSignal::new(false);
    let recipients = RwSignal::new(vec![me.email.clone()]);
    let id = user_id.clone();
    let error = Memo::new(move |_| {
        jobs.results
            .with(|r| r.get(&id).cloned())
            .and_then(Result::err)
    });
    let id = user_id.clone();
    let pending = Memo::new(move |_| jobs.pending.with(|p| p.contains(&id)));
    let field_error = move |prefix: &'static str| {
        Signal::derive(move || {
            error
                .get()
                .filter(|e| e.field.as_deref().is_some_and(|f| f.starts_with(prefix)))
                .map(|e| e.message)
        })
    };
    let general_error = move || {
        error
            .get()
            .filter(|e| e.field.is_none() && e.code != ErrorCode::Unauthenticated)
            .map(|e| e.message)
    };
    let typed_len = move || typed.get().chars().count();

    let display_name = user.display_name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let options = ResetOptions {
            password: if generate.get_untracked() {
                PasswordChoice::Generate
            } else {
                PasswordChoice::Typed {
                    password: typed.get_untracked(),
                }
            },
            require_change: require_change.get_untracked(),
            email_to: if send_email.get_untracked() {
                recipients.get_untracked()
            } else {
                Vec::new()
            },
        };
        let id = user_id.clone();
        let name = display_name.clone();
        jobs.results.update(|r| {
            r.remove(&id);
        });
        jobs.pending.update(|p| {
            p.insert(id.clone());
        });
        leptos::task::spawn_local(async move {
            let outcome = api::reset(&id, &options).await;
            let succeeded = outcome.is_ok();
            jobs.pending.update(|p| {
                p.remove(&id);
            });
            jobs.results.update(|r| {
                r.insert(id.clone(), outcome);
            });
            let still_open = window()
                .location()
                .hash()
                .is_ok_and(|h| h == Route::ResetUser(id.clone()).href());
            if succeeded && !still_open {
                jobs.finished_unseen.update(|m| {
                    m.insert(id, name);
                });
            }
        });
    };

    view! {
        <form class="pane-body" on:submit=submit>
            <p class="target"><strong>{user.display_name.clone()}</strong><br/><span class="muted">{user.username.clone()} " · " {user.email.clone()}</span></p>
            <fieldset>
                <legend class="visually-hidden">"New password"</legend>
                <label class="choice">
                    <input type="radio" name="mode" prop:checked=move || generate.get() on:change=move |_| generate.set(true) />
                    "Automatically generate password"
                </label>
                <label class="choice">
                    <input type="radio" name="mode" prop:checked=move || !generate.get() on:change=move |_| generate.set(false) />
                    "Let me create the password"
                </label>
            </fieldset>
            <Show when=move || !generate.get()>
                <div class="typed">
                    <label for="typed-password">"Password"</label>
                    <div class="row">
                        <input id="typed-password" autocomplete="new-password"
                            type=move || if show_typed.get() { "text" } else { "password" }
                            prop:value=move || typed.get()
                            on:input=move |ev| typed.set(event_target_value(&ev)) />
                        <button type="button" class="small" on:click=move |_| show_typed.update(|s| *s = !*s)>
                            {move || if show_typed.get() { "Hide" } else { "Show" }}
                        </button>
                    </div>
                    <p class="hint" aria-live="polite">
                        {move || match typed_len() {
                            n if n < 8 => format!("{n} characters; at least 8 needed"),
                            n if n > 128 => format!("{n} characters; at most 128"),
                            n => format!("{n} characters"),
                        }}
                    </p>
                    {move || field_error("password").get().map(|m| view! { <p class="error policy" role="alert">{m}</p> })}
                </div>
            </Show>
            <label class="choice">
                <input type="checkbox" prop:checked=move || require_change.get()
                    on:change=move |ev| require_change.set(event_target_checked(&ev)) />
                "Require this user to change their password when they first sign in"
            </label>
            <label class="choice">
                <input type="checkbox" id="send-email" prop:checked=move || send_email.get()
                    on:change=move |ev| send_email.set(event_target_checked(&ev)) />
                "Send password in email"
            </label>
            <Show when=move || send_email.get()>
                <RecipientsBox recipients=recipients alternate=user.alternate_email.clone()
                    user_name=user.display_name.clone() server_error=field_error("email_to") />
            </Show>
            {move || general_error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="pane-foot">
                <button type="submit" class="primary"
                    disabled=move || pending.get() || (!generate.get() && typed_len() == 0) || (send_email.get() && recipients.with(Vec::is_empty))>
                    {move || if pending.get() { "Resetting…" } else { "Reset password" }}
                </button>
            </div>
        </form>
    }
}

/// The outcome: the password once (masked, Show, Copy), and the emails.
#[component]
fn ResetDone(
    user: UserSummary,
    result: ResetResult,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let emailed = !result.emails.is_empty();
    view! {
        <div class="pane-body done">
            <p class="success" role="status">"The password for " <strong>{user.display_name.clone()}</strong> " has been reset."</p>
            <p class="label">"New password"</p>
            <SecretValue value=result.password.clone() label=format!("New password for {}", user.username) />
            <p class="muted">
                {if result.must_change_password { "They must change it when they next sign in." } else { "They don't have to change it." }}
                {result.temporary_password_expires_at.map(|e| format!(" It stops working on {}.", when(e)))}
            </p>
            {emailed.then(|| view! {
                <h3>"Email"</h3>
                <ul class="deliveries">
                    {result.emails.iter().map(|e| {
                        let sent = e.status == EmailStatus::Sent;
                        view! {
                            <li class=if sent { "sent" } else { "failed" }>
                                {if sent { "Sent to " } else { "Not sent to " }}
                                <strong>{e.recipient.clone()}</strong>
                                {e.error.clone().map(|m| format!(": {m}"))}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <div class="pane-foot">
                <button type="button" class="primary" on:click=move |_| on_close.run(())>
                    {if emailed { "Close" } else { "Done" }}
                </button>
            </div>
        </div>
    }
}
