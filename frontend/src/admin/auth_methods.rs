//! "Authentication methods" in a user's pane: her methods with Remove,
//! "Require re-register multifactor authentication", "Revoke sessions",
//! and the Temporary Access Pass (issued here, shown once).

use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

use rekey_shared::{
    ApiError, MethodType, NewTemporaryPass, TemporaryPassIssued, UserMethods, UserSummary,
};

use crate::api;
use crate::components::SecretValue;
use crate::format::when;
use crate::requests::{alert, Load, Submit};
use crate::state::admin_texts;

/// A change to her methods: the list as it now is, if the answer has one.
type Change = Pin<Box<dyn Future<Output = Result<Option<UserMethods>, ApiError>>>>;

#[component]
pub fn AuthMethods(user: RwSignal<Option<UserSummary>>) -> impl IntoView {
    let u = admin_texts();
    let t = crate::state::ui_texts();
    let listed: Load<UserMethods> = Load::new();
    // Each change answers with the list as it now is.
    let methods = listed.value;
    let sending = Submit::new();
    let done: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let issued: RwSignal<Option<TemporaryPassIssued>> = RwSignal::new(None);
    let length = RwSignal::new("12".to_string());
    let lifetime = RwSignal::new("60".to_string());
    let one_time = RwSignal::new(true);
    let id = move || user.get_untracked().map(|c| c.id).unwrap_or_default();
    let run = move |said: Option<&'static str>, change: Change| {
        done.set(None);
        sending.run(change, move |list| {
            if let Some(list) = list {
                methods.set(Some(list));
            }
            done.set(said);
        });
    };
    listed.from(async move { api::user_methods(&id()).await });
    let kind = move |k: MethodType| match k {
        MethodType::AuthenticatorApp => u.kind_app,
        MethodType::Passkey => u.kind_passkey,
        MethodType::RecoveryCodes => u.kind_codes,
        MethodType::AlternateEmail => u.sspr_email,
    };
    let issue = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = NewTemporaryPass {
            length: length.get_untracked().trim().parse().ok(),
            lifetime_minutes: lifetime.get_untracked().trim().parse().ok(),
            one_time: Some(one_time.get_untracked()),
        };
        let target = id();
        let issuing = async move { api::issue_temporary_pass(&target, &request).await };
        sending.run(issuing, move |pass| {
            methods.update(|m| {
                if let Some(m) = m {
                    m.temporary_pass = Some(pass.info);
                }
            });
            issued.set(Some(pass));
        });
    };
    view! {
        <section class="auth-methods" aria-labelledby="auth-methods-title">
            <h3 id="auth-methods-title">{u.auth_methods}</h3>
            {alert(listed.error)}
            {alert(sending.error)}
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
                <button type="submit" class="primary" disabled=move || sending.pending.get()>{u.tap_add}</button>
                {move || issued.get().map(|p| view! {
                    <p class="notice" role="status">{u.tap_shown_once}</p>
                    <p><SecretValue value=p.pass label=u.tap_title /></p>
                })}
            </form>
        </section>
    }
}
