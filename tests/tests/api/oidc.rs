//! Rekey as an OpenID Connect provider, over HTTP: the code flow with
//! PKCE, and every refusal the issue lists.

use std::sync::Arc;

use rekey_function::domain::oidc::jwt;

use rekey_function::domain::model::SigningKeyRecord;
use rekey_function::ports::ManualClock;
use rekey_shared::SigningAlg;
use rekey_tests::oidc::{claims_of, encode, header_of, location, param, pkce, Rp};
use rekey_tests::{spawn_app, spawn_app_with_clock, TestApp};
use serde_json::{json, Value};

const CALLBACK: &str = "http://127.0.0.1:9/callback";

async fn published_keys(app: &TestApp) -> Vec<SigningKeyRecord> {
    let jwks = app.get_json("/oauth2/jwks", None).await;
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| SigningKeyRecord {
            kid: k["kid"].as_str().unwrap().to_string(),
            alg: SigningAlg::parse(k["alg"].as_str().unwrap()).unwrap(),
            jwk: k.to_string(),
            created_at: 0,
            retired_at: None,
        })
        .collect()
}

async fn error_of(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn discovery_names_every_endpoint_under_the_issuer() {
    let app = spawn_app().await;
    let doc = app
        .get_json("/.well-known/openid-configuration", None)
        .await;
    assert_eq!(doc["issuer"], app.address);
    for (field, path) in [
        ("authorization_endpoint", "/oauth2/authorize"),
        ("token_endpoint", "/oauth2/token"),
        ("userinfo_endpoint", "/oauth2/userinfo"),
        ("jwks_uri", "/oauth2/jwks"),
        ("end_session_endpoint", "/oauth2/logout"),
    ] {
        assert_eq!(doc[field], format!("{}{path}", app.address));
    }
    assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        json!(["ES256", "RS256"])
    );
    let keys = published_keys(&app).await;
    assert_eq!(keys.len(), 2);
    assert!(
        keys.iter().all(|k| !k.jwk.contains("\"d\"")),
        "no private parts"
    );
}

#[tokio::test]
async fn a_signed_in_user_gets_a_code_then_tokens_whose_id_token_verifies_with_the_jwks() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let megan = app.sign_in(&app.megan).await;
    let (verifier, challenge) = pkce();
    let code = app.code_for(&rp, &megan, &challenge).await;

    let resp = app.exchange(&rp, &code, &verifier).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let tokens: Value = resp.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 600);
    assert!(tokens.get("refresh_token").is_none());
    let id_token = tokens["id_token"].as_str().unwrap();
    let header = header_of(id_token);
    assert_eq!(header["alg"], "ES256");
    assert!(header["kid"].is_string());
    let claims = jwt::verify(id_token, &published_keys(&app).await).expect("verifies");
    assert_eq!(claims["iss"], app.address);
    assert_eq!(claims["aud"], rp.client_id);
    assert_eq!(claims["sub"], app.megan.id);
    assert_eq!(claims["nonce"], "n-456");
    assert_eq!(claims["email"], app.megan.email);
    // An address an admin set, which nobody proved.
    assert_eq!(claims["email_verified"], false);
    assert_eq!(claims["name"], "Megan Bowen");
    assert_eq!(claims["preferred_username"], "megan.bowen");
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert_eq!(exp - iat, 600);

    let info = app.userinfo(tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(info.status(), 200);
    let info: Value = info.json().await.unwrap();
    assert_eq!(info["sub"], app.megan.id);
    assert_eq!(info["email"], app.megan.email);
    assert_eq!(info["preferred_username"], "megan.bowen");
}

