//! Where keyboard focus goes when what held it disappears (WAI-ARIA APG:
//! focus is never dropped on the page body).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Focuses the first focusable element that one of `selectors` finds, in
/// order, once the current render has reached the DOM.
pub fn focus_first_of(selectors: Vec<String>) {
    request_animation_frame(move || focus_first_now(&selectors));
}

/// The same, at once: for a page drawn with the DOM's own calls (the
/// sign-in), already in the document.
pub fn focus_first_now<S: AsRef<str>>(selectors: &[S]) {
    let doc = document();
    for selector in selectors {
        let found = doc
            .query_selector(selector.as_ref())
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            .filter(|e| !e.has_attribute("disabled"));
        if let Some(element) = found {
            let _ = element.focus();
            return;
        }
    }
}

/// Focuses `heading` when it appears: after sign-in and on every page, so
/// keyboard and screen-reader users start at the top of what they opened.
pub fn focus_on_mount(heading: NodeRef<leptos::html::H1>) {
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
}

const FOCUSABLE: &str =
    "button:not([disabled]), input:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

/// Keeps Tab and Shift+Tab inside the modal pane, wrapping at its ends.
pub fn trap_focus(pane: &web_sys::Element, ev: &leptos::ev::KeyboardEvent) {
    let Ok(list) = pane.query_selector_all(FOCUSABLE) else {
        return;
    };
    let (Some(first), Some(last)) = (list.item(0), list.item(list.length().saturating_sub(1)))
    else {
        return;
    };
    let active: Option<web_sys::Node> = document().active_element().map(Into::into);
    let inside = active.as_ref().is_some_and(|a| pane.contains(Some(a)));
    let target = match (ev.shift_key(), active) {
        (_, _) if !inside => Some(first),
        (true, Some(a)) if a == first => Some(last),
        (false, Some(a)) if a == last => Some(first),
        _ => None,
    };
    if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        ev.prevent_default();
        let _ = target.focus();
    }
}

/// A modal's keys: Escape calls `on_escape`; Tab and Shift+Tab stay inside
/// `pane`. Removed with the modal.
pub fn modal_keys(pane: NodeRef<leptos::html::Div>, on_escape: impl Fn() + 'static) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            on_escape();
        } else if ev.key() == "Tab" {
            if let Some(pane) = pane.get_untracked() {
                trap_focus(&pane, &ev);
            }
        }
    });
    on_cleanup(move || handle.remove());
}
