use leptos::prelude::*;
use rekey_shared::{SignInLog, SignInResult, UserSummary};

use crate::api;
use crate::format::when;
use crate::requests::{alert, Load, Submit};
use crate::state::admin_texts;

/// "Sign-ins" in a user's pane: why she may not get in (a lock, a block)
/// with Unlock, and her attempts of the last 30 days.
///
/// - `user`: the user as the pane has her; Unlock writes it back.
#[component]
pub fn SignIns(user: RwSignal<Option<UserSummary>>) -> impl IntoView {
    let u = admin_texts();
    let log: Load<SignInLog> = Load::new();
    let load = move || {
        if let Some(id) = user.get_untracked().map(|c| c.id) {
            log.from(async move { api::sign_ins(&id).await });
        }
    };
    load();
    let unlocking = Submit::new();
    let unlock = move |_| {
        let Some(c) = user.get_untracked() else {
            return;
        };
        unlocking.run(
            async move { api::unlock(&c.id, c.version).await },
            move |s| {
                user.set(Some(s));
                load();
            },
        );
    };
    let result = |r: SignInResult| match r {
        SignInResult::Success => u.signin_success,
        SignInResult::Passkey => u.signin_passkey,
        SignInResult::TemporaryPass => u.signin_pass,
        SignInResult::AppSignIn => u.signin_app,
        SignInResult::WrongPassword => u.signin_wrong,
        SignInResult::Locked => u.signin_locked,
        SignInResult::Blocked => u.signin_blocked,
        SignInResult::TemporaryPasswordExpired => u.signin_expired,
        SignInResult::SignedOut => u.signin_signed_out,
    };
    view! {
        <section class="sign-ins" aria-labelledby="sign-ins-title">
            <h3 id="sign-ins-title">{u.sign_ins}</h3>
            {alert(log.error)}
            {alert(unlocking.error)}
            {move || log.value.get().map(|l| view! {
                {l.locked_until.map(|until| view! {
                    <p class="notice" role="status">{(u.locked_until)(&when(until))} " "
                        <button type="button" id="unlock" on:click=unlock>{u.unlock}</button></p>
                })}
                {l.entries.is_empty().then(|| view! { <p class="muted">{u.no_sign_ins}</p> })}
                <table class="grid">
                    <tbody>
                        {l.entries.into_iter().map(|e| view! {
                            <tr>
                                <td>{when(e.at)}</td>
                                <td>{result(e.result)} " " {e.app.map(|a| a.name)}</td>
                                <td>{e.client}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}
