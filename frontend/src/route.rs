//! Pages, kept in the URL's hash: `#/users`, `#/users/{id}/reset`, `#/audit`.

use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Users,
    /// The reset pane open for one user (the link in request emails).
    ResetUser(String),
    Audit,
    /// Pending "ask my admin" requests.
    Requests,
    /// A one-time link's page: `#/set-password/<token>` (a fragment, so
    /// the token never reaches a server).
    SetPassword(String),
    /// Registered apps (global admins).
    Apps,
    /// The apps a user signs in to.
    MyApps,
    /// A user's own password.
    Password,
    /// A user's own sign-in methods.
    SecurityInfo,
    /// The "Password reset" settings (global admins).
    PasswordReset,
    /// "Forgot your password?" (the account app's, signed in or not).
    Forgot,
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["audit"] => Route::Audit,
            ["requests"] => Route::Requests,
            ["apps"] => Route::Apps,
            ["my-apps"] => Route::MyApps,
            ["password"] => Route::Password,
            ["security-info"] => Route::SecurityInfo,
            ["password-reset"] => Route::PasswordReset,
            ["forgot"] => Route::Forgot,
            ["users", id, "reset"] if !id.is_empty() => Route::ResetUser(id.to_string()),
            ["set-password", token] if !token.is_empty() => Route::SetPassword(token.to_string()),
            _ => Route::Users,
        }
    }

    /// The account app's own pages for a signed-in user (any other page is
    /// an admin's, in the admin center).
    pub fn is_own_page(&self) -> bool {
        matches!(self, Route::MyApps | Route::Password | Route::SecurityInfo)
    }

    pub fn href(&self) -> String {
        match self {
            Route::Users => "#/users".into(),
            Route::ResetUser(id) => format!("#/users/{id}/reset"),
            Route::Audit => "#/audit".into(),
            Route::Requests => "#/requests".into(),
            Route::SetPassword(token) => format!("#/set-password/{token}"),
            Route::Apps => "#/apps".into(),
            Route::MyApps => "#/my-apps".into(),
            Route::Password => "#/password".into(),
            Route::SecurityInfo => "#/security-info".into(),
            Route::PasswordReset => "#/password-reset".into(),
            Route::Forgot => "#/forgot".into(),
        }
    }
}

/// The current route, following the hash as it changes.
pub fn use_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::parse(&crate::state::hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::parse(&crate::state::hash()));
    });
    on_cleanup(move || handle.remove());
    route
}

pub fn navigate(route: &Route) {
    let _ = window().location().set_hash(&route.href());
}
