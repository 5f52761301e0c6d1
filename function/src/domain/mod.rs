//! Rekey's policy: who may do what, and how a reset happens. Talks only to
//! ports; every decision about passwords, roles and sessions lives here.

pub mod alternate_email;
pub mod apps;
pub mod audit;
pub mod audit_log;
pub mod directory;
pub mod emailed_codes;
pub mod emails;
pub mod hashing;
pub mod import;
pub mod methods;
pub mod mfa_policy;
pub mod model;
pub mod notices;
pub mod oidc;
pub mod own_account;
pub mod passkeys;
pub mod password;
pub mod people;
pub mod permissions;
pub mod recovery_codes;
pub mod reset;
pub mod reset_links;
pub mod reset_requests;
pub mod reset_settings;
pub mod scim;
pub mod second_factor;
pub mod secret;
pub mod security_notices;
pub mod self_service;
pub mod session;
pub mod sessions;
pub mod sign_ins;
pub mod signin;
pub mod temporary_pass;
pub mod throttle;
pub mod totp;
pub mod update;
pub mod user_methods;

use std::sync::Arc;

use rekey_shared::ApiError;

use crate::ports::{Clock, Mailer, Sealer, Signer, Store, StoreError};
use hashing::Hasher;

/// Tunable policy, from configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub min_password_len: usize,
    pub generated_password_len: usize,
    pub temp_password_ttl_ms: i64,
    pub session_ttl_ms: i64,
    /// A session unused this long ends (the absolute lifetime still holds).
    pub session_idle_ms: i64,
    /// How recently the password must have been proven before registering
    /// an app, making a SCIM token or granting an admin role.
    pub fresh_auth_ms: i64,
    /// Consecutive failures that lock an account.
    pub lockout_threshold: u32,
    /// The first lock's length; each further lock doubles it.
    pub lockout_base_ms: i64,
    /// "Forgot your password?" requests from one client address per 15
    /// minutes before further ones are dropped: a flood guard, sized so a
    /// whole office behind one NAT address is never silently refused.
    pub requests_per_address: u64,
    /// Where users sign in (the link in emails).
    pub public_url: String,
    /// The organisation's name, as emails show it.
    pub organization: String,
    /// The language of users who have not chosen one.
    pub default_language: rekey_shared::Lang,
    /// The organisation's time zone (IANA name), in which pages show times.
    pub time_zone: String,
    /// How long a one-time link works.
    pub link_ttl_ms: i64,
    /// Sign-in attempts one client address may make at once, and how fast
    /// it earns more (answers 429 with Retry-After beyond).
    pub sign_in_throttle: throttle::ThrottleLimits,
    /// How long a sign-in refused by the throttle waits before its 429.
    pub throttled_answer_delay_ms: u64,
    /// Unauthenticated password verifies in flight at once; more answer 503
    /// with Retry-After instead of queueing.
    pub max_pending_verifies: usize,
    /// Most rows one CSV import may hold here (10,000 at most; fewer on
    /// Lambda, where one import must finish inside one call).
    pub max_import_rows: usize,
    /// Who must have a second method.
    pub mfa_policy: mfa_policy::MfaPolicy,
    /// How long, from the first ask, a user the policy covers may skip
    /// registering.
    pub mfa_grace_ms: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            min_password_len: rekey_shared::validate::DEFAULT_MIN_PASSWORD_LEN,
            generated_password_len: 16,
            temp_password_ttl_ms: 7 * 24 * 3600 * 1000,
            session_ttl_ms: 8 * 3600 * 1000,
            session_idle_ms: 3600 * 1000,
            fresh_auth_ms: 10 * 60_000,
            lockout_threshold: 10,
            lockout_base_ms: 60_000,
            requests_per_address: 30,
            public_url: "http://127.0.0.1:8080".into(),
            organization: "Contoso".into(),
            default_language: rekey_shared::Lang::En,
            time_zone: "UTC".into(),
            link_ttl_ms: 3600 * 1000,
            sign_in_throttle: throttle::ThrottleLimits::default(),
            throttled_answer_delay_ms: 1_000,
            max_pending_verifies: hashing::DEFAULT_MAX_ADMITTED,
            max_import_rows: rekey_shared::csv::MAX_IMPORT_ROWS,
            mfa_policy: mfa_policy::MfaPolicy::Admins,
            mfa_grace_ms: 14 * 24 * 3600 * 1000,
        }
    }
}

/// The application: policy plus the ports it acts through.
pub struct Rekey {
    pub store: Arc<dyn Store>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
    /// Signs ID tokens.
    pub signer: Arc<dyn Signer>,
    /// Seals the secrets Rekey reads back (TOTP seeds).
    pub sealer: Arc<dyn Sealer>,
    pub hasher: Hasher,
    pub settings: Settings,
    /// Set once this process has published its signing keys (on first
    /// need, so a Lambda cold start waits for no key).
    pub keys_published: tokio::sync::OnceCell<()>,
    /// Sign-in attempts per client address.
    pub(crate) sign_in_throttle: throttle::Throttle,
    /// The WebAuthn relying party (`None` where the public URL's host is
    /// an IP address: no passkeys there).
    pub(crate) webauthn: Option<webauthn_rs::prelude::Webauthn>,
}

/// The ports the application acts through.
pub struct Ports {
    pub store: Arc<dyn Store>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
    pub signer: Arc<dyn Signer>,
    pub sealer: Arc<dyn Sealer>,
}

impl Rekey {
    pub fn new(ports: Ports, hasher: Hasher, settings: Settings) -> Self {
        let Ports {
            store,
            mailer,
            clock,
            signer,
            sealer,
        } = ports;
        Self {
            store,
            mailer: Arc::new(crate::metrics::CountedMailer(mailer)),
            clock,
            signer,
            sealer,
            hasher: hasher.with_max_admitted(settings.max_pending_verifies),
            sign_in_throttle: throttle::Throttle::new(settings.sign_in_throttle),
            webauthn: passkeys::relying_party(&settings.public_url, &settings.organization),
            settings,
            keys_published: Default::default(),
        }
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }
}

/// Store failures the caller could not have caused become a logged 500
/// whose message says nothing of the store.
pub(crate) fn store_failure(e: StoreError) -> ApiError {
    match e {
        StoreError::InvalidCursor => ApiError::new(
            rekey_shared::ErrorCode::InvalidCursor,
            "That page link is not valid; start from the first page.",
        )
        .with_field("cursor"),
        StoreError::NotFound => ApiError::not_found("That record"),
        other => {
            tracing::error!(error = %other, "store failure");
            ApiError::internal()
        }
    }
}
