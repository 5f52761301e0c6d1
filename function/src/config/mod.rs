//! Configuration from `REKEY_*` environment variables, in sections: the
//! server, the store, mail and ID-token signing, then the policy's
//! settings. Everything has an embedded default, so the local run needs no
//! cloud and no set-up.

mod settings;
mod vars;

use std::net::IpAddr;
use std::path::PathBuf;

use crate::domain::hashing::HashParams;
use crate::domain::Settings;
use vars::{check_smtp_url, mail_domain, Unit, Vars};

/// Where email goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailerKind {
    /// `.eml` files in a folder, shown at `/outbox` (the local default).
    Outbox,
    /// Amazon SES v2.
    Ses,
    /// An SMTP server (`REKEY_SMTP_URL`).
    Smtp,
}

impl std::str::FromStr for MailerKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "outbox" => Ok(MailerKind::Outbox),
            "ses" => Ok(MailerKind::Ses),
            "smtp" => Ok(MailerKind::Smtp),
            _ => Err(()),
        }
    }
}

/// Where users, sessions and the audit log live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// One SQLite file (the local default).
    Sqlite,
    /// One DynamoDB table (deployed).
    Dynamodb,
}

impl std::str::FromStr for StoreKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "sqlite" => Ok(StoreKind::Sqlite),
            "dynamodb" => Ok(StoreKind::Dynamodb),
            _ => Err(()),
        }
    }
}

/// The local server (deployed, only `public_origin` matters).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub bind: IpAddr,
    pub port: u16,
    /// The built apps (`dist/`).
    pub dist_dir: PathBuf,
    /// When set, the only Origin accepted on mutating requests; otherwise
    /// the Origin must match the request's Host.
    pub public_origin: Option<String>,
    /// Proxies in front of the local server whose `X-Forwarded-For`
    /// entries are believed (none by default).
    pub trusted_proxies: crate::api::client_addr::TrustedProxies,
}

/// Where users, sessions and the audit log live.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub kind: StoreKind,
    /// The SQLite file.
    pub db_path: PathBuf,
    /// The DynamoDB table's name.
    pub dynamodb_table: String,
}

/// Where email goes, and from whom.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub kind: MailerKind,
    pub from: String,
    pub outbox_dir: PathBuf,
    /// SES region (else `AWS_REGION`) and configuration set.
    pub ses_region: Option<String>,
    pub ses_configuration_set: Option<String>,
    /// The SMTP server, and the credentials for it (never in the URL).
    pub smtp_url: Option<String>,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<Redacted>,
}

/// The keys: what signs ID tokens, and what seals the secrets Rekey reads
/// back (TOTP seeds).
#[derive(Debug, Clone)]
pub struct SigningConfig {
    /// AWS KMS keys (an ECC_NIST_P256 key, optionally an RSA one); empty
    /// means the key file.
    pub kms_key_ids: Vec<String>,
    /// The local signing keys (0600), made on first run.
    pub key_file: PathBuf,
    /// A KMS symmetric key that wraps the sealing keys; required with
    /// DynamoDB, whose records outlive any machine's data folder.
    pub seal_kms_key_id: Option<String>,
    /// Otherwise the local sealing key (0600), made on first run.
    pub seal_key_file: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub server: ServerConfig,
    pub store: StoreConfig,
    pub mail: MailConfig,
    pub signing: SigningConfig,
    /// Where the local store, outbox and key file go unless named apart.
    pub data_dir: PathBuf,
    pub seed_demo: bool,
    /// The first global admin's address, made when the store is empty.
    pub admin_email: String,
    pub hash: HashParams,
    /// Hashing threads; 0 means one per core.
    pub hash_threads: usize,
    pub settings: Settings,
}