#[tokio::test]
async fn the_claims_follow_the_scopes_and_rs256_apps_get_rs256_tokens() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let resp = app
        .post(
            "/api/apps",
            Some(&admin),
            &json!({"name": "Legacy", "kind": "confidential", "redirect_uris": [CALLBACK],
                    "id_token_alg": "RS256", "pkce_optional": true}),
        )
        .await;
    assert_eq!(resp.status(), 201);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["app"]["pkce_required"], false);
    let rp = Rp {
        client_id: body["app"]["id"].as_str().unwrap().into(),
        secret: body["client_secret"].as_str().map(String::from),
        redirect_uri: CALLBACK.into(),
    };
    let lee = app.sign_in(&app.user).await;
    let query = encode(&[
        ("client_id", &rp.client_id),
        ("redirect_uri", CALLBACK),
        ("response_type", "code"),
        ("scope", "openid unknown-scope"),
    ]);
    let to = location(&app.authorize(Some(&lee.cookie), &query).await);
    let code = param(&to, "code").expect(&to);
    // No PKCE on either side: allowed for a confidential app opted out.
    let resp = app
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", CALLBACK),
                ("client_id", &rp.client_id),
                ("client_secret", rp.secret.as_deref().unwrap()),
            ],
            None,
        )
        .await;
    assert_eq!(resp.status(), 200);
    let tokens: Value = resp.json().await.unwrap();
    assert_eq!(tokens["scope"], "openid");
    let id_token = tokens["id_token"].as_str().unwrap();
    assert_eq!(header_of(id_token)["alg"], "RS256");
    let claims = jwt::verify(id_token, &published_keys(&app).await).expect("verifies");
    assert_eq!(claims["sub"], app.user.id);
    assert!(claims.get("email").is_none() && claims.get("name").is_none());
    let info: Value = app
        .userinfo(tokens["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info, json!({"sub": app.user.id}));
}

#[tokio::test]
async fn every_new_app_must_send_pkce_unless_a_confidential_one_opts_out() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let listed: Value = app
        .get("/api/apps", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["apps"][0]["pkce_required"], true);
    let lee = app.sign_in(&app.user).await;
    let query = encode(&[
        ("client_id", &rp.client_id),
        ("redirect_uri", CALLBACK),
        ("response_type", "code"),
        ("scope", "openid"),
        ("state", "s1"),
    ]);
    let to = location(&app.authorize(Some(&lee.cookie), &query).await);
    assert_eq!(
        param(&to, "error").as_deref(),
        Some("invalid_request"),
        "{to}"
    );
    assert_eq!(param(&to, "code"), None);

    // A public app has no secret: it may never skip PKCE.
    let resp = app
        .post(
            "/api/apps",
            Some(&admin),
            &json!({"name": "Spa", "kind": "public", "redirect_uris": [CALLBACK],
                    "pkce_optional": true}),
        )
        .await;
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["field"], "pkce_optional");
}

