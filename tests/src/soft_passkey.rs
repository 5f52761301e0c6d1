//! A software passkey for API tests: what a browser sends back from
//! `navigator.credentials.create()` and `.get()` (their `toJSON()`), with
//! "none" attestation and a P-256 key, and knobs to misbehave (another
//! origin, no user verification, a counter wound back).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub struct SoftPasskey {
    key: SigningKey,
    pub credential_id: Vec<u8>,
    /// The user handle the registration stored (the server's user id).
    pub user_handle: Option<Vec<u8>>,
    /// The signature counter the next assertion carries (then one more).
    pub counter: u32,
    pub rp_id: String,
    /// The origin the client data names.
    pub origin: String,
    /// Whether the authenticator says it verified the user.
    pub user_verified: bool,
    /// A synced passkey (backup eligible, and backed up).
    pub synced: bool,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A CBOR item's head (RFC 8949 3.1).
fn head(major: u8, len: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    match len {
        0..=23 => out.push(m | len as u8),
        24..=0xff => out.extend([m | 24, len as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend((len as u16).to_be_bytes());
        }
        _ => {
            out.push(m | 26);
            out.extend((len as u32).to_be_bytes());
        }
    }
}

fn int(v: i64, out: &mut Vec<u8>) {
    if v >= 0 {
        head(0, v as u64, out)
    } else {
        head(1, (-1 - v) as u64, out)
    }
}

fn bytes(b: &[u8], out: &mut Vec<u8>) {
    head(2, b.len() as u64, out);
    out.extend(b);
}

fn text(t: &str, out: &mut Vec<u8>) {
    head(3, t.len() as u64, out);
    out.extend(t.as_bytes());
}

fn challenge_of(options: &Value) -> String {
    options["publicKey"]["challenge"]
        .as_str()
        .expect("options.publicKey.challenge")
        .to_string()
}

impl SoftPasskey {
    /// A new authenticator for the site at `origin` (its host is the RP ID).
    pub fn new(origin: &str) -> SoftPasskey {
        let key = loop {
            let mut scalar = [0u8; 32];
            rand::rng().fill_bytes(&mut scalar);
            if let Ok(key) = SigningKey::from_slice(&scalar) {
                break key;
            }
        };
        let mut credential_id = vec![0u8; 32];
        rand::rng().fill_bytes(&mut credential_id);
        let url = url::Url::parse(origin).unwrap();
        SoftPasskey {
            key,
            credential_id,
            user_handle: None,
            counter: 1,
            rp_id: url.host_str().unwrap().to_string(),
            origin: origin.trim_end_matches('/').to_string(),
            user_verified: true,
            synced: false,
        }
    }

    fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        json!({ "type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false })
            .to_string()
            .into_bytes()
    }

    fn auth_data(&mut self, attested: bool) -> Vec<u8> {
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        let mut flags = 0x01; // user present
        if self.user_verified {
            flags |= 0x04;
        }
        if self.synced {
            flags |= 0x08 | 0x10;
        }
        if attested {
            flags |= 0x40;
        }
        data.push(flags);
        data.extend(self.counter.to_be_bytes());
        self.counter += 1;
        if attested {
            data.extend([0u8; 16]); // AAGUID: none
            data.extend((self.credential_id.len() as u16).to_be_bytes());
            data.extend(&self.credential_id);
            let point = self.key.verifying_key().to_sec1_point(false);
            let xy = point.as_bytes();
            // COSE_Key: kty EC2, alg ES256, crv P-256, x, y.
            head(5, 5, &mut data);
            int(1, &mut data);
            int(2, &mut data);
            int(3, &mut data);
            int(-7, &mut data);
            int(-1, &mut data);
            int(1, &mut data);
            int(-2, &mut data);
            bytes(&xy[1..33], &mut data);
            int(-3, &mut data);
            bytes(&xy[33..65], &mut data);
        }
        data
    }

    /// The credential a browser returns for the server's creation options.
    pub fn register(&mut self, options: &Value) -> Value {
        let user_id = options["publicKey"]["user"]["id"].as_str().unwrap();
        self.user_handle = Some(URL_SAFE_NO_PAD.decode(user_id).unwrap());
        let client_data = self.client_data("webauthn.create", &challenge_of(options));
        let auth_data = self.auth_data(true);
        let mut attestation = Vec::new();
        head(5, 3, &mut attestation);
        text("fmt", &mut attestation);
        text("none", &mut attestation);
        text("attStmt", &mut attestation);
        head(5, 0, &mut attestation);
        text("authData", &mut attestation);
        bytes(&auth_data, &mut attestation);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(&client_data),
                "attestationObject": b64(&attestation),
                "transports": ["internal"],
            },
        })
    }

    /// The assertion a browser returns for the server's request options.
    pub fn assert(&mut self, options: &Value) -> Value {
        let client_data = self.client_data("webauthn.get", &challenge_of(options));
        let auth_data = self.auth_data(false);
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": b64(&self.credential_id),
            "rawId": b64(&self.credential_id),
            "type": "public-key",
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {
                "clientDataJSON": b64(&client_data),
                "authenticatorData": b64(&auth_data),
                "signature": b64(signature.to_der().as_bytes()),
                "userHandle": self.user_handle.as_deref().map(b64),
            },
        })
    }
}
