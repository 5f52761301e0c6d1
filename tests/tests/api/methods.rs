//! Security info: registering an authenticator app with a code an
//! independent implementation (oathtool) computes from the shown secret,
//! as a phone would; the refusals; the seed never stored in clear.

use std::sync::Arc;

use rekey_function::ports::ManualClock;
use rekey_tests::{authenticator, contains_bytes, spawn_app, spawn_app_with_clock, TestApp};
use serde_json::{json, Value};

async fn start(app: &TestApp, session: &rekey_tests::Session, body: Value) -> Value {
    let resp = app
        .post("/api/me/methods/authenticator-app", Some(session), &body)
        .await;
    assert_eq!(resp.status(), 201);
    resp.json().await.unwrap()
}

async fn confirm(
    app: &TestApp,
    session: &rekey_tests::Session,
    id: &str,
    code: &str,
) -> reqwest::Response {
    app.post(
        &format!("/api/me/methods/authenticator-app/{id}/confirm"),
        Some(session),
        &json!({ "code": code }),
    )
    .await
}

#[tokio::test]
async fn an_authenticator_app_counts_only_once_its_first_code_verifies() {
    let app = spawn_app().await;
    let megan = app.sign_in(&app.megan).await;
    let setup = start(&app, &megan, json!({"name": "Pixel 8"})).await;
    let secret = setup["secret"].as_str().unwrap();
    let id = setup["id"].as_str().unwrap();
    let uri = setup["uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Contoso:megan.bowen?secret="),
        "{uri}"
    );
    assert!(
        uri.contains(&format!("secret={secret}&issuer=Contoso")),
        "{uri}"
    );
    assert_eq!(secret.len(), 32, "160 bits in base32");

    // Not registered until a code verifies.
    let info = app.get_json("/api/me/methods", Some(&megan)).await;
    assert_eq!(info["methods"], json!([]));

    // A wrong code: refused with its code, nothing changed.
    let code = authenticator::code_now(secret);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let resp = confirm(&app, &megan, id, wrong).await;
    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "invalid_code");
    assert_eq!(body["field"], "code");
    assert_eq!(
        app.get_json("/api/me/methods", Some(&megan)).await["methods"],
        json!([])
    );

    // The phone's code finishes it.
    let resp = confirm(&app, &megan, id, &authenticator::code_now(secret)).await;
    assert_eq!(resp.status(), 200);
    let info: Value = resp.json().await.unwrap();
    let methods = info["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 1);
    assert_eq!(methods[0]["kind"], "authenticator_app");
    assert_eq!(methods[0]["name"], "Pixel 8");
    assert!(methods[0].get("secret").is_none());
    // The registration is spent: the same code does not confirm it again.
    let again = confirm(&app, &megan, id, &authenticator::code_now(secret)).await;
    assert_eq!(again.status(), 404);

    // Audited as hers, with the method's name and never its secret.
    let gadmin = app.sign_in(&app.global_admin).await;
    assert!(app
        .audit_actions(&gadmin)
        .await
        .contains(&"method_added".to_string()));
    let export = app
        .get("/api/audit/export?format=json", Some(&gadmin))
        .await
        .text()
        .await
        .unwrap();
    assert!(export.contains("Pixel 8"));
    assert!(!export.contains(secret));

    // The seed is sealed at rest: neither its bytes nor its base32 are in
    // the database or its write-ahead log.
    let stored = app.store_bytes();
    assert!(!contains_bytes(&stored, secret.as_bytes()));
    let seed = base32_decode(secret);
    assert!(!contains_bytes(&stored, &seed));
}

