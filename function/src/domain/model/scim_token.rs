//! A SCIM client's named bearer token.

use rekey_shared::{AuditApp, ScimTokenSummary};
use serde::{Deserialize, Serialize};

/// A SCIM client's bearer token: only its SHA-256 is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimTokenRecord {
    pub id: String,
    pub name: String,
    pub token_hash: String,
    pub created_at: i64,
}

impl ScimTokenRecord {
    pub fn summary(&self) -> ScimTokenSummary {
        ScimTokenSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            created_at: self.created_at,
        }
    }

    pub(crate) fn audit_app(&self) -> AuditApp {
        AuditApp {
            id: self.id.clone(),
            name: format!("SCIM: {}", self.name),
        }
    }
}
