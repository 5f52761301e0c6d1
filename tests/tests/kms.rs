//! ID tokens signed in KMS: the real binary with `REKEY_KMS_KEY_IDS`
//! against moto's KMS (an ECC_NIST_P256 and an RSA_2048 key). The JWKS
//! publishes exactly KMS's public keys, no key file is made, and tokens of
//! both algorithms verify against the JWKS.

use aws_sdk_kms::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_kms::types::{KeySpec, KeyUsageType};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rekey_function::adapters::kms_sealer::KmsSealer;
use rekey_function::domain::model::SigningKeyRecord;
use rekey_function::domain::oidc::jwt;
use rekey_function::ports::Sealer;
use rekey_shared::SigningAlg;
use rekey_tests::oidc::{encode, location, no_redirects, param, pkce};
use rekey_tests::server::Server;
use serde_json::{json, Value};

fn kms() -> aws_sdk_kms::Client {
    let config = aws_sdk_kms::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(rekey_tests::dynamodb::endpoint())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDTESTTESTTEST",
            "test-secret",
            None,
            None,
            "tests",
        ))
        .build();
    aws_sdk_kms::Client::from_conf(config)
}

async fn new_key(client: &aws_sdk_kms::Client, spec: KeySpec) -> String {
    let out = client
        .create_key()
        .key_spec(spec)
        .key_usage(KeyUsageType::SignVerify)
        .send()
        .await
        .unwrap();
    out.key_metadata().unwrap().arn().unwrap().to_string()
}

async fn id_token_for(server: &Server, cookie: &str, alg: &str) -> String {
    let client = no_redirects();
    let app: Value = client
        .post(format!("{}/api/apps", server.url))
        .header("origin", &server.url)
        .header("cookie", cookie)
        .json(&json!({"name": format!("App {alg}"), "kind": "public",
                      "redirect_uris": ["http://127.0.0.1:9/cb"], "id_token_alg": alg}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let client_id = app["app"]["id"].as_str().expect("registered").to_string();
    let (verifier, challenge) = pkce();
    let query = encode(&[
        ("client_id", &client_id),
        ("redirect_uri", "http://127.0.0.1:9/cb"),
        ("response_type", "code"),
        ("scope", "openid"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let resp = client
        .get(format!("{}/oauth2/authorize?{query}", server.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let code = param(&location(&resp), "code").expect("a code");
    let tokens: Value = client
        .post(format!("{}/oauth2/token", server.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9/cb"),
            ("client_id", &client_id),
            ("code_verifier", &verifier),
        ]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tokens["id_token"]
        .as_str()
        .expect("an ID token")
        .to_string()
}

#[tokio::test]
async fn kms_keys_sign_es256_and_rs256_id_tokens_that_verify_with_the_jwks() {
    let client = kms();
    let ec = new_key(&client, KeySpec::EccNistP256).await;
    let rsa = new_key(&client, KeySpec::Rsa2048).await;
    let mut env = vec![
        (
            "AWS_ENDPOINT_URL_KMS",
            rekey_tests::dynamodb::endpoint().to_string(),
        ),
        ("REKEY_KMS_KEY_IDS", format!("{ec},{rsa}")),
    ];
    env.extend(
        rekey_tests::dynamodb::aws_env()
            .into_iter()
            .filter(|(k, _)| *k != "AWS_ENDPOINT_URL_DYNAMODB"),
    );
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = Server::start_with(&env);
    assert!(
        !server.data.path().join("signing-keys.json").exists(),
        "with KMS keys no local key is made"
    );

    let jwks = server
        .get_json(&reqwest::Client::new(), None, "/oauth2/jwks")
        .await;
    let keys: Vec<SigningKeyRecord> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| SigningKeyRecord {
            kid: k["kid"].as_str().unwrap().into(),
            alg: SigningAlg::parse(k["alg"].as_str().unwrap()).unwrap(),
            jwk: k.to_string(),
            created_at: 0,
            retired_at: None,
        })
        .collect();
    assert_eq!(keys.len(), 2);
    // The published P-256 key is KMS's own (the SPKI's point is x || y).
    let spki = client.get_public_key().key_id(&ec).send().await.unwrap();
    let der = spki.public_key().unwrap().as_ref().to_vec();
    let published = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["alg"] == "ES256")
        .unwrap();
    let x = URL_SAFE_NO_PAD
        .decode(published["x"].as_str().unwrap())
        .unwrap();
    let y = URL_SAFE_NO_PAD
        .decode(published["y"].as_str().unwrap())
        .unwrap();
    assert_eq!(&der[der.len() - 64..], [x, y].concat().as_slice());

    let cookie = server.admin_cookie(&reqwest::Client::new()).await;
    for alg in ["ES256", "RS256"] {
        let id_token = id_token_for(&server, &cookie, alg).await;
        let claims =
            jwt::verify(&id_token, &keys).unwrap_or_else(|| panic!("{alg} token verifies"));
        assert_eq!(claims["iss"], server.url);
        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(id_token.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header["alg"], alg);
    }
}

/// TOTP seeds sealed under a KMS key (envelope: KMS wraps the data key),
/// opened by another process with the same key, and by nothing else.
#[tokio::test]
async fn a_seed_sealed_under_kms_opens_for_its_record_in_any_process_and_never_shows_in_clear() {
    let client = kms();
    let key_id = client
        .create_key()
        .key_usage(KeyUsageType::EncryptDecrypt)
        .send()
        .await
        .unwrap()
        .key_metadata()
        .unwrap()
        .key_id()
        .to_string();
    let sealer = KmsSealer::with_client(client.clone(), &key_id);
    let seed = b"a twenty byte seed!!";
    let sealed = sealer.seal(seed, "method:1").await.unwrap();
    let again = sealer.seal(seed, "method:2").await.unwrap();
    assert!(!sealed.windows(seed.len()).any(|w| w == seed));
    assert_ne!(sealed, again);
    assert_eq!(&*sealer.open(&sealed, "method:1").await.unwrap(), seed);
    assert!(sealer.open(&sealed, "method:2").await.is_err());

    // A cold start: a new sealer unwraps the data key through KMS.
    let next = KmsSealer::with_client(client.clone(), &key_id);
    assert_eq!(&*next.open(&again, "method:2").await.unwrap(), seed);
    let mut changed = sealed.clone();
    *changed.last_mut().unwrap() ^= 1;
    assert!(next.open(&changed, "method:1").await.is_err());
    let mut wrong_key = sealed.clone();
    wrong_key[10] ^= 1;
    assert!(next.open(&wrong_key, "method:1").await.is_err());
    assert!(next.open(&sealed[..5], "method:1").await.is_err());
}
