//! The sign-in: the one page every employee sees, and every app's sign-in
//! lands on, so it carries nothing else. The password, the second step
//! (an app's code, a recovery code or a passkey), a passkey alone, and the
//! two pages an app sends the browser to. Signed in, she goes on: to the
//! app that asked, to the account app for what the sign-in still owes
//! (a new password, a method to register) and for her own pages, or to
//! the admin center.
//!
//! Drawn with the DOM's own calls (`dom`), not Leptos: see `dom`.

mod app_pages;
mod dom;
mod form;
mod second_step;

use std::cell::Cell;

use rekey_shared::{Lang, SignInResponse, UserSummary};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::route::Route;
use crate::state::{self, texts, Ask};
use crate::{api, hand_over};

thread_local! {
    // The organisation's name, once `/api/info` has answered.
    static ORGANIZATION: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    // Which page is drawn, so a new language draws it again.
    static SHOWN: Cell<Shown> = const { Cell::new(Shown::Loading) };
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Loading,
    SignIn,
    SignOut,
    AppProblem,
}

pub fn mount() {
    state::apply_language(state::initial_language());
    // An app's pages need no session: drawn at once.
    match current_path().as_str() {
        "/sign-out" => return show(Shown::SignOut),
        "/app-sign-in-problem" => return show(Shown::AppProblem),
        _ => {}
    }
    // The account app's pages that need no sign-in, addressed here: a
    // one-time link in an email sent before the account app had its own
    // address, or `#/forgot`. A link pasted over this page changes only
    // the hash, so that is followed too.
    if to_account_app_page() {
        return show(Shown::Loading);
    }
    let on_hash = Closure::<dyn FnMut()>::new(|| {
        to_account_app_page();
    });
    if let Some(w) = web_sys::window() {
        w.set_onhashchange(Some(on_hash.as_ref().unchecked_ref()));
    }
    // Listens for the page's whole life.
    on_hash.forget();
    show(Shown::Loading);
    wasm_bindgen_futures::spawn_local(async {
        if let Ok(info) = api::info().await {
            ORGANIZATION.with(|o| *o.borrow_mut() = info.organization);
        }
        // The page preloaded it, so it is read either way. An app's
        // request (`?continue=`) here means it waits on a fresh sign-in
        // (the server found the session wanting), so the session is not
        // taken: the sign-in says so.
        let me = api::me().await;
        match me {
            Ok(r) if state::continue_to().is_none() => {
                let ask = hand_over::take().or_else(|| Ask::of(&r, state::app_wants_mfa()));
                go_on(&r.user, ask);
            }
            _ => show(Shown::SignIn),
        }
    });
}

fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// Whether the hash is the account app's page, which it is then sent to.
fn to_account_app_page() -> bool {
    let hash = state::hash();
    let to_account = matches!(Route::parse(&hash), Route::SetPassword(_) | Route::Forgot);
    if to_account {
        state::go_to_account_app(&hash);
    }
    to_account
}

fn organization() -> String {
    ORGANIZATION.with(|o| o.borrow().clone())
}

/// Draws `page` in the page's language.
fn show(page: Shown) {
    SHOWN.with(|s| s.set(page));
    match page {
        Shown::Loading => dom::draw(|| {
            dom::with_text(
                "p",
                &[("class", "loading"), ("aria-live", "polite")],
                texts().sign_in.loading,
            )
        }),
        Shown::SignIn => form::sign_in(),
        Shown::SignOut => app_pages::sign_out_confirm(),
        Shown::AppProblem => app_pages::app_problem(),
    }
}

/// The page in `lang`, remembered in this browser (the account app and
/// the admin center start in it).
fn choose_language(lang: Lang) {
    state::remember_language(lang);
    state::apply_language(lang);
    show(SHOWN.with(Cell::get));
}

/// Signed in: on to the app that asked (unless a new password or
/// something else comes first), else where `go_on` sends her.
fn signed_in(r: SignInResponse) {
    let ask = Ask::of(&r, state::app_wants_mfa());
    match state::continue_to() {
        Some(to) if !r.user.must_change_password && ask.is_none() => state::go(&to),
        _ => go_on(&r.user, ask),
    }
}

/// On to where she was headed. The page's hash is that place: an admin
/// center page (`#/users/{id}/reset` in a request email) or one of her
/// own (`#/security-info`). Her account's language goes with her; an
/// account without one takes the page's in the app she goes on to.
fn go_on(user: &UserSummary, ask: Option<Ask>) {
    if let Some(lang) = user.preferred_language {
        state::remember_language(lang);
    }
    show(Shown::Loading);
    let hash = state::hash();
    let own_page = Route::parse(&hash).is_own_page();
    // Left either way: no ask from an earlier sign-in outlives this one.
    hand_over::leave(ask);
    if user.role.is_admin() && !user.must_change_password && ask.is_none() && !own_page {
        state::go_to_admin_center(&hash);
    } else {
        state::go_to_account_app(&hash);
    }
}

/// English or Nederlands, each in its own words.
fn language_switch() -> web_sys::Element {
    let current = state::page_lang();
    let select = dom::el("select", &[], &[]);
    for &lang in Lang::ALL {
        let option = dom::with_text(
            "option",
            &[("value", lang.as_str()), ("lang", lang.as_str())],
            lang.name(),
        );
        if lang == current {
            let _ = option.set_attribute("selected", "");
        }
        let _ = select.append_child(&option);
    }
    let chosen = select.clone();
    dom::on(&select, "change", move |_| {
        if let Some(lang) = Lang::parse(&dom::value(&chosen)) {
            choose_language(lang);
        }
    });
    dom::el(
        "label",
        &[("class", "language")],
        &[
            &dom::with_text(
                "span",
                &[("class", "visually-hidden")],
                texts().sign_in.language,
            ),
            &select,
        ],
    )
}
