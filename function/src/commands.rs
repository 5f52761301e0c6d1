//! The binary's one-shot commands (everything but `serve`): each reads
//! the same configuration as the server and does one thing.

use std::path::Path;

use crate::adapters::key_file::KeyFileSigner;
use crate::adapters::sqlite::SqliteStore;
use crate::config::{Config, StoreKind};
use crate::domain::hashing::Hasher;
use crate::ports::SystemClock;
use crate::startup::{
    aws_sdk_config, build, initial_passwords_file, open_store, private_dir,
    write_initial_passwords, BoxError, DEMO_HEADING,
};

/// `rekey-function seed-users N`: adds N generated users (benchmarks).
pub async fn seed_users(n: usize) -> Result<(), BoxError> {
    let config = Config::from_env()?;
    crate::telemetry::init(false);
    let store = SqliteStore::open(&config.store.db_path)?;
    let hasher = Hasher::new(config.hash, config.hash_threads)?;
    let hash = hasher.hash_blocking(&crate::domain::password::generate(16))?;
    let now = crate::ports::Clock::now_ms(&SystemClock);
    for chunk in crate::seed::bulk_users(n, &hash, now).chunks(10_000) {
        crate::ports::UserStore::insert_users(&store, chunk).await?;
    }
    store.analyze().await?;
    println!("added {n} users to {}", config.store.db_path.display());
    Ok(())
}

/// `rekey-function add-admin USERNAME "DISPLAY NAME" EMAIL`: creates a
/// global admin in the configured store (how a deployment gets its first
/// admin) and prints a temporary password, once, to the terminal. The admin
/// must change it at first sign-in.
pub async fn add_admin(username: &str, display_name: &str, email: &str) -> Result<(), BoxError> {
    let config = Config::from_env()?;
    crate::telemetry::init(false);
    // The same rules as the admin center's "Add a user".
    let username = rekey_shared::validate::check_username(username).map_err(|e| e.message)?;
    let display_name = &rekey_shared::validate::check_name(display_name, "display_name")
        .map_err(|e| format!("display name: {}", e.message))?;
    let email = email.trim();
    rekey_shared::validate::check_email(email).map_err(|p| p.message())?;
    let store = open_store(&config, aws_sdk_config(&config).await.as_ref()).await?;
    let hasher = Hasher::new(config.hash, config.hash_threads)?;
    let password = crate::domain::password::generate(config.settings.generated_password_len);
    let now = crate::ports::Clock::now_ms(&SystemClock);
    let mut admin = crate::domain::model::UserRecord::new(
        &username,
        display_name,
        email,
        rekey_shared::Role::GlobalAdmin,
        hasher.hash(password.clone()).await?,
        now,
    );
    admin.must_change_password = true;
    admin.temp_password_expires_at = Some(now + config.settings.temp_password_ttl_ms);
    store.insert_users(&[admin]).await.map_err(|e| match e {
        crate::ports::StoreError::Duplicate => "that username or email is taken".into(),
        e => BoxError::from(e),
    })?;
    println!("Added global admin {username}. Temporary password (shown once; it must be changed at first sign-in):\n{}", password.expose());
    Ok(())
}

/// `rekey-function rotate-signing-key`: a new local key pair signs from
/// the next start; the old public keys stay published until their tokens
/// expire. (Deployed, rotate by pointing REKEY_KMS_KEY_IDS at new keys.)
pub async fn rotate_signing_key() -> Result<(), BoxError> {
    let config = Config::from_env()?;
    crate::telemetry::init(false);
    if !config.signing.kms_key_ids.is_empty() {
        return Err("the keys are in KMS: create new ones and set REKEY_KMS_KEY_IDS".into());
    }
    let now = crate::ports::Clock::now_ms(&SystemClock);
    let signer = KeyFileSigner::rotate(&config.signing.key_file, now)?;
    for key in signer.public_keys() {
        println!("{} now signs with key {}", key.alg.as_str(), key.kid);
    }
    Ok(())
}

/// `rekey-function seed-demo`: the demo directory in an empty store, the
/// admins' passwords in the data folder's file.
pub async fn seed_demo_directory() -> Result<(), BoxError> {
    let config = Config::from_env()?;
    crate::telemetry::init(false);
    let app = build(&config).await?;
    match crate::seed::seed_demo(&app).await? {
        Some(admins) => {
            let file = initial_passwords_file(&config);
            private_dir(&config.data_dir)?;
            write_initial_passwords(&file, DEMO_HEADING, &admins)?;
            println!(
                "Seeded the demo directory: {} admins and 60 users. Their passwords are in {}",
                admins.len(),
                file.display()
            );
            Ok(())
        }
        None => Err("the store already has users; the demo goes only into an empty one".into()),
    }
}

/// `rekey-function backup PATH`: SQLite's online backup of the configured
/// database, a consistent copy even while the server writes.
pub async fn backup(to: &Path) -> Result<(), BoxError> {
    let config = Config::from_env()?;
    crate::telemetry::init(false);
    if config.store.kind != StoreKind::Sqlite {
        return Err(
            "backup copies the SQLite store; DynamoDB has point-in-time recovery (see the README)"
                .into(),
        );
    }
    let (db, to_path) = (config.store.db_path.clone(), to.to_path_buf());
    let pages = tokio::task::spawn_blocking(move || crate::adapters::sqlite::backup(&db, &to_path))
        .await??;
    println!(
        "Backed up {} to {} ({pages} pages). To restore: stop Rekey, put the copy in its place, start Rekey.",
        config.store.db_path.display(),
        to.display()
    );
    // The seal key is what keeps the copy's authenticator apps closed: kept
    // with the copy, it would open them; lost, they stop verifying.
    println!(
        "Keep the seal key {} backed up too, apart from the copy: without it, the copy's authenticator apps no longer verify.",
        config.signing.seal_key_file.display()
    );
    Ok(())
}

/// `rekey-function check-config`: the effective configuration, and a
/// warning for each `REKEY_*` variable that nothing reads (a typo, most
/// likely). Exits non-zero when the configuration does not load.
pub fn check_config() -> Result<(), BoxError> {
    let config = Config::from_env()?;
    // Nothing in Config is a secret (AWS credentials come from AWS's own
    // variables and are never read here), so all of it can be shown.
    println!("{config:#?}");
    let known = crate::config::known_names();
    let mut unknown: Vec<String> = std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .filter(|k| k.starts_with("REKEY_") && !known.contains(k))
        .collect();
    unknown.sort();
    for name in &unknown {
        eprintln!("warning: {name} is not a Rekey setting; it is ignored");
    }
    Ok(())
}
