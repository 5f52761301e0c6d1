//! The real `rekey-function` binary under a fake Lambda Runtime API: it
//! pulls API Gateway HTTP API (payload v2) events from the checked-in
//! fixtures and posts its responses back, as it would on AWS.

use std::time::Duration;

use rekey_function::adapters::dynamodb::DynamoStore;
use rekey_function::adapters::sqlite::SqliteStore;
use rekey_function::domain::hashing::{HashParams, Hasher};
use rekey_function::domain::secret::Secret;
use rekey_function::domain::user::UserRecord;
use rekey_function::ports::Store;
use rekey_function::seed::user_record;
use rekey_shared::Role;
use rekey_tests::dynamodb::{fresh_table, store_env};
use rekey_tests::lambda::{fixture, json_body, session_of, Function};
use rekey_tests::server::Server;
use rekey_tests::ses::SesEmulator;

const PASSWORD: &str = "fixture password for lambda tests";

/// The fixtures' accounts (the admin the sign-in fixture names, and Megan)
/// in `store`; returns Megan.
async fn seed_fixture_users(store: &dyn Store, hasher: &Hasher) -> UserRecord {
    let hash = hasher.hash_blocking(&Secret::new(PASSWORD.into())).unwrap();
    let admin = user_record(
        "fixture.admin",
        "Fiona Fixture",
        Role::GlobalAdmin,
        None,
        hash.clone(),
        0,
    );
    let megan = user_record("megan.bowen", "Megan Bowen", Role::User, None, hash, 0);
    store.insert_users(&[admin, megan.clone()]).await.unwrap();
    megan
}

/// Leaves a cold-start figure in `target/` for the test command to print.
fn report_cold_start(file: &str, what: &str, took: Duration) {
    std::fs::write(
        Server::binary().parent().unwrap().parent().unwrap().join(file),
        format!(
            "lambda cold start (debug build, {what}, process start to first response, incl. one argon2id verify): {} ms\n",
            took.as_millis()
        ),
    )
    .unwrap();
}

#[tokio::test]
async fn the_binary_serves_sign_in_users_and_a_reset_through_the_lambda_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rekey.db");
    let store = SqliteStore::open(&db).unwrap();
    let hasher = Hasher::new(HashParams::default(), 1).unwrap();
    let megan = seed_fixture_users(&store, &hasher).await;
    drop(store);

    let function = Function::start(&[
        ("REKEY_DB_PATH", db.display().to_string()),
        (
            "REKEY_OUTBOX_DIR",
            dir.path().join("outbox").display().to_string(),
        ),
        ("REKEY_DATA_DIR", dir.path().display().to_string()),
    ])
    .await;

    // Sign-in: 200, the session cookie in the v2 response's `cookies`.
    let signed_in = function
        .invoke(
            "sign-in-1",
            fixture("sign-in.json", &[("password", PASSWORD)]),
        )
        .await;
    let cold_start = function.started.elapsed();
    assert_eq!(signed_in["statusCode"], 200, "{signed_in}");
    let cookies: Vec<&str> = signed_in["cookies"]
        .as_array()
        .expect("cookies")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let cookie = cookies
        .iter()
        .find(|c| c.starts_with("__Host-rekey_session="))
        .expect("a session cookie");
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    let session = session_of(cookie);
    let body = json_body(&signed_in);
    assert_eq!(body["user"]["username"], "fixture.admin");

    // Users list, with the session.
    let listed = function
        .invoke(
            "users-1",
            fixture("users-list.json", &[("session", session)]),
        )
        .await;
    assert_eq!(listed["statusCode"], 200, "{listed}");
    let page = json_body(&listed);
    assert_eq!(page["users"][0]["username"], "megan.bowen");
    assert_eq!(page["users"].as_array().unwrap().len(), 1);

    // A reset.
    let reset = function.reset("reset-1", session, &megan.id).await;
    assert_eq!(reset["statusCode"], 200, "{reset}");
    let result = json_body(&reset);
    assert_eq!(result["must_change_password"], true);
    assert_eq!(result["password"].as_str().unwrap().chars().count(), 16);

    // A forged Origin is refused under Lambda too.
    let forged = fixture(
        "reset.json",
        &[("session", session), ("user_id", &megan.id)],
    )
    .replace("https://rekey.example.com", "https://evil.example");
    let refused = function.invoke("reset-2", forged).await;
    assert_eq!(refused["statusCode"], 403, "{refused}");

    // A reset request is handled before the answer under Lambda (the
    // environment freezes after it): the admin's email is already written.
    let asked = function
        .invoke("request-1", fixture("password-request.json", &[]))
        .await;
    assert_eq!(asked["statusCode"], 202, "{asked}");
    let emails = rekey_function::adapters::outbox::list_entries(&dir.path().join("outbox"));
    assert!(
        emails
            .iter()
            .any(|m| m.to == "fixture.admin@contoso.example"
                && m.subject == "Megan Bowen asked for a new password"),
        "the request email is sent before the answer"
    );
    let unknown = fixture("password-request.json", &[]).replace("megan.bowen", "nobody.here");
    let unknown = function.invoke("request-2", unknown).await;
    assert_eq!(unknown["statusCode"], asked["statusCode"]);
    assert_eq!(unknown["body"], asked["body"]);

    report_cold_start("lambda-cold-start.txt", "SQLite", cold_start);
}

/// The deployed configuration on this machine: the Lambda runtime, the
/// DynamoDB store (moto) and SES (aws-ses-v2-local), as template.yaml sets
/// them up.
#[tokio::test]
async fn the_deployed_configuration_runs_under_lambda_on_dynamodb_and_ses() {
    let ses = SesEmulator::start().await;
    let table = fresh_table().await;
    let store = DynamoStore::new(rekey_tests::dynamodb::client(), &table);
    let hasher = Hasher::new(HashParams::default(), 1).unwrap();
    let megan = seed_fixture_users(&store, &hasher).await;

    let mut env = store_env(&table);
    env.extend([
        ("REKEY_MAILER", "ses".to_string()),
        ("REKEY_SEED_DEMO", "false".to_string()),
        ("AWS_ENDPOINT_URL_SESV2", ses.url.clone()),
    ]);
    let function = Function::start(&env).await;

    let signed_in = function
        .invoke(
            "sign-in-1",
            fixture("sign-in.json", &[("password", PASSWORD)]),
        )
        .await;
    let cold_start = function.started.elapsed();
    assert_eq!(signed_in["statusCode"], 200, "{signed_in}");
    let cookie = signed_in["cookies"][0].as_str().unwrap();
    let session = session_of(cookie);

    let reset = function.reset("reset-1", session, &megan.id).await;
    assert_eq!(reset["statusCode"], 200, "{reset}");
    let result = json_body(&reset);
    assert_eq!(result["version"], 1);

    // Written to the table, and the user's notice went through SES.
    let stored = store.user_by_id(&megan.id).await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    assert!(stored.must_change_password);
    assert!(
        hasher
            .verify(
                Secret::new(result["password"].as_str().unwrap().into()),
                Some(stored.password_hash)
            )
            .await
    );
    let emails = ses.emails().await;
    assert!(
        emails
            .iter()
            .any(|m| m["subject"] == "Your Contoso password was changed"
                && m["destination"]["to"][0] == "megan.bowen@contoso.example"),
        "{emails:#?}"
    );

    report_cold_start(
        "lambda-cold-start-dynamodb.txt",
        "DynamoDB emulator + SES, incl. DescribeTable",
        cold_start,
    );
}
