//! The app's files as the real binary serves them, as a CDN would: the
//! build's brotli or gzip copy by `Accept-Encoding`, hashed files cached a
//! year, the page itself asked for again each time.

use rekey_tests::server::{workspace, Server};

async fn fetch(server: &Server, path: &str, encoding: Option<&str>) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(format!("{}{path}", server.url));
    if let Some(e) = encoding {
        req = req.header("accept-encoding", e);
    }
    req.send().await.unwrap()
}

fn header(resp: &reqwest::Response, name: &str) -> String {
    resp.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn each_file_goes_out_precompressed_by_accept_encoding_with_cache_headers() {
    let server = Server::start();
    let dist = workspace().join("dist");
    let wasm = std::fs::read_dir(&dist)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.ends_with("_bg.wasm"))
        .expect("a wasm file in dist/");
    let path = format!("/{wasm}");

    let br = fetch(&server, &path, Some("br, gzip")).await;
    assert_eq!(br.status(), 200);
    assert_eq!(header(&br, "content-encoding"), "br");
    assert_eq!(
        header(&br, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(header(&br, "vary")
        .to_lowercase()
        .contains("accept-encoding"));
    let body = br.bytes().await.unwrap();
    assert_eq!(
        body,
        std::fs::read(dist.join(format!("{wasm}.br"))).unwrap()
    );
    let raw = std::fs::read(dist.join(&wasm)).unwrap();
    assert!(body.len() * 2 < raw.len(), "brotli is under half the wasm");

    let gz = fetch(&server, &path, Some("gzip")).await;
    assert_eq!(header(&gz, "content-encoding"), "gzip");
    let plain = fetch(&server, &path, None).await;
    assert_eq!(header(&plain, "content-encoding"), "");
    assert_eq!(plain.bytes().await.unwrap().len(), raw.len());

    // The page, and an app route answered with it: never kept.
    for page in ["/", "/index.html", "/users/some-route"] {
        let resp = fetch(&server, page, Some("br")).await;
        assert_eq!(resp.status(), 200, "{page}");
        assert_eq!(header(&resp, "cache-control"), "no-cache", "{page}");
        assert_eq!(header(&resp, "content-encoding"), "br", "{page}");
    }
    // A hashed name from an older build gets the page, not a year's cache.
    let gone = fetch(&server, "/rekey-frontend-0123456789abcdef_bg.wasm", None).await;
    assert_eq!(header(&gone, "cache-control"), "no-cache");
}

/// The name of the one file in `dir` ending in `suffix`.
fn built(dir: &std::path::Path, suffix: &str) -> String {
    built_as(dir, "", suffix)
}

/// The name of the one file in `dir` named `prefix…suffix`.
fn built_as(dir: &std::path::Path, prefix: &str, suffix: &str) -> String {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .unwrap_or_else(|| panic!("a {prefix}…{suffix} file in {}", dir.display()))
}

#[tokio::test]
async fn the_account_app_and_the_admin_center_are_apps_of_their_own_and_the_sign_in_page_names_neither(
) {
    let server = Server::start();
    let dist = workspace().join("dist");
    let sign_in_wasm = built(&dist, "_bg.wasm");
    let account_wasm = built(&dist.join("account"), "_bg.wasm");
    // The admin center: one build per language, both named by its page.
    let admin_wasm: Vec<String> = ["en", "nl"]
        .iter()
        .map(|lang| {
            format!(
                "{lang}/{}",
                built(&dist.join("admin").join(lang), "_bg.wasm")
            )
        })
        .collect();
    // The sign-in's stylesheet, and the one the other two add to it.
    let sign_in_css = built_as(&dist, "sign-in-", ".css");
    let pages_css = built_as(&dist, "style-", ".css");
    assert!(sign_in_wasm.starts_with("sign_in-"), "{sign_in_wasm}");
    assert!(account_wasm.starts_with("account-"), "{account_wasm}");
    for wasm in &admin_wasm {
        assert!(wasm[3..].starts_with("admin-"), "{wasm}");
    }

    // The sign-in page loads the sign-in app and nothing of the others.
    let page = fetch(&server, "/", None).await.text().await.unwrap();
    assert!(page.contains(&sign_in_wasm), "{page}");
    assert!(
        !page.contains("/admin/") && !page.contains("/account/"),
        "{page}"
    );
    assert!(page.contains(&format!("href=/{sign_in_css}")), "{page}");
    assert!(!page.contains(&pages_css), "{page}");

    // Each app's page, and its routes, answer with its own index.
    for (app, wasm) in [
        ("account", vec![account_wasm.clone()]),
        ("admin", admin_wasm),
    ] {
        for path in [
            format!("/{app}"),
            format!("/{app}/"),
            format!("/{app}/index.html"),
            format!("/{app}/some-route"),
        ] {
            let resp = fetch(&server, &path, Some("br")).await;
            assert_eq!(resp.status(), 200, "{path}");
            assert_eq!(header(&resp, "cache-control"), "no-cache", "{path}");
            let body = resp.bytes().await.unwrap();
            assert_eq!(
                body,
                std::fs::read(dist.join(format!("{app}/index.html.br"))).unwrap(),
                "{path}"
            );
        }
        let own = fetch(&server, &format!("/{app}/"), None)
            .await
            .text()
            .await
            .unwrap();
        for wasm in &wasm {
            assert!(own.contains(&format!("/{app}/{wasm}")), "{own}");
        }
        // The stylesheet the sign-in already fetched, not a copy of it,
        // and the other, one copy for both apps.
        for css in [&sign_in_css, &pages_css] {
            assert!(own.contains(&format!("href=/{css}")), "{own}");
        }
    }
    let wasm = fetch(&server, &format!("/account/{account_wasm}"), Some("br")).await;
    assert_eq!(wasm.status(), 200);
    assert_eq!(header(&wasm, "content-encoding"), "br");
    assert_eq!(
        header(&wasm, "cache-control"),
        "public, max-age=31536000, immutable"
    );

    // The three pages' loaders are allowed by the one policy, nothing else
    // inline.
    let csp = header(
        &fetch(&server, "/account/", None).await,
        "content-security-policy",
    );
    assert_eq!(csp.matches("'sha256-").count(), 3, "{csp}");
    // The files a page loads need no page policy of their own: the
    // shortest, not the page's six times over on the first load.
    assert_eq!(
        header(&wasm, "content-security-policy"),
        "default-src 'none'; frame-ancestors 'none'"
    );
}

/// A name cached a year must change whenever its bytes do, even when only
/// wasm-opt changed them (Trunk names files before wasm-opt runs).
#[test]
fn every_hashed_file_is_named_after_its_own_bytes() {
    use sha2::{Digest, Sha256};
    let dist = workspace().join("dist");
    let mut named = 0;
    let admin = dist.join("admin");
    for dir in [
        &dist,
        &dist.join("account"),
        &admin,
        &admin.join("en"),
        &admin.join("nl"),
    ] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            // The admin center's chunk loader keeps its name (asked for
            // again each load): it and the app's script import each other.
            if name == "__wasm_split.js" {
                continue;
            }
            let Some(stem) = ["_bg.wasm", ".wasm", ".js", ".css"]
                .iter()
                .find_map(|suffix| name.strip_suffix(suffix))
            else {
                continue;
            };
            let hash = stem.rsplit_once('-').expect("a hashed name").1;
            let bytes = std::fs::read(dir.join(&name)).unwrap();
            let digest: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(hash, &digest[..16], "{name}");
            named += 1;
        }
    }
    // Each app's wasm and its JS (the admin center's once per language),
    // the two stylesheets, each kept once, and the admin center's chunks.
    let chunks = admin_chunks(&admin.join("en")).len() + admin_chunks(&admin.join("nl")).len();
    assert_eq!(named, 10 + chunks);
}

