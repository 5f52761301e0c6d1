//! Configuration from `REKEY_*` environment variables. Everything has an
//! embedded default, so the local run needs no cloud and no set-up.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::domain::hashing::HashParams;
use crate::domain::Settings;

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

#[derive(Debug, Clone)]
pub struct Config {
    pub store: StoreKind,
    /// The DynamoDB table's name.
    pub dynamodb_table: String,
    pub mailer: MailerKind,
    /// SES region (else `AWS_REGION`) and configuration set.
    pub ses_region: Option<String>,
    pub ses_configuration_set: Option<String>,
    /// The SMTP server, and the credentials for it (never in the URL).
    pub smtp_url: Option<String>,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<Redacted>,
    pub bind: IpAddr,
    pub port: u16,
    pub db_path: PathBuf,
    pub data_dir: PathBuf,
    pub outbox_dir: PathBuf,
    pub dist_dir: PathBuf,
    pub mail_from: String,
    /// When set, the only Origin accepted on mutating requests; otherwise
    /// the Origin must match the request's Host.
    pub public_origin: Option<String>,
    pub seed_demo: bool,
    /// The first global admin's address, made when the store is empty.
    pub admin_email: String,
    /// AWS KMS keys that sign ID tokens (an ECC_NIST_P256 key, optionally
    /// an RSA one); empty means the key file in the data folder.
    pub kms_key_ids: Vec<String>,
    /// The local signing keys (0600), made on first run.
    pub signing_key_file: PathBuf,
    pub hash: HashParams,
    /// Hashing threads; 0 means one per core.
    pub hash_threads: usize,
    pub settings: Settings,
    /// Proxies in front of the local server whose `X-Forwarded-For`
    /// entries are believed (none by default).
    pub trusted_proxies: crate::api::client_addr::TrustedProxies,
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

fn parse<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
    valid: impl Fn(&T) -> bool,
    expect: &str,
) -> Result<T, ConfigError> {
    match get(var) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse::<T>()
            .ok()
            .filter(valid)
            .ok_or_else(|| ConfigError {
                var,
                problem: format!("{raw:?} is not {expect}"),
            }),
    }
}

/// An IANA time zone name's shape (`UTC`, `Europe/Amsterdam`,
/// `America/Argentina/Buenos_Aires`, `Etc/GMT+1`). The browser, which has
/// the time zone database, is the judge of whether it exists.
fn is_time_zone_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
}

