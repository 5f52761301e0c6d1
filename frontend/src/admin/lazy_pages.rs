//! The admin center's pages and panes beyond its frame and Active users.
//! Built with `--cfg rekey_split` (the release build,
//! scripts/build-frontend.sh), each is a split point: wasm-split moves its
//! code into chunks of its own, fetched the first time it opens, so an
//! admin's first load carries only the frame and the list. Elsewhere (the
//! component tests, clippy) each is a plain async function.

use std::future::Future;

use leptos::prelude::*;
use rekey_shared::UserSummary;

use super::apps::Apps;
use super::audit::AuditLog;
use super::bulk_pane::BulkPane;
use super::import_pane::ImportPane;
use super::person_pane::PersonPane;
use super::reset_pane::ResetPane;
use super::reset_requests::ResetRequests;
use super::reset_settings::ResetSettings;

/// A chunk that did not arrive (offline, or a newer build took its place).
pub struct NotLoaded;

impl From<leptos::wasm_split::SplitLoaderError> for NotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// Declares `async fn $name(args) -> Result<AnyView, NotLoaded>`: a split
/// point in the release build, a plain function elsewhere. A chunk that
/// fails to load is an `Err` (not a panic, which would stop the whole
/// app), and opening the page again fetches it again.
macro_rules! split_point {
    ($name:ident($($arg:ident: $ty:ty),*) => $view:expr) => {
        #[cfg(rekey_split)]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $name($($arg: $ty),*) -> Result<AnyView, NotLoaded> {
            Ok($view.into_any())
        }

        #[cfg(not(rekey_split))]
        pub async fn $name($($arg: $ty),*) -> Result<AnyView, NotLoaded> {
            Ok($view.into_any())
        }
    };
}

split_point!(audit_log() => view! { <AuditLog /> });
split_point!(reset_requests() => view! { <ResetRequests /> });
split_point!(apps() => view! { <Apps /> });
split_point!(reset_settings() => view! { <ResetSettings /> });
split_point!(reset_pane(user_id: String, me: UserSummary, known: Option<UserSummary>) =>
    view! { <ResetPane user_id=user_id me=me known=known /> });
split_point!(person_pane(me: UserSummary, user: Option<UserSummary>, on_close: Callback<()>) =>
    view! { <PersonPane me=me user=user on_close=on_close /> });
split_point!(import_pane(on_close: Callback<()>) => view! { <ImportPane on_close=on_close /> });
split_point!(bulk_pane(me: UserSummary, users: Vec<UserSummary>, on_close: Callback<()>) =>
    view! { <BulkPane me=me users=users on_close=on_close /> });

/// A page or pane, drawn once its code is in ("Loading…" until then, on a
/// slow network); if it could not be fetched, says so where it would be.
pub fn when_loaded(
    view: impl Future<Output = Result<AnyView, NotLoaded>> + Send + 'static,
) -> impl IntoView {
    // A signal, not a <Suspense>: that costs 2.5 kB of the first load.
    let waiting = RwSignal::new(true);
    let view = Suspend::new(async move {
        let drawn = view.await.unwrap_or_else(|NotLoaded| {
            let t = crate::state::admin_texts();
            view! { <p class="error banner" role="alert">{t.page_not_loaded}</p> }.into_any()
        });
        waiting.set(false);
        drawn
    });
    view! { {move || waiting.get().then(crate::loading)} {view} }
}

/// In headless Chromium (wasm-bindgen-test-runner, from `./scripts/test.sh`).
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::test_dom::{fresh_root, texts};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn a_page_says_loading_until_its_code_is_in_then_draws_or_says_it_did_not_arrive() {
        crate::state::apply_language(rekey_shared::Lang::En);
        let root = fresh_root();
        let _failed = leptos::mount::mount_to(root.clone().unchecked_into(), || {
            when_loaded(async { Err(NotLoaded) })
        });
        let drawn = fresh_root();
        let _loaded = leptos::mount::mount_to(drawn.clone().unchecked_into(), || {
            when_loaded(async { Ok(view! { <h1>"Audit log"</h1> }.into_any()) })
        });
        let coming = fresh_root();
        let _coming = leptos::mount::mount_to(coming.clone().unchecked_into(), || {
            when_loaded(std::future::pending())
        });
        leptos::task::tick().await;
        assert_eq!(texts(&coming, "p.loading"), ["Loading…"]);
        for done in [&root, &drawn] {
            assert!(texts(done, "p.loading").is_empty());
        }
        assert_eq!(
            texts(&root, "p.error.banner[role=alert]"),
            ["This part of the admin center didn't load. Check your connection and open it again."]
        );
        assert_eq!(texts(&drawn, "h1"), ["Audit log"]);
        assert!(texts(&drawn, "[role=alert]").is_empty());
    }
}
