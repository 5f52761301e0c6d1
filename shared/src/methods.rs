//! Security info: a user's own sign-in methods beyond her password, and
//! registering an authenticator app.

use serde::{Deserialize, Serialize};

named_enum! {
    /// The kinds of method.
    pub enum MethodType {
        AuthenticatorApp => "authenticator_app",
        RecoveryCodes => "recovery_codes",
        Passkey => "passkey",
        /// A confirmed address of her own (not her work one) that a
        /// self-service reset can send a code to.
        AlternateEmail => "alternate_email",
    }
}

/// One method as Security info lists it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodSummary {
    pub id: String,
    pub kind: MethodType,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    /// Recovery codes not used yet.
    pub codes_left: Option<u32>,
}

/// `GET /api/me/methods`: the user's registered methods, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityInfo {
    pub methods: Vec<MethodSummary>,
}

/// `POST /api/me/methods/authenticator-app`: starts registering an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAuthenticatorApp {
    /// What the user calls it; "Authenticator app" when empty.
    #[serde(default)]
    pub name: String,
    /// A registered app this one replaces once its first code verifies.
    #[serde(default)]
    pub replaces: Option<String>,
}

/// The new app's seed, shown this once: as the `otpauth://` URI a QR code
/// carries, and as text to type.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticatorAppSetup {
    pub id: String,
    /// Base32, as authenticator apps take it typed.
    pub secret: String,
    pub uri: String,
    /// The URI's QR code as an SVG path of its dark modules (each a unit
    /// square), quiet zone included, for a `viewBox` `qr_width` wide.
    pub qr_path: String,
    pub qr_width: u32,
    /// Until when a first code finishes the registration.
    pub expires_at: i64,
}

impl std::fmt::Debug for AuthenticatorAppSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthenticatorAppSetup")
            .field("id", &self.id)
            .field("secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// A code from an authenticator app (or a recovery code).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeEntry {
    pub code: String,
}

impl std::fmt::Debug for CodeEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeEntry([redacted])")
    }
}

/// `201` from `POST /api/me/methods/recovery-codes`: a new set, shown
/// this once (the old set no longer works).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodesIssued {
    /// Ten codes, each `xxxx-xxxx-xxxx-xxxx`; any one signs in once.
    pub codes: Vec<String>,
    pub info: SecurityInfo,
}

impl std::fmt::Debug for RecoveryCodesIssued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryCodesIssued")
            .field("codes", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// `POST /api/me/methods/alternate-email`: an address of her own to
/// confirm with the code sent to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAlternateEmail {
    pub address: String,
}

/// `201` from `POST /api/me/methods/alternate-email`: the code is on its
/// way; `POST .../alternate-email/{id}/confirm` with it finishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlternateEmailStarted {
    pub id: String,
    pub address: String,
    pub expires_at: i64,
}

/// `PATCH /api/me/methods/{id}`: a new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodRename {
    pub name: String,
}

/// For method events: which method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditMethod {
    pub id: String,
    pub kind: MethodType,
    pub name: String,
}

/// `202` from `POST /api/auth/sign-in` when the password was right and a
/// second factor is due: no session yet, a pending sign-in's cookie, and
/// what the user may answer with (`POST /api/auth/second-factor`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorRequired {
    pub methods: Vec<MethodType>,
    pub expires_at: i64,
}

/// `POST /api/me/methods/passkeys/options`: starts registering a passkey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPasskey {
    /// What the user calls it; "Passkey" when empty.
    #[serde(default)]
    pub name: String,
}

/// A WebAuthn ceremony's start: the options for the browser (`publicKey`
/// goes to `PublicKeyCredential.parseCreationOptionsFromJSON` or
/// `parseRequestOptionsFromJSON`) and the id its finish names.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct PasskeyChallenge {
    pub ceremony: String,
    pub options: serde_json::Value,
    /// Until when the finish is taken.
    pub expires_at: i64,
}

impl std::fmt::Debug for PasskeyChallenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasskeyChallenge")
            .field("ceremony", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// A WebAuthn ceremony's finish: its id and the browser's credential (its
/// `toJSON()`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasskeyAnswer {
    pub ceremony: String,
    pub credential: serde_json::Value,
}

impl std::fmt::Debug for PasskeyAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasskeyAnswer([redacted])")
    }
}

/// `GET /api/users/{id}/methods`: a user's methods as her admin sees them
/// (the pane's "Authentication methods"), and her live pass, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserMethods {
    pub methods: Vec<MethodSummary>,
    #[serde(default)]
    pub temporary_pass: Option<TemporaryPassInfo>,
}

/// A live Temporary Access Pass (never the pass itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemporaryPassInfo {
    pub created_at: i64,
    pub expires_at: i64,
    pub one_time: bool,
}

/// `POST /api/users/{id}/temporary-pass`: every field has its default.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTemporaryPass {
    /// Characters, 8 to 48 (12).
    #[serde(default)]
    pub length: Option<u32>,
    /// Minutes, 10 to 43,200 (60).
    #[serde(default)]
    pub lifetime_minutes: Option<u32>,
    /// Spent by its first sign-in (true).
    #[serde(default)]
    pub one_time: Option<bool>,
}

/// `201`: the pass, shown this once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemporaryPassIssued {
    pub pass: String,
    pub info: TemporaryPassInfo,
}

impl std::fmt::Debug for TemporaryPassIssued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemporaryPassIssued")
            .field("pass", &"[redacted]")
            .field("info", &self.info)
            .finish()
    }
}

/// `POST /api/users/require-reregistration`: the bulk pane's selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkUserIds {
    pub user_ids: Vec<String>,
}

/// One user's result in a bulk action, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkActionItem {
    pub user_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<crate::ApiError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkActionResponse {
    pub succeeded: usize,
    pub failed: usize,
    pub results: Vec<BulkActionItem>,
}
