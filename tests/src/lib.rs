//! Helpers for Rekey's whole-system tests: a real server on port 0 over a
//! temporary SQLite file and outbox, and the Store contract suite.

pub mod apache;
pub mod authenticator;
pub mod burst;
pub mod contention;
pub mod dynamodb;
pub mod lambda;
pub mod oidc;
pub mod passkey_steps;
pub mod second_step;
pub mod self_service;
pub mod server;
pub mod ses;
pub mod soft_passkey;
pub mod store_contract;

use std::path::PathBuf;
use std::sync::Arc;

use rekey_function::adapters::key_file::KeyFileSigner;
use rekey_function::adapters::outbox::{list_entries, OutboxEntry, OutboxMailer};
use rekey_function::adapters::sqlite::SqliteStore;
use rekey_function::api::{router, RouterOptions, SESSION_COOKIE};
use rekey_function::domain::hashing::{HashParams, Hasher};
use rekey_function::domain::model::UserRecord;
use rekey_function::domain::secret::Secret;
use rekey_function::domain::{Ports, Rekey, Settings};
use rekey_function::ports::{Clock, Store, SystemClock};
use rekey_function::seed::{bulk_users, user_record};
use rekey_shared::Role;
use serde_json::Value;

/// A seeded account whose password the test knows.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub email: String,
    pub password: String,
}

pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    pub app: Arc<Rekey>,
    pub store: Arc<dyn Store>,
    pub outbox_dir: PathBuf,
    pub db_path: PathBuf,
    pub client: reqwest::Client,
    pub global_admin: Account,
    pub helpdesk_admin: Account,
    pub password_admin: Account,
    /// A user with an alternate email.
    pub megan: Account,
    pub user: Account,
    _dir: tempfile::TempDir,
}

/// A signed-in session: the cookie pair to send back.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
}

/// One key file per test process: RSA key generation takes a while, and
/// tests that need their own keys make them.
pub fn shared_signer() -> Arc<dyn rekey_function::ports::Signer> {
    static SIGNER: std::sync::OnceLock<Arc<KeyFileSigner>> = std::sync::OnceLock::new();
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let signer = SIGNER.get_or_init(|| {
        let dir = DIR.get_or_init(|| tempfile::tempdir().expect("temp dir"));
        Arc::new(
            KeyFileSigner::open_or_create(&dir.path().join("signing-keys.json"), 0).expect("keys"),
        )
    });
    Arc::clone(signer) as Arc<dyn rekey_function::ports::Signer>
}

/// Starts Rekey on 127.0.0.1:0 over a fresh SQLite file and outbox, with
/// five accounts of known passwords (real argon2id parameters).
pub async fn spawn_app() -> TestApp {
    spawn_app_with_clock(Arc::new(SystemClock)).await
}

/// [`spawn_app`] with a clock the test controls (expiry, lockout).
pub async fn spawn_app_with_clock(clock: Arc<dyn Clock>) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("rekey.db");
    let store = SqliteStore::open(&db_path).expect("open store");
    spawn_app_on(Arc::new(store), clock, dir).await
}

/// [`spawn_app`] over any store (`dir` holds the outbox and, for SQLite,
/// the database file).
pub async fn spawn_app_on(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    dir: tempfile::TempDir,
) -> TestApp {
    spawn_app_configured(store, clock, dir, |_| {}).await
}

