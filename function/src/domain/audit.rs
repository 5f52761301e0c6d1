//! Building and reading audit events.

use rekey_shared::{AuditAction, AuditEvent};

use super::{model::UserRecord, Rekey};

/// An event with a sortable id (time first, then randomness).
pub fn event(
    at: i64,
    action: AuditAction,
    actor: Option<&UserRecord>,
    target: Option<&UserRecord>,
) -> AuditEvent {
    AuditEvent {
        id: format!("{at:013}-{}", uuid::Uuid::new_v4().simple()),
        at,
        action,
        actor: actor.map(UserRecord::party),
        target: target.map(UserRecord::party),
        generated: None,
        must_change_password: None,
        bulk: None,
        email_to: Vec::new(),
        deliveries: Vec::new(),
        locked_until: None,
        app: None,
        client: None,
        method: None,
        verified_with: Vec::new(),
        resolved_request: false,
    }
}

impl Rekey {
    /// Records events that follow a change already made (deliveries,
    /// refusals): a failure is logged, never raised, since the change stands.
    pub async fn record(&self, events: &[AuditEvent]) {
        if events.is_empty() {
            return;
        }
        if let Err(e) = self.store.append_audit(events).await {
            tracing::error!(error = %e, count = events.len(), "could not record audit events");
        }
    }
}
