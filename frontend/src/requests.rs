//! A page's requests: what it loads (`Load`) and what it sends (`Submit`),
//! with the bookkeeping every page would otherwise write by hand: the
//! answer, why it failed, and whether one is still on its way.
//!
//! Leptos's own `LocalResource` and `Action` do this too, but each costs
//! kilobytes per page here (see README); these are a signal or two each.
//! Both spawn on the browser's own queue, so a component also draws and
//! runs where no Leptos executor was started (the component tests).

use std::future::Future;

use leptos::prelude::*;
use rekey_shared::ApiError;

use crate::state::error_text;

/// What a page loads, and may load again: the answer once it came, or why
/// it did not.
pub struct Load<T: Send + Sync + 'static> {
    pub value: RwSignal<Option<T>>,
    pub error: RwSignal<Option<ApiError>>,
}

impl<T: Send + Sync + 'static> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Load<T> {}

impl<T: Send + Sync + 'static> Load<T> {
    /// Nothing loaded yet.
    pub fn new() -> Self {
        Self {
            value: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    /// Asks (again): an answer replaces what was loaded and clears the
    /// error; a failure keeps what was loaded and says why.
    pub fn from(self, request: impl Future<Output = Result<T, ApiError>> + 'static) {
        wasm_bindgen_futures::spawn_local(async move {
            match request.await {
                Ok(v) => {
                    self.error.set(None);
                    self.value.set(Some(v));
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }
}

/// A form's (or a button's) request, one at a time: whether it is on its
/// way, and why the last one failed.
#[derive(Clone, Copy)]
pub struct Submit {
    pub pending: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
}

impl Submit {
    pub fn new() -> Self {
        Self {
            pending: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Sends `request`, unless one is still on its way (a second click or
    /// Enter sends nothing). The last error goes as it leaves; `done` takes
    /// the answer, a failure becomes the error, and either way the form is
    /// ready again.
    pub fn run<T: 'static>(
        self,
        request: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        if self.pending.get_untracked() {
            return;
        }
        self.pending.set(true);
        self.error.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match request.await {
                Ok(v) => done(v),
                Err(e) => self.error.set(Some(e)),
            }
            self.pending.set(false);
        });
    }
}

/// Why a request failed, in the page's language, beside a form's fields;
/// read out as it appears.
pub fn alert(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <p class="error" role="alert">{error_text(&e)}</p> })
    }
}

/// Why a page's request failed, atop the page.
pub fn banner(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <p class="error banner" role="alert">{error_text(&e)}</p> })
    }
}

/// In headless Chromium (wasm-bindgen-test-runner, from `./scripts/test.sh`).
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use std::cell::Cell;
    use std::future::{pending, ready};
    use std::rc::Rc;

    use super::*;
    use rekey_shared::ErrorCode;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn failure() -> ApiError {
        ApiError::new(ErrorCode::InvalidRequest, "That didn't work.")
    }

    /// Lets the spawned tasks (and the views they change) run.
    async fn settle() {
        leptos::task::tick().await;
    }

    #[wasm_bindgen_test]
    async fn a_submit_sends_nothing_more_while_one_is_on_its_way() {
        let submit = Submit::new();
        submit.run(pending::<Result<(), ApiError>>(), |()| {});
        assert!(submit.pending.get_untracked());
        let second = Rc::new(Cell::new(false));
        let sent = second.clone();
        submit.run(ready(Ok(())), move |()| sent.set(true));
        settle().await;
        assert!(
            !second.get(),
            "a second request left while the first was pending"
        );
        assert!(submit.pending.get_untracked());
    }

    #[wasm_bindgen_test]
    async fn a_failed_submit_says_why_and_the_next_one_clears_it() {
        let submit = Submit::new();
        submit.run(ready(Err::<(), _>(failure())), |()| panic!("not done"));
        settle().await;
        assert_eq!(submit.error.get_untracked(), Some(failure()));
        assert!(!submit.pending.get_untracked());

        let answer = Rc::new(Cell::new(0));
        let got = answer.clone();
        submit.run(ready(Ok(7)), move |n| got.set(n));
        assert_eq!(
            submit.error.get_untracked(),
            None,
            "the old error stayed as it was sent again"
        );
        settle().await;
        assert_eq!(answer.get(), 7);
        assert_eq!(submit.error.get_untracked(), None);
        assert!(!submit.pending.get_untracked());
    }

    #[wasm_bindgen_test]
    async fn a_failed_reload_keeps_what_was_loaded_and_a_good_one_clears_the_error() {
        let load: Load<Vec<u32>> = Load::new();
        load.from(ready(Ok(vec![1, 2])));
        settle().await;
        assert_eq!(load.value.get_untracked(), Some(vec![1, 2]));

        load.from(ready(Err(failure())));
        settle().await;
        assert_eq!(load.value.get_untracked(), Some(vec![1, 2]));
        assert_eq!(load.error.get_untracked(), Some(failure()));

        load.from(ready(Ok(vec![3])));
        settle().await;
        assert_eq!(load.value.get_untracked(), Some(vec![3]));
        assert_eq!(load.error.get_untracked(), None);
    }

    #[wasm_bindgen_test]
    async fn an_alert_shows_the_error_in_the_pages_language_and_nothing_without_one() {
        let root = crate::test_dom::fresh_root();
        let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
        let html: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(root.clone());
        let _mounted = leptos::mount::mount_to(html, move || banner(error));
        assert!(crate::test_dom::find::<web_sys::Element>(&root, "[role=alert]").is_none());
        error.set(Some(failure()));
        settle().await;
        assert_eq!(
            crate::test_dom::texts(&root, "p.error.banner[role=alert]"),
            vec!["That didn't work.".to_string()]
        );
    }
}