/// [`spawn_app_on`] with settings of the test's own (limits, mostly).
pub async fn spawn_app_configured(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    dir: tempfile::TempDir,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let db_path = dir.path().join("rekey.db");
    let outbox_dir = dir.path().join("outbox");
    let hasher = Hasher::new(HashParams::default(), 0).expect("hasher");

    let specs = [
        ("gadmin", "Grace Global", Role::GlobalAdmin, None),
        ("hadmin", "Hank Helpdesk", Role::HelpdeskAdmin, None),
        ("padmin", "Pam Password", Role::PasswordAdmin, None),
        (
            "megan.bowen",
            "Megan Bowen",
            Role::User,
            Some("megan.home@personal.example".to_string()),
        ),
        ("lee.gu", "Lee Gu", Role::User, None),
    ];
    let mut accounts = Vec::new();
    let mut records = Vec::new();
    for (username, name, role, alternate) in specs {
        let password = format!("{username}-Tr0ub4dor&3-{}", accounts.len());
        let hash = hasher
            .hash(Secret::new(password.clone()))
            .await
            .expect("hash");
        let record = user_record(username, name, role, alternate, hash, 0);
        accounts.push(Account {
            id: record.id.clone(),
            username: username.to_string(),
            email: record.email.clone(),
            password,
        });
        records.push(record);
    }
    store.insert_users(&records).await.expect("seed");

    // Bound first: the address is the OpenID Connect issuer.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let ports = Ports {
        store: Arc::clone(&store),
        mailer: Arc::new(OutboxMailer::new(&outbox_dir, "Rekey <no-reply@rekey.example>").unwrap()),
        clock,
        signer: shared_signer(),
        sealer: Arc::new(
            rekey_function::adapters::seal_key_file::KeyFileSealer::open_or_create(
                &dir.path().join("seal-key"),
            )
            .expect("seal key"),
        ),
    };
    let mut settings = Settings {
        public_url: format!("{address}/"),
        ..Settings::default()
    };
    configure(&mut settings);
    // A test may name the server otherwise (passkeys need a host name).
    let address = settings.public_url.trim_end_matches('/').to_string();
    let app = rekey_function::startup::assemble(ports, HashParams::default(), 0, settings)
        .expect("the app");
    app.publish_signing_keys().await.expect("publish keys");
    let routes = router(
        Arc::clone(&app),
        RouterOptions {
            outbox_dir: Some(outbox_dir.clone()),
            ..RouterOptions::default()
        },
    );
    tokio::spawn(rekey_function::startup::serve(listener, routes));

    let mut a = accounts.into_iter();
    TestApp {
        address,
        app,
        store,
        outbox_dir,
        db_path,
        client: reqwest::Client::new(),
        global_admin: a.next().unwrap(),
        helpdesk_admin: a.next().unwrap(),
        password_admin: a.next().unwrap(),
        megan: a.next().unwrap(),
        user: a.next().unwrap(),
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A request as Rekey's own page would send it (same Origin, JSON).
    pub async fn post(
        &self,
        path: &str,
        session: Option<&Session>,
        body: &Value,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url(path))
            .header("origin", &self.address)
            .json(body);
        if let Some(s) = session {
            req = req.header("cookie", &s.cookie);
        }
        req.send().await.expect("request")
    }

    /// A PATCH as Rekey's own page sends it (same Origin, JSON).
    pub async fn patch(&self, path: &str, session: &Session, body: &Value) -> reqwest::Response {
        self.client
            .patch(self.url(path))
            .header("origin", &self.address)
            .header("cookie", &session.cookie)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A DELETE as Rekey's own page sends it (same Origin, a JSON type).
    pub async fn delete(&self, path: &str, session: &Session) -> reqwest::Response {
        self.client
            .delete(self.url(path))
            .header("origin", &self.address)
            .header("cookie", &session.cookie)
            .header("content-type", "application/json")
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> reqwest::Response {
        let mut req = self.client.get(self.url(path));
        if let Some(s) = session {
            req = req.header("cookie", &s.cookie);
        }
        req.send().await.expect("request")
    }

    /// GET `path` and parse the JSON body, whatever the status.
    pub async fn get_json(&self, path: &str, session: Option<&Session>) -> Value {
        self.get(path, session)
            .await
            .json()
            .await
            .expect("a JSON body")
    }

    /// The audit log's first page of actions, newest first, as `session` sees it.
    pub async fn audit_actions(&self, session: &Session) -> Vec<String> {
        let audit = self.get_json("/api/audit", Some(session)).await;
        audit["events"]
            .as_array()
            .expect("an audit page")
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// A sign-in's status, Retry-After and body, for bursts of them.
    pub async fn sign_in_response_owned(
        &self,
        username: String,
        password: &str,
    ) -> (u16, Option<String>, Value) {
        let r = self.sign_in_response(&username, password).await;
        let status = r.status().as_u16();
        let retry_after = r
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (status, retry_after, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn sign_in_response(&self, username: &str, password: &str) -> reqwest::Response {
        self.post(
            "/api/auth/sign-in",
            None,
            &serde_json::json!({"username": username, "password": password}),
        )
        .await
    }

    /// Signs in and returns the session, panicking if sign-in fails.
    pub async fn sign_in(&self, account: &Account) -> Session {
        let resp = self
            .sign_in_response(&account.username, &account.password)
            .await;
        assert_eq!(resp.status(), 200, "sign-in of {} failed", account.username);
        session_from(&resp).expect("a session cookie")
    }

    /// Resets `user_id` as `session` with `options`; panics unless 200.
    pub async fn reset(&self, session: &Session, user_id: &str, options: &Value) -> Value {
        let resp = self
            .post(
                &format!("/api/users/{user_id}/password-reset"),
                Some(session),
                options,
            )
            .await;
        assert_eq!(resp.status(), 200, "reset of {user_id}");
        resp.json().await.expect("a reset result")
    }

    pub async fn user_record(&self, id: &str) -> UserRecord {
        self.store
            .user_by_id(id)
            .await
            .unwrap()
            .expect("user exists")
    }

    /// Adds `n` plain users sharing one password hash; returns their ids.
    pub async fn add_users(&self, n: usize) -> Vec<String> {
        let hash = self.user_record(&self.user.id).await.password_hash;
        let users = bulk_users(n, &hash, 0);
        self.store.insert_users(&users).await.unwrap();
        users.into_iter().map(|u| u.id).collect()
    }

    pub fn outbox(&self) -> Vec<OutboxEntry> {
        list_entries(&self.outbox_dir)
    }

    /// Only the emails that carry a reset password.
    pub fn password_emails(&self) -> Vec<OutboxEntry> {
        only_password_emails(self.outbox())
    }

    /// The database's bytes (main file and write-ahead log).
    pub fn store_bytes(&self) -> Vec<u8> {
        let mut bytes = std::fs::read(&self.db_path).unwrap_or_default();
        let wal = self.db_path.with_extension("db-wal");
        bytes.extend(std::fs::read(wal).unwrap_or_default());
        bytes
    }
}

/// The session cookie a response sets, as `name=value`.
pub fn session_from(resp: &reqwest::Response) -> Option<Session> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{SESSION_COOKIE}=")))
        .and_then(|v| v.split(';').next())
        .filter(|pair| pair.len() > SESSION_COOKIE.len() + 1)
        .map(|pair| Session {
            cookie: pair.to_string(),
        })
}

/// Keeps the emails that carry a reset password (not notices or requests).
pub fn only_password_emails(all: Vec<OutboxEntry>) -> Vec<OutboxEntry> {
    all.into_iter()
        .filter(|m| m.subject.starts_with("New password for"))
        .collect()
}

/// Does `haystack` contain `needle`?
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
