use leptos::prelude::*;
use rekey_shared::{ApiError, MethodType, SignInResponse};

use crate::components::LanguageSwitch;
use crate::state::{error_text, texts};
use crate::{api, Session};

/// Username and password; errors appear in place.
#[component]
pub fn SignIn() -> impl IntoView {
    let session = expect_context::<Session>();
    let t = texts();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let pending = RwSignal::new(false);
    // "Forgot your password?" is the account app's, which comes back here
    // with the app that waits, if any.
    let forgot = || crate::state::go_to_account_app(&crate::route::Route::Forgot.href());
    // The password was right and a second step is due, with these.
    let code_due: RwSignal<Option<Vec<MethodType>>> = RwSignal::new(None);
    let prompt = PasskeyPrompt::new();
    let with_passkey = move |_| prompt.sign_in(session, "/api/auth/passkey", pending, error);
    let organization = move || {
        session
            .info
            .get()
            .map(|i| i.organization)
            .unwrap_or_default()
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        pending.set(true);
        let (u, p) = (username.get_untracked(), password.get_untracked());
        leptos::task::spawn_local(async move {
            match api::sign_in(u, p).await {
                Ok(api::SignedIn::Session(r)) => {
                    password.set(String::new());
                    signed_in(session, r);
                }
                Ok(api::SignedIn::CodeDue(methods)) => {
                    password.set(String::new());
                    code_due.set(Some(methods));
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };

    // `autofocus` acts only on the first page load; the app draws this
    // page again when the code step goes back.
    crate::focus::focus_first_of(vec!["#username".into()]);
    let form = move || {
        view! {
            <main class="sign-in">
                <form class="card" on:submit=submit>
                    <div class="card-head"><h1>"Rekey"</h1><LanguageSwitch /></div>
                    <p class="muted">{move || (t.sign_in.sign_in_to)(&organization())}</p>
                    {crate::state::continue_to().map(|_| view! {
                        <p class="notice" role="status">{t.sign_in.continue_to_app}</p>
                    })}
                    {crate::state::session_ended_elsewhere().then(|| view! {
                        <p class="notice" role="status">{t.sign_in.session_ended}</p>
                    })}
                    <label for="username">{t.sign_in.username_or_email}</label>
                    <input id="username" name="username" autocomplete="username" required autofocus
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev)) />
                    <label for="password">{t.sign_in.password}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                    {move || error.get().map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
                    <button type="submit" class="primary" disabled=move || pending.get()>
                        {move || if pending.get() { t.sign_in.signing_in } else { t.sign_in.sign_in }}
                    </button>
                    {crate::passkey::supported().then(|| view! {
                        <button type="button" class="passkey" on:click=with_passkey disabled=move || pending.get()>
                            {t.sign_in.sign_in_with_passkey}
                        </button>
                    })}
                    <p class="notice" role="status">{move || prompt.active.get().then_some(t.sign_in.passkey_prompt)}</p>
                    {move || prompt.failure.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <button type="button" class="link" on:click=move |_| forgot()>{t.sign_in.forgot}</button>
                </form>
            </main>
        }
    };
    view! {
        {move || if let Some(methods) = code_due.get() {
            view! { <CodeStep methods=methods on_back=move || {
                code_due.set(None);
                crate::focus::focus_first_of(vec!["#username".into()]);
            } /> }.into_any()
        } else {
            form().into_any()
        }}
    }
}

/// A passkey button's prompt and failure, both announced.
#[derive(Clone, Copy)]
struct PasskeyPrompt {
    active: RwSignal<bool>,
    failure: RwSignal<Option<String>>,
}

impl PasskeyPrompt {
    fn new() -> Self {
        PasskeyPrompt {
            active: RwSignal::new(false),
            failure: RwSignal::new(None),
        }
    }

    /// Signs in with a passkey at `path` (its options at `{path}/options`),
    /// the page's `pending` and `error` kept as a password sign-in keeps
    /// them.
    fn sign_in(
        self,
        session: Session,
        path: &'static str,
        pending: RwSignal<bool>,
        error: RwSignal<Option<ApiError>>,
    ) {
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        self.failure.set(None);
        pending.set(true);
        self.active.set(true);
        leptos::task::spawn_local(async move {
            let options = format!("{path}/options");
            let done =
                crate::passkey::ceremony::<SignInResponse>(&options, "{}".into(), path, false)
                    .await;
            match done {
                Ok(r) => return signed_in(session, r),
                Err(f) => self.failure.set(Some(crate::passkey::failure_text(&f))),
            }
            self.active.set(false);
            pending.set(false);
        });
    }
}

/// Signed in: on to the app that asked (unless a new password comes
/// first), else where `go_on` sends her. The next page reads the rest of
/// the session from `/api/me`.
fn signed_in(session: Session, r: rekey_shared::SignInResponse) {
    let ask = crate::state::Ask::of(&r, crate::state::app_wants_mfa());
    match crate::state::continue_to() {
        Some(to) if !r.user.must_change_password && ask.is_none() => crate::state::go(&to),
        _ => {
            session.ask.set(ask);
            session.me.set(Some(r.user));
        }
    }
}

/// The second step: the code the user's authenticator app shows, or one
/// of her recovery codes.
#[component]
fn CodeStep(methods: Vec<MethodType>, #[prop(into)] on_back: Callback<()>) -> impl IntoView {
    let session = expect_context::<Session>();
    let has_codes = methods.contains(&MethodType::RecoveryCodes);
    let has_app = methods.contains(&MethodType::AuthenticatorApp);
    let has_passkey = methods.contains(&MethodType::Passkey) && crate::passkey::supported();
    let code = RwSignal::new(String::new());
    // With no app, a code typed can only be a recovery code.
    let recovery = RwSignal::new(!has_app);
    let pending = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let t = texts();
    crate::focus::focus_first_of(vec!["#code".into(), "button.passkey".into()]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        pending.set(true);
        let typed = code.get_untracked();
        leptos::task::spawn_local(async move {
            match api::second_factor(typed).await {
                Ok(r) => return signed_in(session, r),
                Err(e) => {
                    code.set(String::new());
                    error.set(Some(e));
                }
            }
            pending.set(false);
        });
    };
    let switch = move |_| {
        recovery.update(|r| *r = !*r);
        code.set(String::new());
        error.set(None);
        crate::focus::focus_first_of(vec!["#code".into()]);
    };
    let prompt = PasskeyPrompt::new();
    let with_passkey =
        move |_| prompt.sign_in(session, "/api/auth/second-factor/passkey", pending, error);
    let typed_code = has_app || has_codes;
    view! {
        <main class="sign-in">
            <form class="card" on:submit=submit>
                <h1>{if typed_code { t.sign_in.code_title } else { t.sign_in.passkey_step_title }}</h1>
                {has_passkey.then(|| view! {
                    <p class="notice" role="status">{move || prompt.active.get().then_some(t.sign_in.passkey_prompt)}</p>
                    <button type="button" class="passkey" class:primary=!has_app on:click=with_passkey
                        disabled=move || pending.get()>
                        {if has_app { t.sign_in.use_passkey } else { t.sign_in.passkey_step_title }}
                    </button>
                    {move || prompt.failure.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                })}
                {typed_code.then(|| view! {
                {move || if recovery.get() {
                    view! {
                        <p class="muted">{t.sign_in.recovery_code_intro}</p>
                        <label for="code">{t.sign_in.recovery_code_label}</label>
                        <input id="code" name="code" autocomplete="off" autocapitalize="none"
                            spellcheck="false" required maxlength="24"
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev)) />
                    }.into_any()
                } else {
                    view! {
                        <p class="muted">{t.sign_in.code_intro}</p>
                        <label for="code">{t.sign_in.code_label}</label>
                        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"
                            required autofocus maxlength="7"
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev)) />
                    }.into_any()
                }}
                {move || error.get().map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })}
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { t.sign_in.verifying } else { t.sign_in.verify }}
                </button>
                })}
                {(has_codes && has_app).then(|| view! {
                    <button type="button" class="link" on:click=switch>
                        {move || if recovery.get() { t.sign_in.use_app_code } else { t.sign_in.use_recovery_code }}
                    </button>
                })}
                <button type="button" class="link" on:click=move |_| on_back.run(())>{t.sign_in.back_to_sign_in}</button>
            </form>
        </main>
    }
}
