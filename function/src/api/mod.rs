//! HTTP: one axum Router for Lambda and the local server alike. Handlers
//! translate between JSON and the domain; they make no decisions.

mod apps;
mod audit;
mod auth;
pub mod client_addr;
pub mod error;
mod extract;
mod guard;
mod methods;
mod oauth;
mod outbox;
mod passkeys;
mod people;
mod request_log;
mod reset_requests;
mod resets;
mod scim;
mod scim_tokens;
mod self_service;
mod settings;
mod sign_ins;
pub mod static_files;
mod user_methods;
mod users;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue};
use axum::routing::{get, post, put};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::domain::Rekey;

/// The session cookie. `__Host-` makes browsers insist on Secure, Path=/
/// and no Domain, so no sibling host can plant or read it.
pub const SESSION_COOKIE: &str = "__Host-rekey_session";
/// Single sign-on for apps: the same session, in a cookie that rides along
/// on an app's cross-site redirect (SameSite=Lax), while the admin
/// center's stays Strict. `__Host-` (so `Path=/`, no Domain): a sibling
/// subdomain cannot plant one in front of it; only the OpenID Connect
/// endpoints read it.
pub const SSO_COOKIE: &str = "__Host-rekey_sso";
/// A sign-in between its password and its second factor: good only for
/// `POST /api/auth/second-factor`, for a few minutes. (`__Host-` needs
/// `Path=/`; no other endpoint reads it.)
pub const PENDING_COOKIE: &str = "__Host-rekey_pending";
/// Where the function answers when deployed: API Gateway's events and
/// CloudFront's behaviours in `template.yaml` must send exactly these to
/// it (a test holds the template to this list); every other path is the
/// app, from S3. A prefix ends in `/`; anything else is one exact path.
pub const FUNCTION_ROUTES: &[&str] = &[
    "/api/",
    "/oauth2/",
    "/scim/",
    "/.well-known/openid-configuration",
    "/healthz",
];

/// Largest request body (a 1,000-user bulk reset is about 40 KB).
pub const BODY_LIMIT: usize = 128 * 1024;
/// Largest import body (see `people`).
pub use people::IMPORT_BODY_LIMIT;

/// What the router serves besides the API.
#[derive(Debug, Clone, Default)]
pub struct RouterOptions {
    /// The built frontend (`dist/`), served with an SPA fallback.
    pub dist_dir: Option<PathBuf>,
    /// The outbox folder, browsable at `/outbox` (local runs only).
    pub outbox_dir: Option<PathBuf>,
    /// The only Origin accepted on mutating requests; `None` means the
    /// Origin must match the Host header.
    pub public_origin: Option<String>,
    /// When set, work that answers first and acts after (reset requests)
    /// runs before the answer instead, padded to this long so timing still
    /// tells nothing. Lambda needs it: it freezes after each response.
    pub inline_deferred_work: Option<std::time::Duration>,
    /// Proxies whose `X-Forwarded-For` entries say who the client is.
    pub trusted_proxies: client_addr::TrustedProxies,
    /// Serve `/metrics` (Prometheus text): the local server. On Lambda the
    /// counts go to CloudWatch as Embedded Metric Format lines instead.
    pub metrics: bool,
}

/// `GET /api/info`: what the app shows before anyone signs in.
async fn info(
    axum::extract::State(app): axum::extract::State<Arc<Rekey>>,
    axum::Extension(outbox): axum::Extension<OutboxLink>,
) -> axum::Json<rekey_shared::ServiceInfo> {
    axum::Json(rekey_shared::ServiceInfo {
        organization: app.settings.organization.clone(),
        outbox_url: outbox.0.then(|| "/outbox".to_string()),
        min_password_length: app.settings.min_password_len,
        time_zone: app.settings.time_zone.clone(),
        default_language: app.settings.default_language,
    })
}

#[derive(Clone, Copy)]
struct OutboxLink(bool);

/// What a path outside FUNCTION_ROUTES gets: this server's local pages,
/// else the app (or a 404 where there is no app, as on Lambda).
struct RouteGuard {
    local: Vec<&'static str>,
    app: Option<Router>,
}

/// Whether `path` is under one of `routes` (a prefix ends in `/`).
fn listed(routes: &[&str], path: &str) -> bool {
    routes.iter().any(|r| match r.ends_with('/') {
        true => path.starts_with(r),
        false => path == *r,
    })
}