/// A setting that is a secret: kept, never printed.
#[derive(Clone)]
pub struct Redacted(pub String);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{var}: {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

/// Every `REKEY_*` name the configuration reads: what `check-config` holds
/// the environment to.
pub fn known_names() -> std::collections::BTreeSet<String> {
    let names = std::cell::RefCell::new(std::collections::BTreeSet::new());
    let _ = Config::from_vars(|k| {
        names.borrow_mut().insert(k.to_string());
        None
    });
    names.into_inner()
}

/// `scheme://host[:port]` of a URL, for comparing with an Origin header.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty() && matches!(scheme, "http" | "https"))
        .then(|| format!("{scheme}://{}", host.to_ascii_lowercase()))
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    /// Reads configuration through `get` (tests pass a map). Every name is
    /// asked for even when unset (`known_names` relies on it).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let vars = Vars(get);
        let data_dir = PathBuf::from(
            vars.get("REKEY_DATA_DIR")
                .unwrap_or_else(|| "rekey-data".into()),
        );
        let server = server(&vars)?;
        let public_url = vars.get("REKEY_PUBLIC_URL");
        let settings = settings::settings(&vars, public_url.as_ref(), server.bind, server.port)?;
        let d = HashParams::default();
        Ok(Self {
            store: StoreConfig {
                kind: vars.choice("REKEY_STORE", StoreKind::Sqlite, "sqlite or dynamodb")?,
                db_path: vars
                    .get("REKEY_DB_PATH")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| data_dir.join("rekey.db")),
                dynamodb_table: vars
                    .get("REKEY_DYNAMODB_TABLE")
                    .unwrap_or_else(|| "rekey".into()),
            },
            mail: mail(&vars, &data_dir)?,
            signing: SigningConfig {
                kms_key_ids: vars
                    .get("REKEY_KMS_KEY_IDS")
                    .map(|ids| {
                        ids.split(',')
                            .map(str::trim)
                            .filter(|id| !id.is_empty())
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default(),
                key_file: vars
                    .get("REKEY_SIGNING_KEY_FILE")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| data_dir.join("signing-keys.json")),
                seal_kms_key_id: vars.get("REKEY_SEAL_KEY_ID"),
                seal_key_file: vars
                    .get("REKEY_SEAL_KEY_FILE")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| data_dir.join("seal-key")),
            },
            admin_email: match vars.get("REKEY_ADMIN_EMAIL") {
                Some(email) => {
                    let email = email.trim().to_string();
                    rekey_shared::validate::check_email(&email).map_err(|p| ConfigError {
                        var: "REKEY_ADMIN_EMAIL",
                        problem: p.message().into(),
                    })?;
                    email
                }
                None => format!(
                    "admin@{}",
                    mail_domain(vars.get("REKEY_MAIL_FROM").as_deref())
                ),
            },
            // Demo data only when asked (scripts/run.sh asks).
            seed_demo: vars.choice("REKEY_SEED_DEMO", false, "true or false")?,
            hash: HashParams {
                memory_kib: vars.number("REKEY_ARGON2_MEMORY_KIB", d.memory_kib, 8.., Unit::Kib)?,
                iterations: vars.number(
                    "REKEY_ARGON2_ITERATIONS",
                    d.iterations,
                    1..,
                    Unit::Whole,
                )?,
                parallelism: vars.number(
                    "REKEY_ARGON2_PARALLELISM",
                    d.parallelism,
                    1..,
                    Unit::Whole,
                )?,
            },
            hash_threads: vars.number("REKEY_HASH_THREADS", 0usize, .., Unit::Whole)?,
            server,
            data_dir,
            settings,
        })
    }
}

fn server(vars: &Vars<impl Fn(&str) -> Option<String>>) -> Result<ServerConfig, ConfigError> {
    let port = match vars.get("REKEY_PORT") {
        Some(_) => vars.choice("REKEY_PORT", 8080u16, "a port number")?,
        None => vars.choice("PORT", 8080u16, "a port number")?,
    };
    let public_origin = match vars.get("REKEY_PUBLIC_URL") {
        Some(url) => Some(origin_of(&url).ok_or_else(|| ConfigError {
            var: "REKEY_PUBLIC_URL",
            problem: format!("{url:?} is not an http(s) URL"),
        })?),
        None => None,
    };
    Ok(ServerConfig {
        bind: vars.choice("REKEY_BIND", IpAddr::from([127, 0, 0, 1]), "an IP address")?,
        port,
        dist_dir: PathBuf::from(vars.get("REKEY_DIST_DIR").unwrap_or_else(|| "dist".into())),
        public_origin,
        trusted_proxies: crate::api::client_addr::TrustedProxies::parse(
            &vars.get("REKEY_TRUSTED_PROXIES").unwrap_or_default(),
        )
        .map_err(|problem| ConfigError {
            var: "REKEY_TRUSTED_PROXIES",
            problem,
        })?,
    })
}

fn mail(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
    data_dir: &std::path::Path,
) -> Result<MailConfig, ConfigError> {
    Ok(MailConfig {
        kind: vars.choice(
            "REKEY_MAILER",
            // An SMTP server given is the mailer unless another is named.
            match vars.get("REKEY_SMTP_URL") {
                Some(_) => MailerKind::Smtp,
                None => MailerKind::Outbox,
            },
            "outbox, ses or smtp",
        )?,
        from: vars
            .get("REKEY_MAIL_FROM")
            .unwrap_or_else(|| "Rekey <no-reply@rekey.example>".into()),
        outbox_dir: vars
            .get("REKEY_OUTBOX_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("outbox")),
        ses_region: vars.get("REKEY_SES_REGION"),
        ses_configuration_set: vars.get("REKEY_SES_CONFIGURATION_SET"),
        smtp_url: match vars.get("REKEY_SMTP_URL") {
            Some(url) => Some(check_smtp_url(&url)?),
            None => None,
        },
        smtp_username: vars.get("REKEY_SMTP_USERNAME"),
        smtp_password: vars.get("REKEY_SMTP_PASSWORD").map(Redacted),
    })
}

#[cfg(test)]
mod tests;