#[tokio::test]
async fn without_a_session_the_browser_goes_to_rekeys_sign_in_and_comes_back_with_the_same_request()
{
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let (_, challenge) = pkce();
    let query = app.authorize_query(&rp, &challenge);
    let resp = app.authorize(None, &query).await;
    assert_eq!(resp.status(), 302);
    let to = location(&resp);
    assert!(to.starts_with("/?continue="), "{to}");
    let back = param(&to, "continue").unwrap();
    assert_eq!(back, format!("/oauth2/authorize?{query}"));

    // Signing in sets the single sign-on cookie: Lax, __Host- (Path=/, no
    // Domain), so no sibling host can plant one.
    let resp = app
        .sign_in_response(&app.megan.username, &app.megan.password)
        .await;
    let sso = rekey_tests::oidc::sso_set_cookie(&resp);
    for attr in ["Path=/;", "HttpOnly", "Secure", "SameSite=Lax"] {
        assert!(sso.contains(attr), "{attr} missing in {sso}");
    }
    assert!(!sso.to_ascii_lowercase().contains("domain="), "{sso}");
    let sso_pair = sso.split(';').next().unwrap().to_string();
    let resp = app.authorize(Some(&sso_pair), &query).await;
    let to = location(&resp);
    assert!(
        to.starts_with(CALLBACK) && param(&to, "code").is_some(),
        "{to}"
    );

    // prompt=none without a session answers the app, not the user.
    let silent = format!("{query}&prompt=none");
    let to = location(&app.authorize(None, &silent).await);
    assert!(to.starts_with(CALLBACK), "{to}");
    assert_eq!(param(&to, "error").as_deref(), Some("login_required"));
    // prompt=login asks again even with a session, and drops itself from
    // the request it comes back with.
    let again = format!("{query}&prompt=login");
    let to = location(&app.authorize(Some(&sso_pair), &again).await);
    assert_eq!(
        param(&to, "continue"),
        Some(format!("/oauth2/authorize?{query}"))
    );
    // max_age=0 asks again too, once: the request it comes back with has
    // none, so the fresh sign-in gets the code instead of another loop.
    let fresh = format!("{query}&max_age=0");
    let to = location(&app.authorize(Some(&sso_pair), &fresh).await);
    let back = param(&to, "continue").expect("to sign-in");
    assert_eq!(back, format!("/oauth2/authorize?{query}"));
    let signed_in = app
        .sign_in_response(&app.megan.username, &app.megan.password)
        .await;
    let cookie = rekey_tests::oidc::sso_pair(&signed_in);
    let query_back = back.trim_start_matches("/oauth2/authorize?");
    let to = location(&app.authorize(Some(&cookie), query_back).await);
    assert!(
        to.starts_with(CALLBACK) && param(&to, "code").is_some(),
        "{to}"
    );
}

#[tokio::test]
async fn an_unknown_app_or_an_unregistered_redirect_address_is_never_redirected_to() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let megan = app.sign_in(&app.megan).await;
    let (_, challenge) = pkce();
    for (case, query, reason) in [
        (
            "unknown app",
            encode(&[
                ("client_id", "nope"),
                ("redirect_uri", CALLBACK),
                ("response_type", "code"),
                ("scope", "openid"),
            ]),
            "unknown_app",
        ),
        (
            "other address",
            encode(&[
                ("client_id", &rp.client_id),
                ("redirect_uri", "http://127.0.0.1:9/evil"),
                ("response_type", "code"),
                ("scope", "openid"),
            ]),
            "redirect_uri",
        ),
        (
            "prefix of the address",
            encode(&[
                ("client_id", &rp.client_id),
                ("redirect_uri", "http://127.0.0.1:9/callback/x"),
                ("response_type", "code"),
                ("scope", "openid"),
            ]),
            "redirect_uri",
        ),
        (
            "no address",
            encode(&[
                ("client_id", &rp.client_id),
                ("response_type", "code"),
                ("scope", "openid"),
            ]),
            "redirect_uri",
        ),
        (
            "repeated parameter",
            format!("{}&client_id=x", app.authorize_query(&rp, &challenge)),
            "invalid_request",
        ),
    ] {
        let resp = app.authorize(Some(&megan.cookie), &query).await;
        assert_eq!(resp.status(), 302, "{case}");
        assert_eq!(
            location(&resp),
            format!("/app-sign-in-problem?reason={reason}"),
            "{case}"
        );
    }
}

