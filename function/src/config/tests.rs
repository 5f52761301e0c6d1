//! The configuration's defaults and refusals.

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
    assert_eq!(c.server.port, 8080);
    assert_eq!(c.server.bind.to_string(), "127.0.0.1");
    assert_eq!(c.store.db_path, PathBuf::from("rekey-data/rekey.db"));
    assert_eq!(c.hash, HashParams::default());
    assert_eq!(c.server.public_origin, None);
    assert_eq!(c.settings.public_url, "http://127.0.0.1:8080/");
    assert_eq!(c.mail.kind, MailerKind::Outbox);
    assert_eq!(
        with(&[("REKEY_MAILER", "ses")]).unwrap().mail.kind,
        MailerKind::Ses
    );
    assert!(with(&[("REKEY_MAILER", "pigeon")]).is_err());
    // An SMTP server given is the mailer, credentials apart.
    let smtp = with(&[("REKEY_SMTP_URL", "smtp://127.0.0.1:2525?tls=required")]).unwrap();
    assert_eq!(smtp.mail.kind, MailerKind::Smtp);
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
    assert_eq!(c.store.kind, StoreKind::Sqlite);
    let d = with(&[("REKEY_STORE", "dynamodb"), ("REKEY_DYNAMODB_TABLE", "t")]).unwrap();
    assert_eq!(
        (d.store.kind, d.store.dynamodb_table.as_str()),
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
        c.server.public_origin.as_deref(),
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

#[test]
fn the_mfa_policy_defaults_to_admins_with_two_weeks_to_register() {
    use crate::domain::mfa_policy::MfaPolicy;
    let c = with(&[]).unwrap();
    assert_eq!(c.settings.mfa_policy, MfaPolicy::Admins);
    assert_eq!(c.settings.mfa_grace_ms, 14 * 24 * 3600 * 1000);
    let everyone = with(&[("REKEY_MFA", "everyone"), ("REKEY_MFA_GRACE_DAYS", "0")]).unwrap();
    assert_eq!(everyone.settings.mfa_policy, MfaPolicy::Everyone);
    assert_eq!(everyone.settings.mfa_grace_ms, 0);
    assert!(with(&[("REKEY_MFA", "always")]).is_err());
    assert!(with(&[("REKEY_MFA_GRACE_DAYS", "31")]).is_err());
}
