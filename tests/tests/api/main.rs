//! The HTTP API end to end: a real server on port 0, a temporary SQLite
//! file and outbox, real argon2id parameters.

mod account;
mod audit_log;
mod auth;
mod bad_input;
mod bulk;
mod deployed_routes;
mod email_after_reset;
mod import;
mod languages;
mod lockout;
mod methods;
mod mfa_policy;
mod oidc;
mod oidc_authlib;
mod oidc_mfa;
mod outbox;
mod passkeys;
mod people;
mod recovery_codes;
mod reset;
mod reset_links;
mod reset_requests;
mod reset_settings;
mod second_factor;
mod security_info_ask;
mod self_service;
mod self_service_limits;
mod self_service_notices;
mod sessions;
mod sign_ins;
mod temporary_pass;
mod user_methods;
mod users;