#[tokio::test]
async fn bad_requests_from_a_known_app_go_back_to_it_as_oauth_errors() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let public = app
        .register_app(&admin, "public", "http://127.0.0.1:9/spa")
        .await;
    let megan = app.sign_in(&app.megan).await;
    let base = |extra: &[(&str, &str)]| {
        let mut pairs = vec![
            ("client_id", public.client_id.as_str()),
            ("redirect_uri", "http://127.0.0.1:9/spa"),
            ("state", "s1"),
        ];
        pairs.extend_from_slice(extra);
        encode(&pairs)
    };
    let challenge = pkce().1;
    for (case, query, error) in [
        (
            "public client without PKCE",
            base(&[("response_type", "code"), ("scope", "openid")]),
            "invalid_request",
        ),
        (
            "plain PKCE",
            base(&[
                ("response_type", "code"),
                ("scope", "openid"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "plain"),
            ]),
            "invalid_request",
        ),
        (
            "implicit flow",
            base(&[("response_type", "token"), ("scope", "openid")]),
            "unsupported_response_type",
        ),
        (
            "no openid scope",
            base(&[
                ("response_type", "code"),
                ("scope", "email"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
            ]),
            "invalid_scope",
        ),
    ] {
        let to = location(&app.authorize(Some(&megan.cookie), &query).await);
        assert!(to.starts_with("http://127.0.0.1:9/spa?"), "{case}: {to}");
        assert_eq!(param(&to, "error").as_deref(), Some(error), "{case}");
        assert_eq!(param(&to, "state").as_deref(), Some("s1"), "{case}");
        assert!(param(&to, "code").is_none(), "{case}");
    }
}

#[tokio::test]
async fn a_code_works_once_and_its_replay_revokes_the_tokens_it_bought() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let megan = app.sign_in(&app.megan).await;
    let (verifier, challenge) = pkce();
    let code = app.code_for(&rp, &megan, &challenge).await;
    let tokens: Value = app
        .exchange(&rp, &code, &verifier)
        .await
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(app.userinfo(access).await.status(), 200);

    assert_eq!(
        error_of(app.exchange(&rp, &code, &verifier).await).await,
        (400, "invalid_grant".into())
    );
    let revoked = app.userinfo(access).await;
    assert_eq!(revoked.status(), 401);
    assert!(revoked.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("invalid_token"));
}

#[tokio::test]
async fn another_app_holding_a_code_can_neither_burn_it_nor_revoke_what_it_bought() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let thief = app
        .register_app(&admin, "confidential", "http://127.0.0.1:9/other")
        .await;
    let megan = app.sign_in(&app.megan).await;
    let (verifier, challenge) = pkce();

    let code = app.code_for(&rp, &megan, &challenge).await;
    // The other app, with its own valid credentials, tries the code first.
    let stolen = app.exchange(&thief, &code, &verifier).await;
    assert_eq!(error_of(stolen).await, (400, "invalid_grant".into()));
    let tokens: Value = app
        .exchange(&rp, &code, &verifier)
        .await
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    // ... and again after the real exchange: not a replay it may act on.
    let again = app.exchange(&thief, &code, &verifier).await;
    assert_eq!(error_of(again).await, (400, "invalid_grant".into()));
    assert_eq!(app.userinfo(access).await.status(), 200);
}

#[tokio::test]
async fn two_exchanges_racing_for_one_code_leave_no_token_standing() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let megan = app.sign_in(&app.megan).await;
    let (verifier, challenge) = pkce();
    for _ in 0..5 {
        let code = app.code_for(&rp, &megan, &challenge).await;
        let (a, b) = tokio::join!(
            app.exchange(&rp, &code, &verifier),
            app.exchange(&rp, &code, &verifier)
        );
        let mut won = vec![];
        for resp in [a, b] {
            if resp.status() == 200 {
                let tokens: Value = resp.json().await.unwrap();
                won.push(tokens["access_token"].as_str().unwrap().to_string());
            } else {
                assert_eq!(error_of(resp).await, (400, "invalid_grant".into()));
            }
        }
        assert_eq!(won.len(), 1, "exactly one exchange wins");
        // The loser was a replay, and the winner's token was already
        // stored with the code's mark, so it is revoked.
        assert_eq!(app.userinfo(&won[0]).await.status(), 401);
    }
}

