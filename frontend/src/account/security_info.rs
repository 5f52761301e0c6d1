//! "Security info": the user's own sign-in methods beyond her password.
//! She adds an authenticator app by scanning a QR code (or typing its
//! key), and it counts once its first code verifies; she renames or
//! removes one. Changes need a recent sign-in: the password is asked for
//! again when it is not.

use leptos::prelude::*;
use rekey_shared::{ApiError, AuthenticatorAppSetup, MethodSummary, MethodType};

use super::add_alternate_email::AddAlternateEmail;
use super::add_passkey::AddPasskey;
use super::recovery_codes::RecoveryCodes;
use crate::components::ConfirmPassword;
use crate::format::when;
use crate::requests::{alert, banner, Load, Submit};
use crate::state::ui_texts;
use crate::{api, focus};

#[component]
pub fn SecurityInfo() -> impl IntoView {
    let t = ui_texts();
    let loaded = Load::new();
    // Rename, remove and a new set of codes answer with the whole list.
    let (methods, error) = (loaded.value, loaded.error);
    let adding: RwSignal<Option<AuthenticatorAppSetup>> = RwSignal::new(None);
    let confirming = RwSignal::new(false);
    api::on_reauthentication_required(move || confirming.set(true));
    loaded.from(async { api::methods().await.map(|info| info.methods) });
    let heading = NodeRef::<leptos::html::H1>::new();
    focus::focus_on_mount(heading);
    let start = move |_| {
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::start_authenticator_app(String::new()).await {
                Ok(setup) => {
                    adding.set(Some(setup));
                    focus::focus_first_of(vec!["#totp-code".into()]);
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let session = expect_context::<crate::Session>();
    let added = move |list: Option<Vec<MethodSummary>>| {
        adding.set(None);
        if let Some(list) = list {
            // Its first code counted for this session too.
            session.mfa.set(true);
            methods.set(Some(list));
        }
    };
    let changed = move |list: Vec<MethodSummary>| methods.set(Some(list));
    let failed = move |e: ApiError| error.set(Some(e));
    view! {
        <section class="security-info">
            <h1 tabindex="-1" node_ref=heading>{t.security_info}</h1>
            <p class="muted">{t.security_info_intro}</p>
            <ConfirmPassword open=confirming />
            {banner(error)}
            {move || match adding.get() {
                Some(setup) => view! { <AddApp setup=setup on_done=added /> }.into_any(),
                None => view! {
                    <div class="actions">
                        <button type="button" class="primary" on:click=start>{t.add_authenticator_app}</button>
                        <AddPasskey on_added=move |list| added(Some(list)) />
                        <AddAlternateEmail on_added=changed />
                    </div>
                }.into_any(),
            }}
            {move || methods.get().map(|list| if list.is_empty() {
                view! { <p class="empty">{t.no_methods}</p> }.into_any()
            } else {
                view! {
                    <ul class="methods">
                        {list.into_iter().map(|m| view! { <MethodRow method=m on_change=changed on_error=failed /> }).collect_view()}
                    </ul>
                }.into_any()
            })}
            <RecoveryCodes methods=methods on_error=failed />
        </section>
    }
}

/// One method: its name, kind and dates, with Rename and Remove.
#[component]
fn MethodRow(
    method: MethodSummary,
    #[prop(into)] on_change: Callback<Vec<MethodSummary>>,
    #[prop(into)] on_error: Callback<ApiError>,
) -> impl IntoView {
    let t = ui_texts();
    let id = method.id.clone();
    let renaming = RwSignal::new(false);
    let name = RwSignal::new(method.name.clone());
    let kind = match method.kind {
        MethodType::AuthenticatorApp => t.authenticator_app,
        MethodType::RecoveryCodes => t.recovery_codes,
        MethodType::Passkey => t.passkey,
        MethodType::AlternateEmail => t.alternate_email,
    };
    let used = method
        .last_used_at
        .map_or(t.never_used.to_string(), |at| (t.last_used)(&when(at)));
    // A set of recovery codes says how many are left.
    let used = match method.codes_left {
        Some(left) => format!("{} · {used}", (t.codes_left)(left)),
        None => used,
    };
    let rename = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (id, typed) = (id.clone(), name.get_untracked());
            leptos::task::spawn_local(async move {
                match api::rename_method(&id, typed).await {
                    Ok(info) => on_change.run(info.methods),
                    Err(e) => on_error.run(e),
                }
            });
        }
    };
    let remove = move |_| {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            match api::remove_method(&id).await {
                Ok(info) => on_change.run(info.methods),
                Err(e) => on_error.run(e),
            }
        });
    };
    let label = method.name.clone();
    view! {
        <li class="method">
            {move || if renaming.get() {
                view! {
                    <form class="rename" on:submit=rename.clone()>
                        <label class="visually-hidden" for="method-name">{t.method_name}</label>
                        <input id="method-name" maxlength="64" required
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev)) />
                        <button type="submit">{t.save}</button>
                    </form>
                }.into_any()
            } else {
                view! { <strong>{name.get()}</strong> }.into_any()
            }}
            <span class="muted">{kind}" · "{(t.added_on)(&when(method.created_at))}" · "{used}</span>
            // A set of codes has no name of its own; an address is its name.
            {matches!(method.kind, MethodType::AuthenticatorApp | MethodType::Passkey).then(|| view! {
                <button type="button" class="link" aria-label=format!("{} {label}", t.rename)
                    on:click=move |_| renaming.update(|r| *r = !*r)>{t.rename}</button>
            })}
            <button type="button" class="link danger" aria-label=format!("{} {}", t.remove_method, method.name)
                on:click=remove>{t.remove_method}</button>
        </li>
    }
}

/// Adding an app: the QR code and the key, and the first code.
#[component]
pub(super) fn AddApp(
    setup: AuthenticatorAppSetup,
    #[prop(into)] on_done: Callback<Option<Vec<MethodSummary>>>,
) -> impl IntoView {
    let t = ui_texts();
    let code = RwSignal::new(String::new());
    let sending = Submit::new();
    let pending = sending.pending;
    let id = setup.id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (id, typed) = (id.clone(), code.get_untracked());
        let confirmed = async move {
            let confirmed = api::confirm_authenticator_app(&id, typed).await;
            // A code that failed is spent; she types the next one.
            if confirmed.is_err() {
                code.set(String::new());
            }
            confirmed
        };
        sending.run(confirmed, move |info| on_done.run(Some(info.methods)));
    };
    view! {
        <form class="card add-app" on:submit=submit>
            <h2>{t.add_authenticator_app}</h2>
            <ol>
                <li>{t.scan_qr}</li>
                <li>{t.enter_first_code}</li>
            </ol>
            {crate::qr::view(setup.qr_path.clone(), setup.qr_width, t.qr_label)}
            <p class="muted">{t.or_type_key}" "<code class="key">{setup.secret.clone()}</code></p>
            <label for="totp-code">{t.code_label}</label>
            <input id="totp-code" inputmode="numeric" autocomplete="one-time-code" required maxlength="7"
                prop:value=move || code.get()
                on:input=move |ev| code.set(event_target_value(&ev)) />
            {alert(sending.error)}
            <button type="submit" class="primary" disabled=move || pending.get()>
                {move || if pending.get() { t.verifying } else { t.verify }}
            </button>
            <button type="button" class="link" on:click=move |_| on_done.run(None)>{t.cancel}</button>
        </form>
    }
}
