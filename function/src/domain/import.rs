//! "Add multiple users" from Microsoft 365's CSV columns, and the export.
//! The whole file is checked first (every problem, by line and column);
//! only a clean file is written, in one all-or-nothing insert. Passwords
//! are generated per user and handed back once as a CSV; never emailed.

use std::collections::HashSet;

use futures::stream::{self, StreamExt};
use rekey_shared::csv::{parse, row, MAX_IMPORT_ROWS, USER_COLUMNS};
use rekey_shared::{
    ApiError, AuditAction, ErrorCode, ImportProblem, ImportRequest, ImportResult, Role, RowProblem,
};

use super::audit::event;
use super::hashing::hash_failure;
use super::password::generate;
use super::permissions;
use super::{model::UserRecord, store_failure, Rekey};
use crate::ports::{StoreError, UserQuery};
use rekey_shared::validate::{check_name, check_username};

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    Rows(Vec<RowProblem>),
    Refused(ApiError),
}

impl From<ApiError> for ImportError {
    fn from(e: ApiError) -> Self {
        ImportError::Refused(e)
    }
}

fn problem(line: usize, field: &str, code: ImportProblem, reason: impl Into<String>) -> RowProblem {
    RowProblem {
        code,
        line,
        field: field.to_string(),
        reason: reason.into(),
    }
}

/// A role as the template writes it ("Helpdesk admin") or as the API does.
fn parse_role(text: &str) -> Option<Role> {
    let t = text.trim();
    if t.is_empty() {
        return Some(Role::User);
    }
    Role::ALL
        .into_iter()
        .find(|r| r.label().eq_ignore_ascii_case(t) || r.as_str().eq_ignore_ascii_case(t))
}

impl Rekey {
    /// The template: the header row Microsoft 365's columns make.
    pub fn import_template(&self) -> String {
        row(&USER_COLUMNS)
    }

