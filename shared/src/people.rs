//! Adding, editing, blocking and deleting users: the admin center's and
//! the API's bodies.

use serde::{Deserialize, Serialize};

use crate::reset::{EmailOutcome, PasswordChoice};
use crate::users::{Role, UserSummary};

/// Longest first, last or display name.
pub const MAX_NAME_LEN: usize = 100;
/// Longest username of the plain form (`lee.gu`).
pub const MAX_USERNAME_LEN: usize = 64;
/// Longest username of the user principal name form
/// (`alice@contoso.example`), as long as an email address may be.
pub const MAX_UPN_LEN: usize = crate::validate::MAX_EMAIL_LEN;

fn default_true() -> bool {
    true
}

/// `POST /api/users`: a new user, with a password chosen as in the reset
/// pane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub first_name: String,
    pub last_name: String,
    /// Filled from the first and last name when empty.
    #[serde(default)]
    pub display_name: String,
    pub username: String,
    pub email: String,
    #[serde(default)]
    pub alternate_email: Option<String>,
    pub role: Role,
    /// Generated unless given.
    #[serde(default)]
    pub password: PasswordChoice,
    #[serde(default = "default_true")]
    pub require_change: bool,
    /// Who gets the sign-in details by email (at most 5).
    #[serde(default)]
    pub email_to: Vec<String>,
}

/// The answer to adding a user: the password is shown this once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCreated {
    pub user: UserSummary,
    pub password: String,
    pub generated: bool,
    pub emails: Vec<EmailOutcome>,
}

impl std::fmt::Debug for UserCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserCreated")
            .field("user", &self.user)
            .field("password", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// `PATCH /api/users/{id}`: the fields to change, and the version the
/// admin saw (a stale edit answers 409 with the current record).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserEdit {
    pub version: u64,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// `""` removes the alternate address.
    #[serde(default)]
    pub alternate_email: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
}

/// `POST /api/users/{id}/block` and `/unblock`: the version seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionSeen {
    pub version: u64,
}

/// A 409 for a stale edit: Rekey's error and the record as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleEdit {
    #[serde(flatten)]
    pub error: crate::ApiError,
    pub current: UserSummary,
}

/// `POST /api/users/import`: "Add multiple users" from a CSV with the
/// template's columns. Every row is checked before anything is written.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    pub csv: String,
    #[serde(default = "default_true")]
    pub require_change: bool,
}

impl std::fmt::Debug for ImportRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportRequest")
            .field("bytes", &self.csv.len())
            .field("require_change", &self.require_change)
            .finish()
    }
}

named_enum! {
    /// What is wrong with a row of an import, so the page can say it in
    /// the admin's language (the server's `reason` is English).
    pub enum ImportProblem {
        MalformedCsv => "malformed_csv",
        EmptyFile => "empty_file",
        MissingColumn => "missing_column",
        NoUsers => "no_users",
        InvalidUsername => "invalid_username",
        InvalidName => "invalid_name",
        InvalidEmail => "invalid_email",
        UnknownRole => "unknown_role",
        RoleNotAllowed => "role_not_allowed",
        DuplicateInFile => "duplicate_in_file",
        Taken => "taken",
        Internal => "internal",
    }
}

/// What is wrong with one row of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The CSV line the row starts on (1 is the header).
    pub line: usize,
    /// The column at fault ("" for the row as a whole).
    pub field: String,
    pub code: ImportProblem,
    pub reason: String,
}

/// Every row was added; the passwords, this once, as a CSV to download.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportResult {
    pub created: usize,
    pub passwords_csv: String,
}

impl std::fmt::Debug for ImportResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportResult")
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

/// A refused import (nothing was added): Rekey's error and every problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRefused {
    #[serde(flatten)]
    pub error: crate::ApiError,
    pub problems: Vec<RowProblem>,
}
