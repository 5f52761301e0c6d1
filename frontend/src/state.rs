//! The app's shared state, provided as context: who is signed in, and the
//! resets in flight. Components read it; only the owners named below write.

use leptos::prelude::*;
use rekey_shared::i18n::{AdminTexts, Messages, UiTexts};
use rekey_shared::{ApiError, Lang, ResetResult, ServiceInfo, UserSummary};

use crate::api;
use crate::by_id::ById;

/// Who is signed in (None: show sign-in) and what the service told us.
/// Written by the app root, sign-in, change password and sign-out.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<UserSummary>>,
    pub info: RwSignal<Option<ServiceInfo>>,
    /// The page's language. The app is drawn anew when it changes.
    pub lang: RwSignal<Lang>,
    /// What the sign-in asks before the user goes on, if anything.
    pub ask: RwSignal<Option<Ask>>,
    /// Whether this session passed a second factor (so she has an app
    /// whose code may stand in for her password).
    pub mfa: RwSignal<bool>,
    /// Whether this session was proven with a password (not a passkey or
    /// a Temporary Access Pass alone): changing it then asks for it.
    pub pwd: RwSignal<bool>,
}

/// Whether a session passed a second factor.
pub fn with_password(r: &rekey_shared::SignInResponse) -> bool {
    r.amr.iter().any(|m| m == "pwd")
}

pub fn is_mfa(r: &rekey_shared::SignInResponse) -> bool {
    r.amr.iter().any(|m| m == "mfa")
}

/// A page between signing in and going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Register a second method: skippable for `days_left` more days, or
    /// (`None`) not at all.
    Register { days_left: Option<u32> },
    /// A recovery code signed her in; this many are left.
    RecoveryCodesLeft(u32),
    /// Self-service reset: register methods, or confirm they are current.
    SecurityInfo(rekey_shared::SecurityInfoDue),
}

impl Ask {
    /// What a sign-in's answer asks, if anything. An app that wants a
    /// second factor (`acr_values=mfa`) from a user without one makes the
    /// registration required.
    pub fn of(r: &rekey_shared::SignInResponse, app_wants_mfa: bool) -> Option<Ask> {
        let mfa = is_mfa(r);
        if app_wants_mfa && !mfa {
            return Some(Ask::Register { days_left: None });
        }
        r.registration
            .map(|due| Ask::Register {
                days_left: due.skippable_until.map(|_| due.days_left),
            })
            .or(r.recovery_codes_left.map(Ask::RecoveryCodesLeft))
            .or(r.security_info.map(Ask::SecurityInfo))
    }
}

impl Session {
    pub fn new() -> Self {
        Self {
            me: RwSignal::new(None),
            info: RwSignal::new(None),
            lang: RwSignal::new(Lang::En),
            ask: RwSignal::new(None),
            mfa: RwSignal::new(false),
            pwd: RwSignal::new(true),
        }
    }

    /// The organisation's shortest typed password (the policy's default
    /// until `/api/info` has answered).
    pub fn min_password_length(&self) -> usize {
        self.info
            .with(|i| i.as_ref().map(|i| i.min_password_length))
            .unwrap_or(rekey_shared::validate::DEFAULT_MIN_PASSWORD_LEN)
    }
}

/// Resets in flight and their outcomes, kept while signed in, so closing
/// the pane mid-request loses nothing. Written by the reset pane.
#[derive(Clone, Copy)]
pub struct ResetJobs {
    pub pending: RwSignal<ById<()>>,
    pub results: RwSignal<ById<Result<ResetResult, ApiError>>>,
    /// Users whose reset finished while their pane was closed.
    pub finished_unseen: RwSignal<ById<String>>,
    /// Counts one-time links sent (their rows show it).
    pub links_sent: RwSignal<u32>,
}

impl ResetJobs {
    pub fn new() -> Self {
        Self {
            pending: RwSignal::new(ById::new()),
            results: RwSignal::new(ById::new()),
            finished_unseen: RwSignal::new(ById::new()),
            links_sent: RwSignal::new(0),
        }
    }
}

