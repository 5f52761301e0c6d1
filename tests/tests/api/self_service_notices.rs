//! What a user is told of her self-service reset's gates: a recovery code
//! spent at one says it was used to reset her password, not to sign in.

use rekey_function::ports::Clock;
use rekey_tests::authenticator;
use rekey_tests::second_step::{sign_in_with_code, with_app};
use rekey_tests::self_service::{clocked, sspr_on, start, status_and_body, verify};
use serde_json::{json, Value};

#[tokio::test]
async fn a_recovery_code_spent_at_a_gate_tells_her_it_reset_her_password_not_signed_her_in() {
    let (clock, app) = clocked().await;
    sspr_on(&app, "all", &[], 1, &["recovery_code", "alternate_email"]).await;
    let secret = with_app(&app, &clock, &app.megan).await;
    let fresh = sign_in_with_code(
        &app,
        &app.megan,
        &authenticator::code(&secret, clock.now_ms()),
    )
    .await;
    let made: Value = app
        .post("/api/me/methods/recovery-codes", Some(&fresh), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let code = made["codes"][0].as_str().unwrap().to_string();
    let before = app.outbox().len();

    let flow = start(&app, "megan.bowen").await;
    let (status, progress) =
        status_and_body(verify(&app, &flow, "recovery_code", &code).await).await;
    assert_eq!((status, progress["remaining"].clone()), (200, json!(0)));
    let told: Vec<_> = app.outbox().into_iter().skip(before).collect();
    let about_the_code: Vec<_> = told
        .iter()
        .filter(|m| m.subject.contains("recovery code"))
        .collect();
    assert!(!about_the_code.is_empty(), "she is told a code was spent");
    for m in about_the_code {
        assert_eq!(
            m.subject,
            "A recovery code was used to reset your Contoso password"
        );
        assert!(m.text.contains("you have 9 codes left"), "{}", m.text);
        assert!(!m.text.contains(&code), "never the code itself");
    }
}
