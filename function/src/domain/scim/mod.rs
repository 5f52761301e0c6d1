//! SCIM 2.0 (RFC 7643/7644) for HR systems and other identity providers:
//! the `User` resource over Rekey's directory, and the named bearer tokens
//! that let a client in. SCIM sees and changes plain users only: it never
//! creates an admin, touches an admin's account or sets a password.

use rekey_shared::{ApiError, ErrorCode, Role};

use super::model::UserRecord;
use super::store_failure;
use crate::ports::StoreError;

mod filter;
mod resource;
mod tokens;
mod users;

pub use filter::{parse_filter, Filter};
pub use resource::{etag, to_scim};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// Largest page a list answers with (and the default).
pub const MAX_COUNT: usize = 200;

/// Why a SCIM request was refused: RFC 7644 §3.12's kinds. The API gives
/// each its HTTP status and `scimType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimRefusal {
    InvalidValue,
    InvalidSyntax,
    InvalidFilter,
    /// An attribute SCIM may not set (a password, a role).
    Mutability,
    Unauthorized,
    Forbidden,
    NotFound,
    Uniqueness,
    /// Another writer kept winning; nothing was changed.
    Conflict,
    /// `If-Match` names a version that is no longer the resource's.
    PreconditionFailed,
    Internal,
}

/// A refused SCIM request: its kind and a sentence for the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    pub kind: ScimRefusal,
    pub detail: String,
}

impl ScimError {
    pub fn new(kind: ScimRefusal, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
        }
    }

    fn invalid(detail: impl Into<String>) -> Self {
        Self::new(ScimRefusal::InvalidValue, detail)
    }

    fn not_found() -> Self {
        Self::new(ScimRefusal::NotFound, "No such user.")
    }
}

pub(super) fn from_api(e: ApiError) -> ScimError {
    let kind = match e.code {
        ErrorCode::AlreadyExists => return ScimError::new(ScimRefusal::Uniqueness, e.message),
        ErrorCode::NotFound => ScimRefusal::NotFound,
        ErrorCode::Forbidden => ScimRefusal::Forbidden,
        ErrorCode::Conflict => ScimRefusal::Conflict,
        ErrorCode::Internal | ErrorCode::Unavailable => ScimRefusal::Internal,
        _ => ScimRefusal::InvalidValue,
    };
    let detail = match e.field {
        Some(f) => format!("{} ({f})", e.message),
        None => e.message,
    };
    ScimError::new(kind, detail)
}

pub(super) fn store_error(e: StoreError) -> ScimError {
    from_api(store_failure(e))
}

pub(super) fn scim_visible(user: &UserRecord) -> bool {
    user.role == Role::User
}
