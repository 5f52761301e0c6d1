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
    let full = move || recipients.with(|r| r.len() >= MAX_RECIPIENTS);
    let problem = move || {
        let d = draft.get();
        let d = d.trim();
        if d.is_empty() {
            None
        } else if let Err(p) = check_email(d) {
            Some(p.message().to_string())
        } else if recipients.with(|r| r.iter().any(|a| a.eq_ignore_ascii_case(d))) {
            Some("That address is already in the list.".to_string())
        } else if full() {
            Some(format!("At most {MAX_RECIPIENTS} recipients."))
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
            <label for="recipient-input">"Email the new password to these recipients"</label>
            <ul class="chips" aria-label="Recipients">
                <For each=move || recipients.get() key=|a| a.clone() let:address>
                    <li class="chip">
                        <span>{address.clone()}</span>
                        <button type="button" class="chip-remove" aria-label=format!("Remove {address}")
                            on:click={
                                let address = address.clone();
                                move |_| recipients.update(|r| r.retain(|a| a != &address))
                            }>"×"</button>
                    </li>
                </For>
            </ul>
            <div class="row">
                <input id="recipient-input" type="email" placeholder="name@example.com"
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
                    disabled=move || draft.get().trim().is_empty() || problem().is_some()>"Add"</button>
            </div>
            {move || problem().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {move || server_error.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {alternate.map(|a| {
                let label = format!("Add {user_name}'s alternate email ({a})");
                view! {
                    <Show when=can_add_alternate.clone()>
                        <button type="button" class="link add-alternate" on:click={
                            let a = a.clone();
                            move |_| recipients.update(|r| r.push(a.clone()))
                        }>{label.clone()}</button>
                    </Show>
                }
            })}
            <p class="hint">{move || format!("{} of {MAX_RECIPIENTS}", recipients.with(Vec::len))}</p>
        </div>
    }
}
