//! The real pieces for browser tests: the release frontend in `dist/`
//! served by the real `rekey-function` binary (temp SQLite and outbox),
//! and Debian's Chromium driven through chromedriver.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Where reviewers find the screenshots.
pub fn screenshot_dir() -> PathBuf {
    let dir = workspace().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A running `rekey-function`, killed on drop.
pub struct Server {
    child: Child,
    pub url: String,
    pub data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the binary cargo built for this test run on port 0 and
    /// reads the address it prints.
    pub fn start() -> Server {
        let root = workspace();
        let target = std::env::var("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| root.join("target"));
        let bin = target.join("debug/rekey-function");
        assert!(
            bin.exists(),
            "{} is missing: run `cargo build -p rekey-function`",
            bin.display()
        );
        let dist = root.join("dist");
        assert!(
            dist.join("index.html").exists(),
            "dist/ is missing: run ./scripts/build-frontend.sh first"
        );
        let data = tempfile::tempdir().unwrap();
        let mut child = Command::new(bin)
            .env("REKEY_DATA_DIR", data.path())
            .env("REKEY_PORT", "0")
            .env("REKEY_DIST_DIR", &dist)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start rekey-function");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let line = lines.next().expect("rekey-function exited").unwrap();
            if let Some(rest) = line.strip_prefix("Rekey is running at ") {
                break rest.trim_end_matches('/').to_string();
            }
        };
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, url, data }
    }

    /// The seeded admin's password, from the file the first run wrote.
    pub fn admin_password(&self, username: &str) -> String {
        let text =
            std::fs::read_to_string(self.data.path().join("initial-admin-passwords.txt")).unwrap();
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(username))
            .and_then(|l| l.split_whitespace().last())
            .unwrap()
            .to_string()
    }

    pub fn outbox(&self) -> Vec<rekey_function::adapters::outbox::OutboxEntry> {
        rekey_function::adapters::outbox::list_entries(&self.data.path().join("outbox"))
    }
}

/// chromedriver and one headless Chromium session, ended on drop.
pub struct Browser {
    driver: Child,
    pub client: Client,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    pub async fn start() -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
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
                    format!("--user-data-dir={}", profile.path().display()),
                ]
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
            driver,
            client,
            _profile: profile,
        }
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
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

    pub async fn sign_out(&self) {
        self.click_text("button", "Sign out").await;
        self.find("#username").await;
    }
}
