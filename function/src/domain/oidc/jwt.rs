//! Compact JWS (RFC 7515) for ID tokens: signed through the Signer port,
//! verified against the published keys. `alg` is always the key's own:
//! `none`, HMAC and any mismatch are refused.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rekey_shared::SigningAlg;
use serde_json::{json, Value};

use crate::domain::model::SigningKeyRecord;
use crate::ports::{PublicKey, SignError, Signer};

/// Signs `claims` with `key`, naming it in the header (`kid`).
pub async fn sign(
    signer: &dyn Signer,
    key: &PublicKey,
    claims: &Value,
) -> Result<String, SignError> {
    let header = json!({ "alg": key.alg.as_str(), "typ": "JWT", "kid": key.kid });
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = signer.sign(&key.kid, input.as_bytes()).await?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// The claims of `token` if one of `keys` signed it (expiry not checked:
/// the caller decides what an old token is still good for).
pub fn verify(token: &str, keys: &[SigningKeyRecord]) -> Option<Value> {
    let mut parts = token.split('.');
    let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    let alg = SigningAlg::parse(header.get("alg")?.as_str()?)?;
    let kid = header.get("kid")?.as_str()?;
    let key = keys.iter().find(|k| k.kid == kid && k.alg == alg)?;
    let jwk: Value = serde_json::from_str(&key.jwk).ok()?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let input = &token[..header_and_claims_len(token)?];
    let ok = match alg {
        SigningAlg::Es256 => verify_es256(&jwk, input.as_bytes(), &signature),
        SigningAlg::Rs256 => verify_rs256(&jwk, input.as_bytes(), &signature),
    };
    if !ok {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()
}

fn header_and_claims_len(token: &str) -> Option<usize> {
    token.rfind('.')
}

fn coordinate(jwk: &Value, name: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(jwk.get(name)?.as_str()?).ok()
}

fn verify_es256(jwk: &Value, message: &[u8], signature: &[u8]) -> bool {
    use p256::ecdsa::signature::Verifier;
    let (Some(x), Some(y)) = (coordinate(jwk, "x"), coordinate(jwk, "y")) else {
        return false;
    };
    if x.len() != 32 || y.len() != 32 {
        return false;
    }
    let mut sec1 = vec![4u8];
    sec1.extend_from_slice(&x);
    sec1.extend_from_slice(&y);
    let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1) else {
        return false;
    };
    let Ok(signature) = p256::ecdsa::Signature::from_slice(signature) else {
        return false;
    };
    key.verify(message, &signature).is_ok()
}

fn verify_rs256(jwk: &Value, message: &[u8], signature: &[u8]) -> bool {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;
    let (Some(n), Some(e)) = (coordinate(jwk, "n"), coordinate(jwk, "e")) else {
        return false;
    };
    let Ok(key) = rsa::RsaPublicKey::new(
        rsa::BigUint::from_bytes_be(&n),
        rsa::BigUint::from_bytes_be(&e),
    ) else {
        return false;
    };
    let Ok(signature) = Signature::try_from(signature) else {
        return false;
    };
    VerifyingKey::<sha2::Sha256>::new(key)
        .verify(message, &signature)
        .is_ok()
}
