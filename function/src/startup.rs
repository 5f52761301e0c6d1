//! Wiring: configuration -> adapters -> domain -> router, then either the
//! Lambda runtime or a local server.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

use crate::adapters::dynamodb::DynamoStore;
use crate::adapters::key_file::KeyFileSigner;
use crate::adapters::kms::KmsSigner;
use crate::adapters::kms_sealer::KmsSealer;
use crate::adapters::outbox::OutboxMailer;
use crate::adapters::seal_key_file::KeyFileSealer;
use crate::adapters::ses::SesMailer;
use crate::adapters::smtp::SmtpMailer;
use crate::adapters::sqlite::SqliteStore;
use crate::api::{router, RouterOptions};
use crate::config::{Config, MailerKind, StoreKind};
use crate::domain::hashing::{HashParams, Hasher};
use crate::domain::{Ports, Rekey, Settings};
use crate::ports::{Mailer, Sealer, Signer, Store, SystemClock};
use crate::seed::{seed_demo, seed_first_admin, SeededAdmin};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Under Lambda a reset request is handled before the answer, which always
/// takes this long (a few store calls and one email per admin fit easily).
const LAMBDA_REQUEST_BUDGET: std::time::Duration = std::time::Duration::from_millis(1500);

/// Creates the data folder readable by its owner only: it holds password
/// hashes, and locally the outbox's emails.
pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The AWS configuration chain (region, credentials, endpoints), loaded
/// once for every AWS adapter, and only when one is configured.
pub(crate) async fn aws_sdk_config(config: &Config) -> Option<aws_config::SdkConfig> {
    if config.store.kind == StoreKind::Dynamodb
        || config.mail.kind == MailerKind::Ses
        || !config.signing.kms_key_ids.is_empty()
        || config.signing.seal_kms_key_id.is_some()
    {
        Some(
            aws_config::defaults(aws_config::BehaviorVersion::latest())
                .load()
                .await,
        )
    } else {
        None
    }
}

/// The store as configured: the SQLite file, or the DynamoDB table (which
/// must exist: the deploy template creates it).
pub async fn open_store(
    config: &Config,
    aws: Option<&aws_config::SdkConfig>,
) -> Result<Arc<dyn Store>, BoxError> {
    match (config.store.kind, aws) {
        (StoreKind::Sqlite, _) => {
            if config.store.db_path.starts_with(&config.data_dir) {
                private_dir(&config.data_dir)?;
            }
            Ok(Arc::new(SqliteStore::open(&config.store.db_path)?))
        }
        (StoreKind::Dynamodb, Some(aws)) => {
            let store = DynamoStore::from_config(aws, &config.store.dynamodb_table);
            store.check_table().await?;
            Ok(Arc::new(store))
        }
        (StoreKind::Dynamodb, None) => Err("DynamoDB needs the AWS configuration".into()),
    }
}

/// The ID token signer as configured: KMS keys, or the local key file.
pub async fn open_signer(
    config: &Config,
    aws: Option<&aws_config::SdkConfig>,
) -> Result<Arc<dyn Signer>, BoxError> {
    match (config.signing.kms_key_ids.is_empty(), aws) {
        (true, _) => {
            if config.signing.key_file.starts_with(&config.data_dir) {
                private_dir(&config.data_dir)?;
            }
            let now = crate::ports::Clock::now_ms(&SystemClock);
            Ok(Arc::new(KeyFileSigner::open_or_create(
                &config.signing.key_file,
                now,
            )?))
        }
        (false, Some(aws)) => Ok(Arc::new(KmsSigner::new(aws, &config.signing.kms_key_ids))),
        (false, None) => Err("KMS needs the AWS configuration".into()),
    }
}

/// The sealer as configured: envelope encryption under a KMS key, or the
/// local key file beside the SQLite store. DynamoDB's records outlive any
/// machine's data folder, so with it a KMS key is a must.
pub fn open_sealer(
    config: &Config,
    aws: Option<&aws_config::SdkConfig>,
) -> Result<Arc<dyn Sealer>, BoxError> {
    match (&config.signing.seal_kms_key_id, aws, config.store.kind) {
        (Some(key), Some(aws), _) => Ok(Arc::new(KmsSealer::new(aws, key))),
        (Some(_), None, _) => Err("KMS needs the AWS configuration".into()),
        (None, _, StoreKind::Dynamodb) => Err(
            "REKEY_SEAL_KEY_ID: with DynamoDB, name the KMS key that seals stored secrets".into(),
        ),
        (None, _, StoreKind::Sqlite) => {
            if config.signing.seal_key_file.starts_with(&config.data_dir) {
                private_dir(&config.data_dir)?;
            }
            Ok(Arc::new(KeyFileSealer::open_or_create(
                &config.signing.seal_key_file,
            )?))
        }
    }
}

