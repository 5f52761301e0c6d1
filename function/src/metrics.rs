//! What an operator counts: sign-ins, resets, emails, SCIM requests and
//! token exchanges. Kept in process counters, served locally as
//! Prometheus text at `/metrics`, and on Lambda written as CloudWatch
//! Embedded Metric Format lines (a Lambda instance lives too briefly to be
//! scraped, and CloudWatch turns those lines into metrics and alarms).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use async_trait::async_trait;

use crate::ports::{MailError, Mailer, OutgoingEmail};

/// Every counter: its Prometheus name, the label it carries, and the
/// label's value (the CloudWatch metric is the name, the label a dimension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    SignInOk,
    SignInFailed,
    SignInLocked,
    /// Blocked, expired, throttled or turned away while busy.
    SignInRefused,
    PasswordReset,
    EmailSent,
    EmailFailed,
    ScimRequest,
    ScimError,
    TokenIssued,
    TokenRefused,
}

impl Metric {
    const ALL: [Metric; 11] = [
        Metric::SignInOk,
        Metric::SignInFailed,
        Metric::SignInLocked,
        Metric::SignInRefused,
        Metric::PasswordReset,
        Metric::EmailSent,
        Metric::EmailFailed,
        Metric::ScimRequest,
        Metric::ScimError,
        Metric::TokenIssued,
        Metric::TokenRefused,
    ];

    fn parts(
        self,
    ) -> (
        &'static str,
        &'static str,
        Option<(&'static str, &'static str)>,
    ) {
        use Metric::*;
        let (name, help) = match self {
            SignInOk | SignInFailed | SignInLocked | SignInRefused => {
                ("rekey_sign_ins_total", "Sign-in attempts by result.")
            }
            PasswordReset => ("rekey_password_resets_total", "Passwords reset by admins."),
            EmailSent | EmailFailed => (
                "rekey_emails_total",
                "Emails handed to the mail service, by result.",
            ),
            ScimRequest => ("rekey_scim_requests_total", "SCIM requests answered."),
            ScimError => (
                "rekey_scim_errors_total",
                "SCIM requests answered with an error.",
            ),
            TokenIssued | TokenRefused => (
                "rekey_token_exchanges_total",
                "OAuth token requests, by result.",
            ),
        };
        let label = match self {
            SignInOk => Some(("result", "ok")),
            SignInFailed => Some(("result", "failed")),
            SignInLocked => Some(("result", "locked")),
            SignInRefused => Some(("result", "refused")),
            EmailSent => Some(("result", "sent")),
            EmailFailed => Some(("result", "failed")),
            TokenIssued => Some(("result", "issued")),
            TokenRefused => Some(("result", "refused")),
            _ => None,
        };
        (name, help, label)
    }
}

static COUNTS: [AtomicU64; 11] = [const { AtomicU64::new(0) }; 11];
static EMF: AtomicBool = AtomicBool::new(false);

/// Under Lambda: also write each count as an Embedded Metric Format line.
pub fn emit_embedded_metric_format() {
    EMF.store(true, Ordering::Relaxed);
}

pub fn count(metric: Metric) {
    count_n(metric, 1);
}

pub fn count_n(metric: Metric, n: u64) {
    if n == 0 {
        return;
    }
    let i = Metric::ALL
        .iter()
        .position(|m| *m == metric)
        .expect("listed");
    COUNTS[i].fetch_add(n, Ordering::Relaxed);
    if EMF.load(Ordering::Relaxed) {
        println!("{}", embedded_metric_format(metric, n, now_ms()));
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// One CloudWatch EMF record (namespace `Rekey`) for `n` of `metric`.
pub fn embedded_metric_format(metric: Metric, n: u64, at_ms: i64) -> String {
    let (name, _, label) = metric.parts();
    let name = name.trim_start_matches("rekey_").trim_end_matches("_total");
    let mut record = serde_json::json!({
        "_aws": {
            "Timestamp": at_ms,
            "CloudWatchMetrics": [{
                "Namespace": "Rekey",
                "Dimensions": [label.map(|(k, _)| vec![k]).unwrap_or_default()],
                "Metrics": [{"Name": name, "Unit": "Count"}],
            }],
        },
    });
    record[name] = n.into();
    if let Some((k, v)) = label {
        record[k] = v.into();
    }
    record.to_string()
}

/// Every counter in Prometheus's text exposition format.
pub fn prometheus() -> String {
    let mut out = String::new();
    let mut described = Vec::new();
    for (i, metric) in Metric::ALL.iter().enumerate() {
        let (name, help, label) = metric.parts();
        if !described.contains(&name) {
            described.push(name);
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
        }
        let value = COUNTS[i].load(Ordering::Relaxed);
        match label {
            Some((k, v)) => {
                let _ = writeln!(out, "{name}{{{k}=\"{v}\"}} {value}");
            }
            None => {
                let _ = writeln!(out, "{name} {value}");
            }
        }
    }
    out
}

/// A mailer that counts what its inner mailer sent and failed to send.
pub struct CountedMailer(pub Arc<dyn Mailer>);

#[async_trait]
impl Mailer for CountedMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        let result = self.0.send(email).await;
        count(if result.is_ok() {
            Metric::EmailSent
        } else {
            Metric::EmailFailed
        });
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_is_in_the_prometheus_text_with_its_help_once() {
        let text = prometheus();
        for metric in Metric::ALL {
            let (name, _, label) = metric.parts();
            let line = match label {
                Some((k, v)) => format!("{name}{{{k}=\"{v}\"}} "),
                None => format!("{name} "),
            };
            assert!(text.contains(&line), "{line} missing:\n{text}");
            assert_eq!(text.matches(&format!("# TYPE {name} counter")).count(), 1);
        }
    }

    #[test]
    fn an_embedded_metric_format_line_names_the_metric_its_dimension_and_count() {
        let line = embedded_metric_format(Metric::EmailFailed, 2, 1_800_000_000_000);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let cw = &v["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(cw["Namespace"], "Rekey");
        assert_eq!(cw["Metrics"][0]["Name"], "emails");
        assert_eq!(cw["Dimensions"][0][0], "result");
        assert_eq!(
            (v["emails"].as_u64(), v["result"].as_str()),
            (Some(2), Some("failed"))
        );
        assert_eq!(v["_aws"]["Timestamp"], 1_800_000_000_000i64);
    }
}