/// Users who asked for a reset that the signed-in admin may do. Refreshed
/// by the frame and the requests page.
#[derive(Clone, Copy)]
pub struct PendingRequests {
    pub list: RwSignal<Vec<UserSummary>>,
}

impl PendingRequests {
    pub fn new() -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
        }
    }

    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            if let Ok(list) = api::reset_requests().await {
                self.list.set(list);
            }
        });
    }
}

thread_local! {
    // The page's language, for code that draws text outside a component's
    // setup (callbacks, formatting). Set with the session's `lang`.
    static PAGE_LANG: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
    // The document's title in a language: each app sets its own.
    static TITLE: std::cell::Cell<fn(Lang) -> &'static str> =
        const { std::cell::Cell::new(|lang| lang.messages().sign_in.title) };
}

/// Names the document `title(lang)` in the page's language from now on.
pub fn set_title(title: fn(Lang) -> &'static str) {
    TITLE.with(|t| t.set(title));
}

/// The one language this build speaks, when it is built for one (`only-en`,
/// `only-nl`: the admin center, scripts/build-frontend.sh). Its wasm then
/// carries that language's words alone; choosing the other loads the other
/// build (`choose_language`), which the page's loader picks by the same
/// rule as `initial_language`.
pub const BUILT_FOR: Option<Lang> = if cfg!(feature = "only-nl") {
    Some(Lang::Nl)
} else if cfg!(feature = "only-en") {
    Some(Lang::En)
} else {
    None
};

/// The language the page is in now. A constant in a one-language build,
/// so the other language's tables are never reached and not linked.
pub fn page_lang() -> Lang {
    match BUILT_FOR {
        Some(lang) => lang,
        None => PAGE_LANG.with(|l| l.get()),
    }
}

/// The words of the page's language.
pub fn texts() -> &'static Messages {
    page_lang().messages()
}

/// The account app's words in the page's language (the account app and
/// the admin center call this, so the sign-in's build carries none).
pub fn ui_texts() -> &'static UiTexts {
    page_lang().ui()
}

/// The admin center's words in the page's language (only the admin center
/// calls this, so only its build carries them).
pub fn admin_texts() -> &'static AdminTexts {
    page_lang().admin()
}

/// What an error says to the reader: in English the server's own message
/// (it can be more specific, e.g. the policy's reason or a lock's
/// seconds), in Dutch the message for its code.
pub fn error_text(e: &ApiError) -> String {
    match page_lang() {
        Lang::En => e.message.clone(),
        lang => lang.messages().errors.of(e.code).to_string(),
    }
}

const LANG_KEY: &str = "rekey.lang";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Remembers `lang` in this browser, where every app starts in it (the
/// admin center's page picks its build by it); false if it cannot.
pub fn remember_language(lang: Lang) -> bool {
    storage().is_some_and(|s| s.set_item(LANG_KEY, lang.as_str()).is_ok())
}

/// The language to start in: the one chosen in this browser before, else
/// the first of the browser's languages Rekey speaks, else English. A
/// one-language build was picked by that rule, so it starts in its own.
pub fn initial_language() -> Lang {
    if let Some(lang) = BUILT_FOR {
        return lang;
    }
    let saved = storage()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|l| Lang::parse(&l));
    saved.unwrap_or_else(|| {
        let langs: Vec<String> = window()
            .navigator()
            .languages()
            .iter()
            .filter_map(|v| v.as_string())
            .collect();
        Lang::first_of(langs.iter().map(String::as_str)).unwrap_or(Lang::En)
    })
}

