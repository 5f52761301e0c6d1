//! Migrations, applied in order; `PRAGMA user_version` counts those done.

pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE users (
    id                       TEXT PRIMARY KEY,
    username                 TEXT NOT NULL UNIQUE,
    display_name             TEXT NOT NULL,
    display_name_lc          TEXT NOT NULL,
    -- " word word word": the name's words, each after a space (search).
    name_words               TEXT NOT NULL,
    email                    TEXT NOT NULL,
    email_lc                 TEXT NOT NULL UNIQUE,
    alternate_email          TEXT,
    role                     TEXT NOT NULL,
    password_hash            TEXT NOT NULL,
    must_change_password     INTEGER NOT NULL,
    temp_password_expires_at INTEGER,
    failed_sign_ins          INTEGER NOT NULL,
    locked_until             INTEGER,
    lockouts                 INTEGER NOT NULL,
    session_epoch            INTEGER NOT NULL,
    version                  INTEGER NOT NULL,
    created_at               INTEGER NOT NULL,
    reset_requested_at       INTEGER
);
-- Pending "ask my admin" requests, newest first.
CREATE INDEX users_by_request ON users (reset_requested_at) WHERE reset_requested_at IS NOT NULL;
CREATE INDEX users_by_role ON users (role);

-- Accepted and attempted reset requests, for the rate limits only.
CREATE TABLE request_attempts (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX request_attempts_by_key ON request_attempts (key, at);
-- Listing order and keyset paging; covers the search's scan plan.
CREATE INDEX users_by_name ON users (display_name_lc, id, username, email_lc, name_words);

-- Every string a search prefix may match: the display name, each word of
-- it, the username and the email, lower-cased. `name_key` is the user's
-- display_name_lc, so a search can order matches without touching users.
CREATE TABLE user_search_terms (
    term     TEXT NOT NULL,
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name_key TEXT NOT NULL,
    PRIMARY KEY (term, user_id)
) WITHOUT ROWID;
CREATE INDEX user_search_terms_by_user ON user_search_terms (user_id, term);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    epoch      INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    id        TEXT NOT NULL UNIQUE,
    at        INTEGER NOT NULL,
    action    TEXT NOT NULL,
    actor_id  TEXT,
    target_id TEXT,
    event     TEXT NOT NULL
);
"#,
    r#"
-- The user's own language ("en", "nl"); NULL follows the organisation's.
ALTER TABLE users ADD COLUMN preferred_language TEXT;
"#,
    r#"
-- Who made the latest reset and when ("Send email and close" afterwards).
ALTER TABLE users ADD COLUMN last_reset_by TEXT;
ALTER TABLE users ADD COLUMN last_reset_at INTEGER;
"#,
    r#"
-- The latest one-time link: the SHA-256 of its secret, never the secret.
ALTER TABLE users ADD COLUMN link_token_hash TEXT;
ALTER TABLE users ADD COLUMN link_sent_at INTEGER;
ALTER TABLE users ADD COLUMN link_expires_at INTEGER;
ALTER TABLE users ADD COLUMN link_used_at INTEGER;
"#,
    r#"
-- OpenID Connect. Each record is the domain's JSON; the columns beside it
-- are what queries need. Secrets, codes and tokens only as SHA-256.
CREATE TABLE apps (
    id      TEXT PRIMARY KEY,
    name_lc TEXT NOT NULL,
    version INTEGER NOT NULL,
    record  TEXT NOT NULL
);
CREATE TABLE oauth_codes (
    code_hash  TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    record     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX oauth_codes_by_expiry ON oauth_codes (expires_at);
CREATE TABLE oauth_tokens (
    token_hash TEXT PRIMARY KEY,
    code_hash  TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    record     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX oauth_tokens_by_code ON oauth_tokens (code_hash);
CREATE INDEX oauth_tokens_by_expiry ON oauth_tokens (expires_at);
CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    record     TEXT NOT NULL
);
"#,
    r#"
-- Names from "Add a user" and SCIM; blocked sign-in.
ALTER TABLE users ADD COLUMN first_name TEXT;
ALTER TABLE users ADD COLUMN last_name TEXT;
ALTER TABLE users ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
-- The provisioning system's id (SCIM externalId).
ALTER TABLE users ADD COLUMN external_id TEXT;
"#,
    r#"
-- SCIM clients' bearer tokens: only their SHA-256.
CREATE TABLE scim_tokens (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    record     TEXT NOT NULL
);
"#,
    r#"
-- SCIM: Entra ID and Okta match users by externalId.
CREATE INDEX users_by_external_id ON users (external_id) WHERE external_id IS NOT NULL;
"#,
    r#"
-- The alternate address's copy of a link has its own secret; who may lift
-- a block; the address the user proved (OpenID Connect email_verified).
ALTER TABLE users ADD COLUMN link_alternate_hash TEXT;
ALTER TABLE users ADD COLUMN blocked_by_scim INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN verified_email TEXT;
"#,
    r#"
-- Idle timeout and fresh authentication; sessions from before count from
-- their start.
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN authenticated_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at, authenticated_at = created_at;
"#,
    r#"
-- Failed sign-ins for logins that are no account, kept as a user's are
-- (only a hash of the login).
CREATE TABLE login_locks (
    key             TEXT PRIMARY KEY,
    failed_sign_ins INTEGER NOT NULL,
    locked_until    INTEGER,
    lockouts        INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
);
CREATE INDEX login_locks_by_expiry ON login_locks (expires_at);
"#,
    r#"
-- The sign-in log: kept 30 days, by account (or an unknown login's hash).
CREATE TABLE sign_ins (
    id     TEXT PRIMARY KEY,
    owner  TEXT NOT NULL,
    at     INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX sign_ins_by_owner ON sign_ins (owner, at);
CREATE INDEX sign_ins_by_time ON sign_ins (at);
"#,
    r#"
-- Users' sign-in methods: one JSON record each (TOTP seeds sealed), gone
-- with their user.
CREATE TABLE auth_methods (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    record     TEXT NOT NULL
);
CREATE INDEX auth_methods_by_user ON auth_methods (user_id, created_at);
"#,
    r#"
-- Sign-ins between the password and the second factor (a few minutes).
CREATE TABLE pending_sign_ins (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    epoch      INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX pending_sign_ins_by_expiry ON pending_sign_ins (expires_at);
"#,
    r#"
-- How a session's user proved who she is (RFC 8176 amr, space-separated);
-- sessions from before were password-only.
ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd';
-- When the sign-in policy first asked a user to register a method.
ALTER TABLE users ADD COLUMN mfa_asked_at INTEGER;
"#,
    r#"
-- WebAuthn ceremonies between their start and finish (a few minutes).
CREATE TABLE ceremonies (
    id_hash    TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    record     TEXT NOT NULL
);
CREATE INDEX ceremonies_by_expiry ON ceremonies (expires_at);
"#,
    r#"
-- An admin's Temporary Access Pass (JSON: its hash, lifetime, one-time).
ALTER TABLE users ADD COLUMN temporary_pass TEXT;
"#,
    r#"
-- Organisation settings (the "Password reset" blade): a JSON record per key.
CREATE TABLE settings (
    key     TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    record  TEXT NOT NULL
);
"#,
    r#"
-- Her skips of, and last confirmation at, "keep your security info current".
ALTER TABLE users ADD COLUMN security_info_check TEXT;
"#,
];
