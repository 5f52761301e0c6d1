//! The sign-in's first step: username and password, or a passkey alone.
//! Errors appear in place.

use std::cell::Cell;
use std::rc::Rc;

use rekey_shared::SignInResponse;
use web_sys::Element;

use super::dom::{self, el, on, with_text, Alert};
use crate::api;
use crate::state::{error_text, texts};

/// One request at a time: a second click or Enter sends nothing.
#[derive(Clone)]
pub(super) struct Busy(Rc<Cell<bool>>);

impl Busy {
    pub(super) fn new() -> Self {
        Busy(Rc::new(Cell::new(false)))
    }

    /// Marks a request on its way; false if one already is.
    pub(super) fn start(&self) -> bool {
        !self.0.replace(true)
    }

    pub(super) fn done(&self) {
        self.0.set(false);
    }
}

/// Username and password, a passkey, and "Forgot your password?".
pub fn sign_in() {
    let t = &texts().sign_in;
    dom::draw(|| {
        let username = el(
            "input",
            &[
                ("id", "username"),
                ("name", "username"),
                ("autocomplete", "username"),
                ("required", ""),
                ("autofocus", ""),
            ],
            &[],
        );
        let password = el(
            "input",
            &[
                ("id", "password"),
                ("name", "password"),
                ("type", "password"),
                ("autocomplete", "current-password"),
                ("required", ""),
            ],
            &[],
        );
        let submit = with_text(
            "button",
            &[("type", "submit"), ("class", "primary")],
            t.sign_in,
        );
        let form = el(
            "form",
            &[("class", "card")],
            &[
                &el(
                    "div",
                    &[("class", "card-head")],
                    &[&with_text("h1", &[], "Rekey"), &super::language_switch()],
                ),
                &with_text(
                    "p",
                    &[("class", "muted")],
                    &(t.sign_in_to)(&super::organization()),
                ),
            ],
        );
        if crate::state::continue_to().is_some() {
            let _ = form.append_child(&notice(t.continue_to_app));
        }
        if crate::state::session_ended_elsewhere() {
            let _ = form.append_child(&notice(t.session_ended));
        }
        for child in [
            &with_text("label", &[("for", "username")], t.username_or_email),
            &username,
            &with_text("label", &[("for", "password")], t.password),
            &password,
            &submit,
        ] {
            let _ = form.append_child(child);
        }
        let busy = Busy::new();
        let error = Rc::new(Alert::new());
        let passkey = crate::passkey::supported().then(|| {
            let button = with_text(
                "button",
                &[("type", "button"), ("class", "passkey")],
                t.sign_in_with_passkey,
            );
            let _ = form.append_child(&button);
            button
        });
        let prompt = PasskeyPrompt::new(&form);
        let forgot = with_text("button", &[("type", "button"), ("class", "link")], t.forgot);
        let _ = form.append_child(&forgot);
        on(&forgot, "click", |_| {
            // The account app's, which comes back here with the app that
            // waits, if any.
            crate::state::go_to_account_app(&crate::route::Route::Forgot.href());
        });
        // Busy or not, both buttons together.
        let buttons: Rc<dyn Fn(bool)> = {
            let (submit, passkey) = (submit.clone(), passkey.clone());
            Rc::new(move |on: bool| {
                dom::set_busy(&submit, if on { t.signing_in } else { t.sign_in }, on);
                if let Some(p) = &passkey {
                    dom::set_busy(p, t.sign_in_with_passkey, on);
                }
            })
        };
        if let Some(button) = &passkey {
            let (busy, error, buttons, prompt) =
                (busy.clone(), error.clone(), buttons.clone(), prompt.clone());
            on(button, "click", move |_| {
                prompt.sign_in("/api/auth/passkey", &busy, &error, buttons.clone());
            });
        }
        let (typed_user, typed_password) = (username.clone(), password.clone());
        on(&form, "submit", move |ev| {
            ev.prevent_default();
            if !busy.start() {
                return;
            }
            error.clear();
            buttons(true);
            let (u, p) = (dom::value(&typed_user), dom::value(&typed_password));
            let (busy, error, buttons, password, submit) = (
                busy.clone(),
                error.clone(),
                buttons.clone(),
                typed_password.clone(),
                submit.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match api::sign_in(u, p).await {
                    Ok(api::SignedIn::Session(r)) => {
                        dom::set_value(&password, "");
                        return super::signed_in(r);
                    }
                    Ok(api::SignedIn::CodeDue(methods)) => {
                        return super::second_step::code_step(methods)
                    }
                    Err(e) => error.show(&error_text(&e), &submit),
                }
                buttons(false);
                busy.done();
            });
        });
        el("main", &[("class", "sign-in")], &[&form])
    });
    dom::focus_first_of(&["#username"]);
}

fn notice(text: &str) -> Element {
    with_text("p", &[("class", "notice"), ("role", "status")], text)
}

/// A passkey button's prompt and failure, both announced.
#[derive(Clone)]
pub(super) struct PasskeyPrompt {
    pub(super) status: Element,
    pub(super) failure: Rc<Alert>,
    /// Where the failure is said: before what follows the prompt.
    pub(super) after: Element,
}

impl PasskeyPrompt {
    /// The prompt's place, last in `form` so far.
    pub(super) fn new(form: &Element) -> Self {
        let status = el("p", &[("class", "notice"), ("role", "status")], &[]);
        let _ = form.append_child(&status);
        PasskeyPrompt {
            status: status.clone(),
            failure: Rc::new(Alert::new()),
            after: status,
        }
    }

    /// Signs in with a passkey at `path` (its options at `{path}/options`),
    /// the page's `busy` and `error` kept as a password sign-in keeps them.
    pub(super) fn sign_in(
        &self,
        path: &'static str,
        busy: &Busy,
        error: &Rc<Alert>,
        buttons: Rc<dyn Fn(bool)>,
    ) {
        if !busy.start() {
            return;
        }
        let t = &texts().sign_in;
        error.clear();
        self.failure.clear();
        buttons(true);
        self.status.set_text_content(Some(t.passkey_prompt));
        let (me, busy) = (self.clone(), busy.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let options = format!("{path}/options");
            let done =
                crate::passkey::ceremony::<SignInResponse>(&options, "{}".into(), path, false)
                    .await;
            match done {
                Ok(r) => return super::signed_in(r),
                Err(f) => {
                    if let Some(next) = me.after.next_element_sibling() {
                        me.failure.show(&crate::passkey::failure_text(&f), &next);
                    }
                }
            }
            me.status.set_text_content(None);
            buttons(false);
            busy.done();
        });
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::*;

    use super::Busy;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_second_request_waits_for_the_first_to_be_done() {
        let busy = Busy::new();
        assert!(busy.start());
        assert!(
            !busy.clone().start(),
            "a second click or Enter sends nothing"
        );
        busy.done();
        assert!(busy.start());
    }
}
