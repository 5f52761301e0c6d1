//! The real pieces for browser tests: the release frontend in `dist/`
//! served by the real `rekey-function` binary (temp SQLite and outbox),
//! and Debian's Chromium driven through chromedriver.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rekey_tests::server::{free_port, KillOnDrop};
pub use rekey_tests::server::{workspace, Server};

use fantoccini::{Client, ClientBuilder, Locator};

/// Where reviewers find the screenshots.
pub fn screenshot_dir() -> PathBuf {
    let dir = workspace().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// chromedriver and one headless Chromium session, ended on drop.
pub struct Browser {
    pub client: Client,
    _driver: DriverGroup,
    _profile: tempfile::TempDir,
}

/// chromedriver in a process group of its own, with the Chromium it starts:
/// killing only chromedriver would leave Chromium running after the test.
struct DriverGroup(KillOnDrop);

impl Drop for DriverGroup {
    fn drop(&mut self) {
        let group = format!("-{}", self.0 .0.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
    }
}

impl Browser {
    pub async fn start() -> Browser {
        Self::start_in("en-US").await
    }

    /// A browser whose languages are `lang` (e.g. `nl-NL`): what
    /// `navigator.languages` and `Accept-Language` say.
    pub async fn start_in(lang: &str) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian's chromium-driver) must be installed");
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--window-size=1280,900",
                    format!("--lang={lang}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": { "intl.accept_languages": lang },
            }),
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("chromedriver: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser {
            client,
            _driver: DriverGroup(KillOnDrop(driver)),
            _profile: profile,
        }
    }

    /// The first element of `css`, waiting for it. An app that passes the
    /// browser on to another (sign-in, then the admin center) aborts a
    /// search under way ("aborted by navigation"): that one is asked again.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.client.find(Locator::Css(css)).await {
                Ok(e) => return e,
                Err(e) => assert!(Instant::now() < deadline, "no element {css}: {e}"),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The element of `css` whose text contains `text`.
    pub async fn find_text(&self, css: &str, text: &str) -> fantoccini::elements::Element {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            for e in self
                .client
                .find_all(Locator::Css(css))
                .await
                .unwrap_or_default()
            {
                if e.text().await.unwrap_or_default().contains(text) {
                    return e;
                }
            }
            assert!(Instant::now() < deadline, "no {css} with text {text:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    pub async fn click_text(&self, css: &str, text: &str) {
        self.find_text(css, text).await.click().await.unwrap();
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css).await;
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(screenshot_dir().join(name), png).unwrap();
    }

    pub async fn sign_in(&self, url: &str, username: &str, password: &str) {
        self.client.goto(url).await.unwrap();
        self.type_into("#username", username).await;
        self.type_into("#password", password).await;
        self.click("button[type=submit]").await;
    }

    /// Fills in and sends the change-password form (forced or own).
    pub async fn change_password(&self, current: &str, new: &str) {
        self.type_into("#current", current).await;
        self.type_into("#new-password", new).await;
        self.type_into("#confirm-password", new).await;
        self.click_text("button.primary", "Change password").await;
    }

    /// The page's own URL, then every URL it fetched (Resource Timing).
    pub async fn fetched_urls(&self) -> Vec<String> {
        let urls = self
            .client
            .execute(
                "return [location.href].concat(performance.getEntriesByType('resource').map((e) => e.name));",
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value(urls).unwrap()
    }

    pub async fn sign_out(&self) {
        self.click_text("button", "Sign out").await;
        self.find("#username").await;
    }
}

/// WebDriver key codes (W3C WebDriver, "keyboard actions").
pub mod keys {
    pub const TAB: &str = "\u{E004}";
    pub const SHIFT_TAB: &str = "\u{E008}\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const SPACE: &str = " ";
    pub const ESCAPE: &str = "\u{E00C}";
}

impl Browser {
    /// Runs axe-core (npm, injected from `.tools/`) on the page as it is
    /// now, against WCAG 2.1 A and AA and axe's best practices, and fails
    /// with every violation found. `state` names the page for the report.
    pub async fn assert_accessible(&self, state: &str) {
        let axe = workspace().join(".tools/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&axe)
            .unwrap_or_else(|_| panic!("{} is missing: run ./scripts/setup.sh", axe.display()));
        self.client
            .execute(&format!("if (!window.axe) {{ {source} }}"), vec![])
            .await
            .unwrap();
        let found = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { runOnly: { type: "tag",
                       values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })
                     .then(r => done(r.violations.map(v => ({
                         id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary) }))))
                     .catch(e => done([{ id: "axe-error", help: String(e) }]));"#,
                vec![],
            )
            .await
            .unwrap();
        let violations = found.as_array().cloned().unwrap_or_default();
        assert!(
            violations.is_empty(),
            "axe-core found {} violation(s) on {state}:\n{}",
            violations.len(),
            serde_json::to_string_pretty(&violations).unwrap()
        );
    }

    /// What has keyboard focus: its tag, id, classes, label and text.
    pub async fn focused(&self) -> String {
        let v = self
            .client
            .execute(
                r##"const e = document.activeElement;
                   if (!e || e === document.body) return "(body)";
                   return [e.tagName.toLowerCase(), "#" + e.id, "." + e.className,
                           "[" + (e.getAttribute("aria-label") || "") + "]",
                           "[data-user=" + (e.getAttribute("data-user") || "") + "]",
                           (e.textContent || "").trim().slice(0, 60)].join(" ");"##,
                vec![],
            )
            .await
            .unwrap();
        v.as_str().unwrap_or_default().to_string()
    }

    /// Waits until the focused element's description contains `what`.
    pub async fn assert_focus(&self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let now = self.focused().await;
            if now.contains(what) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "focus is on {now:?}, expected {what:?}"
            );
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }

    /// Presses `key` in whatever has focus, as a keyboard would.
    pub async fn press(&self, key: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(key)
            .await
            .unwrap();
    }

    /// Presses Tab until focus is on something whose description contains
    /// `what`, at most `max` times.
    pub async fn tab_to(&self, what: &str, max: usize) {
        for _ in 0..max {
            self.press(keys::TAB).await;
            if self.focused().await.contains(what) {
                return;
            }
        }
        panic!(
            "{max} Tabs never reached {what:?}; focus is on {:?}",
            self.focused().await
        );
    }

    pub async fn set_window(&self, width: u32, height: u32) {
        self.client
            .set_window_rect(0, 0, width, height)
            .await
            .unwrap();
    }

    /// A number the page computes (`script` must `return` it).
    pub async fn number(&self, script: &str) -> f64 {
        self.client
            .execute(script, vec![])
            .await
            .unwrap()
            .as_f64()
            .unwrap_or(f64::NAN)
    }
}

/// An app ("Payroll") registered by the admin of `cookie`, behind Apache
/// with mod_auth_openidc, which adds `query` to its authorization
/// requests (`acr_values=mfa`, say).
pub async fn payroll_behind_apache(
    server: &Server,
    client: &reqwest::Client,
    cookie: &str,
    query: &str,
) -> rekey_tests::apache::Apache {
    use rekey_tests::apache::Apache;
    let port = Apache::free_port();
    let resp = client
        .post(format!("{}/api/apps", server.url))
        .header("origin", &server.url)
        .header("cookie", cookie)
        .json(&serde_json::json!({
            "name": "Payroll",
            "kind": "confidential",
            "redirect_uris": [Apache::redirect_uri(port)],
            "post_logout_redirect_uris": [Apache::signed_out_uri(port)],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let made: serde_json::Value = resp.json().await.unwrap();
    Apache::start_asking(
        port,
        &server.url,
        made["app"]["id"].as_str().unwrap(),
        made["client_secret"].as_str().unwrap(),
        query,
    )
}

/// ChromeDriver's network emulation (`POST …/chromium/network_conditions`).
#[derive(Debug)]
pub struct NetworkConditions(pub serde_json::Value);

impl fantoccini::wd::WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}