#[tokio::test]
async fn the_exchange_refuses_a_wrong_verifier_secret_address_or_app() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let other = app
        .register_app(&admin, "confidential", "http://127.0.0.1:9/other")
        .await;
    let megan = app.sign_in(&app.megan).await;

    let (verifier, challenge) = pkce();
    let code = app.code_for(&rp, &megan, &challenge).await;
    let wrong_verifier = pkce().0;
    assert_eq!(
        error_of(app.exchange(&rp, &code, &wrong_verifier).await).await,
        (400, "invalid_grant".into())
    );
    // A wrong verifier proves nothing, so it does not spend the code.
    assert_eq!(app.exchange(&rp, &code, &verifier).await.status(), 200);

    let code = app.code_for(&rp, &megan, &challenge).await;
    let resp = app
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", CALLBACK),
                ("code_verifier", &verifier),
            ],
            Some((&rp.client_id, "not-the-secret")),
        )
        .await;
    assert_eq!(resp.status(), 401);
    assert!(resp.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Basic"));
    assert_eq!(error_of(resp).await.1, "invalid_client");
    // A failed client authentication does not spend the code.
    let resp = app
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", "http://127.0.0.1:9/other"),
                ("code_verifier", &verifier),
            ],
            Some((&rp.client_id, rp.secret.as_deref().unwrap())),
        )
        .await;
    assert_eq!(error_of(resp).await, (400, "invalid_grant".into()));

    let code = app.code_for(&rp, &megan, &challenge).await;
    let resp = app.exchange(&other, &code, &verifier).await;
    assert_eq!(error_of(resp).await, (400, "invalid_grant".into()));

    let resp = app
        .token(
            &[("grant_type", "password"), ("username", "x")],
            Some((&rp.client_id, rp.secret.as_deref().unwrap())),
        )
        .await;
    assert_eq!(error_of(resp).await, (400, "unsupported_grant_type".into()));
    // A confidential app may not skip its secret.
    let code = app.code_for(&rp, &megan, &challenge).await;
    let resp = app
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", CALLBACK),
                ("code_verifier", &verifier),
                ("client_id", &rp.client_id),
            ],
            None,
        )
        .await;
    assert_eq!(error_of(resp).await, (401, "invalid_client".into()));
}

#[tokio::test]
async fn a_code_expires_after_sixty_seconds() {
    let clock = Arc::new(ManualClock::new(1_800_000_000_000));
    let app = spawn_app_with_clock(clock.clone()).await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let megan = app.sign_in(&app.megan).await;
    let (verifier, challenge) = pkce();
    let code = app.code_for(&rp, &megan, &challenge).await;
    clock.advance_ms(60_001);
    assert_eq!(
        error_of(app.exchange(&rp, &code, &verifier).await).await,
        (400, "invalid_grant".into())
    );
    // Access tokens last ten minutes.
    let code = app.code_for(&rp, &megan, &challenge).await;
    let tokens: Value = app
        .exchange(&rp, &code, &verifier)
        .await
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    clock.advance_ms(9 * 60_000);
    assert_eq!(app.userinfo(access).await.status(), 200);
    clock.advance_ms(60_001);
    assert_eq!(app.userinfo(access).await.status(), 401);
}

