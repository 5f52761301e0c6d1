//! "Authentication methods" in a user's pane: her methods with Remove,
//! "Require re-register multifactor authentication", "Revoke sessions",
//! and the Temporary Access Pass (issued here, shown once).

use leptos::prelude::*;
use rekey_shared::{
    ApiError, MethodType, NewTemporaryPass, TemporaryPassIssued, UserMethods, UserSummary,
};

use crate::api;
use crate::components::SecretValue;
use crate::format::when;
use crate::state::{admin_texts, error_text};

#[component]
pub fn AuthMethods(user: RwSignal<Option<UserSummary>>) -> impl IntoView {
    let u = admin_texts();
    let t = crate::state::ui_texts();
    let methods: RwSignal<Option<UserMethods>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let done: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let issued: RwSignal<Option<TemporaryPassIssued>> = RwSignal::new(None);
    let length = RwSignal::new("12".to_string());
    let lifetime = RwSignal::new("60".to_string());
    let one_time = RwSignal::new(true);
    let id = move || user.get_untracked().map(|c| c.id).unwrap_or_default();
    // On the browser's own queue, as the pane's other sections.
    let run = move |said: Option<&'static str>,
                    call: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Option<UserMethods>, ApiError>>>,
    >| {
        error.set(None);
        done.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match call.await {
                Ok(list) => {
                    if let Some(list) = list {
                        methods.set(Some(list));
                    }
                    done.set(said);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    run(
        None,
        Box::pin(async move { api::user_methods(&id()).await.map(Some) }),
    );
    let kind = move |k: MethodType| match k {
        MethodType::AuthenticatorApp => u.kind_app,
        MethodType::Passkey => u.kind_passkey,
        MethodType::RecoveryCodes => u.kind_codes,
        MethodType::AlternateEmail => u.sspr_email,
    };
    let issue = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let request = NewTemporaryPass {
            length: length.get_untracked().trim().parse().ok(),
            lifetime_minutes: lifetime.get_untracked().trim().parse().ok(),
            one_time: Some(one_time.get_untracked()),
        };
        let target = id();
        wasm_bindgen_futures::spawn_local(async move {
            match api::issue_temporary_pass(&target, &request).await {
                Ok(pass) => {
                    methods.update(|m| {
                        if let Some(m) = m {
                            m.temporary_pass = Some(pass.info);
                        }
                    });
                    issued.set(Some(pass));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="auth-methods" aria-labelledby="auth-methods-title">
            <h3 id="auth-methods-title">{u.auth_methods}</h3>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
            <p class="notice" role="status">{move || done.get()}</p>
            {move || methods.get().map(|m| view! {
                {m.methods.is_empty().then(|| view! { <p class="muted">{u.no_auth_methods}</p> })}
                <ul class="methods">
                    {m.methods.into_iter().map(|method| {
                        let (mid, label) = (method.id.clone(), (u.remove_named)(&method.name));
                        view! {
                            <li class="method">
                                <span><strong>{method.name.clone()}</strong> " · " {kind(method.kind)}
                                    " · " {(t.added_on)(&when(method.created_at))}
                                    " · " {method.last_used_at.map_or(t.never_used.to_string(), |at| (t.last_used)(&when(at)))}</span>
                                <button type="button" class="small danger" aria-label=label on:click=move |_| {
                                    let (target, mid) = (id(), mid.clone());
                                    run(None, Box::pin(async move { api::remove_user_method(&target, &mid).await.map(Some) }));
                                }>{crate::state::ui_texts().remove_method}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {m.temporary_pass.map(|t| view! { <p class="badge tap">{(u.tap_live)(&when(t.expires_at))}</p> })}
            })}
            <div class="actions">
                <button type="button" on:click=move |_| {
                    let target = id();
                    run(Some(u.reregister_done), Box::pin(async move { api::require_reregistration(&target).await.map(Some) }));
                }>{u.require_reregister}</button>
                <button type="button" on:click=move |_| {
                    let target = id();
                    run(Some(u.revoked_done), Box::pin(async move { api::revoke_sessions(&target).await.map(|()| None) }));
                }>{u.revoke_sessions}</button>
            </div>
            <form class="tap" on:submit=issue>
                <h4>{u.tap_title}</h4>
                <label for="tap-length">{u.tap_length}</label>
                <input id="tap-length" type="number" min="8" max="48"
                    prop:value=move || length.get() on:input=move |ev| length.set(event_target_value(&ev)) />
                <label for="tap-lifetime">{u.tap_lifetime}</label>
                <input id="tap-lifetime" type="number" min="10" max="43200"
                    prop:value=move || lifetime.get() on:input=move |ev| lifetime.set(event_target_value(&ev)) />
                <label class="check"><input type="checkbox" id="tap-one-time"
                    prop:checked=move || one_time.get()
                    on:change=move |ev| one_time.set(event_target_checked(&ev)) /> {u.tap_one_time}</label>
                <button type="submit" class="primary">{u.tap_add}</button>
                {move || issued.get().map(|p| view! {
                    <p class="notice" role="status">{u.tap_shown_once}</p>
                    <p><SecretValue value=p.pass label=u.tap_title /></p>
                })}
            </form>
        </section>
    }
}
