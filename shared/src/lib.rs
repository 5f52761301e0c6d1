//! The contract between Rekey's browser app and its function: every request
//! and response body, the error codes, and validation that needs no I/O.
//! Compiles for native and wasm32, so both sides check input the same way.

pub mod audit;
pub mod auth;
pub mod error;
pub mod reset;
pub mod users;
pub mod validate;

pub use audit::{AuditAction, AuditEvent, AuditPage, AuditParty, EmailDelivery};
pub use auth::{
    ChangePasswordRequest, PasswordRequest, ServiceInfo, SignInRequest, SignInResponse,
};
pub use error::{ApiError, ErrorCode};
pub use reset::{
    BulkResetItem, BulkResetRequest, BulkResetResponse, EmailOutcome, EmailStatus, PasswordChoice,
    ResetOptions, ResetResult,
};
pub use users::{Role, UserPage, UserSummary};

/// Largest number of users one bulk reset may name.
pub const MAX_BULK_USERS: usize = 1_000;
/// Largest number of recipients for the password email.
pub const MAX_RECIPIENTS: usize = 5;
/// Default and largest page sizes for lists.
pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 200;