    pub async fn import_users(
        &self,
        actor: &UserRecord,
        fresh: bool,
        request: ImportRequest,
    ) -> Result<ImportResult, ImportError> {
        permissions::admin(actor)?;
        let records = parse(&request.csv).map_err(|(line, why)| {
            ImportError::Rows(vec![problem(line, "", ImportProblem::MalformedCsv, why)])
        })?;
        let Some(((_, header), rows)) = records.split_first() else {
            return Err(ImportError::Rows(vec![problem(
                1,
                "",
                ImportProblem::EmptyFile,
                "The file is empty.",
            )]));
        };
        let column = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let columns: Vec<Option<usize>> = USER_COLUMNS.iter().map(|c| column(c)).collect();
        let missing: Vec<RowProblem> = ["User Name", "First Name", "Last Name", "Email"]
            .iter()
            .filter(|c| column(c).is_none())
            .map(|c| {
                problem(
                    1,
                    c,
                    ImportProblem::MissingColumn,
                    "This column is missing from the header.",
                )
            })
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::Rows(missing));
        }
        if rows.is_empty() {
            return Err(ImportError::Rows(vec![problem(
                2,
                "",
                ImportProblem::NoUsers,
                "The file has no users.",
            )]));
        }
        let max = self.settings.max_import_rows.min(MAX_IMPORT_ROWS);
        if rows.len() > max {
            return Err(ApiError::new(
                ErrorCode::TooManyRows,
                format!(
                    "This file has {} users; one import takes at most {max} here. Split it into files of up to {max} rows and import each (every file goes in whole or not at all).",
                    rows.len()
                ),
            )
            .into());
        }

        let now = self.now();
        let mut problems = Vec::new();
        let mut seen_logins = HashSet::new();
        let mut users = Vec::with_capacity(rows.len());
        for (line, cells) in rows {
            let get = |i: usize| {
                columns[i]
                    .and_then(|c| cells.get(c))
                    .map(|s| s.trim())
                    .unwrap_or("")
            };
            let mut check =
                |field: &str, code: ImportProblem, result: Result<String, ApiError>| match result {
                    Ok(v) => Some(v),
                    Err(e) => {
                        problems.push(problem(*line, field, code, e.message));
                        None
                    }
                };
            use ImportProblem::{InvalidEmail, InvalidName, InvalidUsername};
            let username = check(USER_COLUMNS[0], InvalidUsername, check_username(get(0)));
            let first = check(
                USER_COLUMNS[1],
                InvalidName,
                check_name(get(1), "first_name"),
            );
            let last = check(
                USER_COLUMNS[2],
                InvalidName,
                check_name(get(2), "last_name"),
            );
            let display = match get(3) {
                "" => None,
                d => check(USER_COLUMNS[3], InvalidName, check_name(d, "display_name")),
            };
            let email = check(USER_COLUMNS[4], InvalidEmail, address(get(4)));
            let alternate = match get(5) {
                "" => None,
                a => check(USER_COLUMNS[5], InvalidEmail, address(a)),
            };
            let role = match parse_role(get(6)) {
                None => {
                    problems.push(problem(
                        *line,
                        USER_COLUMNS[6],
                        ImportProblem::UnknownRole,
                        "Use User, Password admin, Helpdesk admin or Global admin.",
                    ));
                    None
                }
                Some(r) if !permissions::grants(actor, r) => {
                    problems.push(problem(
                        *line,
                        USER_COLUMNS[6],
                        ImportProblem::RoleNotAllowed,
                        "Only a global admin can grant an admin role.",
                    ));
                    None
                }
                Some(r) => Some(r),
            };
            let (Some(username), Some(first), Some(last), Some(email), Some(role)) =
                (username, first, last, email, role)
            else {
                continue;
            };
            // A user principal name is often the user's own email: one
            // sign-in name, counted once for the row.
            let own_email = email.to_lowercase();
            let mut logins = vec![(username.clone(), USER_COLUMNS[0])];
            if own_email != username {
                logins.push((own_email, USER_COLUMNS[4]));
            }
            for (login, field) in logins {
                if !seen_logins.insert(login) {
                    problems.push(problem(
                        *line,
                        field,
                        ImportProblem::DuplicateInFile,
                        "Another row of this file has it too.",
                    ));
                }
            }
            let display = display.unwrap_or_else(|| format!("{first} {last}"));
            let mut user = UserRecord::new(&username, &display, &email, role, String::new(), now);
            user.alternate_email = alternate;
            user.first_name = Some(first);
            user.last_name = Some(last);
            user.must_change_password = request.require_change;
            user.temp_password_expires_at = request
                .require_change
                .then_some(now + self.settings.temp_password_ttl_ms);
            users.push((*line, user));
        }
        if !fresh && users.iter().any(|(_, u)| u.role.is_admin()) {
            return Err(super::sessions::reauthentication_required().into());
        }
        // Taken by users already in the directory.
        let logins: Vec<(usize, String, String)> = users
            .iter()
            .map(|(line, u)| (*line, u.username.clone(), u.email.to_lowercase()))
            .collect();
        let taken: Vec<RowProblem> = stream::iter(logins)
            .map(|(line, username, email)| async move {
                let mut found = Vec::new();
                for (login, field) in [(username, USER_COLUMNS[0]), (email, USER_COLUMNS[4])] {
                    match self.store.user_by_login(&login).await {
                        Ok(Some(_)) => found.push(problem(
                            line,
                            field,
                            ImportProblem::Taken,
                            "A user already has it.",
                        )),
                        Ok(None) => {}
                        Err(e) => found.push(problem(
                            line,
                            "",
                            ImportProblem::Internal,
                            store_failure(e).message,
                        )),
                    }
                }
                found
            })
            .buffer_unordered(16)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .flatten()
            .collect();
        problems.extend(taken);
        if !problems.is_empty() {
            problems.sort_by(|a, b| (a.line, &a.field).cmp(&(b.line, &b.field)));
            return Err(ImportError::Rows(problems));
        }

        let passwords: Vec<_> = users
            .iter()
            .map(|_| generate(self.settings.generated_password_len))
            .collect();
        let hashes = self.hasher.hash_many(passwords.clone()).await;
        let mut records = Vec::with_capacity(users.len());
        for ((_, mut user), hash) in users.into_iter().zip(hashes) {
            user.password_hash = hash.map_err(hash_failure)?;
            records.push(user);
        }
        let events: Vec<_> = records
            .iter()
            .map(|u| {
                let mut e = event(now, AuditAction::UserCreated, Some(actor), Some(u));
                e.generated = Some(true);
                e.must_change_password = Some(request.require_change);
                e.bulk = Some(true);
                e
            })
            .collect();
        match self.store.insert_users_with_audit(&records, &events).await {
            Ok(()) => {}
            Err(StoreError::Duplicate) => {
                return Err(ApiError::new(
                    ErrorCode::AlreadyExists,
                    "Someone added one of these users meanwhile. Nothing was imported; try again.",
                )
                .into())
            }
            Err(e) => return Err(store_failure(e).into()),
        }
        let mut csv = row(&["User Name", "Display Name", "Password"]);
        for (u, p) in records.iter().zip(&passwords) {
            csv.push_str(&row(&[&u.username, &u.display_name, p.expose()]));
        }
        Ok(ImportResult {
            created: records.len(),
            passwords_csv: csv,
        })
    }

    /// Every user as CSV, in the template's columns (spreadsheet-safe).
    pub async fn export_users(&self, actor: &UserRecord) -> Result<String, ApiError> {
        permissions::admin(actor)?;
        let mut csv = row(&USER_COLUMNS);
        let mut cursor = None;
        loop {
            let page = self
                .store
                .search_users(&UserQuery {
                    prefix: String::new(),
                    cursor,
                    limit: 1000,
                    descending: false,
                })
                .await
                .map_err(store_failure)?;
            for u in &page.items {
                csv.push_str(&row(&[
                    &u.username,
                    u.first_name.as_deref().unwrap_or(""),
                    u.last_name.as_deref().unwrap_or(""),
                    &u.display_name,
                    &u.email,
                    u.alternate_email.as_deref().unwrap_or(""),
                    u.role.label(),
                ]));
            }
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        // The whole directory left with this admin: said before it goes.
        let audit = event(self.now(), AuditAction::UsersExported, Some(actor), None);
        self.store
            .append_audit(&[audit])
            .await
            .map_err(store_failure)?;
        Ok(csv)
    }
}

fn address(value: &str) -> Result<String, ApiError> {
    rekey_shared::validate::check_email(value)
        .map(|_| value.to_string())
        .map_err(|p| ApiError::new(ErrorCode::InvalidRequest, p.message()))
}
