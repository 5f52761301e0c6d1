//! DOM helpers for the component tests in headless Chromium.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventInit, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

/// A fresh `<section>` in the page to mount a component into.
pub fn fresh_root() -> Element {
    let doc = document();
    let root = doc.create_element("section").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

pub fn find<T: JsCast>(root: &Element, selector: &str) -> Option<T> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.unchecked_into::<T>())
}

/// The text of every element `selector` matches, in document order.
pub fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.text_content())
        .collect()
}

/// Sets `field`'s value and fires the `input` event typing would.
pub fn type_into(field: &HtmlInputElement, text: &str) {
    field.set_value(text);
    let init = EventInit::new();
    init.set_bubbles(true);
    field
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// Fires a `keydown` of `key` at `target`.
pub fn key_down(target: &Element, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    target
        .dispatch_event(
            &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
        )
        .unwrap();
}
