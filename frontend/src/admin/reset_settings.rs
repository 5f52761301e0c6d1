//! "Password reset" (global admins): who may reset her own password, with
//! how many and which methods, as Entra's blade of that name.

use leptos::prelude::*;
use rekey_shared::{PasswordResetSettings, Role, SsprMethod, SsprScope};

use crate::api;
use crate::requests::{alert, Load, Submit};
use crate::state::admin_texts;

#[component]
pub fn ResetSettings() -> impl IntoView {
    let u = admin_texts();
    let settings = Load::new();
    settings.from(api::password_reset_settings());
    // The form edits what was loaded; Save sends it with its version.
    let loaded = settings.value;
    let saving = Submit::new();
    let saved = RwSignal::new(false);
    let edit = move |f: &dyn Fn(&mut PasswordResetSettings)| {
        saved.set(false);
        loaded.update(|l| {
            if let Some(l) = l {
                f(&mut l.settings);
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(change) = loaded.get_untracked() else {
            return;
        };
        let sent = async move { api::set_password_reset_settings(&change).await };
        saving.run(sent, move |s| {
            loaded.set(Some(s));
            saved.set(true);
        });
    };
    let scopes = [
        (SsprScope::None, u.sspr_none),
        (SsprScope::Selected, u.sspr_selected),
        (SsprScope::All, u.sspr_all),
    ];
    let methods = [
        (SsprMethod::AlternateEmail, u.sspr_email),
        (SsprMethod::AuthenticatorApp, u.sspr_app),
        (SsprMethod::Passkey, u.sspr_passkey),
        (SsprMethod::RecoveryCode, u.sspr_recovery),
    ];
    let with = move |f: fn(&PasswordResetSettings) -> bool| {
        move || loaded.with(|l| l.as_ref().is_some_and(|l| f(&l.settings)))
    };
    view! {
        <section class="reset-settings">
            <h1>{u.sspr_title}</h1>
            <p class="muted">{u.sspr_intro}</p>
            {alert(settings.error)}
            {alert(saving.error)}
            <form on:submit=save>
                <fieldset>
                    <legend>{u.sspr_enabled}</legend>
                    {scopes.into_iter().map(|(scope, label)| view! {
                        <label class="choice"><input type="radio" name="sspr-scope" value=scope.as_str()
                            prop:checked=move || loaded.with(|l| l.as_ref().is_some_and(|l| l.settings.enabled_for == scope))
                            on:change=move |_| edit(&|s| s.enabled_for = scope) />{label}</label>
                    }).collect_view()}
                </fieldset>
                {move || with(|s| s.enabled_for == SsprScope::Selected)().then(|| view! {
                    <fieldset>
                        <legend>{u.sspr_roles}</legend>
                        {Role::ALL.into_iter().map(|role| view! {
                            <label class="choice"><input type="checkbox" value=role.as_str()
                                prop:checked=move || loaded.with(|l| l.as_ref().is_some_and(|l| l.settings.selected_roles.contains(&role)))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    edit(&|s| {
                                        s.selected_roles.retain(|r| *r != role);
                                        if on { s.selected_roles.push(role); }
                                    })
                                } />{u.role(role)}</label>
                        }).collect_view()}
                    </fieldset>
                })}
                <label for="sspr-required">{u.sspr_required}</label>
                <select id="sspr-required" on:change=move |ev| {
                    let n = event_target_value(&ev).parse().unwrap_or(1);
                    edit(&|s| s.methods_required = n)
                }>
                    <option value="1" selected=with(|s| s.methods_required == 1)>"1"</option>
                    <option value="2" selected=with(|s| s.methods_required == 2)>"2"</option>
                </select>
                <fieldset>
                    <legend>{u.sspr_methods}</legend>
                    {methods.into_iter().map(|(method, label)| view! {
                        <label class="choice"><input type="checkbox" value=method.as_str()
                            prop:checked=move || loaded.with(|l| l.as_ref().is_some_and(|l| l.settings.methods.contains(&method)))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                edit(&|s| {
                                    s.methods.retain(|m| *m != method);
                                    if on { s.methods.push(method); }
                                })
                            } />{label}</label>
                    }).collect_view()}
                    <p class="muted">{u.sspr_admins_two}</p>
                </fieldset>
                <label class="choice"><input type="checkbox" id="sspr-register" prop:checked=with(|s| s.require_registration)
                    on:change=move |ev| { let on = event_target_checked(&ev); edit(&|s| s.require_registration = on) } />{u.sspr_register}</label>
                <label for="sspr-reconfirm">{u.sspr_reconfirm}</label>
                <input id="sspr-reconfirm" type="number" min="0" max="730"
                    prop:value=move || loaded.with(|l| l.as_ref().map(|l| l.settings.reconfirm_days.to_string()).unwrap_or_default())
                    on:input=move |ev| {
                        let days = event_target_value(&ev).parse().unwrap_or(u16::MAX);
                        edit(&|s| s.reconfirm_days = days)
                    } />
                <label class="choice"><input type="checkbox" checked disabled />{u.sspr_notify_users}</label>
                <label class="choice"><input type="checkbox" id="sspr-notify-admins" prop:checked=with(|s| s.notify_admins_on_admin_reset)
                    on:change=move |ev| { let on = event_target_checked(&ev); edit(&|s| s.notify_admins_on_admin_reset = on) } />{u.sspr_notify_admins}</label>
                <p class="success" role="status">{move || saved.get().then_some(u.sspr_saved)}</p>
                <button type="submit" class="primary" disabled=move || saving.pending.get()>{u.save}</button>
            </form>
        </section>
    }
}
