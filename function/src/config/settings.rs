//! The policy's settings (`Settings`): lengths, lifetimes, lockouts,
//! throttles and the organisation's name, language and time zone.

use std::net::IpAddr;

use super::vars::{is_time_zone_name, Unit, Vars};
use super::ConfigError;
use crate::domain::Settings;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// `public_url` defaults to the local server's own address.
pub(super) fn settings(
    vars: &Vars<impl Fn(&str) -> Option<String>>,
    public_url: Option<&String>,
    bind: IpAddr,
    port: u16,
) -> Result<Settings, ConfigError> {
    let defaults = Settings::default();
    Ok(Settings {
        min_password_len: vars.number(
            "REKEY_MIN_PASSWORD_LENGTH",
            defaults.min_password_len,
            8..=64,
            Unit::Whole,
        )?,
        generated_password_len: vars.number(
            "REKEY_GENERATED_PASSWORD_LENGTH",
            defaults.generated_password_len,
            12..=128,
            Unit::Whole,
        )?,
        temp_password_ttl_ms: vars.number(
            "REKEY_TEMP_PASSWORD_TTL_SECS",
            defaults.temp_password_ttl_ms / 1000,
            1..,
            Unit::Seconds,
        )? * 1000,
        session_ttl_ms: vars.number(
            "REKEY_SESSION_TTL_SECS",
            defaults.session_ttl_ms / 1000,
            1..,
            Unit::Seconds,
        )? * 1000,
        fresh_auth_ms: vars.number(
            "REKEY_FRESH_AUTH_SECS",
            defaults.fresh_auth_ms / 1000,
            1..=86_400,
            Unit::Seconds,
        )? * 1000,
        session_idle_ms: vars.number(
            "REKEY_SESSION_IDLE_SECS",
            defaults.session_idle_ms / 1000,
            60..,
            Unit::Seconds,
        )? * 1000,
        lockout_threshold: vars.number(
            "REKEY_LOCKOUT_THRESHOLD",
            defaults.lockout_threshold,
            1..,
            Unit::Whole,
        )?,
        lockout_base_ms: vars.number(
            "REKEY_LOCKOUT_SECS",
            defaults.lockout_base_ms / 1000,
            1..,
            Unit::Seconds,
        )? * 1000,
        link_ttl_ms: vars.number(
            "REKEY_LINK_TTL_SECS",
            defaults.link_ttl_ms / 1000,
            300..=86_400,
            Unit::Seconds,
        )? * 1000,
        requests_per_address: vars.number(
            "REKEY_REQUESTS_PER_ADDRESS",
            defaults.requests_per_address,
            10..=10_000,
            Unit::Whole,
        )?,
        sign_in_throttle: crate::domain::throttle::ThrottleLimits {
            burst: vars.number(
                "REKEY_SIGN_IN_BURST",
                defaults.sign_in_throttle.burst,
                5..=100_000,
                Unit::Whole,
            )?,
            refill_ms: 1000
                / vars.number(
                    "REKEY_SIGN_IN_PER_SECOND",
                    1000 / defaults.sign_in_throttle.refill_ms,
                    1..=1000,
                    Unit::Whole,
                )?,
        },
        // A throttled client that waits for its answer waits a second,
        // so a back-to-back flood sends a request a second per
        // connection. Not on Lambda, where a wait is billed and API
        // Gateway's own throttling stands in front.
        throttled_answer_delay_ms: vars.number(
            "REKEY_THROTTLED_ANSWER_DELAY_MS",
            match vars.get("AWS_LAMBDA_RUNTIME_API") {
                Some(_) => 0,
                None => defaults.throttled_answer_delay_ms,
            },
            ..=10_000,
            Unit::Millis,
        )?,
        // On Lambda an import must finish inside one 29 s call: about
        // 1,900 argon2 hashes on its one vCPU, so 1,500 with room.
        max_import_rows: vars.number(
            "REKEY_MAX_IMPORT_ROWS",
            match vars.get("AWS_LAMBDA_RUNTIME_API") {
                Some(_) => 1_500,
                None => defaults.max_import_rows,
            },
            1..=rekey_shared::csv::MAX_IMPORT_ROWS,
            Unit::Whole,
        )?,
        max_pending_verifies: vars.number(
            "REKEY_MAX_PENDING_VERIFIES",
            defaults.max_pending_verifies,
            1..=10_000,
            Unit::Whole,
        )?,
        mfa_policy: match vars.get("REKEY_MFA") {
            None => defaults.mfa_policy,
            Some(raw) => {
                crate::domain::mfa_policy::MfaPolicy::parse(raw.trim()).ok_or_else(|| {
                    ConfigError {
                        var: "REKEY_MFA",
                        problem: format!("{raw:?} is not admins, everyone or optional"),
                    }
                })?
            }
        },
        mfa_grace_ms: vars.number(
            "REKEY_MFA_GRACE_DAYS",
            defaults.mfa_grace_ms / DAY_MS,
            0..=30,
            Unit::Whole,
        )? * DAY_MS,
        public_url: public_url
            .cloned()
            .unwrap_or_else(|| format!("http://{bind}:{port}/")),
        organization: vars
            .get("REKEY_ORGANIZATION")
            .unwrap_or(defaults.organization),
        time_zone: match vars.get("REKEY_TIME_ZONE") {
            None => defaults.time_zone,
            Some(raw) if is_time_zone_name(raw.trim()) => raw.trim().to_string(),
            Some(raw) => {
                return Err(ConfigError {
                    var: "REKEY_TIME_ZONE",
                    problem: format!("{raw:?} is not a time zone name such as Europe/Amsterdam"),
                })
            }
        },
        default_language: match vars.get("REKEY_DEFAULT_LANGUAGE") {
            None => defaults.default_language,
            Some(raw) => rekey_shared::Lang::parse(raw.trim()).ok_or_else(|| ConfigError {
                var: "REKEY_DEFAULT_LANGUAGE",
                problem: format!("{raw:?} is not en or nl"),
            })?,
        },
    })
}
