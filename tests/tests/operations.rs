//! The binary as an operator meets it: help and version, usage and
//! runtime errors, a first start that is not a demo, the configuration
//! check, a backup taken while the server writes, the health endpoint and
//! the request log.

use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rekey_function::adapters::sqlite::SqliteStore;
use rekey_function::ports::UserStore;
use rekey_tests::server::Server;

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(Server::binary())
        .args(args)
        .env("REKEY_DATA_DIR", data.path())
        .envs(env.iter().copied())
        .output()
        .expect("run rekey-function")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_and_version_go_to_stdout_and_exit_zero() {
    let help = run(&["--help"], &[]);
    assert_eq!(help.status.code(), Some(0));
    let out = text(&help.stdout);
    for command in [
        "serve",
        "add-admin",
        "seed-demo",
        "rotate-signing-key",
        "backup",
        "check-config",
    ] {
        assert!(out.contains(command), "{command} missing from:\n{out}");
    }
    let version = run(&["--version"], &[]);
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        text(&version.stdout).trim(),
        format!("rekey-function {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_usage_error_exits_two_and_a_runtime_error_prints_one_readable_line() {
    let usage = run(&["frobnicate"], &[]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(
        text(&usage.stderr).contains("Usage"),
        "{}",
        text(&usage.stderr)
    );

    let bad = run(&["check-config"], &[("REKEY_LOCKOUT_THRESHOLD", "zero")]);
    assert_eq!(bad.status.code(), Some(1));
    let err = text(&bad.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("rekey-function: REKEY_LOCKOUT_THRESHOLD:"),
        "{err}"
    );
    assert!(!err.contains("ConfigError {"), "a Debug dump: {err}");

    let taken = run(
        &[
            "add-admin",
            "not a username",
            "Alex",
            "alex@contoso.example",
        ],
        &[],
    );
    assert_eq!(taken.status.code(), Some(1));
    assert_eq!(text(&taken.stderr).lines().count(), 1);
}

#[test]
fn check_config_prints_the_settings_and_warns_about_unknown_names() {
    let out = run(
        &["check-config"],
        &[
            ("REKEY_LOCKOUT_THRESHOLD", "7"),
            ("REKEY_LOCKUOT_SECS", "30"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("lockout_threshold: 7"),
        "{}",
        text(&out.stdout)
    );
    let warnings = text(&out.stderr);
    assert!(
        warnings.contains("REKEY_LOCKUOT_SECS is not a Rekey setting"),
        "{warnings}"
    );
    assert!(!warnings.contains("REKEY_LOCKOUT_THRESHOLD"), "{warnings}");
}

#[tokio::test]
async fn a_bare_first_start_makes_one_global_admin_and_no_demo() {
    let server = Server::start_with(&[("REKEY_SEED_DEMO", "false")]);
    let client = reqwest::Client::new();
    let password = server.admin_password("admin");
    let file =
        std::fs::read_to_string(server.data_dir().join("initial-admin-passwords.txt")).unwrap();
    assert_eq!(
        file.lines().filter(|l| !l.starts_with('#')).count(),
        1,
        "{file}"
    );
    let signed_in = server.sign_in(&client, "admin", &password).await;
    assert_eq!(signed_in.status(), 200);
    let body: serde_json::Value = signed_in.json().await.unwrap();
    assert_eq!(body["user"]["must_change_password"], true);
    assert_eq!(body["user"]["role"], "global_admin");
    let store = SqliteStore::open(&server.data_dir().join("rekey.db")).unwrap();
    assert_eq!(store.count_users().await.unwrap(), 1);
    for demo in ["helpdesk", "passwords"] {
        assert!(store.user_by_login(demo).await.unwrap().is_none(), "{demo}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_restores_with_every_write_committed_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rekey.db");
    let store = SqliteStore::open(&db).unwrap();
    // A write is "begun" before its insert and "committed" after it: the copy
    // holds at least what was committed before the backup started and at
    // most what had begun when it ended.
    let begun = Arc::new(AtomicUsize::new(0));
    let committed = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (store, begun, committed, stop) = (
            store.clone(),
            begun.clone(),
            committed.clone(),
            stop.clone(),
        );
        tokio::spawn(async move {
            let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
            let users = rekey_function::seed::bulk_users(5_000, hash, 0);
            for (i, user) in users.iter().enumerate() {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                begun.store(i + 1, Ordering::SeqCst);
                store
                    .insert_users(std::slice::from_ref(user))
                    .await
                    .unwrap();
                committed.store(i + 1, Ordering::SeqCst);
            }
        })
    };
    while committed.load(Ordering::SeqCst) < 200 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before = committed.load(Ordering::SeqCst);
    let copy = dir.path().join("copy.db");
    let db_var = db.display().to_string();
    let copy_arg = copy.display().to_string();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(Server::binary())
            .args(["backup", &copy_arg])
            .env("REKEY_DB_PATH", &db_var)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let after = begun.load(Ordering::SeqCst);
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(after > before, "no write landed during the backup");

    let restored = SqliteStore::open(&copy).unwrap();
    let n = restored.count_users().await.unwrap() as usize;
    assert!(n >= before && n <= after, "{before} <= {n} <= {after}");
    // A snapshot: exactly the first n writes, none missing in between.
    let users = rekey_function::seed::bulk_users(n + 1, "h", 0);
    for user in &users[..n] {
        assert!(
            restored
                .user_by_login(&user.username)
                .await
                .unwrap()
                .is_some(),
            "{}",
            user.username
        );
    }
    assert!(restored
        .user_by_login(&users[n].username)
        .await
        .unwrap()
        .is_none());
    // And it does not overwrite.
    let again = run(
        &["backup", &copy.display().to_string()],
        &[("REKEY_DB_PATH", &db.display().to_string())],
    );
    assert_eq!(again.status.code(), Some(1));
}

#[tokio::test]
async fn healthz_answers_when_the_store_does_and_every_request_is_logged_once() {
    let server = Server::start_with(&[("RUST_LOG", "info")]);
    let health = reqwest::get(format!("{}/healthz", server.url))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let request_id = health.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let missing = reqwest::get(format!("{}/api/users/no-such-id?secret=x", server.url))
        .await
        .unwrap();
    assert_eq!(missing.status(), 401);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = server.log();
    let line = log
        .lines()
        .find(|l| l.contains(&request_id))
        .unwrap_or_else(|| panic!("no request line for {request_id}:\n{log}"));
    for part in [
        "request",
        "method=GET",
        "route=\"/healthz\"",
        "status=200",
        "latency_ms=",
    ] {
        assert!(line.contains(part), "{part} missing from {line}");
    }
    // The route's template, never the path's id or the query.
    let users = log
        .lines()
        .find(|l| l.contains("status=401"))
        .expect("the 401's line");
    assert!(users.contains("route=\"/api/users/{id}\""), "{users}");
    assert!(
        !log.contains("no-such-id") && !log.contains("secret=x"),
        "{log}"
    );
}

#[tokio::test]
async fn healthz_answers_503_when_the_store_does_not() {
    let closed = format!("http://127.0.0.1:{}", rekey_tests::server::free_port());
    let store = rekey_function::adapters::dynamodb::DynamoStore::new(
        rekey_tests::dynamodb::client_for(&closed),
        "rekey",
    );
    let dir = tempfile::tempdir().unwrap();
    let app = rekey_tests::spawn_app_configured(
        Arc::new(SqliteStore::open(&dir.path().join("seed.db")).unwrap()),
        Arc::new(rekey_function::ports::SystemClock),
        dir,
        |_| {},
    )
    .await;
    let ports = rekey_function::domain::Ports {
        store: Arc::new(store),
        mailer: app.app.mailer.clone(),
        clock: app.app.clock.clone(),
        signer: app.app.signer.clone(),
        sealer: app.app.sealer.clone(),
    };
    let broken =
        rekey_function::startup::assemble(ports, Default::default(), 1, app.app.settings.clone())
            .unwrap();
    let routes = rekey_function::api::router(broken, Default::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(rekey_function::startup::serve(listener, routes));
    let health = reqwest::get(format!("{url}/healthz")).await.unwrap();
    assert_eq!(health.status(), 503);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
}

#[tokio::test]
async fn a_server_bound_beyond_this_machine_serves_no_outbox() {
    let server = Server::start_with(&[("REKEY_BIND", "0.0.0.0")]);
    let base = server.url.replace("0.0.0.0", "127.0.0.1");
    let client = reqwest::Client::new();
    let info: serde_json::Value = client
        .get(format!("{base}/api/info"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(info["outbox_url"].is_null(), "{info}");
    let outbox = client.get(format!("{base}/outbox")).send().await.unwrap();
    assert!(!outbox.text().await.unwrap().contains("<h1>Outbox</h1>"));
}
