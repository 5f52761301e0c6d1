//! Security info's recovery codes: a new set on request, shown this once
//! with Copy and Download, for a user who has an authenticator app.

use leptos::prelude::*;
use rekey_shared::{ApiError, MethodSummary, MethodType};

use crate::components::copy_to_clipboard;
use crate::state::{ui_texts, Session};
use crate::{api, focus};

/// The codes as a text file's `data:` address, a heading line first.
fn download_href(header: &str, codes: &[String]) -> String {
    let text = std::iter::once(header.to_string())
        .chain(std::iter::once(String::new()))
        .chain(codes.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "data:text/plain;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&(text + "\n")))
    )
}

/// - `methods`: the user's methods (the panel shows once one is an app,
///   and updates them when a set is made).
#[component]
pub fn RecoveryCodes(
    methods: RwSignal<Option<Vec<MethodSummary>>>,
    #[prop(into)] on_error: Callback<ApiError>,
) -> impl IntoView {
    let t = ui_texts();
    let session = expect_context::<Session>();
    let shown: RwSignal<Option<Vec<String>>> = RwSignal::new(None);
    let copied: RwSignal<Option<bool>> = RwSignal::new(None);
    let has = move |kind: MethodType| methods.with(|m| m.iter().flatten().any(|m| m.kind == kind));
    let make = move |_| {
        leptos::task::spawn_local(async move {
            match api::new_recovery_codes().await {
                Ok(issued) => {
                    methods.set(Some(issued.info.methods));
                    copied.set(None);
                    shown.set(Some(issued.codes));
                    focus::focus_first_of(vec!["#recovery-codes-title".into()]);
                }
                Err(e) => on_error.run(e),
            }
        })
    };
    let header = move || {
        let username = session.me.with(|u| u.as_ref().map(|u| u.username.clone()));
        let org = session
            .info
            .with(|i| i.as_ref().map(|i| i.organization.clone()));
        (t.codes_file_header)(&org.unwrap_or_default(), &username.unwrap_or_default())
    };
    move || {
        has(MethodType::AuthenticatorApp).then(|| view! {
            <section class="card recovery-codes" aria-labelledby="recovery-codes-title">
                <h2 id="recovery-codes-title" tabindex="-1">{t.recovery_codes}</h2>
                <p class="muted">{t.recovery_codes_intro}</p>
                {move || match shown.get() {
                    Some(codes) => {
                        let for_copy = codes.join("\n");
                        let href = download_href(&header(), &codes);
                        view! {
                            <p class="notice" role="status">{t.recovery_codes_once}</p>
                            <ol class="codes">
                                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                            </ol>
                            <button type="button" on:click=move |_| {
                                let text = for_copy.clone();
                                leptos::task::spawn_local(async move {
                                    copied.set(Some(copy_to_clipboard(&text).await));
                                });
                            }>{t.copy_codes}</button>
                            <a class="button" href=href download="rekey-recovery-codes.txt">{t.download_codes}</a>
                            <span role="status">{move || match copied.get() {
                                Some(true) => t.codes_copied,
                                Some(false) => t.codes_copy_failed,
                                None => "",
                            }}</span>
                            <button type="button" class="primary" on:click=move |_| shown.set(None)>{t.saved_them}</button>
                        }.into_any()
                    }
                    None => view! {
                        <button type="button" on:click=make>
                            {if has(MethodType::RecoveryCodes) { t.get_new_recovery_codes } else { t.get_recovery_codes }}
                        </button>
                    }.into_any(),
                }}
            </section>
        })
    }
}
