//! The pages between signing in and going on: the policy's "Keep your
//! account secure" (register a method, or skip while the grace period
//! lasts), and "you signed in with a recovery code" with the count left.

use leptos::prelude::*;
use rekey_shared::{AuthenticatorAppSetup, SecurityInfoDue, UserSummary};

use super::security_info::AddApp;
use crate::components::ConfirmPassword;
use crate::requests::{alert, Submit};
use crate::state::{ui_texts, Ask, Session};
use crate::{api, focus};

/// Whatever the sign-in asks, then on: to the app that asked, to the
/// admin center for an admin, else the account's own pages.
#[component]
pub fn AskPage(user: UserSummary) -> impl IntoView {
    let session = expect_context::<Session>();
    let admin = user.role.is_admin();
    let done = Callback::new(move |()| {
        session.ask.set(None);
        if let Some(to) = crate::state::continue_to() {
            crate::state::go(&to);
        } else if admin {
            crate::state::go_to_admin_center(&crate::state::hash());
        }
    });
    move || match session.ask.get() {
        Some(Ask::Register { days_left }) => {
            view! { <Register days_left=days_left on_done=done /> }.into_any()
        }
        Some(Ask::RecoveryCodesLeft(left)) => {
            view! { <RecoveryCodesLeft left=left on_done=done /> }.into_any()
        }
        Some(Ask::SecurityInfo(due)) => {
            view! { <KeepSecurityInfo due=due on_done=done /> }.into_any()
        }
        None => crate::loading(),
    }
}

/// "Keep your account secure": add an authenticator app now, or skip
/// while the policy allows.
#[component]
fn Register(days_left: Option<u32>, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let t = ui_texts();
    let adding: RwSignal<Option<AuthenticatorAppSetup>> = RwSignal::new(None);
    let starting = Submit::new();
    let confirming = RwSignal::new(false);
    api::on_reauthentication_required(move || confirming.set(true));
    let heading = NodeRef::<leptos::html::H1>::new();
    focus::focus_on_mount(heading);
    let start = move |_| {
        starting.run(api::start_authenticator_app(String::new()), move |setup| {
            adding.set(Some(setup));
            focus::focus_first_of(vec!["#totp-code".into()]);
        });
    };
    let added = move |list: Option<Vec<rekey_shared::MethodSummary>>| match list {
        Some(_) => on_done.run(()),
        None => adding.set(None),
    };
    let for_app = crate::state::app_wants_mfa();
    view! {
        <main class="sign-in">
            <div class="card">
                <h1 tabindex="-1" node_ref=heading>{t.register_title}</h1>
                <p>{if for_app { t.register_for_app } else { t.register_intro }}</p>
                <p class="notice" role="status">{match days_left {
                    Some(days) => (t.register_days_left)(days),
                    None => t.register_required.to_string(),
                }}</p>
                <ConfirmPassword open=confirming />
                {alert(starting.error)}
                {move || match adding.get() {
                    Some(setup) => view! { <AddApp setup=setup on_done=added /> }.into_any(),
                    None => view! {
                        <button type="button" class="primary" on:click=start>{t.add_authenticator_app}</button>
                        {days_left.map(|_| view! {
                            <button type="button" class="link" on:click=move |_| on_done.run(())>{t.skip_for_now}</button>
                        })}
                    }.into_any(),
                }}
            </div>
        </main>
    }
}

/// Signed in with a recovery code: how many are left, and where to make
/// new ones.
#[component]
fn RecoveryCodesLeft(left: u32, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let t = ui_texts();
    let session = expect_context::<Session>();
    let heading = NodeRef::<leptos::html::H1>::new();
    focus::focus_on_mount(heading);
    view! {
        <main class="sign-in">
            <div class="card">
                <h1 tabindex="-1" node_ref=heading>{t.recovery_used_title}</h1>
                <p role="status">{(t.recovery_left)(left)}</p>
                <p><a href="#/security-info" on:click=move |_| session.ask.set(None)>{t.security_info}</a></p>
                <button type="button" class="primary" on:click=move |_| on_done.run(())>{t.continue_label}</button>
            </div>
        </main>
    }
}

/// Self-service reset's ask: register the methods a reset needs, or
/// confirm hers are current; skippable three times.
#[component]
fn KeepSecurityInfo(due: SecurityInfoDue, #[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let t = ui_texts();
    let session = expect_context::<Session>();
    let answering = Submit::new();
    let heading = NodeRef::<leptos::html::H1>::new();
    focus::focus_on_mount(heading);
    let answer = move |confirm: bool| {
        answering.run(api::answer_security_info(confirm), move |()| {
            on_done.run(())
        });
    };
    view! {
        <main class="sign-in">
            <div class="card">
                <h1 tabindex="-1" node_ref=heading>{if due.register { t.sspr_register_title } else { t.sspr_reconfirm_title }}</h1>
                <p>{if due.register { t.sspr_register_intro } else { t.sspr_reconfirm_intro }}</p>
                {alert(answering.error)}
                <a class="button primary" href="#/security-info" on:click=move |_| session.ask.set(None)>{t.security_info}</a>
                {(!due.register).then(|| view! {
                    <button type="button" on:click=move |_| answer(true)>{t.looks_good}</button>
                })}
                {(due.skips_left > 0).then(|| view! {
                    <p class="muted">{(t.skips_left)(due.skips_left)}</p>
                    <button type="button" class="link" on:click=move |_| answer(false)>{t.skip_for_now}</button>
                })}
            </div>
        </main>
    }
}