/// An `smtp://` or `smtps://` URL with a host and no credentials in it
/// (they would show wherever the URL does).
fn check_smtp_url(raw: &str) -> Result<String, ConfigError> {
    let problem = |problem: &str| ConfigError {
        var: "REKEY_SMTP_URL",
        problem: problem.into(),
    };
    let url = url::Url::parse(raw.trim())
        .map_err(|_| problem("not a URL such as smtps://mail.contoso.com"))?;
    if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none() {
        return Err(problem(
            "use smtps://host[:port] (TLS) or smtp://host[:port][?tls=required] (STARTTLS)",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem(
            "put the credentials in REKEY_SMTP_USERNAME and REKEY_SMTP_PASSWORD, not in the URL",
        ));
    }
    Ok(url.to_string())
}

/// The domain of the sender address (`Rekey <no-reply@contoso.com>`).
fn mail_domain(mail_from: Option<&str>) -> String {
    mail_from
        .and_then(|from| from.rsplit_once('@'))
        .map(|(_, domain)| domain.trim_end_matches('>').trim().to_ascii_lowercase())
        .filter(|d| rekey_shared::validate::check_email(&format!("admin@{d}")).is_ok())
        .unwrap_or_else(|| "rekey.example".into())
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

    /// Reads configuration through `get` (tests pass a map).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let port = match get("REKEY_PORT") {
            Some(_) => parse(&get, "REKEY_PORT", 8080u16, |_| true, "a port number")?,
            None => parse(&get, "PORT", 8080u16, |_| true, "a port number")?,
        };
        let bind = parse(
            &get,
            "REKEY_BIND",
            IpAddr::from([127, 0, 0, 1]),
            |_| true,
            "an IP address",
        )?;
        let data_dir = PathBuf::from(get("REKEY_DATA_DIR").unwrap_or_else(|| "rekey-data".into()));
        let public_url = get("REKEY_PUBLIC_URL");
        let public_origin = match &public_url {
            Some(url) => Some(origin_of(url).ok_or_else(|| ConfigError {
                var: "REKEY_PUBLIC_URL",
                problem: format!("{url:?} is not an http(s) URL"),
            })?),
            None => None,
        };
        let defaults = Settings::default();
        let settings = Settings {
            min_password_len: parse(
                &get,
                "REKEY_MIN_PASSWORD_LENGTH",
                defaults.min_password_len,
                |n| (8..=64).contains(n),
                "a whole number from 8 to 64",
            )?,
            generated_password_len: parse(
                &get,
                "REKEY_GENERATED_PASSWORD_LENGTH",
                defaults.generated_password_len,
                |n| (12..=128).contains(n),
                "a whole number from 12 to 128",
            )?,
            temp_password_ttl_ms: parse(
                &get,
                "REKEY_TEMP_PASSWORD_TTL_SECS",
                defaults.temp_password_ttl_ms / 1000,
                |n| *n > 0,
                "a positive number of seconds",
            )? * 1000,
            session_ttl_ms: parse(
                &get,
                "REKEY_SESSION_TTL_SECS",
                defaults.session_ttl_ms / 1000,
                |n| *n > 0,
                "a positive number of seconds",
            )? * 1000,
            fresh_auth_ms: parse(
                &get,
                "REKEY_FRESH_AUTH_SECS",
                defaults.fresh_auth_ms / 1000,
                |n| (1..=86_400).contains(n),
                "a number of seconds from 1 to 86400",
            )? * 1000,
            session_idle_ms: parse(
                &get,
                "REKEY_SESSION_IDLE_SECS",
                defaults.session_idle_ms / 1000,
                |n| *n >= 60,
                "a number of seconds, at least 60",
            )? * 1000,
            lockout_threshold: parse(
                &get,
                "REKEY_LOCKOUT_THRESHOLD",
                defaults.lockout_threshold,
                |n| *n > 0,
                "a positive whole number",
            )?,
            lockout_base_ms: parse(
                &get,
                "REKEY_LOCKOUT_SECS",
                defaults.lockout_base_ms / 1000,
                |n| *n > 0,
                "a positive number of seconds",
            )? * 1000,
            link_ttl_ms: parse(
                &get,
                "REKEY_LINK_TTL_SECS",
                defaults.link_ttl_ms / 1000,
                |n| (300..=86_400).contains(n),
                "a number of seconds from 300 to 86400",
            )? * 1000,
            requests_per_address: parse(
                &get,
                "REKEY_REQUESTS_PER_ADDRESS",
                defaults.requests_per_address,
                |n| (10..=10_000).contains(n),
                "a whole number from 10 to 10000",
            )?,
            sign_in_throttle: crate::domain::throttle::ThrottleLimits {
                burst: parse(
                    &get,
                    "REKEY_SIGN_IN_BURST",
                    defaults.sign_in_throttle.burst,
                    |n| (5..=100_000).contains(n),
                    "a whole number from 5 to 100000",
                )?,
                refill_ms: 1000
                    / parse(
                        &get,
                        "REKEY_SIGN_IN_PER_SECOND",
                        1000 / defaults.sign_in_throttle.refill_ms,
                        |n| (1..=1000).contains(n),
                        "a whole number from 1 to 1000",
                    )?,
            },
            // A throttled client that waits for its answer waits a second,
            // so a back-to-back flood sends a request a second per
            // connection. Not on Lambda, where a wait is billed and API
            // Gateway's own throttling stands in front.
            throttled_answer_delay_ms: parse(
                &get,
                "REKEY_THROTTLED_ANSWER_DELAY_MS",
                match get("AWS_LAMBDA_RUNTIME_API") {
                    Some(_) => 0,
                    None => defaults.throttled_answer_delay_ms,
                },
                |n| *n <= 10_000,
                "a number of milliseconds up to 10000",
            )?,
            // On Lambda an import must finish inside one 29 s call: about
            // 1,900 argon2 hashes on its one vCPU, so 1,500 with room.
            max_import_rows: parse(
                &get,
                "REKEY_MAX_IMPORT_ROWS",
                match get("AWS_LAMBDA_RUNTIME_API") {
                    Some(_) => 1_500,
                    None => defaults.max_import_rows,
                },
                |n| (1..=rekey_shared::csv::MAX_IMPORT_ROWS).contains(n),
                "a whole number from 1 to 10000",
            )?,
            max_pending_verifies: parse(
                &get,
                "REKEY_MAX_PENDING_VERIFIES",
                defaults.max_pending_verifies,
                |n| (1..=10_000).contains(n),
                "a whole number from 1 to 10000",
            )?,
            public_url: public_url
                .clone()
                .unwrap_or_else(|| format!("http://{bind}:{port}/")),
            organization: get("REKEY_ORGANIZATION").unwrap_or(defaults.organization),
            time_zone: match get("REKEY_TIME_ZONE") {
                None => defaults.time_zone,
                Some(raw) if is_time_zone_name(raw.trim()) => raw.trim().to_string(),
                Some(raw) => {
                    return Err(ConfigError {
                        var: "REKEY_TIME_ZONE",
                        problem: format!(
                            "{raw:?} is not a time zone name such as Europe/Amsterdam"
                        ),
                    })
                }
            },
            default_language: match get("REKEY_DEFAULT_LANGUAGE") {
                None => defaults.default_language,
                Some(raw) => rekey_shared::Lang::parse(raw.trim()).ok_or_else(|| ConfigError {
                    var: "REKEY_DEFAULT_LANGUAGE",
                    problem: format!("{raw:?} is not en or nl"),
                })?,
            },
        };
        let d = HashParams::default();
        Ok(Self {
            store: parse(
                &get,
                "REKEY_STORE",
                StoreKind::Sqlite,
                |_| true,
                "sqlite or dynamodb",
            )?,
            dynamodb_table: get("REKEY_DYNAMODB_TABLE").unwrap_or_else(|| "rekey".into()),
            trusted_proxies: crate::api::client_addr::TrustedProxies::parse(
                &get("REKEY_TRUSTED_PROXIES").unwrap_or_default(),
            )
            .map_err(|problem| ConfigError {
                var: "REKEY_TRUSTED_PROXIES",
                problem,
            })?,
            mailer: parse(
                &get,
                "REKEY_MAILER",
                // An SMTP server given is the mailer unless another is named.
                match get("REKEY_SMTP_URL") {
                    Some(_) => MailerKind::Smtp,
                    None => MailerKind::Outbox,
                },
                |_| true,
                "outbox, ses or smtp",
            )?,
            smtp_url: match get("REKEY_SMTP_URL") {
                Some(url) => Some(check_smtp_url(&url)?),
                None => None,
            },
            smtp_username: get("REKEY_SMTP_USERNAME"),
            smtp_password: get("REKEY_SMTP_PASSWORD").map(Redacted),
            ses_region: get("REKEY_SES_REGION"),
            ses_configuration_set: get("REKEY_SES_CONFIGURATION_SET"),
            bind,
            port,
            db_path: get("REKEY_DB_PATH")
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("rekey.db")),
            outbox_dir: get("REKEY_OUTBOX_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("outbox")),
            dist_dir: PathBuf::from(get("REKEY_DIST_DIR").unwrap_or_else(|| "dist".into())),
            admin_email: match get("REKEY_ADMIN_EMAIL") {
                Some(email) => {
                    let email = email.trim().to_string();
                    rekey_shared::validate::check_email(&email).map_err(|p| ConfigError {
                        var: "REKEY_ADMIN_EMAIL",
                        problem: p.message().into(),
                    })?;
                    email
                }
                None => format!("admin@{}", mail_domain(get("REKEY_MAIL_FROM").as_deref())),
            },
            mail_from: get("REKEY_MAIL_FROM")
                .unwrap_or_else(|| "Rekey <no-reply@rekey.example>".into()),
            public_origin,
            // Demo data only when asked (scripts/run.sh asks).
            seed_demo: parse(&get, "REKEY_SEED_DEMO", false, |_| true, "true or false")?,
            kms_key_ids: get("REKEY_KMS_KEY_IDS")
                .map(|ids| {
                    ids.split(',')
                        .map(str::trim)
                        .filter(|id| !id.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default(),
            signing_key_file: get("REKEY_SIGNING_KEY_FILE")
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("signing-keys.json")),
            hash: HashParams {
                memory_kib: parse(
                    &get,
                    "REKEY_ARGON2_MEMORY_KIB",
                    d.memory_kib,
                    |n| *n >= 8,
                    "a number of KiB (at least 8)",
                )?,
                iterations: parse(
                    &get,
                    "REKEY_ARGON2_ITERATIONS",
                    d.iterations,
                    |n| *n >= 1,
                    "a positive whole number",
                )?,
                parallelism: parse(
                    &get,
                    "REKEY_ARGON2_PARALLELISM",
                    d.parallelism,
                    |n| *n >= 1,
                    "a positive whole number",
                )?,
            },
            hash_threads: parse(
                &get,
                "REKEY_HASH_THREADS",
                0usize,
                |_| true,
                "a whole number",
            )?,
            data_dir,
            settings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(move |k| map.get(k).cloned())
    }

    #[test]
    fn nothing_set_gives_the_embedded_defaults() {
        let c = with(&[]).unwrap();
        assert_eq!(c.port, 8080);
        assert_eq!(c.bind.to_string(), "127.0.0.1");
        assert_eq!(c.db_path, PathBuf::from("rekey-data/rekey.db"));
        assert_eq!(c.hash, HashParams::default());
        assert_eq!(c.public_origin, None);
        assert_eq!(c.settings.public_url, "http://127.0.0.1:8080/");
        assert_eq!(c.mailer, MailerKind::Outbox);
        assert_eq!(
            with(&[("REKEY_MAILER", "ses")]).unwrap().mailer,
            MailerKind::Ses
        );
        assert!(with(&[("REKEY_MAILER", "pigeon")]).is_err());
        // An SMTP server given is the mailer, credentials apart.
        let smtp = with(&[("REKEY_SMTP_URL", "smtp://127.0.0.1:2525?tls=required")]).unwrap();
        assert_eq!(smtp.mailer, MailerKind::Smtp);
        assert!(with(&[("REKEY_SMTP_URL", "smtps://u:p@mail.example")]).is_err());
        assert!(with(&[("REKEY_SMTP_URL", "https://mail.example")]).is_err());
        // Demo data only when asked.
        assert!(!c.seed_demo);
        assert_eq!(c.admin_email, "admin@rekey.example");
        let lambda = with(&[("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")]).unwrap();
        assert_eq!(lambda.settings.max_import_rows, 1_500);
        assert_eq!(lambda.settings.throttled_answer_delay_ms, 0);
        assert_eq!(c.settings.throttled_answer_delay_ms, 1_000);
        assert_eq!(c.settings.max_import_rows, 10_000);
        assert_eq!(c.store, StoreKind::Sqlite);
        let d = with(&[("REKEY_STORE", "dynamodb"), ("REKEY_DYNAMODB_TABLE", "t")]).unwrap();
        assert_eq!(
            (d.store, d.dynamodb_table.as_str()),
            (StoreKind::Dynamodb, "t")
        );
        assert!(with(&[("REKEY_STORE", "postgres")]).is_err());
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        let e = with(&[("REKEY_MIN_PASSWORD_LENGTH", "4")]).unwrap_err();
        assert_eq!(e.var, "REKEY_MIN_PASSWORD_LENGTH");
        assert!(with(&[("REKEY_PUBLIC_URL", "ftp://x")]).is_err());
    }

    #[test]
    fn the_public_url_sets_the_allowed_origin() {
        let c = with(&[("REKEY_PUBLIC_URL", "https://Rekey.Example.com/admin")]).unwrap();
        assert_eq!(
            c.public_origin.as_deref(),
            Some("https://rekey.example.com")
        );
    }

    #[test]
    fn the_organisations_language_and_time_zone_are_checked() {
        let d = with(&[]).unwrap();
        assert_eq!(d.settings.default_language, rekey_shared::Lang::En);
        assert_eq!(d.settings.time_zone, "UTC");
        let nl = with(&[
            ("REKEY_DEFAULT_LANGUAGE", "nl"),
            ("REKEY_TIME_ZONE", "Europe/Amsterdam"),
        ])
        .unwrap();
        assert_eq!(nl.settings.default_language, rekey_shared::Lang::Nl);
        assert_eq!(nl.settings.time_zone, "Europe/Amsterdam");
        for zone in ["America/Argentina/Buenos_Aires", "Etc/GMT+1", "UTC"] {
            assert!(with(&[("REKEY_TIME_ZONE", zone)]).is_ok(), "{zone}");
        }
        assert_eq!(
            with(&[("REKEY_DEFAULT_LANGUAGE", "fr")]).unwrap_err().var,
            "REKEY_DEFAULT_LANGUAGE"
        );
        for zone in ["", "Europe/../etc", "Europe//Paris", "<script>"] {
            assert_eq!(
                with(&[("REKEY_TIME_ZONE", zone)]).unwrap_err().var,
                "REKEY_TIME_ZONE",
                "{zone:?}"
            );
        }
    }
}
