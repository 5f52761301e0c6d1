//! The DynamoDB store on a local emulator (moto): the Store contract, the
//! real binary running on it, and concurrent resets through the API.

use std::sync::Arc;

use rekey_function::domain::update::MAX_WRITE_ATTEMPTS;
use rekey_function::ports::SystemClock;
use rekey_tests::burst::{sign_in_burst, spawn_app_without_front_limits};
use rekey_tests::contention::AlwaysOutraced;
use rekey_tests::dynamodb::{fresh_store, fresh_table, store_env};
use rekey_tests::server::Server;
use rekey_tests::store_contract::DynStore;
use rekey_tests::{session_from, spawn_app_on};
use serde_json::{json, Value};

async fn fresh_dynamodb() -> DynStore {
    Arc::new(fresh_store().await)
}

rekey_tests::store_contract_tests!(fresh_dynamodb());

/// The binary with `REKEY_STORE=dynamodb` on a new table.
async fn server_on_dynamodb() -> (Server, String) {
    let table = fresh_table().await;
    let env = store_env(&table).await;
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    (Server::start_with(&env), table)
}

#[tokio::test]
async fn the_binary_seeds_signs_in_and_resets_on_dynamodb() {
    let (server, _) = server_on_dynamodb().await;
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let user = server.find_user(&client, &cookie, "adele").await;
    assert_eq!(user["username"], "adele.adams");
    let resp = server
        .reset(
            &client,
            &cookie,
            user["id"].as_str().unwrap(),
            &json!({"require_change": false}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let result: Value = resp.json().await.unwrap();
    assert_eq!(result["version"], user["version"].as_u64().unwrap() + 1);
    let sign_in = server
        .sign_in(&client, "adele.adams", result["password"].as_str().unwrap())
        .await;
    assert_eq!(sign_in.status(), 200);
    let audit = server.get_json(&client, Some(&cookie), "/api/audit").await;
    assert_eq!(audit["events"][0]["action"], "notice_sent");
    assert!(audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "password_reset" && e["target"]["username"] == "adele.adams"));
}

#[tokio::test]
async fn add_admin_creates_a_global_admin_who_must_change_the_password() {
    let (server, table) = server_on_dynamodb().await;
    let env = store_env(&table).await;
    let run = || {
        std::process::Command::new(Server::binary())
            .args(["add-admin", "Ops.Lead", "Olga Ops", "olga@ops.example"])
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .output()
            .unwrap()
    };
    let out = run();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let password = stdout.lines().last().unwrap().trim().to_string();
    assert!(password.chars().count() >= 12, "{stdout}");

    let client = reqwest::Client::new();
    let resp = server.sign_in(&client, "olga@ops.example", &password).await;
    assert_eq!(resp.status(), 200);
    assert!(session_from(&resp).is_some());
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me["user"]["username"], "ops.lead");
    assert_eq!(me["user"]["role"], "global_admin");
    assert_eq!(me["user"]["must_change_password"], true);

    // The same username again is refused and changes nothing.
    let again = run();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("taken"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_200_wrong_sign_ins_locks_for_the_first_step_only_on_dynamodb() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_without_front_limits(Arc::new(fresh_store().await), dir).await;
    let admin = app.global_admin.clone();
    let burst = sign_in_burst(&app, &admin.id, &admin.username, "not-the-password", 200).await;
    burst.assert_locked_for_the_first_step_only();
    let right = app.sign_in_response(&admin.username, &admin.password).await;
    assert_eq!(right.status(), 423);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_scim_sync_pages_through_a_thousand_users_reading_only_each_page() {
    use rekey_function::ports::{ScimDirectory, UserStore};
    let store = fresh_store().await;
    let users = rekey_function::seed::bulk_users(1_000, "$argon2id$fake", 1);
    for chunk in users.chunks(200) {
        store.insert_users(chunk).await.unwrap();
    }
    let before = store.items_read();
    assert_eq!(store.count_plain_users().await.unwrap(), 1_000);
    assert!(
        store.items_read() - before <= 2,
        "the count read {} items",
        store.items_read() - before
    );
    let mut seen = std::collections::HashSet::new();
    for page in 0..10u64 {
        let before = store.items_read();
        let users = store.plain_users_page(page * 100, 100).await.unwrap();
        let read = store.items_read() - before;
        assert_eq!(users.len(), 100);
        // The page, and its bookmark: never the pages before it.
        assert!(read <= 101, "page {page} read {read} items");
        seen.extend(users.into_iter().map(|u| u.id));
    }
    assert_eq!(seen.len(), 1_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_resets_of_one_user_lose_nothing_on_dynamodb() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(fresh_store().await);
    let app = spawn_app_on(store, Arc::new(SystemClock), dir).await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.user_record(&app.megan.id).await;
    let path = format!("/api/users/{}/password-reset", app.megan.id);
    let body = json!({});
    let responses =
        futures::future::join_all((0..50).map(|_| app.post(&path, Some(&admin), &body))).await;
    let mut versions = Vec::new();
    let mut conflicts = 0;
    for r in responses {
        let status = r.status();
        let v: Value = r.json().await.unwrap();
        match status.as_u16() {
            200 => versions.push(v["version"].as_u64().unwrap()),
            // Bounded retries ran out under this much contention: a clear
            // answer, and nothing of this request was written.
            409 => {
                assert_eq!(v["code"], "conflict", "{v}");
                conflicts += 1;
            }
            other => panic!("{other}: {v}"),
        }
    }
    assert!(!versions.is_empty());
    versions.sort_unstable();
    let won = versions.len() as u64;
    let expected: Vec<u64> = (before.version + 1..=before.version + won).collect();
    assert_eq!(versions, expected, "every reset got its own version");
    let after = app.user_record(&app.megan.id).await;
    assert_eq!(after.version, before.version + won);
    assert_eq!(after.session_epoch, before.session_epoch + won);
    let events: Value = app.get_json("/api/audit?limit=200", Some(&admin)).await;
    let resets = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "password_reset")
        .count() as u64;
    assert_eq!(resets, won);
    assert_eq!(won + conflicts, 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_that_always_loses_the_race_retries_a_bounded_number_of_times_then_answers_409() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(AlwaysOutraced::new(Arc::new(fresh_store().await)));
    let app = spawn_app_on(store.clone(), Arc::new(SystemClock), dir).await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.user_record(&app.megan.id).await;

    store.race();
    let path = format!("/api/users/{}/password-reset", app.megan.id);
    let resp = app.post(&path, Some(&admin), &json!({})).await;
    store.calm();

    assert_eq!(resp.status(), 409);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "conflict", "{body}");
    assert!(body.get("password").is_none());
    // Each attempt lost to one competing write; there were exactly as many
    // attempts as the bound.
    let writes = store.competing_writes();
    assert_eq!(writes, MAX_WRITE_ATTEMPTS);
    let after = app.user_record(&app.megan.id).await;
    assert_eq!(after.version, before.version + u64::from(writes));
    assert_eq!(after.password_hash, before.password_hash);
    assert!(app.password_emails().is_empty());
    let events: Value = app.get_json("/api/audit?limit=200", Some(&admin)).await;
    assert!(!events["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "password_reset"));
    assert_eq!(
        app.sign_in_response("megan.bowen", &app.megan.password)
            .await
            .status(),
        200
    );
}
