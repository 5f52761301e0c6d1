//! A DynamoDB emulator (moto, from `.tools/venv`) for the tests: one per
//! test binary, started on first use, gone when the binary exits (it
//! watches its stdin, see `tests/emulators/dynamodb.py`). Each test gets
//! its own table.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::Client;
use rekey_function::adapters::dynamodb::{create_table, DynamoStore};

use crate::server::{free_port, workspace};

/// The emulator's process; its stdin closes when the test binary exits.
static EMULATOR: OnceLock<(Mutex<Child>, String)> = OnceLock::new();

/// The emulator's endpoint, starting it if need be.
pub fn endpoint() -> &'static str {
    &EMULATOR.get_or_init(start).1
}

fn start() -> (Mutex<Child>, String) {
    let python = workspace().join(".tools/venv/bin/python");
    assert!(
        python.exists(),
        "the DynamoDB emulator (moto) is missing: run ./scripts/setup.sh"
    );
    let port = free_port();
    let child = Command::new(python)
        .arg(workspace().join("tests/emulators/dynamodb.py"))
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the DynamoDB emulator");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the DynamoDB emulator did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (Mutex::new(child), format!("http://127.0.0.1:{port}"))
}

/// The environment that points the AWS SDK (and so the real binary) at
/// the emulator with throwaway credentials.
pub fn aws_env() -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL_DYNAMODB", endpoint().to_string()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ACCESS_KEY_ID", "AKIDTESTTESTTEST".into()),
        ("AWS_SECRET_ACCESS_KEY", "test-secret".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]
}

/// [`aws_env`] plus what makes the binary use `table` as its store, and
/// the emulator's KMS key that seals stored secrets (which DynamoDB needs).
pub async fn store_env(table: &str) -> Vec<(&'static str, String)> {
    let mut env = aws_env();
    env.push(("REKEY_STORE", "dynamodb".into()));
    env.push(("REKEY_DYNAMODB_TABLE", table.into()));
    env.push(("AWS_ENDPOINT_URL_KMS", endpoint().to_string()));
    env.push(("REKEY_SEAL_KEY_ID", seal_key().await));
    env
}

/// One symmetric KMS key in the emulator for this test process.
pub async fn seal_key() -> String {
    static KEY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    KEY.get_or_init(|| async {
        let config = aws_sdk_kms::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(endpoint())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDTESTTESTTEST",
                "test-secret",
                None,
                None,
                "tests",
            ))
            .build();
        aws_sdk_kms::Client::from_conf(config)
            .create_key()
            .key_usage(aws_sdk_kms::types::KeyUsageType::EncryptDecrypt)
            .send()
            .await
            .expect("a KMS key in the emulator")
            .key_metadata()
            .expect("key metadata")
            .key_id()
            .to_string()
    })
    .await
    .clone()
}

pub fn client() -> Client {
    client_for(endpoint())
}

/// A client of the DynamoDB at `url` (the emulator's, or one that is down).
pub fn client_for(url: &str) -> Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(url)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDTESTTESTTEST",
            "test-secret",
            None,
            None,
            "tests",
        ))
        .build();
    Client::from_conf(config)
}

/// A new, empty table's name.
pub async fn fresh_table() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "rekey-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    create_table(&client(), &name).await.unwrap();
    name
}

/// A store over a new, empty table.
pub async fn fresh_store() -> DynamoStore {
    DynamoStore::new(client(), fresh_table().await)
}
