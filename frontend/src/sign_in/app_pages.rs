//! Pages an app sends the browser to: asking before an app signs the user
//! out of Rekey, and why an app's sign-in could not go on.

use super::dom::{self, el, on, with_text};
use crate::api;
use crate::state::{go, texts};

/// "Sign out of Rekey?": an app asked without proving which sign-in it
/// meant (no valid `id_token_hint`), so the user decides.
pub fn sign_out_confirm() {
    let u = &texts().sign_in;
    dom::draw(|| {
        let sign_out = with_text(
            "button",
            &[("id", "sign-out"), ("class", "primary")],
            u.sign_out,
        );
        on(&sign_out, "click", |_| {
            wasm_bindgen_futures::spawn_local(async {
                api::sign_out().await;
                go("/");
            });
        });
        let stay = with_text(
            "button",
            &[("type", "button"), ("class", "link")],
            u.stay_signed_in,
        );
        on(&stay, "click", |_| go("/"));
        page(&[
            &with_text("h1", &[], u.sign_out_title),
            &with_text("p", &[("class", "muted")], u.sign_out_intro),
            &sign_out,
            &stay,
        ])
    });
    crate::focus::focus_first_now(&["#sign-out"]);
}

/// Why an app's sign-in stopped at Rekey (the app is unknown, or asked to
/// return somewhere it never registered): Rekey redirects nowhere then.
pub fn app_problem() {
    let u = &texts().sign_in;
    let reason = crate::state::query("reason").unwrap_or_default();
    let why = match reason.as_str() {
        "unknown_app" => u.problem_unknown_app,
        "redirect_uri" | "logout_uri" => u.problem_address,
        _ => u.problem_request,
    };
    dom::draw(|| {
        page(&[
            &with_text("h1", &[], u.problem_title),
            &with_text("p", &[("role", "alert")], why),
            &with_text("p", &[("class", "muted")], u.problem_help),
            &with_text("a", &[("class", "button"), ("href", "/")], u.go_sign_in),
        ])
    });
}

/// `<main class="sign-in"><div class="card">…</div></main>`.
fn page(children: &[&web_sys::Node]) -> web_sys::Element {
    el(
        "main",
        &[("class", "sign-in")],
        &[&el("div", &[("class", "card")], children)],
    )
}
