//! The deployed routing (template.yaml) against what the function serves:
//! a path the Router answers that API Gateway or CloudFront does not send
//! to the function would answer the app's index.html when deployed.

use std::sync::Arc;

use rekey_function::api::{router, RouterOptions, FUNCTION_ROUTES};

const TEMPLATE: &str = include_str!("../../../template.yaml");

/// `(path, allowed methods)` of every CloudFront behaviour that targets the
/// function, and every HttpApi event path, in the template's own spelling.
fn template_routes() -> (Vec<(String, String)>, Vec<String>) {
    let mut behaviours = Vec::new();
    let mut events = Vec::new();
    let lines: Vec<&str> = TEMPLATE.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if let Some(pattern) = line.strip_prefix("- PathPattern:") {
            // The behaviour's own keys, up to the next behaviour.
            let body: Vec<&str> = lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .take_while(|l| !l.starts_with("- PathPattern:") && !l.is_empty())
                .collect();
            if body.contains(&"TargetOriginId: api") {
                let methods = body
                    .iter()
                    .find_map(|l| l.strip_prefix("AllowedMethods:"))
                    .unwrap_or("[GET, HEAD]")
                    .trim()
                    .to_string();
                behaviours.push((pattern.trim().to_string(), methods));
            }
        } else if let Some(path) = line.strip_prefix("Path:") {
            let typed_http_api = lines[..i]
                .iter()
                .rev()
                .take(4)
                .any(|l| l.trim() == "Type: HttpApi");
            if typed_http_api {
                events.push(path.trim().to_string());
            }
        }
    }
    (behaviours, events)
}

/// Whether a template pattern (`/api/*`, `/api/{proxy+}` or an exact path)
/// sends `route` (a prefix ending in `/`, or an exact path) to the function.
fn covers(pattern: &str, route: &str) -> bool {
    let prefix = pattern
        .strip_suffix('*')
        .or_else(|| pattern.strip_suffix("{proxy+}"));
    match prefix {
        Some(prefix) => route.starts_with(prefix),
        None => pattern == route,
    }
}

#[test]
fn every_route_the_function_serves_is_routed_to_it_by_api_gateway_and_cloudfront() {
    let (behaviours, events) = template_routes();
    assert!(
        !behaviours.is_empty() && !events.is_empty(),
        "template not read"
    );
    for route in FUNCTION_ROUTES {
        assert!(
            events.iter().any(|e| covers(e, route)),
            "{route} has no HttpApi event in template.yaml (events: {events:?})"
        );
        let behaviour = behaviours.iter().find(|(p, _)| covers(p, route));
        let Some((_, methods)) = behaviour else {
            panic!("{route} has no CloudFront behaviour to the function ({behaviours:?})");
        };
        // Writes must reach the function wherever it takes them.
        if route.ends_with('/') && *route != "/oauth2/" {
            for method in ["POST", "PUT", "PATCH", "DELETE"] {
                assert!(
                    methods.contains(method),
                    "{route}: {method} not allowed ({methods})"
                );
            }
        }
    }
}

#[test]
fn the_template_routes_nothing_to_the_function_that_it_does_not_serve() {
    let (behaviours, events) = template_routes();
    let served = |pattern: &str| FUNCTION_ROUTES.iter().any(|r| covers(pattern, r));
    for (pattern, _) in &behaviours {
        assert!(
            served(pattern),
            "CloudFront sends {pattern} to the function, which serves none of it"
        );
    }
    for event in &events {
        assert!(
            served(event),
            "API Gateway sends {event} to the function, which serves none of it"
        );
    }
}

#[tokio::test]
async fn the_function_answers_every_listed_route_and_leaves_the_rest_to_the_app() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<html>the-app-itself</html>",
    )
    .unwrap();
    let app = rekey_tests::spawn_app().await;
    let routes = router(
        Arc::clone(&app.app),
        RouterOptions {
            dist_dir: Some(dist.path().to_path_buf()),
            ..RouterOptions::default()
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(rekey_function::startup::serve(listener, routes));
    let client = reqwest::Client::new();
    let body_of = |path: String| {
        let client = client.clone();
        let url = format!("{address}{path}");
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    for route in FUNCTION_ROUTES {
        let path = if route.ends_with('/') {
            format!("{route}v2/Users")
        } else {
            route.to_string()
        };
        let body = body_of(path.clone()).await;
        assert!(
            !body.contains("the-app-itself"),
            "{path} fell through to the app"
        );
    }
    // The app's own pages (deep links included) are the app, and so is
    // every path outside the list, local-only pages this server does not
    // serve among them.
    for path in [
        "/",
        "/users",
        "/scimitar",
        "/api",
        "/metrics",
        "/outbox",
        "/healthzz",
    ] {
        assert!(
            body_of(path.into()).await.contains("the-app-itself"),
            "{path}"
        );
    }
}

/// The template's viewer-request function (CloudFront's JavaScript), run
/// by node on each path: the page it asks the bucket for.
fn cdn_page_for(paths: &[&str]) -> Vec<String> {
    let start = TEMPLATE
        .find("function handler(event)")
        .expect("the function");
    let end = start + TEMPLATE[start..].find("\n\n").expect("its end");
    let code: String = TEMPLATE[start..end]
        .lines()
        .map(|l| l.trim_start())
        .collect::<Vec<_>>()
        .join("\n");
    let script = format!(
        "{code}\nconsole.log(JSON.stringify({}.map((uri) => handler({{ request: {{ uri }} }}).uri)));",
        serde_json::to_string(paths).unwrap()
    );
    let out = std::process::Command::new("node")
        .args(["-e", &script])
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_cdn_answers_each_apps_routes_with_its_own_page_and_files_as_they_are() {
    let cases = [
        ("/", "/index.html"),
        ("/sign-out", "/index.html"),
        ("/app-sign-in-problem", "/index.html"),
        ("/account", "/account/index.html"),
        ("/account/", "/account/index.html"),
        ("/account/some-route", "/account/index.html"),
        ("/admin/", "/admin/index.html"),
        ("/admin/users", "/admin/index.html"),
        // Only whole segments name an app.
        ("/accounts", "/index.html"),
        ("/administer", "/index.html"),
        (
            "/account/account-0123456789abcdef_bg.wasm",
            "/account/account-0123456789abcdef_bg.wasm",
        ),
        ("/style-0123456789abcdef.css", "/style-0123456789abcdef.css"),
    ];
    let paths: Vec<&str> = cases.iter().map(|(path, _)| *path).collect();
    let pages = cdn_page_for(&paths);
    for ((path, want), got) in cases.iter().zip(&pages) {
        assert_eq!(got, want, "{path}");
    }
}
