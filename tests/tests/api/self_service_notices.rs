//! What a user is told of her self-service reset's gates: a recovery code
//! spent at one says it was used to reset her password, not to sign in;
//! the notice after the reset reaches the address she confirmed too.

use rekey_function::ports::Clock;
use rekey_tests::authenticator;
use rekey_tests::second_step::{sign_in_with_code, with_app};
use rekey_tests::self_service::{
    clocked, megan_with_her_address, megans_flow_and_code, set_password, sspr_on, start,
    status_and_body, verify, with_alternate_email, MEGAN_ALT, NEW_PASSWORD,
};
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

#[tokio::test]
async fn after_her_own_reset_the_notice_also_reaches_the_address_she_confirmed_once() {
    let (_clock, app) = clocked().await;
    megan_with_her_address(&app).await;
    let (flow, code) = megans_flow_and_code(&app).await;
    assert_eq!(
        verify(&app, &flow, "alternate_email", &code).await.status(),
        200
    );
    assert_eq!(set_password(&app, &flow, NEW_PASSWORD).await.status(), 204);
    let mut told: Vec<String> = app
        .outbox()
        .into_iter()
        .filter(|m| m.subject == "Your Contoso password was changed")
        .map(|m| m.to)
        .collect();
    told.sort();
    let mut expected = vec![
        app.megan.email.clone(),
        "megan.home@personal.example".to_string(),
        MEGAN_ALT.to_string(),
    ];
    expected.sort();
    assert_eq!(
        told, expected,
        "her work address, her profile's and the one she confirmed, once each"
    );
    let audit = app
        .get_json(
            "/api/audit?action=notice_sent",
            Some(&app.sign_in(&app.global_admin).await),
        )
        .await;
    let recipients: Vec<&str> = audit["events"][0]["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["recipient"].as_str().unwrap())
        .collect();
    assert!(recipients.contains(&MEGAN_ALT), "{recipients:?}");
}

#[tokio::test]
async fn an_address_both_on_her_profile_and_confirmed_by_her_is_told_once() {
    let (_clock, app) = clocked().await;
    // Her profile's alternate as an admin typed it, and as she confirmed it.
    let mut record = app.user_record(&app.megan.id).await;
    record.alternate_email = Some("Megan.Home@Personal.example".into());
    app.store.update_user(&record, &[]).await.unwrap();
    let megan = app.sign_in(&app.megan).await;
    with_alternate_email(&app, &megan, "megan.home@personal.example").await;
    let admin = app.sign_in(&app.global_admin).await;
    let options = json!({"password": {"mode": "generate"}, "require_change": true});
    app.reset(&admin, &app.megan.id, &options).await;
    let told = app
        .outbox()
        .into_iter()
        .filter(|m| m.subject == "Your Contoso password was changed")
        .count();
    assert_eq!(told, 2, "her work address, and her home one once");
}