#[tokio::test]
async fn twenty_confirmations_with_one_code_at_once_register_it_once() {
    let app = spawn_app().await;
    let lee = app.sign_in(&app.user).await;
    let setup = start(&app, &lee, json!({})).await;
    let (secret, id) = (
        setup["secret"].as_str().unwrap().to_string(),
        setup["id"].as_str().unwrap().to_string(),
    );
    let code = authenticator::code_now(&secret);
    let app = Arc::new(app);
    let tries = (0..20).map(|_| {
        let (app, lee, id, code) = (Arc::clone(&app), lee.clone(), id.clone(), code.clone());
        tokio::spawn(async move { confirm(&app, &lee, &id, &code).await.status().as_u16() })
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
    let info = app.get_json("/api/me/methods", Some(&lee)).await;
    assert_eq!(info["methods"].as_array().unwrap().len(), 1);
    assert_eq!(info["methods"][0]["name"], "Authenticator app");
}

#[tokio::test]
async fn a_replacement_takes_over_once_its_first_code_verifies_and_methods_are_renamed_and_removed()
{
    let app = spawn_app().await;
    let megan = app.sign_in(&app.megan).await;
    let first = start(&app, &megan, json!({"name": "Old phone"})).await;
    let old_id = first["id"].as_str().unwrap();
    let code = authenticator::code_now(first["secret"].as_str().unwrap());
    assert_eq!(confirm(&app, &megan, old_id, &code).await.status(), 200);

    // A new phone: the old one stays until the new one's code verifies.
    let second = start(
        &app,
        &megan,
        json!({"name": "New phone", "replaces": old_id}),
    )
    .await;
    let info = app.get_json("/api/me/methods", Some(&megan)).await;
    assert_eq!(info["methods"][0]["name"], "Old phone");
    let code = authenticator::code_now(second["secret"].as_str().unwrap());
    let resp = confirm(&app, &megan, second["id"].as_str().unwrap(), &code).await;
    let info: Value = resp.json().await.unwrap();
    let names: Vec<&str> = info["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["New phone"]);
    let new_id = info["methods"][0]["id"].as_str().unwrap().to_string();

    // Rename; another user cannot reach it; remove.
    let resp = app
        .patch(
            &format!("/api/me/methods/{new_id}"),
            &megan,
            &json!({"name": "  Pixel 9 "}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let info: Value = resp.json().await.unwrap();
    assert_eq!(info["methods"][0]["name"], "Pixel 9");
    let lee = app.sign_in(&app.user).await;
    let theirs = app.delete(&format!("/api/me/methods/{new_id}"), &lee).await;
    assert_eq!(theirs.status(), 404);
    let mine = app
        .delete(&format!("/api/me/methods/{new_id}"), &megan)
        .await;
    assert_eq!(mine.status(), 200);
    assert_eq!(mine.json::<Value>().await.unwrap()["methods"], json!([]));
    let gadmin = app.sign_in(&app.global_admin).await;
    let actions = app.audit_actions(&gadmin).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "method_removed").count(),
        2,
        "{actions:?}"
    );
}

#[tokio::test]
async fn changing_methods_needs_a_recent_sign_in_and_a_registration_expires() {
    let t0 = 1_900_000_000_000;
    let clock = Arc::new(ManualClock::new(t0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let megan = app.sign_in(&app.megan).await;
    let setup = start(&app, &megan, json!({"name": "Phone"})).await;
    let secret = setup["secret"].as_str().unwrap();

    // Eleven minutes on: the registration is gone and a new one needs the
    // password again.
    clock.advance_ms(11 * 60_000);
    let late = confirm(
        &app,
        &megan,
        setup["id"].as_str().unwrap(),
        &authenticator::code(secret, t0 + 11 * 60_000),
    )
    .await;
    assert_eq!(late.status(), 403);
    assert_eq!(
        late.json::<Value>().await.unwrap()["code"],
        "reauthentication_required"
    );
    let resp = app
        .post(
            "/api/me/methods/authenticator-app",
            Some(&megan),
            &json!({}),
        )
        .await;
    assert_eq!(resp.status(), 403);

    // Fresh again: the old registration has lapsed all the same.
    let fresh = app.sign_in(&app.megan).await;
    let resp = confirm(
        &app,
        &fresh,
        setup["id"].as_str().unwrap(),
        &authenticator::code(secret, t0 + 11 * 60_000),
    )
    .await;
    assert_eq!(resp.status(), 404);

    // A code from two steps away does not finish a new one.
    let setup = start(&app, &fresh, json!({})).await;
    let secret = setup["secret"].as_str().unwrap();
    let now = t0 + 11 * 60_000;
    let far = authenticator::code(secret, now + 60_000);
    let near = (-1..=1).any(|o| authenticator::code(secret, now + o * 30_000) == far);
    let resp = confirm(&app, &fresh, setup["id"].as_str().unwrap(), &far).await;
    assert_eq!(resp.status() == 200, near);
}

#[tokio::test]
async fn bad_method_requests_get_their_codes_and_change_nothing() {
    let app = spawn_app().await;
    let megan = app.sign_in(&app.megan).await;
    for (body, field) in [
        (json!({"name": "x".repeat(65)}), "name"),
        (json!({"replaces": "no-such-method"}), "replaces"),
    ] {
        let resp = app
            .post("/api/me/methods/authenticator-app", Some(&megan), &body)
            .await;
        assert!(resp.status().is_client_error(), "{body}");
        let error: Value = resp.json().await.unwrap();
        assert_eq!(error["field"], field, "{body}");
    }
    let resp = app
        .post(
            "/api/me/methods/authenticator-app",
            Some(&megan),
            &json!({"name": "a", "secret": "MINE"}),
        )
        .await;
    assert_eq!(resp.status(), 400);
    let resp = confirm(&app, &megan, "no-such-registration", "123456").await;
    assert_eq!(resp.status(), 404);
    assert_eq!(
        app.get_json("/api/me/methods", Some(&megan)).await["methods"],
        json!([])
    );
    let signed_out = app.get("/api/me/methods", None).await;
    assert_eq!(signed_out.status(), 401);
}

fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buffer, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c).unwrap() as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}
