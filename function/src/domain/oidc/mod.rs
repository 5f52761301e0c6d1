//! Rekey as an OpenID Connect provider (Core 1.0, authorization code flow
//! with PKCE): the organisation's apps sign their users in with the
//! passwords Rekey resets.

pub mod authorize;
pub mod jwt;
pub mod keys;
pub mod logout;
pub mod token;

use serde::Serialize;

/// How long an authorization code may wait for its exchange.
pub const CODE_TTL_MS: i64 = 60_000;
/// How long access and ID tokens last (no refresh tokens).
pub const TOKEN_TTL_MS: i64 = 10 * 60_000;
/// The scopes Rekey knows; others are ignored, as Core 1.0 asks.
pub const SCOPES: &[&str] = &["openid", "profile", "email"];

rekey_shared::named_enum! {
    /// The `error` codes Rekey answers with (RFC 6749 §4.1.2.1 and §5.2,
    /// RFC 6750 §3.1, OpenID Connect Core §3.1.2.6), matched as values,
    /// never as strings.
    pub enum OAuthCode {
        InvalidRequest => "invalid_request",
        InvalidClient => "invalid_client",
        InvalidGrant => "invalid_grant",
        UnsupportedGrantType => "unsupported_grant_type",
        UnsupportedResponseType => "unsupported_response_type",
        InvalidScope => "invalid_scope",
        InvalidToken => "invalid_token",
        ServerError => "server_error",
        LoginRequired => "login_required",
        InteractionRequired => "interaction_required",
        RequestNotSupported => "request_not_supported",
        RequestUriNotSupported => "request_uri_not_supported",
    }
}

/// An OAuth 2.0 error (RFC 6749 §4.1.2.1, §5.2): `error` and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OAuthError {
    pub error: OAuthCode,
    pub error_description: String,
}

impl OAuthError {
    pub fn new(error: OAuthCode, description: impl Into<String>) -> Self {
        Self {
            error,
            error_description: description.into(),
        }
    }
}

/// SHA-256, base64url without padding (PKCE S256, `at_hash`'s base).
pub fn s256(input: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(input))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_oauth_code_travels_as_the_name_it_is_matched_by() {
        for &code in OAuthCode::ALL {
            let json = serde_json::to_value(OAuthError::new(code, "x")).unwrap();
            assert_eq!(json["error"], code.as_str(), "{code:?}");
        }
        assert_eq!(OAuthCode::ALL.len(), 12);
        assert_eq!(
            OAuthCode::parse("invalid_grant"),
            Some(OAuthCode::InvalidGrant)
        );
    }
}