/// The application as configured: SQLite or DynamoDB, the outbox or SES.
pub async fn build(config: &Config) -> Result<Arc<Rekey>, BoxError> {
    let aws = aws_sdk_config(config).await;
    let store = open_store(config, aws.as_ref()).await?;
    let mailer: Arc<dyn Mailer> = match (config.mail.kind, &aws) {
        (MailerKind::Ses, Some(aws)) => Arc::new(SesMailer::new(
            aws,
            &config.mail.from,
            config.mail.ses_region.clone(),
            config.mail.ses_configuration_set.clone(),
        )),
        (MailerKind::Ses, None) => return Err("SES needs the AWS configuration".into()),
        (MailerKind::Smtp, _) => {
            let url = config
                .mail
                .smtp_url
                .as_deref()
                .ok_or("REKEY_MAILER=smtp needs REKEY_SMTP_URL")?;
            let credentials = match (&config.mail.smtp_username, &config.mail.smtp_password) {
                (Some(user), Some(password)) => Some((user.clone(), password.0.clone())),
                (None, None) => None,
                _ => {
                    return Err(
                        "set both REKEY_SMTP_USERNAME and REKEY_SMTP_PASSWORD, or neither".into(),
                    )
                }
            };
            Arc::new(SmtpMailer::new(url, credentials, &config.mail.from)?)
        }
        (MailerKind::Outbox, _) => Arc::new(OutboxMailer::new(
            &config.mail.outbox_dir,
            &config.mail.from,
        )?),
    };
    let signer = open_signer(config, aws.as_ref()).await?;
    let sealer = open_sealer(config, aws.as_ref())?;
    let ports = Ports {
        store,
        mailer,
        clock: Arc::new(SystemClock),
        signer,
        sealer,
    };
    assemble(
        ports,
        config.hash,
        config.hash_threads,
        config.settings.clone(),
    )
}

/// The application over `ports`: what [`build`] makes of the configured
/// adapters, and what the tests and benchmarks make of theirs, so all of
/// them run the same wiring.
pub fn assemble(
    ports: Ports,
    hash: HashParams,
    hash_threads: usize,
    settings: Settings,
) -> Result<Arc<Rekey>, BoxError> {
    let hasher = Hasher::new(hash, hash_threads)?;
    Ok(Arc::new(Rekey::new(ports, hasher, settings)))
}

/// The router a local server answers with: the API, `/outbox` and `dist/`.
pub fn local_router(app: Arc<Rekey>, config: &Config) -> Router {
    router(
        app,
        RouterOptions {
            dist_dir: Some(config.server.dist_dir.clone()),
            // The outbox holds temporary passwords: only on this machine.
            outbox_dir: (config.mail.kind == MailerKind::Outbox
                && config.server.bind.is_loopback())
            .then(|| config.mail.outbox_dir.clone()),
            public_origin: config.server.public_origin.clone(),
            inline_deferred_work: None,
            trusted_proxies: config.server.trusted_proxies.clone(),
            metrics: true,
        },
    )
}

/// Serves `router` on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(listener: TcpListener, router: Router) -> std::io::Result<()> {
    // Connect info: the peer address for the reset-request limits.
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Writes the seeded admins' passwords to a file only its owner can read:
/// shown once to whoever started Rekey, never logged.
pub(crate) const DEMO_HEADING: &str =
    "# Rekey demo admins. Delete this file once you have signed in.";
const FIRST_ADMIN_HEADING: &str = "# Rekey's first global admin: sign in and choose a password (a must at first sign-in), then delete this file.";

/// Where the first passwords of an empty store are written.
pub(crate) fn initial_passwords_file(config: &Config) -> std::path::PathBuf {
    config.data_dir.join("initial-admin-passwords.txt")
}

pub(crate) fn write_initial_passwords(
    path: &Path,
    heading: &str,
    admins: &[SeededAdmin],
) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    writeln!(file, "{heading}")?;
    for a in admins {
        writeln!(
            file,
            "{:<10} {:<18} {:<16} {}",
            a.username,
            a.display_name,
            a.role.label(),
            a.password.expose()
        )?;
    }
    Ok(())
}

/// `rekey-function`: under Lambda when `AWS_LAMBDA_RUNTIME_API` is set,
/// otherwise a local server on the embedded defaults.
pub async fn run() -> Result<(), BoxError> {
    let mut config = Config::from_env()?;
    let on_lambda = std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some();
    crate::telemetry::init(on_lambda);

    if on_lambda {
        crate::metrics::emit_embedded_metric_format();
        let app = build(&config).await?;
        let router = router(
            app,
            RouterOptions {
                public_origin: config.server.public_origin.clone(),
                inline_deferred_work: Some(LAMBDA_REQUEST_BUDGET),
                trusted_proxies: config.server.trusted_proxies.clone(),
                ..RouterOptions::default()
            },
        );
        return lambda_http::run(router).await;
    }

    // Bound first, so links in emails name the real port (even for port 0).
    let listener = TcpListener::bind((config.server.bind, config.server.port)).await?;
    let addr = listener.local_addr()?;
    if config.server.public_origin.is_none() {
        config.settings.public_url = format!("http://{addr}/");
    }
    let app = build(&config).await?;

    let passwords_file = initial_passwords_file(&config);
    if config.seed_demo {
        if let Some(admins) = seed_demo(&app).await? {
            private_dir(&config.data_dir)?;
            write_initial_passwords(&passwords_file, DEMO_HEADING, &admins)?;
            tracing::info!("seeded the demo directory");
        }
    } else if let Some(admin) = seed_first_admin(&app, &config.admin_email).await? {
        private_dir(&config.data_dir)?;
        write_initial_passwords(&passwords_file, FIRST_ADMIN_HEADING, &[admin])?;
        tracing::info!("created the first global admin");
    }
    println!("\nRekey is running at http://{addr}/");
    if passwords_file.exists() {
        println!(
            "Sign in as `admin` (global admin) with the password in {}",
            passwords_file.display()
        );
    }
    if config.mail.kind == MailerKind::Outbox {
        println!("Emails land in the outbox: http://{addr}/outbox");
    }
    println!("Press Ctrl-C to stop.\n");
    serve(listener, local_router(app, &config)).await?;
    Ok(())
}
