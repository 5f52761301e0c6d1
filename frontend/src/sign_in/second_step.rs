//! The sign-in's second step, when the account has one: an authenticator
//! app's code, a recovery code or a passkey. Errors appear in place.

use std::cell::Cell;
use std::rc::Rc;

use rekey_shared::MethodType;
use web_sys::Element;

use super::dom::{self, el, on, with_text};
use super::form::{PasskeyPrompt, Pending};
use crate::api;
use crate::state::{error_text, texts};

/// The second step: the code the user's authenticator app shows, one of
/// her recovery codes, or her passkey.
pub(super) fn code_step(methods: Vec<MethodType>) {
    let t = &texts().sign_in;
    let has_codes = methods.contains(&MethodType::RecoveryCodes);
    let has_app = methods.contains(&MethodType::AuthenticatorApp);
    let has_passkey = methods.contains(&MethodType::Passkey) && crate::passkey::supported();
    let typed_code = has_app || has_codes;
    dom::draw(|| {
        let title = if typed_code {
            t.code_title
        } else {
            t.passkey_step_title
        };
        let form = el(
            "form",
            &[("class", "card")],
            &[&with_text("h1", &[], title)],
        );
        let submit = with_text(
            "button",
            &[("type", "submit"), ("class", "primary")],
            t.verify,
        );
        let passkey_label = if has_app {
            t.use_passkey
        } else {
            t.passkey_step_title
        };
        let passkey = has_passkey.then(|| {
            let prompt = PasskeyPrompt::new(&form);
            let class = if has_app {
                "passkey"
            } else {
                "passkey primary"
            };
            let button = with_text(
                "button",
                &[("type", "button"), ("class", class)],
                passkey_label,
            );
            let _ = form.append_child(&button);
            // A passkey's failure is said after its button.
            let prompt = PasskeyPrompt {
                after: button.clone(),
                ..prompt
            };
            (prompt, button)
        });
        let pending = Pending::new(
            &submit,
            (t.verify, t.verifying),
            passkey.as_ref().map(|(_, b)| (b.clone(), passkey_label)),
        );
        if let Some((prompt, button)) = &passkey {
            let (prompt, pending) = (prompt.clone(), pending.clone());
            on(button, "click", move |_| {
                prompt.sign_in("/api/auth/second-factor/passkey", &pending);
            });
        }
        // The typed code's part, drawn again when she switches between an
        // app's code and a recovery code. With no app, a code typed can
        // only be a recovery code.
        let recovery = Rc::new(Cell::new(!has_app));
        let code_part = el("div", &[("class", "code-part")], &[]);
        if typed_code {
            let _ = form.append_child(&code_part);
            let _ = form.append_child(&submit);
            draw_code_part(&code_part, recovery.get());
        }
        if has_codes && has_app {
            let switch = with_text(
                "button",
                &[("type", "button"), ("class", "link")],
                t.use_recovery_code,
            );
            let _ = form.append_child(&switch);
            let (part, label, pending) = (code_part.clone(), switch.clone(), pending.clone());
            on(&switch, "click", move |_| {
                recovery.set(!recovery.get());
                let r = recovery.get();
                label.set_text_content(Some(if r {
                    t.use_app_code
                } else {
                    t.use_recovery_code
                }));
                pending.clear_error();
                draw_code_part(&part, r);
                crate::focus::focus_first_now(&["#code"]);
            });
        }
        let back = with_text(
            "button",
            &[("type", "button"), ("class", "link")],
            t.back_to_sign_in,
        );
        let _ = form.append_child(&back);
        on(&back, "click", |_| super::show(super::Shown::SignIn));
        let f = form.clone();
        on(&form, "submit", move |ev| {
            ev.prevent_default();
            if !pending.start() {
                return;
            }
            let code = f.query_selector("#code").ok().flatten();
            let typed = code.as_ref().map(dom::value).unwrap_or_default();
            let pending = pending.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::second_factor(typed).await {
                    Ok(r) => super::signed_in(r),
                    Err(e) => {
                        if let Some(code) = &code {
                            dom::set_value(code, "");
                        }
                        pending.failed(&error_text(&e));
                    }
                }
            });
        });
        el("main", &[("class", "sign-in")], &[&form])
    });
    crate::focus::focus_first_now(&["#code", "button.passkey"]);
}

/// The code's intro, label and field: a recovery code's or an app's.
fn draw_code_part(part: &Element, recovery: bool) {
    let t = &texts().sign_in;
    part.set_text_content(None);
    let (intro, label, field) = if recovery {
        (
            t.recovery_code_intro,
            t.recovery_code_label,
            el(
                "input",
                &[
                    ("id", "code"),
                    ("name", "code"),
                    ("autocomplete", "off"),
                    ("autocapitalize", "none"),
                    ("spellcheck", "false"),
                    ("required", ""),
                    ("maxlength", "24"),
                ],
                &[],
            ),
        )
    } else {
        (
            t.code_intro,
            t.code_label,
            el(
                "input",
                &[
                    ("id", "code"),
                    ("name", "code"),
                    ("inputmode", "numeric"),
                    ("autocomplete", "one-time-code"),
                    ("required", ""),
                    ("autofocus", ""),
                    ("maxlength", "7"),
                ],
                &[],
            ),
        )
    };
    for child in [
        &with_text("p", &[("class", "muted")], intro),
        &with_text("label", &[("for", "code")], label),
        &field,
    ] {
        let _ = part.append_child(child);
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::*;
    use web_sys::Element;

    use super::draw_code_part;
    use crate::test_dom::fresh_root;

    wasm_bindgen_test_configure!(run_in_browser);

    fn code(root: &Element) -> Element {
        assert_eq!(root.query_selector_all("#code").unwrap().length(), 1);
        root.query_selector("#code").unwrap().unwrap()
    }

    #[wasm_bindgen_test]
    fn the_code_field_takes_an_apps_code_or_a_recovery_code_one_at_a_time() {
        let root = fresh_root();
        draw_code_part(&root, false);
        let app = code(&root);
        assert_eq!(app.get_attribute("inputmode").as_deref(), Some("numeric"));
        assert_eq!(
            app.get_attribute("autocomplete").as_deref(),
            Some("one-time-code")
        );
        assert_eq!(app.get_attribute("maxlength").as_deref(), Some("7"));

        draw_code_part(&root, true);
        let recovery = code(&root);
        assert_eq!(
            recovery.get_attribute("autocomplete").as_deref(),
            Some("off")
        );
        assert_eq!(recovery.get_attribute("maxlength").as_deref(), Some("24"));
        assert!(recovery.get_attribute("inputmode").is_none());
        let label = root.query_selector("label[for=code]").unwrap().unwrap();
        assert!(!label.text_content().unwrap_or_default().is_empty());
    }
}
