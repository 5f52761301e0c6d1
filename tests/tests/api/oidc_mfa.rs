//! What an app learns of how its user signed in: `amr` and `acr` in the
//! ID token, and `acr_values=mfa` stepping a password-only session up.

use std::sync::Arc;

use rekey_function::ports::{Clock, ManualClock};
use rekey_tests::oidc::{claims_of, encode, location, param, pkce};
use rekey_tests::second_step::{sign_in_with_code, with_app};
use rekey_tests::{authenticator, spawn_app_with_clock};
use serde_json::{json, Value};

const T0: i64 = 1_900_000_000_000;

#[tokio::test]
async fn the_id_token_says_how_she_signed_in_and_acr_values_mfa_steps_a_password_up() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let doc = app
        .get_json("/.well-known/openid-configuration", None)
        .await;
    assert_eq!(doc["acr_values_supported"], json!(["pwd", "mfa"]));
    for claim in ["amr", "acr"] {
        assert!(doc["claims_supported"]
            .as_array()
            .unwrap()
            .contains(&json!(claim)));
    }
    let gadmin = app.sign_in(&app.global_admin).await;
    let rp = app
        .register_app(&gadmin, "confidential", "http://127.0.0.1:9/callback")
        .await;

    // A password alone: `pwd`.
    let password_only = app.sign_in(&app.megan).await;
    let tokens = app.tokens_for(&rp, &password_only).await;
    let claims = claims_of(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["amr"], json!(["pwd"]));
    assert_eq!(claims["acr"], "pwd");

    // An app that asks for a second factor sends that session back to
    // sign in (the request kept), or hears why when it may not.
    let (verifier, challenge) = pkce();
    let query = format!(
        "{}&{}",
        app.authorize_query(&rp, &challenge),
        encode(&[("acr_values", "mfa")])
    );
    let resp = app.authorize(Some(&password_only.cookie), &query).await;
    let to = location(&resp);
    let back = param(&format!("http://x{to}"), "continue").expect("a sign-in first");
    assert!(back.contains("acr_values=mfa"), "{back}");
    let resp = app
        .authorize(Some(&password_only.cookie), &format!("{query}&prompt=none"))
        .await;
    assert_eq!(
        param(&location(&resp), "error").as_deref(),
        Some("interaction_required")
    );

    // Password and her app's code: `mfa`, and the app's request passes.
    let secret = with_app(&app, &clock, &app.megan).await;
    let session = sign_in_with_code(
        &app,
        &app.megan,
        &authenticator::code(&secret, clock.now_ms()),
    )
    .await;
    let resp = app.authorize(Some(&session.cookie), &query).await;
    let code = param(&location(&resp), "code").expect("a code");
    let tokens: Value = app
        .exchange(&rp, &code, &verifier)
        .await
        .json()
        .await
        .unwrap();
    let claims = claims_of(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["amr"], json!(["pwd", "otp", "mfa"]));
    assert_eq!(claims["acr"], "mfa");
}
