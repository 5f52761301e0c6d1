//! `/outbox`: the local mailer's messages as web pages, so a person trying
//! Rekey sees what recipients get. Served only by a local server bound to
//! a loopback address, only to a signed-in global admin (the messages hold
//! temporary passwords and links for anyone, admins included), and only
//! under a loopback Host name, so a rebound DNS name cannot read it.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::extract::cookie;
use super::SESSION_COOKIE;
use crate::adapters::outbox::{list_entries, read_entry};
use crate::domain::emails::escape_html;
use crate::domain::permissions;
use crate::domain::Rekey;

type Dir = Arc<PathBuf>;

// These pages run no script; inline styles keep them one file each.
const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; \
    frame-ancestors 'self'; base-uri 'none'; form-action 'none'";
const MESSAGE_CSP: &str = "sandbox; default-src 'none'; style-src 'unsafe-inline'; \
    img-src data:; frame-ancestors 'self'";
const STYLE: &str = "body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:2rem;color:#242424}\
    table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.5rem;border-bottom:1px solid #e1dfdd}\
    a{color:#0f6cbd}pre{background:#f3f2f1;padding:1rem;white-space:pre-wrap}\
    iframe{width:100%;height:28rem;border:1px solid #e1dfdd}";

pub fn routes(app: Arc<Rekey>, dir: PathBuf) -> Router {
    Router::new()
        .route("/outbox", get(index))
        .route("/outbox/{id}", get(message))
        .route("/outbox/{id}/html", get(message_html))
        .with_state(Arc::new(dir))
        .layer(axum::middleware::from_fn_with_state(app, gate))
}

/// Whether the request names this machine: `127.0.0.1`, `[::1]` or
/// `localhost`, with any port.
fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

async fn gate(State(app): State<Arc<Rekey>>, request: Request, next: Next) -> Response {
    if !loopback_host(request.headers()) {
        return refusal(
            StatusCode::MISDIRECTED_REQUEST,
            "The outbox answers only at http://127.0.0.1 or http://localhost.",
        );
    }
    let Some(token) = cookie(request.headers(), SESSION_COOKIE) else {
        return refusal(
            StatusCode::UNAUTHORIZED,
            "<a href=\"/\">Sign in</a> as a global admin to see the outbox.",
        );
    };
    match app.session_user(token).await {
        Ok((_, user))
            if permissions::global_admin(&user, permissions::Setting::Outbox).is_ok() =>
        {
            next.run(request).await
        }
        Ok(_) => refusal(
            StatusCode::FORBIDDEN,
            "Only a global admin sees the outbox: it holds everyone's temporary passwords and links.",
        ),
        Err(_) => refusal(
            StatusCode::UNAUTHORIZED,
            "<a href=\"/\">Sign in</a> as a global admin to see the outbox.",
        ),
    }
}

fn refusal(status: StatusCode, why: &'static str) -> Response {
    (
        status,
        page("Outbox — Rekey", format!("<h1>Outbox</h1><p>{why}</p>")),
    )
        .into_response()
}

fn page(title: &str, body: String) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>{STYLE}</style></head><body>{body}</body></html>",
        t = escape_html(title)
    );
    with_csp(Html(html).into_response(), PAGE_CSP)
}

fn with_csp(mut response: Response, csp: &'static str) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("SAMEORIGIN"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn index(State(dir): State<Dir>) -> Response {
    let entries = tokio::task::spawn_blocking(move || list_entries(&dir))
        .await
        .unwrap_or_default();
    let rows: String = entries
        .iter()
        .map(|e| {
            format!(
                "<tr><td>{}</td><td><a href=\"/outbox/{}\">{}</a></td><td>{}</td></tr>",
                escape_html(&e.date),
                escape_html(&e.id),
                escape_html(&e.subject),
                escape_html(&e.to)
            )
        })
        .collect();
    let body = if entries.is_empty() {
        "<h1>Outbox</h1><p>No email has been sent yet. Reset a password with \
         “Send password in email” ticked, and it appears here.</p>"
            .to_string()
    } else {
        format!(
            "<h1>Outbox</h1><p>{} Locally, Rekey writes email here \
             instead of sending it.</p><table><tr><th>Date</th><th>Subject</th><th>To</th></tr>{rows}</table>",
            match entries.len() {
                1 => "1 message.".to_string(),
                n => format!("{n} messages, newest first."),
            }
        )
    };
    page("Outbox — Rekey", body)
}

async fn message(State(dir): State<Dir>, Path(id): Path<String>) -> Response {
    let Some(e) = tokio::task::spawn_blocking(move || read_entry(&dir, &id))
        .await
        .ok()
        .flatten()
    else {
        return (
            StatusCode::NOT_FOUND,
            page("Not found", "<p>No such message.</p>".into()),
        )
            .into_response();
    };
    let body = format!(
        "<p><a href=\"/outbox\">← Outbox</a></p><h1>{subject}</h1>\
         <table><tr><th>From</th><td>{from}</td></tr><tr><th>To</th><td>{to}</td></tr>\
         <tr><th>Date</th><td>{date}</td></tr></table>\
         <h2>HTML</h2><iframe title=\"HTML version\" src=\"/outbox/{id}/html\"></iframe>\
         <h2>Plain text</h2><pre>{text}</pre>",
        subject = escape_html(&e.subject),
        from = escape_html(&e.from),
        to = escape_html(&e.to),
        date = escape_html(&e.date),
        id = escape_html(&e.id),
        text = escape_html(&e.text),
    );
    page(&format!("{} — Outbox", e.subject), body)
}

/// The message's own HTML, sandboxed: no script, no requests.
async fn message_html(State(dir): State<Dir>, Path(id): Path<String>) -> Response {
    match tokio::task::spawn_blocking(move || read_entry(&dir, &id))
        .await
        .ok()
        .flatten()
    {
        Some(e) => with_csp(Html(e.html).into_response(), MESSAGE_CSP),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
