use leptos::html;
use leptos::prelude::*;
use rekey_shared::validate::MAX_PASSWORD_LEN;
use rekey_shared::{ApiError, ErrorCode, PasswordChoice, ResetLinkSent, ResetOptions, UserSummary};

use super::recipients::RecipientsBox;
use super::reset_done::{deliveries, ResetDone};
use crate::format::when;
use crate::route::{navigate, Route};
use crate::state::{admin_texts, error_text};
use crate::{api, ResetJobs, Session};

/// The reset pane: a modal side panel, so the list stays in view behind it.
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
    let pane = NodeRef::<html::Div>::new();
    crate::focus::modal_keys(pane, close.clone());
    // Closed by any means (Escape, ×, Close, the backdrop, Back): focus
    // returns to the key icon that opened the pane, or the search box.
    let opener = format!("button.key[data-user=\"{user_id}\"]");
    on_cleanup(move || crate::focus::focus_first_of(vec![opener, "input.search".into()]));

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
        <div class="pane" role="dialog" aria-modal="true" aria-labelledby="pane-title" node_ref=pane>
            <div class="pane-head">
                <h2 id="pane-title" tabindex="-1" node_ref=heading>{admin_texts().reset_password}</h2>
                <button type="button" class="icon" aria-label=admin_texts().close on:click=move |_| close_x()>"×"</button>
            </div>
            {move || load_error.get().map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
            {
                let me = me.clone();
                let close = close.clone();
                let user_id = user_id.clone();
                move || match (user.get(), done.get().then(&result).flatten()) {
                    (None, _) => view! { <p class="muted">{admin_texts().loading}</p> }.into_any(),
                    (Some(u), Some(r)) => view! { <ResetDone user=u result=r me_email=me.email.clone() on_close=close.clone() /> }.into_any(),
                    (Some(u), None) => view! { <ResetForm user=u me=me.clone() user_id=user_id.clone() /> }.into_any(),
                }
            }
        </div>
    }
}

