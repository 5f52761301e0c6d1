//! The real `rekey-function` binary as a local server, for tests that need
//! the whole process (browser, SES).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A running `rekey-function`, killed on drop.
pub struct Server {
    child: Child,
    pub url: String,
    pub data: tempfile::TempDir,
    /// Everything the process has logged (stdout) so far.
    log: Arc<Mutex<String>>,
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
        Self::start_with(&[])
    }

    /// [`Server::start`] with extra environment variables.
    pub fn start_with(env: &[(&str, &str)]) -> Server {
        let root = workspace();
        let bin = Self::binary();
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
            // The tests' directory is the demo's; a test that wants the bare
            // first start sets it to false.
            .env("REKEY_SEED_DEMO", "true")
            // Most tests walk the admin center as its admin; the policy's
            // own tests ask for its default (admins) back.
            .env("REKEY_MFA", "optional")
            .envs(env.iter().copied())
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
        // Keep draining stdout so the child never blocks on a full pipe,
        // and keep what it says for tests that read the log.
        let log = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Server {
            child,
            url,
            data,
            log,
        }
    }

    /// What the process has logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The function binary cargo built for this test run.
    pub fn binary() -> PathBuf {
        std::env::var("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|_| workspace().join("target"))
            .join("debug/rekey-function")
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

    /// The data folder (database, outbox, key file).
    pub fn data_dir(&self) -> &std::path::Path {
        self.data.path()
    }

    pub fn outbox(&self) -> Vec<rekey_function::adapters::outbox::OutboxEntry> {
        rekey_function::adapters::outbox::list_entries(&self.data.path().join("outbox"))
    }
}

/// A port that was free on 127.0.0.1 a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process that is killed when this is dropped.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Server {
    /// Signs in over HTTP with `login` (username or email).
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        login: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(format!("{}/api/auth/sign-in", self.url))
            .header("origin", &self.url)
            .json(&serde_json::json!({"username": login, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// An admin's reset of `user_id` with `options` (a ResetOptions body).
    pub async fn reset(
        &self,
        client: &reqwest::Client,
        cookie: &str,
        user_id: &str,
        options: &serde_json::Value,
    ) -> reqwest::Response {
        client
            .post(format!("{}/api/users/{user_id}/password-reset", self.url))
            .header("origin", &self.url)
            .header("cookie", cookie)
            .json(options)
            .send()
            .await
            .unwrap()
    }

    /// Signs in over HTTP as the seeded `admin`; the cookie to send back.
    pub async fn admin_cookie(&self, client: &reqwest::Client) -> String {
        let resp = self
            .sign_in(client, "admin", &self.admin_password("admin"))
            .await;
        assert_eq!(resp.status(), 200, "admin sign-in");
        resp.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    }

    /// GET `path` with the session `cookie`, if any; the JSON body.
    pub async fn get_json(
        &self,
        client: &reqwest::Client,
        cookie: Option<&str>,
        path: &str,
    ) -> serde_json::Value {
        let mut request = client.get(format!("{}{path}", self.url));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request
            .send()
            .await
            .unwrap()
            .json()
            .await
            .expect("a JSON body")
    }

    /// The first user the API lists for `query`.
    pub async fn find_user(
        &self,
        client: &reqwest::Client,
        cookie: &str,
        query: &str,
    ) -> serde_json::Value {
        let page = self
            .get_json(client, Some(cookie), &format!("/api/users?q={query}"))
            .await;
        page["users"][0].clone()
    }
}
