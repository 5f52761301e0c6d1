//! "Forgot your password?": she names her account. When the organisation
//! offers self-service, she proves it's her at one or two gates and
//! chooses a new password (or unlocks her account); when it doesn't, or
//! she can't, her admins are asked. Every answer before the last gate is
//! the same for any account, so the page says "if".

use leptos::prelude::*;
use rekey_shared::{ApiError, SelfServiceFlow, SelfServiceProgress, SsprMethod};

use crate::components::{mismatch, NewPasswordFields};
use crate::requests::{alert, Submit};
use crate::state::ui_texts;
use crate::{api, focus, passkey};

/// Where the flow stands.
#[derive(Clone, PartialEq)]
enum Stage {
    Name,
    /// The admins were asked (self-service is off, or she can't).
    Asked,
    Gates(SelfServiceFlow),
    NewPassword(SelfServiceFlow),
    Done(&'static str),
}

#[component]
pub fn ForgotPassword(#[prop(into)] on_back: Callback<()>) -> impl IntoView {
    let t = ui_texts();
    let username = RwSignal::new(String::new());
    let stage = RwSignal::new(Stage::Name);
    // One request at a time, whichever stage shows; one error above them.
    let sending = Submit::new();
    // Opened from a button that is now gone: focus goes to the one field.
    focus::focus_first_of(vec!["#forgot-username".into()]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sending.run(
            api::self_service_start(username.get_untracked()),
            move |flow| {
                stage.set(if flow.methods.is_empty() {
                    Stage::Asked
                } else {
                    Stage::Gates(flow)
                })
            },
        );
    };
    let ask_admins = Callback::new(move |()| {
        sending.run(api::ask_for_reset(username.get_untracked()), move |()| {
            stage.set(Stage::Asked)
        });
    });
    let title = move || match stage.get() {
        Stage::Gates(_) => t.sspr_title,
        Stage::NewPassword(_) => t.sspr_new_title,
        _ => t.forgot,
    };
    view! {
        <main class="sign-in">
            <div class="card">
                <h1>{title}</h1>
                {alert(sending.error)}
                {move || match stage.get() {
                    Stage::Name => view! {
                        <form on:submit=submit>
                            <p class="muted">{t.forgot_intro}</p>
                            <label for="forgot-username">{t.username_or_email}</label>
                            <input id="forgot-username" autocomplete="username" required autofocus
                                on:input=move |ev| username.set(event_target_value(&ev)) />
                            <button type="submit" class="primary" disabled=move || sending.pending.get()>{t.forgot_submit}</button>
                        </form>
                    }.into_any(),
                    Stage::Asked => view! { <p class="success" role="status">{t.forgot_sent}</p> }.into_any(),
                    Stage::Gates(flow) => view! { <Gates flow=flow stage=stage sending=sending ask_admins=ask_admins /> }.into_any(),
                    Stage::NewPassword(flow) => view! { <NewPassword flow=flow stage=stage sending=sending /> }.into_any(),
                    Stage::Done(said) => view! { <p class="success" role="status">{said}</p> }.into_any(),
                }}
                <button type="button" class="link" on:click=move |_| on_back.run(())>{t.back_to_sign_in}</button>
            </div>
        </main>
    }
}

fn method_label(m: SsprMethod) -> &'static str {
    let u = ui_texts();
    match m {
        SsprMethod::AlternateEmail => u.sspr_email,
        SsprMethod::AuthenticatorApp => u.sspr_app,
        SsprMethod::Passkey => u.sspr_passkey,
        SsprMethod::RecoveryCode => u.sspr_recovery,
    }
}