#[tokio::test]
async fn a_public_app_uses_pkce_and_no_secret() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app
        .register_app(&admin, "public", "http://127.0.0.1:9/spa")
        .await;
    assert!(rp.secret.is_none());
    let megan = app.sign_in(&app.megan).await;
    let (verifier, challenge) = pkce();
    let code = app.code_for(&rp, &megan, &challenge).await;
    let fields = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "http://127.0.0.1:9/spa"),
        ("client_id", rp.client_id.as_str()),
    ];
    // Without the verifier the code is refused (and spent).
    assert_eq!(
        error_of(app.token(&fields, None).await).await,
        (400, "invalid_grant".into())
    );
    let code = app.code_for(&rp, &megan, &challenge).await;
    let mut fields = fields.to_vec();
    fields[1] = ("code", &code);
    fields.push(("code_verifier", &verifier));
    let resp = app.token(&fields, None).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn a_forced_change_a_lock_or_a_reset_keeps_codes_from_being_issued() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let (verifier, challenge) = pkce();
    let query = app.authorize_query(&rp, &challenge);

    // Signed in, then reset by an admin with "must change": the old session
    // is over, and the new one must change the password first.
    let megan = app.sign_in(&app.megan).await;
    let code = app.code_for(&rp, &megan, &challenge).await;
    let reset = app
        .reset(&admin, &app.megan.id, &json!({"require_change": true}))
        .await;
    let temporary = reset["password"].as_str().unwrap().to_string();
    assert_eq!(
        error_of(app.exchange(&rp, &code, &verifier).await).await,
        (400, "invalid_grant".into())
    );
    let to = location(&app.authorize(Some(&megan.cookie), &query).await);
    assert!(
        to.starts_with("/?continue="),
        "the reset ended the session: {to}"
    );
    let forced =
        rekey_tests::session_from(&app.sign_in_response(&app.megan.username, &temporary).await)
            .unwrap();
    let to = location(&app.authorize(Some(&forced.cookie), &query).await);
    assert!(
        to.starts_with("/?continue="),
        "a pending change gets no code: {to}"
    );
    let to = location(
        &app.authorize(Some(&forced.cookie), &format!("{query}&prompt=none"))
            .await,
    );
    assert_eq!(param(&to, "error").as_deref(), Some("interaction_required"));

    // Locked by failed sign-ins while signed in elsewhere: no code either.
    let lee = app.sign_in(&app.user).await;
    for _ in 0..10 {
        app.sign_in_response(&app.user.username, "wrong password")
            .await;
    }
    let to = location(&app.authorize(Some(&lee.cookie), &query).await);
    assert!(to.starts_with("/?continue="), "{to}");
}

#[tokio::test]
async fn logout_with_a_valid_hint_ends_the_session_and_returns_to_a_registered_address() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let megan = app.sign_in(&app.megan).await;
    let (verifier, challenge) = pkce();
    let code = app.code_for(&rp, &megan, &challenge).await;
    let tokens: Value = app
        .exchange(&rp, &code, &verifier)
        .await
        .json()
        .await
        .unwrap();
    let id_token = tokens["id_token"].as_str().unwrap();

    let logout = |query: String, cookie: Option<String>| {
        let url = app.url(&format!("/oauth2/logout?{query}"));
        async move {
            let mut req = rekey_tests::oidc::no_redirects().get(url);
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            req.send().await.unwrap()
        }
    };
    // Unregistered post-logout address: refused, the session stands.
    let resp = logout(
        encode(&[
            ("id_token_hint", id_token),
            ("post_logout_redirect_uri", "http://127.0.0.1:9/evil"),
        ]),
        Some(megan.cookie.clone()),
    )
    .await;
    assert_eq!(location(&resp), "/app-sign-in-problem?reason=logout_uri");
    assert_eq!(app.get("/api/me", Some(&megan)).await.status(), 200);
    // A forged hint (alg none, or claims changed) is no hint: Rekey asks.
    let parts: Vec<&str> = id_token.split('.').collect();
    let b64 = |v: &Value| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let mut claims = claims_of(id_token);
    let none = format!("{}.{}.", b64(&json!({"alg": "none"})), parts[1]);
    claims["sub"] = json!(app.global_admin.id);
    let altered = format!("{}.{}.{}", parts[0], b64(&claims), parts[2]);
    let hs256 = format!(
        "{}.{}.{}",
        b64(&json!({"alg": "HS256", "kid": header_of(id_token)["kid"]})),
        parts[1],
        parts[2]
    );
    for forged in [none, altered, hs256] {
        let resp = logout(
            encode(&[("id_token_hint", &forged)]),
            Some(megan.cookie.clone()),
        )
        .await;
        assert_eq!(location(&resp), "/sign-out");
        assert_eq!(app.get("/api/me", Some(&megan)).await.status(), 200);
    }
    // The real hint: signed out at once and sent back with the state.
    let resp = logout(
        encode(&[
            ("id_token_hint", id_token),
            ("post_logout_redirect_uri", "http://127.0.0.1:9/signed-out"),
            ("state", "bye"),
        ]),
        Some(megan.cookie.clone()),
    )
    .await;
    assert_eq!(location(&resp), "http://127.0.0.1:9/signed-out?state=bye");
    assert_eq!(app.get("/api/me", Some(&megan)).await.status(), 401);
}

