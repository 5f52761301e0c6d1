use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Copies `text` to the clipboard; false when the browser refused.
pub async fn copy_to_clipboard(text: &str) -> bool {
    let navigator = js_sys::Reflect::get(&window(), &"navigator".into()).unwrap_or_default();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into()) else {
        return false;
    };
    let Some(write) = write.dyn_ref::<js_sys::Function>() else {
        return false;
    };
    match write.call1(&clipboard, &text.into()) {
        Ok(promise) => match promise.dyn_into::<js_sys::Promise>() {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
            Err(_) => false,
        },
        Err(_) => false,
    }
}

/// A password shown once: masked until Show, with Copy.
///
/// - `value`: the secret.
/// - `label`: what it is, for screen readers.
#[component]
pub fn SecretValue(value: String, #[prop(into)] label: String) -> impl IntoView {
    let shown = RwSignal::new(false);
    let u = crate::state::admin_texts();
    let copied: RwSignal<Option<bool>> = RwSignal::new(None);
    let masked = "•".repeat(value.chars().count());
    let for_copy = value.clone();
    view! {
        <span class="secret">
            // A code element may not carry a label (it has no role that
            // takes one): the label is text for screen readers instead.
            <span class="visually-hidden">{label}</span>
            <code class="secret-value">
                {move || if shown.get() { value.clone() } else { masked.clone() }}
            </code>
            <button type="button" class="small" aria-pressed=move || shown.get().to_string()
                on:click=move |_| shown.update(|s| *s = !*s)>
                {move || if shown.get() { u.hide } else { u.show }}
            </button>
            <button type="button" class="small copy" on:click=move |_| {
                let text = for_copy.clone();
                leptos::task::spawn_local(async move {
                    copied.set(Some(copy_to_clipboard(&text).await));
                });
            }>{u.copy}</button>
            <span class="copy-status" role="status">
                {move || match copied.get() {
                    Some(true) => u.copied,
                    Some(false) => u.copy_failed,
                    None => "",
                }}
            </span>
        </span>
    }
}