/// The offered ways, one at a time; after each gate passed, the next.
#[component]
fn Gates(
    flow: SelfServiceFlow,
    stage: RwSignal<Stage>,
    sending: Submit,
    ask_admins: Callback<()>,
) -> impl IntoView {
    let t = ui_texts();
    let chosen: RwSignal<Option<SsprMethod>> = RwSignal::new(None);
    let verified: RwSignal<Vec<SsprMethod>> = RwSignal::new(Vec::new());
    let sent = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let (pending, error) = (sending.pending, sending.error);
    let id = StoredValue::new(flow.flow.clone());
    let whole = StoredValue::new(flow.clone());
    let passed = move |p: SelfServiceProgress| {
        code.set(String::new());
        chosen.set(None);
        sent.set(false);
        if p.remaining == 0 {
            stage.set(Stage::NewPassword(whole.get_value()));
            focus::focus_first_of(vec!["#new-password".into()]);
        } else {
            verified.set(p.verified);
        }
    };
    let choose = move |m: SsprMethod| {
        error.set(None);
        chosen.set(Some(m));
        if m == SsprMethod::Passkey {
            let ceremony = async move {
                let done = passkey::ceremony::<SelfServiceProgress>(
                    "/api/auth/self-service/passkey/options",
                    api::self_service_step_json(&id.get_value()),
                    "/api/auth/self-service/passkey",
                    false,
                )
                .await;
                done.map_err(|f| {
                    chosen.set(None);
                    ApiError::new(
                        rekey_shared::ErrorCode::PasskeyRefused,
                        passkey::failure_text(&f),
                    )
                })
            };
            sending.run(ceremony, passed);
        } else {
            focus::focus_first_of(vec!["#sspr-code".into(), "#send-code".into()]);
        }
    };
    let send_code = move |_| {
        sending.run(
            async move { api::self_service_email_code(&id.get_value()).await },
            move |()| {
                sent.set(true);
                focus::focus_first_of(vec!["#sspr-code".into()]);
            },
        );
    };
    let verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(m) = chosen.get_untracked() else {
            return;
        };
        let typed = code.get_untracked();
        let verified = async move {
            let verified = api::self_service_verify(&id.get_value(), m, typed).await;
            // A code that failed is spent; she types the next one.
            if verified.is_err() {
                code.set(String::new());
            }
            verified
        };
        sending.run(verified, passed);
    };
    let methods = flow.methods.clone();
    view! {
        <p role="status">{move || if verified.get().is_empty() { t.sspr_intro } else { t.sspr_one_more }}</p>
        {move || match chosen.get() {
            None => {
                let left: Vec<SsprMethod> = methods.iter().copied().filter(|m| !verified.get().contains(m)).collect();
                view! {
                    <div class="choices">
                        {left.into_iter().map(|m| view! {
                            <button type="button" class="choice" on:click=move |_| choose(m)>{method_label(m)}</button>
                        }).collect_view()}
                    </div>
                    <button type="button" class="link" on:click=move |_| ask_admins.run(())>{t.sspr_ask_admins}</button>
                }.into_any()
            }
            Some(SsprMethod::Passkey) => view! { <p class="notice" role="status">{t.passkey_prompt}</p> }.into_any(),
            Some(m) => {
                let email = m == SsprMethod::AlternateEmail;
                let label = match m {
                    SsprMethod::AlternateEmail => t.emailed_code,
                    SsprMethod::RecoveryCode => t.recovery_code_label,
                    _ => t.code_label,
                };
                view! {
                    <form on:submit=verify>
                        <h2>{method_label(m)}</h2>
                        {(email && !sent.get()).then(|| view! {
                            <button id="send-code" type="button" class="primary" disabled=move || pending.get() on:click=send_code>{t.send_code}</button>
                        })}
                        {(!email || sent.get()).then(|| view! {
                            {email.then(|| view! { <p class="notice" role="status">{t.sspr_code_sent}</p> })}
                            <label for="sspr-code">{label}</label>
                            <input id="sspr-code" autocomplete="one-time-code" required maxlength="24"
                                inputmode=if m == SsprMethod::RecoveryCode { "text" } else { "numeric" }
                                prop:value=move || code.get()
                                on:input=move |ev| code.set(event_target_value(&ev)) />
                            <button type="submit" class="primary" disabled=move || pending.get()>
                                {move || if pending.get() { t.verifying } else { t.verify }}
                            </button>
                        })}
                        <button type="button" class="link" on:click=move |_| { chosen.set(None); sent.set(false); error.set(None); }>{t.other_way}</button>
                    </form>
                }.into_any()
            }
        }}
    }
}

/// Every gate passed: her new password, or her account unlocked.
#[component]
fn NewPassword(flow: SelfServiceFlow, stage: RwSignal<Stage>, sending: Submit) -> impl IntoView {
    let u = ui_texts();
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let pending = sending.pending;
    let id = StoredValue::new(flow.flow);
    let differs = move || mismatch(new, confirm);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if differs() {
            return;
        }
        let password = new.get_untracked();
        sending.run(
            async move { api::self_service_password(&id.get_value(), password).await },
            move |()| stage.set(Stage::Done(ui_texts().sspr_done)),
        );
    };
    let unlock = move |_| {
        sending.run(
            async move { api::self_service_unlock(&id.get_value()).await },
            move |()| stage.set(Stage::Done(ui_texts().sspr_unlocked)),
        );
    };
    view! {
        <form on:submit=submit>
            <NewPasswordFields new=new confirm=confirm />
            <button type="submit" class="primary" disabled=move || pending.get() || differs()>{u.set_submit}</button>
            <button type="button" class="link" on:click=unlock>{u.sspr_unlock}</button>
        </form>
    }
}