/// The chunks the admin center's loader fetches (`"./chunk_9-<hash>.wasm"`).
fn admin_chunks(dir: &std::path::Path) -> Vec<String> {
    let loader = std::fs::read_to_string(dir.join("__wasm_split.js")).unwrap();
    loader
        .split("\"./")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name.to_string()))
        .filter(|name| name.ends_with(".wasm"))
        .collect()
}

#[tokio::test]
async fn the_admin_centers_chunks_are_fetched_later_cached_a_year_and_its_loader_asked_for_again() {
    let server = Server::start();
    let page = fetch(&server, "/admin/", None).await.text().await.unwrap();
    for lang in ["en", "nl"] {
        let dir = workspace().join("dist/admin").join(lang);
        let chunks = admin_chunks(&dir);
        // One for each page and pane beyond Active users, and what they share.
        assert!(chunks.len() >= 8, "{chunks:?}");
        for chunk in &chunks {
            assert!(dir.join(chunk).exists(), "{chunk}");
            assert!(
                !page.contains(chunk.as_str()),
                "the first load fetches {chunk}"
            );
        }
        assert!(
            chunks.iter().any(|c| c.starts_with("split_audit_log-")),
            "{chunks:?}"
        );
        let chunk = fetch(&server, &format!("/admin/{lang}/{}", chunks[0]), Some("br")).await;
        assert_eq!(chunk.status(), 200);
        assert_eq!(header(&chunk, "content-type"), "application/wasm");
        assert_eq!(
            header(&chunk, "cache-control"),
            "public, max-age=31536000, immutable"
        );

        // The loader: preloaded by the page, beside the script that
        // imports it and that it imports by the name the page gives it.
        let at = format!("/admin/{lang}/__wasm_split.js");
        assert!(page.contains(&format!("\"{at}\"")), "{page}");
        let script = built_as(&dir, "admin-", ".js");
        let loader = fetch(&server, &at, Some("br")).await;
        assert_eq!(header(&loader, "cache-control"), "no-cache");
        assert!(header(&loader, "content-type").contains("javascript"));
        let loader = std::fs::read_to_string(dir.join("__wasm_split.js")).unwrap();
        assert!(loader.contains(&format!("\"./{script}\"")), "{loader}");
        assert!(page.contains(&format!("/admin/{lang}/{script}")), "{page}");
    }
}

/// A 304's headers replace the cached page's; one with a file's short
/// policy would leave the page unable to run its loader.
#[tokio::test]
async fn a_revalidated_page_keeps_its_own_policy() {
    let server = Server::start();
    let page = fetch(&server, "/", None).await;
    let policy = header(&page, "content-security-policy");
    assert!(policy.contains("'wasm-unsafe-eval'"), "{policy}");
    let modified = header(&page, "last-modified");
    let again = reqwest::Client::new()
        .get(format!("{}/", server.url))
        .header("if-modified-since", modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "content-security-policy"), "");
}
