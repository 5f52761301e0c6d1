//! The built frontend (`dist/`): the sign-in at `/`, the account app at
//! `/account/` and the admin center at `/admin/`, each with its
//! single-page-app fallback, and a
//! Content-Security-Policy that allows exactly the inline loaders Trunk writes.

use std::path::Path;

use axum::http::{header, HeaderValue};
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::services::{ServeDir, ServeFile};

/// Where the admin center's build lives, below `dist/` and in the URL.
pub const ADMIN_DIR: &str = "admin";

/// Where the account app's build lives, below `dist/` and in the URL.
pub const ACCOUNT_DIR: &str = "account";

/// The pages Trunk writes: the sign-in's, the admin center's, then the
/// account app's (the order `loader-hash` prints their hashes in).
fn pages(dist: &Path) -> [std::path::PathBuf; 3] {
    [
        dist.join("index.html"),
        dist.join(ADMIN_DIR).join("index.html"),
        dist.join(ACCOUNT_DIR).join("index.html"),
    ]
}

/// One app's files. Unknown paths are its routes: answer with its
/// index.html. The build writes brotli and gzip copies beside each file
/// (scripts/precompress.sh).
fn app(dir: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index)
}

pub fn service(dist: &Path) -> Router {
    Router::new()
        .nest_service(&format!("/{ADMIN_DIR}"), app(&dist.join(ADMIN_DIR)))
        .nest_service(&format!("/{ACCOUNT_DIR}"), app(&dist.join(ACCOUNT_DIR)))
        .fallback_service(app(dist))
        .layer(axum::middleware::from_fn(cache_control))
        .layer(axum::middleware::map_request(no_impossible_names))
}

/// Whether the last path segment is a build's content-hashed name, as
/// Trunk writes them (`rekey-frontend-1f69d07e12a95ed0_bg.wasm`,
/// `style-41d6d36ab193ae06.css`; the hash is a 64-bit number in hex, so
/// it may have fewer than 16 digits): such a file never changes.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.match_indices('-').any(|(at, _)| {
        let rest = &name.as_bytes()[at + 1..];
        let digits = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        (12..=16).contains(&digits) && matches!(rest.get(digits), Some(b'.' | b'_'))
    })
}

/// Hashed files are cached for a year; everything else (`index.html`, the
/// app's routes) is asked for again each time, so a new build shows at once.
async fn cache_control(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    // A hashed name from an older build that is gone gets the app page
    // (the fallback): that answer must not be kept a year.
    let page = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|ct| ct.as_bytes().starts_with(b"text/html"));
    let immutable = hashed && !page;
    if response.status().is_success() || response.status() == axum::http::StatusCode::NOT_MODIFIED {
        let value = if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let headers = response.headers_mut();
        headers.insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static(value),
        );
        // The same path answers brotli, gzip or plain: caches keep each.
        headers.insert(
            axum::http::header::VARY,
            axum::http::HeaderValue::from_static("accept-encoding"),
        );
    }
    response
}

/// Longest file name the file system can hold (bytes, NAME_MAX).
const NAME_MAX: usize = 255;

/// A path segment longer than any file name names no file; asking the file
/// system anyway fails with "File name too long", which ServeDir answers
/// as a 500. Such a path is an unknown app route like any other.
async fn no_impossible_names(mut request: axum::extract::Request) -> axum::extract::Request {
    if request
        .uri()
        .path()
        .split('/')
        .any(|segment| segment.len() > NAME_MAX)
    {
        *request.uri_mut() = axum::http::Uri::from_static("/");
    }
    request
}

/// The bodies of inline `<script>` elements (those without `src`).
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        rest = &rest[start..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            out.push(&rest[body_start..body_start + close]);
        }
        rest = &rest[body_start + close..];
    }
    out
}

/// `sha256-…` of each inline script in the apps' pages (Trunk's loaders).
pub fn inline_script_hashes(dist: &Path) -> Vec<String> {
    pages(dist)
        .iter()
        .filter_map(|page| std::fs::read_to_string(page).ok())
        .flat_map(|html| {
            inline_scripts(&html)
                .into_iter()
                .map(|s| format!("sha256-{}", STANDARD.encode(Sha256::digest(s.as_bytes()))))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A strict CSP: same-origin everything, wasm allowed, and inline script
/// only by hash (Trunk's loader), so injected markup cannot run script.
/// The deploy template builds the same policy for CloudFront.
pub fn content_security_policy(dist: &Path) -> String {
    let hashes: String = inline_script_hashes(dist)
        .iter()
        .map(|h| format!(" '{h}'"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// A page's policy goes with a document (HTML: the only kind a browser
/// runs a policy for); everything else (JSON, the wasm, scripts, styles)
/// gets the shortest that forbids all, so the app's first load carries no
/// page policy six times over. A response that set its own keeps it, and
/// a 304 says none: its headers replace the cached page's, and it has no
/// content type to tell a page by.
pub fn security_policy(
    mut r: axum::response::Response,
    page: HeaderValue,
) -> axum::response::Response {
    if r.status() == axum::http::StatusCode::NOT_MODIFIED {
        return r;
    }
    let headers = r.headers_mut();
    if headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        return r;
    }
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let policy = if html {
        page
    } else {
        HeaderValue::from_static(NOT_A_PAGE_CSP)
    };
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    r
}

/// The policy of a response that is not a page.
pub const NOT_A_PAGE_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_names_are_immutable() {
        for hashed in [
            "/rekey-frontend-1f69d07e12a95ed0_bg.wasm",
            "/rekey-frontend-b52add96826788fa.js",
            "/style-41d6d36ab193ae06.css",
            "/rekey-frontend-f297511acaa2d8b_bg.wasm",
        ] {
            assert!(is_hashed_asset(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/users",
            "/style.css",
            "/a-1f69d07e.js",
            "/x-1f69d07e12a95ed0",
        ] {
            assert!(!is_hashed_asset(plain), "{plain}");
        }
    }

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = r#"<head><script src="/a.js"></script><script type="module">import x from '/x.js';</script></head>"#;
        assert_eq!(inline_scripts(html), vec!["import x from '/x.js';"]);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), html).unwrap();
        std::fs::create_dir(dir.path().join(ADMIN_DIR)).unwrap();
        let admin = r#"<script type="module">import y from '/admin/y.js';</script>"#;
        std::fs::write(dir.path().join(ADMIN_DIR).join("index.html"), admin).unwrap();
        std::fs::create_dir(dir.path().join(ACCOUNT_DIR)).unwrap();
        let account = r#"<script type="module">import z from '/account/z.js';</script>"#;
        std::fs::write(dir.path().join(ACCOUNT_DIR).join("index.html"), account).unwrap();
        let csp = content_security_policy(dir.path());
        for loader in [
            &b"import x from '/x.js';"[..],
            b"import y from '/admin/y.js';",
            b"import z from '/account/z.js';",
        ] {
            let expected = STANDARD.encode(Sha256::digest(loader));
            assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
    }
}