async fn only_listed_routes(
    axum::extract::State(guard): axum::extract::State<Arc<RouteGuard>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use lambda_http::tower::ServiceExt;
    let path = request.uri().path();
    if listed(FUNCTION_ROUTES, path) || listed(&guard.local, path) {
        return next.run(request).await;
    }
    match &guard.app {
        Some(app) => match app.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        None => error::not_found().await.into_response(),
    }
}

/// `GET /healthz`, for load balancers and uptime checks: 200 when the
/// store answers, else 503.
async fn health(
    axum::extract::State(app): axum::extract::State<Arc<Rekey>>,
) -> (axum::http::StatusCode, axum::Json<serde_json::Value>) {
    match app.store.count_users().await {
        Ok(_) => (
            axum::http::StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok"})),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: the store does not answer");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable", "store": "not answering"})),
            )
        }
    }
}

/// `GET /metrics`: Prometheus's text format.
async fn metrics() -> impl axum::response::IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::prometheus(),
    )
}

pub fn router(app: Arc<Rekey>, options: RouterOptions) -> Router {
    let outbox_link = OutboxLink(options.outbox_dir.is_some());
    let app_for_oauth = Arc::clone(&app);
    let api = Router::new()
        .route("/auth/sign-in", post(auth::sign_in))
        .route("/auth/sign-out", post(auth::sign_out))
        .route("/auth/confirm-password", post(auth::confirm_password))
        .route("/auth/confirm-code", post(auth::confirm_code))
        .route("/auth/second-factor", post(auth::second_factor))
        .route(
            "/auth/second-factor/passkey/options",
            post(passkeys::start_second_step),
        )
        .route(
            "/auth/second-factor/passkey",
            post(passkeys::finish_second_step),
        )
        .route("/auth/passkey/options", post(passkeys::start_sign_in))
        .route("/auth/passkey", post(passkeys::finish_sign_in))
        .route("/auth/password-requests", post(reset_requests::ask))
        .route("/auth/self-service", post(self_service::start))
        .route(
            "/auth/self-service/email-code",
            post(self_service::email_code),
        )
        .route("/auth/self-service/verify", post(self_service::verify))
        .route(
            "/auth/self-service/passkey/options",
            post(self_service::passkey_options),
        )
        .route("/auth/self-service/passkey", post(self_service::passkey))
        .route("/auth/self-service/password", post(self_service::password))
        .route("/auth/self-service/unlock", post(self_service::unlock))
        .route("/reset-requests", get(reset_requests::pending))
        .route(
            "/reset-requests/self-resolved",
            get(reset_requests::self_resolved),
        )
        .route("/me", get(auth::me))
        .route("/me/password", post(auth::change_password))
        .route("/me/language", put(auth::set_language))
        .route("/me/methods", get(methods::list))
        .route("/me/security-info/skip", post(auth::skip_security_info))
        .route(
            "/me/security-info/confirm",
            post(auth::confirm_security_info),
        )
        .route(
            "/me/methods/authenticator-app",
            post(methods::start_authenticator_app),
        )
        .route(
            "/me/methods/authenticator-app/{id}/confirm",
            post(methods::confirm_authenticator_app),
        )
        .route(
            "/me/methods/passkeys/options",
            post(passkeys::start_registration),
        )
        .route("/me/methods/passkeys", post(passkeys::finish_registration))
        .route(
            "/me/methods/alternate-email",
            post(methods::start_alternate_email),
        )
        .route(
            "/me/methods/alternate-email/{id}/confirm",
            post(methods::confirm_alternate_email),
        )
        .route(
            "/me/methods/recovery-codes",
            post(methods::new_recovery_codes),
        )
        .route(
            "/me/methods/{id}",
            axum::routing::patch(methods::rename).delete(methods::remove),
        )
        .route("/info", get(info))
        .route("/users", get(users::list).post(people::create))
        .route(
            "/users/{id}",
            get(users::get_one)
                .patch(people::edit)
                .delete(people::delete),
        )
        .route(
            "/users/import",
            post(people::import).layer(DefaultBodyLimit::max(people::IMPORT_BODY_LIMIT)),
        )
        .route("/users/export", get(people::export))
        .route("/users/import-template", get(people::template))
        .route("/users/{id}/block", post(people::block))
        .route("/users/{id}/unblock", post(people::unblock))
        .route("/users/{id}/unlock", post(sign_ins::unlock))
        .route("/users/{id}/methods", get(user_methods::list))
        .route(
            "/users/{id}/methods/{method}",
            axum::routing::delete(user_methods::remove),
        )
        .route(
            "/users/{id}/methods/require-reregistration",
            post(user_methods::require_reregistration),
        )
        .route(
            "/users/{id}/sessions/revoke",
            post(user_methods::revoke_sessions),
        )
        .route(
            "/users/{id}/temporary-pass",
            post(user_methods::issue_temporary_pass),
        )
        .route(
            "/users/require-reregistration",
            post(user_methods::bulk_require_reregistration),
        )
        .route("/users/{id}/sign-ins", get(sign_ins::list))
        .route("/users/{id}/password-reset", post(resets::reset_one))
        .route("/users/{id}/password-email", post(resets::email_password))
        .route("/users/{id}/reset-link", post(resets::send_link))
        .route("/auth/reset-link", post(auth::set_password_with_link))
        .route("/auth/reset-link/status", post(auth::link_status))
        .route("/password-resets", post(resets::reset_many))
        .route("/apps", get(apps::list).post(apps::register))
        .route("/apps/{id}", axum::routing::delete(apps::remove))
        .route("/apps/{id}/secret", post(apps::rotate_secret))
        .route("/my-apps", get(apps::mine))
        .route(
            "/settings/password-reset",
            get(settings::password_reset).put(settings::set_password_reset),
        )
        .route(
            "/scim-tokens",
            get(scim_tokens::list).post(scim_tokens::create),
        )
        .route(
            "/scim-tokens/{id}",
            axum::routing::delete(scim_tokens::revoke),
        )
        .route("/audit", get(audit::list))
        .route("/audit/export", get(audit::export))
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(app)
        .layer(axum::Extension(outbox_link))
        .layer(axum::Extension(options.trusted_proxies.clone()))
        .layer(axum::Extension(reset_requests::Deferred(
            options.inline_deferred_work,
        )))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(options.public_origin.clone()),
            guard::mutation_guard,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(error::json_errors_only))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));

    let mut root = Router::new()
        .nest("/api", api)
        .merge(oauth::routes(Arc::clone(&app_for_oauth)))
        .merge(scim::routes(Arc::clone(&app_for_oauth)))
        .route(
            "/healthz",
            get(health).with_state(Arc::clone(&app_for_oauth)),
        );
    if options.metrics {
        root = root.route("/metrics", get(metrics));
    }
    if let Some(dir) = options.outbox_dir {
        root = root.merge(outbox::routes(Arc::clone(&app_for_oauth), dir));
    }
    let root = root.route_layer(axum::middleware::from_fn(request_log::keep_matched_route));
    let csp = static_files::content_security_policy(
        options
            .dist_dir
            .as_deref()
            .unwrap_or(std::path::Path::new("")),
    );
    let page_csp = HeaderValue::from_str(&csp).expect("CSP is ASCII");

    let mut root = root;
    let app = options.dist_dir.as_deref().map(static_files::service);
    if let Some(app) = &app {
        root = root.fallback_service(app.clone());
    }
    // The router holds itself to FUNCTION_ROUTES: a path outside it never
    // reaches a route, so a new top-level route works only once it is
    // listed there, where a test holds the deploy template to the list.
    let mut local = Vec::new();
    if options.metrics {
        local.push("/metrics");
    }
    if outbox_link.0 {
        local.extend(["/outbox", "/outbox/"]);
    }
    let guard = Arc::new(RouteGuard { local, app });
    root.layer(axum::middleware::from_fn_with_state(guard, only_listed_routes))
    .layer(axum::middleware::map_response(move |r| {
        let page = page_csp.clone();
        async move { static_files::security_policy(r, page) }
    }))
    .layer(SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
    .layer(SetResponseHeaderLayer::overriding(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    ))
    .layer(SetResponseHeaderLayer::if_not_present(
        HeaderName::from_static("x-frame-options"),
        HeaderValue::from_static("DENY"),
    ))
    .layer(CatchPanicLayer::custom(error::panic_response))
    .layer(axum::middleware::from_fn(request_log::log_request))
    // The path only: a query may hold an ID token (logout's hint) or an
    // app's state, which have no place in the log.
    .layer(TraceLayer::new_for_http().make_span_with(
        |request: &axum::http::Request<axum::body::Body>| {
            tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
        },
    ))
}
