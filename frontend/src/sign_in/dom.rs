//! The few DOM calls the sign-in's pages are drawn with. The sign-in is
//! every employee's page, so it does without Leptos (its runtime and the
//! code each view instantiates were most of the page's transfer): a page
//! is drawn once per step, and what changes in it (a button's label, an
//! error) is set on its element.

use std::cell::RefCell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, Node};

type Handlers = Vec<Closure<dyn FnMut(Event)>>;

thread_local! {
    // The drawn page's event handlers, dropped with it when the next is
    // drawn (wasm-bindgen lets a handler that draws the next page finish).
    static HANDLERS: RefCell<Handlers> = const { RefCell::new(Vec::new()) };
}

pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a page's document")
}

/// `<tag attr="value"…>children</tag>`.
pub fn el(tag: &str, attrs: &[(&str, &str)], children: &[&Node]) -> Element {
    let e = document()
        .create_element(tag)
        .expect("a known element name");
    for (name, value) in attrs {
        let _ = e.set_attribute(name, value);
    }
    for child in children {
        let _ = e.append_child(child);
    }
    e
}

/// A text node.
pub fn text(s: &str) -> Node {
    document().create_text_node(s).into()
}

/// `<tag attr…>text</tag>`.
pub fn with_text(tag: &str, attrs: &[(&str, &str)], s: &str) -> Element {
    el(tag, attrs, &[&text(s)])
}

/// Calls `f` on each `event` at `target`, while this page is drawn.
pub fn on(target: &Element, event: &str, f: impl FnMut(Event) + 'static) {
    let handler = Closure::<dyn FnMut(Event)>::new(f);
    let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    HANDLERS.with(|h| h.borrow_mut().push(handler));
}

/// Puts the page `build` makes in the body in place of what was drawn
/// there, whose handlers go with it.
pub fn draw(build: impl FnOnce() -> Element) {
    let old = HANDLERS.with(|h| std::mem::take(&mut *h.borrow_mut()));
    let page = build();
    if let Some(body) = document().body() {
        body.set_text_content(None);
        let _ = body.append_child(&page);
    }
    drop(old);
}

/// What is typed in `field` (an input) or chosen in it (a select).
pub fn value(field: &Element) -> String {
    js_sys::Reflect::get(field, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

pub fn set_value(field: &Element, v: &str) {
    let _ = js_sys::Reflect::set(field, &"value".into(), &v.into());
}

/// A button's label and whether it takes clicks.
pub fn set_busy(button: &Element, label: &str, busy: bool) {
    button.set_text_content(Some(label));
    let _ = if busy {
        button.set_attribute("disabled", "")
    } else {
        button.remove_attribute("disabled")
    };
}

/// `<p class="error" role="alert">`, in the page only while it has
/// something to say (inserted, it is announced). Clones are the one
/// paragraph.
#[derive(Clone)]
pub struct Alert {
    p: Element,
}

impl Alert {
    pub fn new() -> Self {
        Alert {
            p: el("p", &[("class", "error"), ("role", "alert")], &[]),
        }
    }

    /// Says `message` just before `next`.
    pub fn show(&self, message: &str, next: &Element) {
        self.p.set_text_content(Some(message));
        if let Some(parent) = next.parent_node() {
            let _ = parent.insert_before(&self.p, Some(next));
        }
    }

    pub fn clear(&self) {
        self.p.remove();
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::*;

    use super::*;
    use crate::test_dom::{fresh_root, texts};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn an_alert_is_in_the_page_only_while_it_has_something_to_say() {
        let root = fresh_root();
        let button = with_text("button", &[], "Sign in");
        root.append_child(&button).unwrap();
        let alert = Alert::new();
        assert!(texts(&root, "[role=alert]").is_empty());

        alert.show("Wrong password", &button);
        alert.show("Account locked", &button);
        assert_eq!(texts(&root, "p.error[role=alert]"), ["Account locked"]);
        assert_eq!(
            button
                .previous_element_sibling()
                .and_then(|p| p.text_content()),
            Some("Account locked".into()),
            "said just before the button"
        );

        alert.clear();
        assert!(texts(&root, "[role=alert]").is_empty());
    }

    #[wasm_bindgen_test]
    fn a_busy_button_takes_no_clicks_and_says_so() {
        let button = with_text("button", &[], "Sign in");
        set_busy(&button, "Signing in…", true);
        assert!(button.has_attribute("disabled"));
        assert_eq!(button.text_content().as_deref(), Some("Signing in…"));
        set_busy(&button, "Sign in", false);
        assert!(!button.has_attribute("disabled"));
        assert_eq!(button.text_content().as_deref(), Some("Sign in"));
    }
}
