//! A way a user proves who she is beyond her password: an authenticator
//! app, her recovery codes, or a passkey.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodRecord {
    pub id: String,
    pub user_id: String,
    /// What the user calls it ("Pixel 8").
    pub name: String,
    pub kind: MethodKind,
    pub created_at: i64,
    /// When it last let the user in.
    pub last_used_at: Option<i64>,
    /// When registration finished (a first code verified); until then it
    /// proves nothing, and a newer registration replaces it.
    pub confirmed_at: Option<i64>,
    /// A registered method this one replaces once it is confirmed.
    #[serde(default)]
    pub replaces: Option<String>,
    pub version: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MethodKind {
    /// An authenticator app (TOTP). The seed is sealed (base64 of the
    /// Sealer's output, bound to this method's id); `last_step` is the
    /// newest step a code was accepted for, so no code is accepted twice.
    Totp {
        sealed_seed: String,
        last_step: Option<i64>,
    },
    /// Ten single-use codes, each kept as its SHA-256 (hex) until used.
    RecoveryCodes { hashes: Vec<Option<String>> },
    /// A passkey: webauthn-rs's credential (public key, counter, flags)
    /// as JSON. Nothing in it is secret.
    Passkey {
        /// Base64url, as the browser names it.
        credential_id: String,
        credential: String,
        /// Synced between devices (RFC 8176 `swk`, else `hwk`).
        backup_eligible: bool,
    },
    /// An address of her own (not her work one) that a self-service reset
    /// sends a code to. It counts once a code sent to it came back
    /// (`confirmed_at`); until then the code waits here, hashed.
    AlternateEmail {
        address: String,
        code: Option<super::SentCode>,
    },
}
