//! Recovery codes: ten, shown once, each signs in once; a new set voids
//! the old; each use tells the user how many are left.

use std::sync::Arc;

use rekey_function::ports::{Clock, ManualClock};
use rekey_tests::second_step::{code_for, password_step, sign_in_with_code, with_app};
use rekey_tests::{contains_bytes, spawn_app_with_clock, Session, TestApp};
use serde_json::{json, Value};

const T0: i64 = 1_900_000_000_000;

async fn new_codes(app: &TestApp, session: &Session) -> reqwest::Response {
    app.post("/api/me/methods/recovery-codes", Some(session), &json!({}))
        .await
}

async fn codes_of(resp: reqwest::Response) -> Vec<String> {
    assert_eq!(resp.status(), 201);
    let body: Value = resp.json().await.unwrap();
    body["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn ten_codes_need_an_app_first_and_each_signs_in_once_telling_how_many_are_left() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let session = app.sign_in(&app.megan).await;
    // Codes lead back to an app: none without one.
    let resp = new_codes(&app, &session).await;
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["code"],
        "invalid_request"
    );

    let secret = with_app(&app, &clock, &app.megan).await;
    let code = rekey_tests::authenticator::code(&secret, clock.now_ms());
    let fresh = sign_in_with_code(&app, &app.megan, &code).await;
    let resp = new_codes(&app, &fresh).await;
    let codes = codes_of(resp).await;
    assert_eq!(codes.len(), 10);
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 10);
    assert!(codes
        .iter()
        .all(|c| c.len() == 19 && c.matches('-').count() == 3));
    let info = app.get_json("/api/me/methods", Some(&fresh)).await;
    let set = info["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "recovery_codes")
        .expect("the set is listed")
        .clone();
    assert_eq!(set["codes_left"], 10);

    // The password step offers them.
    let (_, pending, body) = password_step(&app, &app.megan).await;
    assert_eq!(
        body["methods"],
        json!(["authenticator_app", "recovery_codes"])
    );
    // Typed as people type them: capitals, spaces for dashes.
    let typed = codes[0].to_uppercase().replace('-', " ");
    let resp = code_for(&app, &pending, &typed).await;
    assert_eq!(resp.status(), 200);
    let signed_in: Value = resp.json().await.unwrap();
    assert_eq!(signed_in["recovery_codes_left"], 9);
    assert_eq!(signed_in["amr"], json!(["pwd", "otp", "mfa"]));

    // A used code never signs in again.
    let (_, pending, _) = password_step(&app, &app.megan).await;
    let resp = code_for(&app, &pending, &codes[0]).await;
    assert_eq!(resp.status(), 422);
    assert_eq!(resp.json::<Value>().await.unwrap()["code"], "invalid_code");

    // She was told, at both her addresses, without the code.
    let notices: Vec<_> = app
        .outbox()
        .into_iter()
        .filter(|e| e.subject.contains("recovery code was used"))
        .collect();
    let mut to: Vec<&str> = notices.iter().map(|e| e.to.as_str()).collect();
    to.sort();
    assert_eq!(
        to,
        ["megan.bowen@contoso.example", "megan.home@personal.example"]
    );
    assert!(
        notices[0].text.contains("you have 9 codes left"),
        "{}",
        notices[0].text
    );
    for code in &codes {
        assert!(!notices[0].text.contains(code.as_str()));
        assert!(!contains_bytes(&app.store_bytes(), code.as_bytes()));
        assert!(!contains_bytes(
            &app.store_bytes(),
            code.replace('-', "").as_bytes()
        ));
    }

    // A new set voids the old one.
    let again = new_codes(&app, &fresh).await;
    let new = codes_of(again).await;
    let (_, pending, _) = password_step(&app, &app.megan).await;
    assert_eq!(code_for(&app, &pending, &codes[1]).await.status(), 422);
    let resp = code_for(&app, &pending, &new[0]).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["recovery_codes_left"],
        9
    );

    let gadmin = app.sign_in(&app.global_admin).await;
    let actions = app.audit_actions(&gadmin).await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "recovery_codes_created")
            .count(),
        2
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "recovery_code_used")
            .count(),
        2
    );
}

#[tokio::test]
async fn twenty_uses_of_one_recovery_code_at_once_sign_in_once() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = Arc::new(spawn_app_with_clock(clock.clone()).await);
    let secret = with_app(&app, &clock, &app.megan).await;
    let code = rekey_tests::authenticator::code(&secret, clock.now_ms());
    let fresh = sign_in_with_code(&app, &app.megan, &code).await;
    let codes = codes_of(new_codes(&app, &fresh).await).await;
    // Twenty sign-ins, each at its own second step, all with one code
    // (the clock moves on so the address's throttle has room).
    clock.advance_ms(20_000);
    let mut pendings = Vec::new();
    for _ in 0..20 {
        pendings.push(password_step(&app, &app.megan).await.1);
    }
    clock.advance_ms(20_000);
    let tries = pendings.into_iter().map(|pending| {
        let (app, code) = (Arc::clone(&app), codes[4].clone());
        tokio::spawn(async move { code_for(&app, &pending, &code).await.status().as_u16() })
    });
    let statuses: Vec<u16> = futures::future::join_all(tries)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    let info = app.get_json("/api/me/methods", Some(&fresh)).await;
    assert!(info["methods"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["kind"] == "recovery_codes" && m["codes_left"] == 9));
}

#[tokio::test]
async fn removing_the_last_app_takes_the_recovery_codes_with_it() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let secret = with_app(&app, &clock, &app.megan).await;
    let code = rekey_tests::authenticator::code(&secret, clock.now_ms());
    let fresh = sign_in_with_code(&app, &app.megan, &code).await;
    codes_of(new_codes(&app, &fresh).await).await;
    let info = app.get_json("/api/me/methods", Some(&fresh)).await;
    let app_id = info["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "authenticator_app")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = app
        .delete(&format!("/api/me/methods/{app_id}"), &fresh)
        .await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["methods"], json!([]));
    // Her password alone signs her in again.
    let resp = app
        .sign_in_response(&app.megan.username, &app.megan.password)
        .await;
    assert_eq!(resp.status(), 200);
}