/// The options: generate or type, require change, send in email.
#[component]
fn ResetForm(user: UserSummary, me: UserSummary, user_id: String) -> impl IntoView {
    let jobs = expect_context::<ResetJobs>();
    let u = admin_texts();
    let generate = RwSignal::new(true);
    // The third choice: a one-time link instead of a password.
    let link = RwSignal::new(false);
    let link_sent: RwSignal<Option<ResetLinkSent>> = RwSignal::new(None);
    let link_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
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
                .map(|e| error_text(&e))
        })
    };
    let general_error = move || {
        error
            .get()
            .filter(|e| e.field.is_none() && e.code != ErrorCode::Unauthenticated)
            .map(|e| error_text(&e))
    };
    let typed_len = move || typed.get().chars().count();
    // The organisation's policy, as the change-password page uses it.
    let session = use_context::<Session>();
    let min_len = move || {
        session.map_or(rekey_shared::validate::DEFAULT_MIN_PASSWORD_LEN, |s| {
            s.min_password_length()
        })
    };

    let display_name = user.display_name.clone();
    let link_for = user_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        if link.get_untracked() {
            let id = link_for.clone();
            jobs.pending.update(|p| {
                p.insert(id.clone(), ());
            });
            link_error.set(None);
            leptos::task::spawn_local(async move {
                let outcome = api::send_link(&id).await;
                jobs.pending.update(|p| {
                    p.remove(&id);
                });
                match outcome {
                    Ok(sent) => {
                        link_sent.set(Some(sent));
                        jobs.links_sent.update(|n| *n += 1);
                    }
                    Err(e) => link_error.set(Some(e)),
                }
            });
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
            p.insert(id.clone(), ());
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
                <legend class="visually-hidden">{u.new_password}</legend>
                <label class="choice">
                    <input type="radio" name="mode" prop:checked=move || generate.get() && !link.get()
                        on:change=move |_| { generate.set(true); link.set(false); } />
                    {u.auto_generate}
                </label>
                <label class="choice">
                    <input type="radio" name="mode" prop:checked=move || !generate.get() && !link.get()
                        on:change=move |_| { generate.set(false); link.set(false); } />
                    {u.let_me_create}
                </label>
                <label class="choice">
                    <input type="radio" name="mode" id="mode-link" prop:checked=move || link.get()
                        on:change=move |_| link.set(true) />
                    {u.choice_link}
                </label>
            </fieldset>
            {move || link_sent.get().map(|sent| view! {
                <p class="success" role="status">{(u.link_sent_result)(&when(sent.expires_at))}</p>
                {deliveries(&sent.emails)}
            })}
            {move || link_error.get().map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
            {move || (!generate.get() && !link.get()).then(|| view! {
                <div class="typed">
                    <label for="typed-password">{u.password}</label>
                    <div class="row">
                        <input id="typed-password" autocomplete="new-password"
                            type=move || if show_typed.get() { "text" } else { "password" }
                            prop:value=move || typed.get()
                            on:input=move |ev| typed.set(event_target_value(&ev)) />
                        <button type="button" class="small" on:click=move |_| show_typed.update(|s| *s = !*s)>
                            {move || if show_typed.get() { u.hide } else { u.show }}
                        </button>
                    </div>
                    <p class="hint" aria-live="polite">
                        {move || u.length_hint(typed_len(), min_len(), MAX_PASSWORD_LEN)}
                    </p>
                    {move || field_error("password").get().map(|m| view! { <p class="error policy" role="alert">{m}</p> })}
                </div>
            })}
            {move || (!link.get()).then(|| view! {
                <label class="choice">
                    <input type="checkbox" prop:checked=move || require_change.get()
                        on:change=move |ev| require_change.set(event_target_checked(&ev)) />
                    {u.require_change}
                </label>
                <label class="choice">
                    <input type="checkbox" id="send-email" prop:checked=move || send_email.get()
                        on:change=move |ev| send_email.set(event_target_checked(&ev)) />
                    {u.send_email}
                </label>
            })}
            {
                let (alternate, name) = (user.alternate_email.clone(), user.display_name.clone());
                move || (send_email.get() && !link.get()).then(|| view! {
                    <RecipientsBox recipients=recipients alternate=alternate.clone()
                        user_name=name.clone() server_error=field_error("email_to") />
                })
            }
            {move || general_error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="pane-foot">
                <button type="submit" class="primary"
                    disabled=move || pending.get() || link_sent.with(Option::is_some)
                        || (!link.get() && ((!generate.get() && typed_len() == 0) || (send_email.get() && recipients.with(Vec::is_empty))))>
                    {move || if pending.get() { u.resetting } else if link.get() { u.send_link } else { u.reset_password }}
                </button>
            </div>
        </form>
    }
}

/// The pane's state in headless Chromium (wasm-bindgen-test); the requests
/// themselves are covered end to end in `tests/tests/browser`.
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use leptos::mount::mount_to;
    use leptos::prelude::*;
    use leptos::task::tick;
    use rekey_shared::{EmailOutcome, EmailStatus, ResetResult, Role, UserSummary};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlInputElement};

    use super::ResetPane;
    use crate::test_dom::{find, fresh_root, key_down, type_into};
    use crate::ResetJobs;

    wasm_bindgen_test_configure!(run_in_browser);

    fn person(
        id: &str,
        name: &str,
        email: &str,
        alternate: Option<&str>,
        role: Role,
    ) -> UserSummary {
        UserSummary {
            id: id.into(),
            username: id.into(),
            display_name: name.into(),
            email: email.into(),
            alternate_email: alternate.map(Into::into),
            role,
            must_change_password: false,
            locked_until: None,
            temporary_password_expires_at: None,
            reset_requested_at: None,
            reset_link: None,
            preferred_language: None,
            version: 3,
            blocked: false,
            first_name: None,
            last_name: None,
            temporary_pass_expires_at: None,
        }
    }

    fn megan() -> UserSummary {
        person(
            "megan",
            "Megan Bowen",
            "megan@contoso.example",
            Some("megan@home.example"),
            Role::User,
        )
    }

    fn pane(jobs: ResetJobs) -> (Element, impl Sized) {
        pane_in(jobs, None)
    }

    /// Megan's pane, opened by Alex, with the session's service info when
    /// given (as the app provides it).
    fn pane_in(jobs: ResetJobs, session: Option<crate::Session>) -> (Element, impl Sized) {
        let root = fresh_root();
        let me = person(
            "alex",
            "Alex Wilber",
            "alex@contoso.example",
            None,
            Role::GlobalAdmin,
        );
        let handle = mount_to(root.clone().unchecked_into(), move || {
            provide_context(jobs);
            if let Some(session) = session {
                provide_context(session);
            }
            view! { <ResetPane user_id="megan".to_string() me=me.clone() known=Some(megan()) /> }
        });
        (root, handle)
    }

    fn text(root: &Element, selector: &str) -> String {
        find::<Element>(root, selector)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    fn submit(root: &Element) -> HtmlButtonElement {
        find(root, "button[type=submit]").unwrap()
    }

    #[wasm_bindgen_test]
    async fn the_form_starts_as_in_m365_and_reveals_recipients_and_a_typed_password() {
        let (root, _handle) = pane(ResetJobs::new());
        tick().await;
        let radios = root.query_selector_all("input[name=mode]").unwrap();
        let generate: HtmlInputElement = radios.item(0).unwrap().unchecked_into();
        let typed: HtmlInputElement = radios.item(1).unwrap().unchecked_into();
        assert!(generate.checked());
        let boxes = root.query_selector_all("input[type=checkbox]").unwrap();
        let require: HtmlInputElement = boxes.item(0).unwrap().unchecked_into();
        assert!(require.checked(), "require a change is on by default");
        let send: HtmlInputElement = find(&root, "#send-email").unwrap();
        assert!(!send.checked());
        assert!(find::<Element>(&root, ".recipients").is_none());

        send.click();
        tick().await;
        assert_eq!(text(&root, ".chip span"), "alex@contoso.example");
        assert!(text(&root, ".add-alternate").contains("megan@home.example"));

        typed.click();
        tick().await;
        assert_eq!(
            text(&root, ".typed .hint"),
            "0 characters; at least 8 needed"
        );
        assert!(submit(&root).disabled(), "nothing typed yet");
        let field: HtmlInputElement = find(&root, "#typed-password").unwrap();
        assert_eq!(field.type_(), "password");
        type_into(&field, "abc");
        tick().await;
        assert_eq!(
            text(&root, ".typed .hint"),
            "3 characters; at least 8 needed"
        );
        assert!(
            !submit(&root).disabled(),
            "the server gives the policy's reason"
        );
    }

    #[wasm_bindgen_test]
    async fn the_length_hint_follows_the_organisations_policy_not_fixed_numbers() {
        let session = crate::Session::new();
        session.info.set(Some(rekey_shared::ServiceInfo {
            organization: "Contoso".into(),
            outbox_url: None,
            min_password_length: 12,
            time_zone: "UTC".into(),
            default_language: rekey_shared::Lang::En,
        }));
        let (root, _handle) = pane_in(ResetJobs::new(), Some(session));
        tick().await;
        let typed: HtmlInputElement = root
            .query_selector_all("input[name=mode]")
            .unwrap()
            .item(1)
            .unwrap()
            .unchecked_into();
        typed.click();
        tick().await;
        let field: HtmlInputElement = find(&root, "#typed-password").unwrap();
        type_into(&field, "abcdefghij");
        tick().await;
        assert_eq!(
            text(&root, ".typed .hint"),
            "10 characters; at least 12 needed"
        );
        type_into(&field, &"x".repeat(130));
        tick().await;
        assert_eq!(text(&root, ".typed .hint"), "130 characters; at most 128");
    }

    fn tab(shift: bool) {
        key_down(&document().active_element().unwrap(), "Tab", shift);
    }

    fn focused_label(root: &Element) -> String {
        let active = document().active_element().unwrap();
        assert!(root.contains(Some(&active)), "focus left the pane");
        active
            .get_attribute("aria-label")
            .or_else(|| active.text_content())
            .unwrap_or_default()
    }

    #[wasm_bindgen_test]
    async fn tab_keeps_focus_inside_the_modal_pane() {
        let (root, _handle) = pane(ResetJobs::new());
        tick().await;
        let outside = document().create_element("button").unwrap();
        document().body().unwrap().append_child(&outside).unwrap();
        outside.unchecked_ref::<HtmlElement>().focus().unwrap();
        tab(false);
        assert_eq!(
            focused_label(&root),
            "Close",
            "focus is brought into the pane"
        );

        // Shift+Tab from the first control goes to the last, Tab back.
        tab(true);
        assert_eq!(focused_label(&root), "Reset password");
        tab(false);
        assert_eq!(focused_label(&root), "Close");
        outside.remove();
    }

    #[wasm_bindgen_test]
    async fn a_result_that_arrives_after_the_pane_closed_is_shown_when_it_reopens() {
        let jobs = ResetJobs::new();
        let (root, handle) = pane(jobs);
        tick().await;
        jobs.pending.update(|p| {
            p.insert("megan".into(), ());
        });
        tick().await;
        assert!(submit(&root).disabled());
        assert_eq!(submit(&root).text_content().unwrap(), "Resetting…");
        find::<HtmlElement>(&root, "button[aria-label=Close]")
            .unwrap()
            .click();
        tick().await;
        drop(handle);
        root.remove();

        // The request finishes while the pane is closed.
        jobs.pending.update(|p| {
            p.remove("megan");
        });
        jobs.results.update(|r| {
            r.insert(
                "megan".into(),
                Ok(ResetResult {
                    user_id: "megan".into(),
                    username: "megan".into(),
                    display_name: "Megan Bowen".into(),
                    password: "Fj7#kQ2m!xPw9Lr4".into(),
                    generated: true,
                    must_change_password: true,
                    temporary_password_expires_at: Some(1_800_000_000_000),
                    emails: vec![EmailOutcome {
                        recipient: "alex@contoso.example".into(),
                        status: EmailStatus::Sent,
                        error: None,
                    }],
                    version: 4,
                }),
            );
        });

        let (root, _handle) = pane(jobs);
        tick().await;
        assert!(text(&root, ".success").contains("Megan Bowen"));
        assert_eq!(text(&root, ".secret-value"), "•".repeat(16));
        assert!(
            !root.inner_html().contains("Fj7#kQ2m!xPw9Lr4"),
            "masked until Show"
        );
        find::<HtmlElement>(&root, ".secret button")
            .unwrap()
            .click();
        tick().await;
        assert_eq!(text(&root, ".secret-value"), "Fj7#kQ2m!xPw9Lr4");
        assert_eq!(
            text(&root, ".deliveries li"),
            "Sent to alex@contoso.example"
        );
    }
}
