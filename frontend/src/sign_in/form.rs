//! The sign-in's first step: username and password, or a passkey alone.
//! Errors appear in place.

use std::cell::Cell;
use std::rc::Rc;

use rekey_shared::SignInResponse;
use web_sys::Element;

use super::dom::{self, el, on, with_text, Alert};
use crate::api;
use crate::state::{error_text, texts};

/// One request at a time, and what the page shows meanwhile: its submit
/// button (and its passkey button, if any) busy, its last error gone. A
/// second click or Enter sends nothing.
#[derive(Clone)]
pub(super) struct Pending {
    on: Rc<Cell<bool>>,
    /// The page's error, said just before `submit`.
    error: Alert,
    submit: Element,
    /// The submit button's label, idle and busy.
    labels: (&'static str, &'static str),
    passkey: Option<(Element, &'static str)>,
}

impl Pending {
    pub(super) fn new(
        submit: &Element,
        labels: (&'static str, &'static str),
        passkey: Option<(Element, &'static str)>,
    ) -> Self {
        Pending {
            on: Rc::new(Cell::new(false)),
            error: Alert::new(),
            submit: submit.clone(),
            labels,
            passkey,
        }
    }

    /// Marks a request on its way; false if one already is.
    pub(super) fn start(&self) -> bool {
        if self.on.replace(true) {
            return false;
        }
        self.error.clear();
        self.buttons(true);
        true
    }

    /// The request failed: the page says why, and takes the next.
    pub(super) fn failed(&self, message: &str) {
        self.error.show(message, &self.submit);
        self.done();
    }

    /// The request is over; the page takes the next.
    pub(super) fn done(&self) {
        self.buttons(false);
        self.on.set(false);
    }

    /// Clears the page's error.
    pub(super) fn clear_error(&self) {
        self.error.clear();
    }

    fn buttons(&self, busy: bool) {
        let label = if busy { self.labels.1 } else { self.labels.0 };
        dom::set_busy(&self.submit, label, busy);
        if let Some((button, label)) = &self.passkey {
            dom::set_busy(button, label, busy);
        }
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
        let pending = Pending::new(
            &submit,
            (t.sign_in, t.signing_in),
            passkey.clone().map(|b| (b, t.sign_in_with_passkey)),
        );
        if let Some(button) = &passkey {
            let (pending, prompt) = (pending.clone(), prompt.clone());
            on(button, "click", move |_| {
                prompt.sign_in("/api/auth/passkey", &pending);
            });
        }
        let (typed_user, typed_password) = (username.clone(), password.clone());
        on(&form, "submit", move |ev| {
            ev.prevent_default();
            if !pending.start() {
                return;
            }
            let (u, p) = (dom::value(&typed_user), dom::value(&typed_password));
            let (pending, password) = (pending.clone(), typed_password.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::sign_in(u, p).await {
                    Ok(api::SignedIn::Session(r)) => {
                        dom::set_value(&password, "");
                        super::signed_in(r);
                    }
                    Ok(api::SignedIn::CodeDue(methods)) => super::second_step::code_step(methods),
                    Err(e) => pending.failed(&error_text(&e)),
                }
            });
        });
        el("main", &[("class", "sign-in")], &[&form])
    });
    crate::focus::focus_first_now(&["#username"]);
}

fn notice(text: &str) -> Element {
    with_text("p", &[("class", "notice"), ("role", "status")], text)
}

/// A passkey button's prompt and failure, both announced.
#[derive(Clone)]
pub(super) struct PasskeyPrompt {
    pub(super) status: Element,
    pub(super) failure: Alert,
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
            failure: Alert::new(),
            after: status,
        }
    }

    /// Signs in with a passkey at `path` (its options at `{path}/options`),
    /// one request of the page's `pending`, as a password sign-in is.
    pub(super) fn sign_in(&self, path: &'static str, pending: &Pending) {
        if !pending.start() {
            return;
        }
        self.failure.clear();
        self.status
            .set_text_content(Some(texts().sign_in.passkey_prompt));
        let (me, pending) = (self.clone(), pending.clone());
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
            pending.done();
        });
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::*;

    use super::super::dom::with_text;
    use super::Pending;
    use crate::test_dom::{fresh_root, texts};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_second_request_waits_for_the_first_and_a_failure_says_why_before_the_button() {
        let root = fresh_root();
        let submit = with_text("button", &[], "Sign in");
        let passkey = with_text("button", &[], "Sign in with a passkey");
        root.append_child(&submit).unwrap();
        root.append_child(&passkey).unwrap();
        let pending = Pending::new(
            &submit,
            ("Sign in", "Signing in…"),
            Some((passkey.clone(), "Sign in with a passkey")),
        );

        assert!(pending.start());
        assert!(
            !pending.clone().start(),
            "a second click or Enter sends nothing"
        );
        assert!(submit.has_attribute("disabled") && passkey.has_attribute("disabled"));
        assert_eq!(submit.text_content().as_deref(), Some("Signing in…"));

        pending.failed("Wrong password");
        assert_eq!(texts(&root, "p.error[role=alert]"), ["Wrong password"]);
        assert_eq!(
            submit
                .previous_element_sibling()
                .and_then(|p| p.text_content()),
            Some("Wrong password".into())
        );
        assert!(!submit.has_attribute("disabled") && !passkey.has_attribute("disabled"));
        assert_eq!(submit.text_content().as_deref(), Some("Sign in"));

        assert!(pending.start(), "the next request goes");
        assert!(
            texts(&root, "[role=alert]").is_empty(),
            "the last error goes as it leaves"
        );
    }
}
