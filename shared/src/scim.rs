//! SCIM bearer tokens, as global admins create and revoke them.

use serde::{Deserialize, Serialize};

/// `POST /api/scim-tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewScimToken {
    /// Who uses it ("Workday", "Okta").
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimTokenSummary {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

/// The new token, shown this once (only its hash is kept).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimTokenCreated {
    pub token: ScimTokenSummary,
    pub secret: String,
}

impl std::fmt::Debug for ScimTokenCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScimTokenCreated")
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

/// `GET /api/scim-tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimTokenList {
    pub tokens: Vec<ScimTokenSummary>,
}
