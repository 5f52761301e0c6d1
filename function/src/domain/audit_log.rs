//! Reading the audit log: newest first, filtered by the user acted on, the
//! actor, the action and a time window, as a page or as a whole export.

use super::{model::UserRecord, store_failure, Rekey};
use rekey_shared::{csv::row, ApiError, AuditAction, AuditEvent, AuditPage, AuditParty};

/// Events one page request reads at most while looking for matches; past
/// it the page ends early, with a cursor to read on.
const SCAN_PER_PAGE: usize = 2_000;
/// Most events one export holds.
pub const MAX_EXPORT: usize = 100_000;

/// What the admin narrows the log to; every part optional.
#[derive(Debug, Default, Clone)]
pub struct AuditQuery {
    /// The user acted on: her id or username.
    pub user: Option<String>,
    /// Who acted: an id or username.
    pub actor: Option<String>,
    pub action: Option<AuditAction>,
    /// Unix ms: at or after.
    pub from: Option<i64>,
    /// Unix ms: before.
    pub to: Option<i64>,
}

fn names(party: Option<&AuditParty>, wanted: &str) -> bool {
    party.is_some_and(|p| p.id == wanted || p.username.eq_ignore_ascii_case(wanted))
}

impl AuditQuery {
    pub fn is_empty(&self) -> bool {
        self.user.is_none()
            && self.actor.is_none()
            && self.action.is_none()
            && self.from.is_none()
            && self.to.is_none()
    }

    pub fn matches(&self, e: &AuditEvent) -> bool {
        self.user
            .as_deref()
            .is_none_or(|u| names(e.target.as_ref(), u.trim()))
            && self
                .actor
                .as_deref()
                .is_none_or(|a| names(e.actor.as_ref(), a.trim()))
            && self.action.is_none_or(|a| a == e.action)
            && self.from.is_none_or(|from| e.at >= from)
            && self.to.is_none_or(|to| e.at < to)
    }

    /// Whether nothing at or before `at` can match any more (the log is
    /// read newest first).
    fn past(&self, at: i64) -> bool {
        self.from.is_some_and(|from| at < from)
    }
}

/// One event as a CSV row: time (UTC), action, who, whom, app, details.
fn csv_row(e: &AuditEvent) -> String {
    let time = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(e.at) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    let party = |p: Option<&AuditParty>| p.map_or(String::new(), |p| p.username.clone());
    let mut details: Vec<String> = Vec::new();
    if let Some(g) = e.generated {
        details.push(format!("generated={g}"));
    }
    if let Some(m) = e.must_change_password {
        details.push(format!("must_change_password={m}"));
    }
    if e.bulk == Some(true) {
        details.push("bulk".into());
    }
    if !e.email_to.is_empty() {
        details.push(format!("email_to={}", e.email_to.join(" ")));
    }
    for d in &e.deliveries {
        details.push(format!(
            "{}={}",
            d.recipient,
            if d.sent { "sent" } else { "not sent" }
        ));
    }
    if let Some(until) = e.locked_until {
        details.push(format!("locked_until={until}"));
    }
    row(&[
        &time,
        e.action.as_str(),
        &party(e.actor.as_ref()),
        &party(e.target.as_ref()),
        e.app.as_ref().map_or("", |a| a.name.as_str()),
        &details.join("; "),
    ])
}

impl Rekey {
    /// One page of the log, newest first. Admins only. With a filter, up
    /// to `SCAN_PER_PAGE` events are read for it; the cursor goes on from
    /// the last one read.
    pub async fn audit_log(
        &self,
        actor: &UserRecord,
        query: &AuditQuery,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<AuditPage, ApiError> {
        super::permissions::admin(actor)?;
        let mut events = Vec::new();
        let mut cursor = cursor.map(str::to_string);
        let mut scanned = 0;
        loop {
            // No more than still wanted: the cursor then stays exact.
            let want = limit - events.len();
            let page = self
                .store
                .list_audit(cursor.as_deref(), want)
                .await
                .map_err(store_failure)?;
            scanned += page.items.len();
            let past = page.items.last().is_some_and(|e| query.past(e.at));
            events.extend(page.items.into_iter().filter(|e| query.matches(e)));
            cursor = page.next_cursor;
            if past {
                cursor = None;
            }
            if events.len() >= limit || cursor.is_none() || scanned >= SCAN_PER_PAGE {
                break;
            }
        }
        Ok(AuditPage {
            events,
            next_cursor: cursor,
        })
    }

    /// Every matching event, newest first (at most `MAX_EXPORT`).
    pub async fn export_audit(
        &self,
        actor: &UserRecord,
        query: &AuditQuery,
    ) -> Result<Vec<AuditEvent>, ApiError> {
        super::permissions::admin(actor)?;
        let mut events = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self
                .store
                .list_audit(cursor.as_deref(), 1_000)
                .await
                .map_err(store_failure)?;
            let past = page.items.last().is_some_and(|e| query.past(e.at));
            events.extend(page.items.into_iter().filter(|e| query.matches(e)));
            cursor = page.next_cursor;
            if past || cursor.is_none() || events.len() >= MAX_EXPORT {
                break;
            }
        }
        events.truncate(MAX_EXPORT);
        Ok(events)
    }
}

/// The events as CSV, in the columns above (spreadsheet-safe).
pub fn audit_csv(events: &[AuditEvent]) -> String {
    let mut csv = row(&["Time (UTC)", "Action", "By", "User", "App", "Details"]);
    for e in events {
        csv.push_str(&csv_row(e));
    }
    csv
}