#[tokio::test]
async fn logout_with_someone_elses_valid_id_token_asks_instead_of_signing_out() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    // Lee's own, perfectly valid ID token, as he could link it from any page.
    let lee = app.sign_in(&app.user).await;
    let tokens = app.tokens_for(&rp, &lee).await;
    let lees_token = tokens["id_token"].as_str().unwrap();
    let megan = app.sign_in(&app.megan).await;
    let resp = rekey_tests::oidc::no_redirects()
        .get(app.url(&format!(
            "/oauth2/logout?{}",
            encode(&[("id_token_hint", lees_token)])
        )))
        .header("cookie", &megan.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&resp), "/sign-out");
    assert_eq!(app.get("/api/me", Some(&megan)).await.status(), 200);
}

#[tokio::test]
async fn only_global_admins_manage_apps_and_secrets_are_shown_once() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let helpdesk = app.sign_in(&app.helpdesk_admin).await;
    let body = json!({"name": "Wiki", "kind": "confidential", "redirect_uris": [CALLBACK],
                      "home_url": "http://127.0.0.1:9/"});
    let refused = app.post("/api/apps", Some(&helpdesk), &body).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(app.get("/api/apps", Some(&helpdesk)).await.status(), 403);
    for bad in [
        json!({"name": "", "kind": "public", "redirect_uris": [CALLBACK]}),
        json!({"name": "X", "kind": "public", "redirect_uris": []}),
        json!({"name": "X", "kind": "public", "redirect_uris": ["http://example.com/cb"]}),
        json!({"name": "X", "kind": "public", "redirect_uris": ["https://a.example/*"], "extra": 1}),
    ] {
        let resp = app.post("/api/apps", Some(&admin), &bad).await;
        assert_eq!(resp.status(), 400, "{bad}");
    }
    let created = app.post("/api/apps", Some(&admin), &body).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let id = created["app"]["id"].as_str().unwrap().to_string();
    let secret = created["client_secret"].as_str().unwrap().to_string();
    let listed = app.get_json("/api/apps", Some(&admin)).await;
    assert!(!listed.to_string().contains(&secret));
    assert!(!String::from_utf8_lossy(&app.store_bytes()).contains(&secret));

    let rotated: Value = app
        .post(&format!("/api/apps/{id}/secret"), Some(&admin), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert_ne!(new_secret, secret);
    let rp = Rp {
        client_id: id.clone(),
        secret: Some(secret),
        redirect_uri: CALLBACK.into(),
    };
    let megan = app.sign_in(&app.megan).await;
    let (verifier, challenge) = pkce();
    let code = app.code_for(&rp, &megan, &challenge).await;
    assert_eq!(
        error_of(app.exchange(&rp, &code, &verifier).await).await.1,
        "invalid_client"
    );
    let rp = Rp {
        secret: Some(new_secret.to_string()),
        ..rp
    };
    assert_eq!(app.exchange(&rp, &code, &verifier).await.status(), 200);

    // Everyone sees it in My apps.
    let mine = app.get_json("/api/my-apps", Some(&megan)).await;
    assert_eq!(
        mine["apps"],
        json!([{"name": "Wiki", "url": "http://127.0.0.1:9/"}])
    );

    let removed = app
        .client
        .delete(app.url(&format!("/api/apps/{id}")))
        .header("origin", &app.address)
        .header("content-type", "application/json")
        .header("cookie", &admin.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    let code_after = app
        .authorize(Some(&megan.cookie), &app.authorize_query(&rp, &challenge))
        .await;
    assert_eq!(
        location(&code_after),
        "/app-sign-in-problem?reason=unknown_app"
    );
    let actions = app.audit_actions(&admin).await;
    for action in ["app_registered", "app_secret_rotated", "app_removed"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn a_new_signing_key_signs_and_the_old_one_stays_published_while_its_tokens_live() {
    use rekey_function::adapters::key_file::KeyFileSigner;

    let clock = Arc::new(ManualClock::new(1_800_000_000_000));
    let app = spawn_app_with_clock(clock.clone()).await;
    let old: Vec<String> = published_keys(&app)
        .await
        .into_iter()
        .map(|k| k.kid)
        .collect();
    // Another instance starts with rotated keys over the same store.
    let dir = tempfile::tempdir().unwrap();
    let rotated = KeyFileSigner::rotate(&dir.path().join("keys.json"), 0).unwrap();
    let mut settings = app.app.settings.clone();
    settings.public_url = format!("{}/", app.address);
    let ports = rekey_function::domain::Ports {
        store: app.app.store.clone(),
        mailer: app.app.mailer.clone(),
        clock: clock.clone(),
        signer: Arc::new(rotated),
        sealer: app.app.sealer.clone(),
    };
    let next = rekey_function::startup::assemble(ports, Default::default(), 1, settings).unwrap();
    next.publish_signing_keys().await.unwrap();
    let new: Vec<String> = next
        .current_keys()
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.kid)
        .collect();
    let kids = |keys: Vec<serde_json::Value>| -> Vec<String> {
        keys.iter()
            .map(|k| k["kid"].as_str().unwrap().to_string())
            .collect()
    };
    let both = kids(next.jwks().await.unwrap());
    assert!(old.iter().chain(&new).all(|k| both.contains(k)), "{both:?}");
    // Ten minutes on, the old keys' last tokens have expired.
    clock.advance_ms(10 * 60_000 + 1);
    let later = kids(next.jwks().await.unwrap());
    assert!(new.iter().all(|k| later.contains(k)));
    assert!(old.iter().all(|k| !later.contains(k)), "{later:?}");
}

#[tokio::test]
async fn the_authorization_request_may_also_come_as_a_form_post() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let megan = app.sign_in(&app.megan).await;
    let (_, challenge) = pkce();
    let resp = rekey_tests::oidc::no_redirects()
        .post(app.url("/oauth2/authorize"))
        .header("cookie", &megan.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(app.authorize_query(&rp, &challenge))
        .send()
        .await
        .unwrap();
    let to = location(&resp);
    assert!(
        to.starts_with(CALLBACK) && param(&to, "code").is_some(),
        "{to}"
    );
}

#[tokio::test]
async fn a_planted_second_sso_cookie_counts_as_no_session_at_all() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app.register_app(&admin, "confidential", CALLBACK).await;
    let (_, challenge) = pkce();
    let query = app.authorize_query(&rp, &challenge);
    let sso_of = rekey_tests::oidc::sso_pair;
    let megan = sso_of(
        &app.sign_in_response(&app.megan.username, &app.megan.password)
            .await,
    );
    let attacker = sso_of(
        &app.sign_in_response(&app.user.username, &app.user.password)
            .await,
    );
    // Megan's own cookie signs her in to the app at once.
    let to = location(&app.authorize(Some(&megan), &query).await);
    assert!(to.starts_with(CALLBACK), "{to}");
    // With the attacker's planted in front of hers, neither counts: she is
    // asked to sign in, never signed in as him.
    let both = format!("{attacker}; {megan}");
    let to = location(&app.authorize(Some(&both), &query).await);
    assert!(to.starts_with("/?continue="), "{to}");
}
