use leptos::prelude::*;
use rekey_shared::validate::check_email;
use rekey_shared::MAX_RECIPIENTS;

/// "Email the new password to these recipients": chips for the chosen
/// addresses, an input that validates as you type, and a one-click add for
/// the user's alternate address.
///
/// - `recipients`: the chosen addresses (pre-filled by the caller).
/// - `alternate`: the user's alternate email, offered as a one-click add.
/// - `user_name`: whose alternate address it is.
/// - `server_error`: a message from the API about these recipients.
#[component]
pub fn RecipientsBox(
    recipients: RwSignal<Vec<String>>,
    alternate: Option<String>,
    #[prop(optional, into)] user_name: String,
    #[prop(into)] server_error: Signal<Option<String>>,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let u = crate::state::admin_texts();
    let full = move || recipients.with(|r| r.len() >= MAX_RECIPIENTS);
    let problem = move || {
        let d = draft.get();
        let d = d.trim();
        if d.is_empty() {
            None
        } else if let Err(p) = check_email(d) {
            Some(u.email_problem(p).to_string())
        } else if recipients.with(|r| r.iter().any(|a| a.eq_ignore_ascii_case(d))) {
            Some(u.already_listed.to_string())
        } else if full() {
            Some((u.at_most_recipients)(MAX_RECIPIENTS))
        } else {
            None
        }
    };
    let add = move || {
        let d = draft.get_untracked().trim().to_string();
        if !d.is_empty() && problem().is_none() {
            recipients.update(|r| r.push(d));
            draft.set(String::new());
        }
    };
    let alternate_for_button = alternate.clone();
    let can_add_alternate = move || {
        alternate_for_button.as_ref().is_some_and(|a| {
            !full() && !recipients.with(|r| r.iter().any(|x| x.eq_ignore_ascii_case(a)))
        })
    };

    view! {
        <div class="recipients">
            <label for="recipient-input">{u.recipients_label}</label>
            <ul class="chips" aria-label=u.recipients>
                // At most five chips: unkeyed, smaller than <For>.
                {move || recipients.get().into_iter().map(|address| view! {
                    <li class="chip">
                        <span>{address.clone()}</span>
                        <button type="button" class="chip-remove" aria-label=(u.remove)(&address)
                            on:click={
                                let address = address.clone();
                                move |_| {
                                    recipients.update(|r| r.retain(|a| a != &address));
                                    // The chip and its button are gone.
                                    crate::focus::focus_first_of(vec!["#recipient-input".into()]);
                                }
                            }>"×"</button>
                    </li>
                }).collect_view()}
            </ul>
            <div class="row">
                <input id="recipient-input" type="email" placeholder=u.email_placeholder
                    aria-invalid=move || problem().is_some().to_string()
                    prop:value=move || draft.get()
                    disabled=full
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" || ev.key() == "," {
                            ev.prevent_default();
                            add();
                        }
                    } />
                <button type="button" class="small" on:click=move |_| add()
                    disabled=move || draft.get().trim().is_empty() || problem().is_some()>{u.add}</button>
            </div>
            {move || problem().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {move || server_error.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {alternate.map(|a| {
                let label = (u.add_alternate)(&user_name, &a);
                let can_add_alternate = can_add_alternate.clone();
                move || can_add_alternate().then(|| view! {
                    <button type="button" class="link add-alternate" on:click={
                        let a = a.clone();
                        move |_| {
                            recipients.update(|r| r.push(a.clone()));
                            // This button is gone now: on to the next address,
                            // or the new chip's remove button when the list is full.
                            crate::focus::focus_first_of(vec![
                                "#recipient-input".into(),
                                ".chips li:last-child .chip-remove".into(),
                            ]);
                        }
                    }>{label.clone()}</button>
                })
            })}
            <p class="hint">{move || (u.of_max)(recipients.with(Vec::len), MAX_RECIPIENTS)}</p>
        </div>
    }
}

