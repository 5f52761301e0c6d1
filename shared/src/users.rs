//! Users as the admin center sees them, and the four roles.

use serde::{Deserialize, Serialize};

/// A directory role. Ordered by privilege: the who-may-reset-whom table in
/// DESIGN.md is [`Role::can_reset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    PasswordAdmin,
    HelpdeskAdmin,
    GlobalAdmin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::User,
        Role::PasswordAdmin,
        Role::HelpdeskAdmin,
        Role::GlobalAdmin,
    ];

    /// Whether an actor with this role may reset the password of a target
    /// with `target` role: a password admin resets users and password
    /// admins, a helpdesk admin everyone but global admins, a global admin
    /// everyone.
    pub fn can_reset(self, target: Role) -> bool {
        match self {
            Role::User => false,
            Role::PasswordAdmin => matches!(target, Role::User | Role::PasswordAdmin),
            Role::HelpdeskAdmin => target != Role::GlobalAdmin,
            Role::GlobalAdmin => true,
        }
    }

    /// Whether this role may use the admin center at all.
    pub fn is_admin(self) -> bool {
        self != Role::User
    }

    /// The stable identifier used in JSON and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::PasswordAdmin => "password_admin",
            Role::HelpdeskAdmin => "helpdesk_admin",
            Role::GlobalAdmin => "global_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Role::User => "User",
            Role::PasswordAdmin => "Password admin",
            Role::HelpdeskAdmin => "Helpdesk admin",
            Role::GlobalAdmin => "Global admin",
        }
    }
}

/// One user in lists and results. Never carries a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub alternate_email: Option<String>,
    pub role: Role,
    pub must_change_password: bool,
    /// Unix milliseconds until which sign-in is locked, when locked now.
    pub locked_until: Option<i64>,
    /// Unix milliseconds after which the temporary password stops working.
    pub temporary_password_expires_at: Option<i64>,
    /// Unix milliseconds of the user's pending "ask my admin" request.
    #[serde(default)]
    pub reset_requested_at: Option<i64>,
    /// The latest one-time link sent to the user, if any is on record.
    #[serde(default)]
    pub reset_link: Option<ResetLinkInfo>,
    /// The user's own choice of language; absent: the organisation's.
    #[serde(default)]
    pub preferred_language: Option<crate::Lang>,
    /// Optimistic-concurrency version: counts every change to the account.
    pub version: u64,
    /// Sign-in blocked by an admin.
    #[serde(default)]
    pub blocked: bool,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    /// Unix milliseconds until which a Temporary Access Pass is live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary_pass_expires_at: Option<i64>,
}

/// "Link sent, expires at …, not used yet / used at …" on the user's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLinkInfo {
    pub sent_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// A page of users; `next_cursor` is opaque and absent on the last page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::Role::{self, *};

    #[test]
    fn the_reset_table_matches_the_design() {
        // Rows: actor; columns: user, password admin, helpdesk admin, global admin.
        let table = [
            (PasswordAdmin, [true, true, false, false]),
            (HelpdeskAdmin, [true, true, true, false]),
            (GlobalAdmin, [true, true, true, true]),
            (User, [false, false, false, false]),
        ];
        for (actor, row) in table {
            for (target, expected) in Role::ALL.into_iter().zip(row) {
                assert_eq!(actor.can_reset(target), expected, "{actor:?} -> {target:?}");
            }
        }
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