/// Shows the page in `lang`: `<html lang>`, the choice remembered in this
/// browser, and (when signed in) on the account. A one-language build
/// loads the page again for another language, once the choice is stored
/// (the page's loader then picks that language's build; unstored, it would
/// pick this one again, so the page stays as it is).
pub fn choose_language(session: Session, lang: Lang, remember_on_account: bool) {
    let stored = remember_language(lang);
    let reload = BUILT_FOR.is_some_and(|built| built != lang);
    if reload && !stored {
        return;
    }
    if !reload {
        apply_language(lang);
        if session.lang.get_untracked() != lang {
            session.lang.set(lang);
        }
    }
    if remember_on_account || reload {
        leptos::task::spawn_local(async move {
            let kept = !remember_on_account || crate::api::set_language(lang).await.is_ok();
            // Not kept on the account, the account's language would send
            // the page back to this build.
            if reload && kept {
                let _ = window().location().reload();
            }
        });
    }
}

/// `<html lang>` and the date format follow the page's language.
pub fn apply_language(lang: Lang) {
    PAGE_LANG.with(|l| l.set(lang));
    let lang = page_lang();
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang.as_str());
    }
    document().set_title(TITLE.with(|t| t.get())(lang));
    crate::format::set_locale(lang.messages().locale);
}

/// An app's authorization request waiting for this sign-in: Rekey's
/// `/oauth2/authorize` sends the browser to `/?continue=…` (never anywhere
/// but back to `/oauth2/authorize`).
pub fn continue_to() -> Option<String> {
    query("continue").filter(|to| to.starts_with("/oauth2/authorize?"))
}

/// The page's query parameter `name`, if it has one.
pub fn query(name: &str) -> Option<String> {
    let url = web_sys::Url::new(&window().location().href().ok()?).ok()?;
    url.search_params().get(name)
}

/// Whether the app waiting for this sign-in asks for a second factor.
pub fn app_wants_mfa() -> bool {
    continue_to().is_some_and(|to| {
        web_sys::Url::new(&format!("http://x{to}")).is_ok_and(|url| {
            url.search_params()
                .get("acr_values")
                .is_some_and(|v| v.split(' ').any(|v| v == "mfa"))
        })
    })
}

/// Leaves the app for `to` (a full page load).
pub fn go(to: &str) {
    let _ = window().location().assign(to);
}

/// Leaves the app for `to` in place of this page, so Back does not return
/// to a page that only passed the browser on.
pub fn pass_on(to: &str) {
    let _ = window().location().replace(to);
}

/// Where the admin center is served (its own build, beside the others).
pub const ADMIN_CENTER: &str = "/admin/";

/// Where the account app is served: an employee's own pages.
pub const ACCOUNT_APP: &str = "/account/";

/// On to the admin center's page `hash` (`#/users/{id}/reset`, or none).
pub fn go_to_admin_center(hash: &str) {
    pass_on(&format!("{ADMIN_CENTER}{hash}"));
}

/// `?continue=…` for the app that waits for this sign-in, if any.
fn waiting_app() -> String {
    continue_to()
        .map(|to| format!("?continue={}", js_sys::encode_uri_component(&to)))
        .unwrap_or_default()
}

/// On to the account app's page `hash`, with the app that waits, if any,
/// so the account app sends her on to it.
pub fn go_to_account_app(hash: &str) {
    pass_on(&format!("{ACCOUNT_APP}{}{hash}", waiting_app()));
}

/// In place of this page, to the sign-in, keeping the app that waits and
/// the page to come back to (`hash`); `ended`: a session ended, so the
/// sign-in says why.
pub fn pass_on_to_sign_in(ended: bool, hash: &str) {
    let wait = waiting_app();
    let ended = match (ended, wait.is_empty()) {
        (false, _) => "",
        (true, true) => "?session=ended",
        (true, false) => "&session=ended",
    };
    pass_on(&format!("/{wait}{ended}{hash}"));
}

/// Back to the sign-in, with the app that waits for it, if any.
pub fn go_to_sign_in() {
    go(&format!("/{}", waiting_app()));
}

/// The page's hash (`#/security-info`, or empty).
pub fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// Whether the account app or the admin center sent the browser here
/// because its session ended (`session=ended`), so the sign-in says why.
pub fn session_ended_elsewhere() -> bool {
    query("session").as_deref() == Some("ended")
}