/// In headless Chromium: `./scripts/test.sh` runs these through
/// wasm-bindgen-test-runner.
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use leptos::mount::mount_to;
    use leptos::prelude::*;
    use leptos::task::tick;
    use rekey_shared::validate::check_email;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;
    use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlInputElement};

    use crate::test_dom::{find, fresh_root, key_down, texts, type_into};

    use super::RecipientsBox;

    wasm_bindgen_test_configure!(run_in_browser);

    /// Mounts a box in a fresh element; the handle keeps it mounted.
    fn mount(
        initial: &[&str],
        alternate: Option<&str>,
    ) -> (Element, RwSignal<Vec<String>>, impl Sized) {
        let root = fresh_root();
        let recipients = RwSignal::new(initial.iter().map(|s| s.to_string()).collect());
        let alternate = alternate.map(str::to_string);
        let handle = mount_to(root.clone().unchecked_into(), move || {
            view! {
                <RecipientsBox recipients alternate user_name="Megan Bowen"
                    server_error=Signal::derive(|| None::<String>) />
            }
        });
        (root, recipients, handle)
    }

    fn input(root: &Element) -> HtmlInputElement {
        find(root, "#recipient-input").unwrap()
    }

    async fn type_text(root: &Element, text: &str) {
        type_into(&input(root), text);
        tick().await;
    }

    async fn press(root: &Element, key: &str) {
        key_down(&input(root), key, false);
        tick().await;
    }

    #[wasm_bindgen_test]
    async fn typed_addresses_are_checked_as_typed_added_with_enter_and_the_alternate_is_one_click()
    {
        let (root, recipients, _handle) =
            mount(&["admin@contoso.example"], Some("megan@home.example"));
        tick().await;
        assert_eq!(texts(&root, ".chip span"), ["admin@contoso.example"]);
        assert_eq!(texts(&root, ".hint"), ["1 of 5"]);

        type_text(&root, "megan@").await;
        let expected = check_email("megan@").unwrap_err().message();
        assert_eq!(texts(&root, ".error"), [expected]);
        assert_eq!(
            input(&root).get_attribute("aria-invalid").as_deref(),
            Some("true")
        );
        let add: HtmlButtonElement = find(&root, ".row button").unwrap();
        assert!(add.disabled());
        press(&root, "Enter").await;
        assert_eq!(
            recipients.get_untracked().len(),
            1,
            "an invalid address is not added"
        );

        type_text(&root, "lee.gu@contoso.example").await;
        assert!(texts(&root, ".error").is_empty());
        assert!(!add.disabled());
        press(&root, "Enter").await;
        assert_eq!(
            texts(&root, ".chip span"),
            ["admin@contoso.example", "lee.gu@contoso.example"]
        );
        assert_eq!(input(&root).value(), "");

        type_text(&root, "ADMIN@contoso.example").await;
        assert_eq!(
            texts(&root, ".error"),
            ["That address is already in the list."]
        );
        type_text(&root, "").await;

        let alternate: HtmlElement = find(&root, ".add-alternate").unwrap();
        assert!(alternate
            .text_content()
            .unwrap()
            .contains("Megan Bowen's alternate email"));
        alternate.click();
        tick().await;
        assert_eq!(
            recipients.get_untracked(),
            [
                "admin@contoso.example",
                "lee.gu@contoso.example",
                "megan@home.example"
            ]
        );
        assert!(find::<HtmlElement>(&root, ".add-alternate").is_none());
        assert_eq!(texts(&root, ".hint"), ["3 of 5"]);
    }

    #[wasm_bindgen_test]
    async fn a_full_box_takes_no_more_until_a_chip_is_removed() {
        let five = [
            "a@x.example",
            "b@x.example",
            "c@x.example",
            "d@x.example",
            "e@x.example",
        ];
        let (root, recipients, _handle) = mount(&five, Some("megan@home.example"));
        tick().await;
        assert!(input(&root).disabled());
        assert!(find::<HtmlElement>(&root, ".add-alternate").is_none());
        assert_eq!(texts(&root, ".hint"), ["5 of 5"]);

        let remove: HtmlElement = find(&root, "button[aria-label='Remove b@x.example']").unwrap();
        remove.click();
        tick().await;
        assert_eq!(
            recipients.get_untracked(),
            ["a@x.example", "c@x.example", "d@x.example", "e@x.example"]
        );
        assert!(!input(&root).disabled());
        assert!(find::<HtmlElement>(&root, ".add-alternate").is_some());
    }
}
