//! The Temporary Access Pass: signs in once as MFA in the password's
//! place, never changes the password, is refused past its lifetime,
//! replaced or on a blocked account, and is never at rest or in an email.

use std::sync::Arc;

use rekey_function::ports::ManualClock;
use rekey_tests::{
    contains_bytes, session_from, spawn_app, spawn_app_with_clock, Account, TestApp,
};
use serde_json::{json, Value};

const T0: i64 = 1_900_000_000_000;

async fn status_code(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn issue(
    app: &TestApp,
    admin: &rekey_tests::Session,
    id: &str,
    body: &Value,
) -> (u16, Value) {
    status_code(
        app.post(
            &format!("/api/users/{id}/temporary-pass"),
            Some(admin),
            body,
        )
        .await,
    )
    .await
}

fn emails_to(
    app: &TestApp,
    account: &Account,
) -> Vec<rekey_function::adapters::outbox::OutboxEntry> {
    app.outbox()
        .into_iter()
        .filter(|m| m.to == account.email)
        .collect()
}

#[tokio::test]
async fn a_temporary_access_pass_signs_in_once_as_mfa_and_never_changes_the_password() {
    let app = spawn_app().await;
    let hadmin = app.sign_in(&app.helpdesk_admin).await;
    let (status, issued) = issue(&app, &hadmin, &app.user.id, &json!({})).await;
    assert_eq!(status, 201);
    let pass = issued["pass"].as_str().unwrap().to_string();
    assert_eq!(pass.len(), 12);
    assert_eq!(issued["info"]["one_time"], true);
    let lifetime = issued["info"]["expires_at"].as_i64().unwrap()
        - issued["info"]["created_at"].as_i64().unwrap();
    assert_eq!(lifetime, 3_600_000, "an hour by default");
    // Her row says so while it is live.
    let row = app
        .get_json(&format!("/api/users/{}", app.user.id), Some(&hadmin))
        .await;
    assert_eq!(
        row["temporary_pass_expires_at"],
        issued["info"]["expires_at"]
    );
    let methods = app
        .get_json(
            &format!("/api/users/{}/methods", app.user.id),
            Some(&hadmin),
        )
        .await;
    assert_eq!(methods["temporary_pass"], issued["info"]);

    let resp = app.sign_in_response(&app.user.username, &pass).await;
    assert_eq!(resp.status(), 200);
    let session = session_from(&resp).unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["amr"], json!(["otp", "mfa"]));
    assert_eq!(body["user"]["must_change_password"], false);
    assert_eq!(app.get("/api/me", Some(&session)).await.status(), 200);
    // Once.
    let again = app.sign_in_response(&app.user.username, &pass).await;
    assert_eq!(status_code(again).await.1["code"], "invalid_credentials");
    // Her password is what it was.
    assert_eq!(
        app.sign_in_response(&app.user.username, &app.user.password)
            .await
            .status(),
        200
    );
    let row = app
        .get_json(&format!("/api/users/{}", app.user.id), Some(&hadmin))
        .await;
    assert!(row["temporary_pass_expires_at"].is_null());
    let admin = app.sign_in(&app.global_admin).await;
    let log = app
        .get_json(
            &format!("/api/users/{}/sign-ins", app.user.id),
            Some(&admin),
        )
        .await;
    let results: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["result"].as_str())
        .collect();
    assert!(results.contains(&"temporary_pass"), "{results:?}");
    let actions = app.audit_actions(&admin).await;
    assert!(actions.contains(&"temporary_pass_issued".to_string()));
    assert!(actions.contains(&"temporary_pass_used".to_string()));

    // Never at rest, in the audit log or in an email.
    assert!(!contains_bytes(&app.store_bytes(), pass.as_bytes()));
    let audit = app
        .get("/api/audit", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(!audit.contains(&pass));
    let told = emails_to(&app, &app.user);
    assert!(told
        .iter()
        .any(|m| m.text.contains("Temporary Access Pass")));
    assert!(app
        .outbox()
        .iter()
        .all(|m| !m.text.contains(&pass) && !m.html.contains(&pass)));
}

#[tokio::test]
async fn one_pass_signs_in_once_even_by_twenty_at_once() {
    let app = spawn_app().await;
    let hadmin = app.sign_in(&app.helpdesk_admin).await;
    let (_, issued) = issue(&app, &hadmin, &app.user.id, &json!({})).await;
    let pass = issued["pass"].as_str().unwrap().to_string();
    let tries = (0..20).map(|_| app.sign_in_response(&app.user.username, &pass));
    let statuses = rekey_tests::burst::statuses(tries).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_pass_past_its_lifetime_replaced_or_for_a_blocked_user_is_refused() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let gadmin = app.sign_in(&app.global_admin).await;
    let id = app.user.id.clone();
    let (_, short) = issue(&app, &gadmin, &id, &json!({"lifetime_minutes": 10})).await;
    clock.advance_ms(10 * 60_000 + 1);
    let late = app
        .sign_in_response(&app.user.username, short["pass"].as_str().unwrap())
        .await;
    assert_eq!(late.status(), 401);

    let gadmin = app.sign_in(&app.global_admin).await;
    let (_, first) = issue(
        &app,
        &gadmin,
        &id,
        &json!({"one_time": false, "length": 20}),
    )
    .await;
    let (_, second) = issue(&app, &gadmin, &id, &json!({"one_time": false})).await;
    assert_eq!(first["pass"].as_str().unwrap().len(), 20);
    let replaced = app
        .sign_in_response(&app.user.username, first["pass"].as_str().unwrap())
        .await;
    assert_eq!(replaced.status(), 401, "a new pass replaces the old");
    // Not one-time: it signs in again, until blocked.
    for _ in 0..2 {
        let resp = app
            .sign_in_response(&app.user.username, second["pass"].as_str().unwrap())
            .await;
        assert_eq!(resp.status(), 200);
    }
    let seen = app
        .get_json(&format!("/api/users/{id}"), Some(&gadmin))
        .await["version"]
        .clone();
    let resp = app
        .post(
            &format!("/api/users/{id}/block"),
            Some(&gadmin),
            &json!({"version": seen}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let blocked = app
        .sign_in_response(&app.user.username, second["pass"].as_str().unwrap())
        .await;
    assert_eq!(status_code(blocked).await.1["code"], "account_blocked");
    let (status, body) = issue(&app, &gadmin, &id, &json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("account_blocked"))
    );
}

#[tokio::test]
async fn a_pass_out_of_bounds_is_a_clear_400_and_issues_nothing() {
    let app = spawn_app().await;
    let gadmin = app.sign_in(&app.global_admin).await;
    for (body, field) in [
        (json!({"length": 7}), "length"),
        (json!({"length": 49}), "length"),
        (json!({"lifetime_minutes": 9}), "lifetime_minutes"),
        (json!({"lifetime_minutes": 43_201}), "lifetime_minutes"),
    ] {
        let (status, error) = issue(&app, &gadmin, &app.user.id, &body).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(error["code"], "invalid_request");
        assert_eq!(error["field"], field);
    }
    assert!(app.user_record(&app.user.id).await.temporary_pass.is_none());
}

#[tokio::test]
async fn two_hundred_sign_ins_with_one_pass_make_one_session_and_the_rest_are_refused() {
    let app = spawn_app().await;
    let hadmin = app.sign_in(&app.helpdesk_admin).await;
    let (_, issued) = issue(&app, &hadmin, &app.user.id, &json!({})).await;
    let pass = issued["pass"].as_str().unwrap().to_string();
    let tries = (0..200).map(|_| app.sign_in_response(&app.user.username, &pass));
    let statuses = rekey_tests::burst::statuses(tries).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    // The rest: spent, so a wrong password (401) until ten of those lock
    // the account (423); the address throttled (429); the hasher full (503).
    assert!(
        statuses
            .iter()
            .all(|s| [200, 401, 423, 429, 503].contains(s)),
        "{statuses:?}"
    );
    assert!(app.user_record(&app.user.id).await.temporary_pass.is_none());
}

#[tokio::test]
async fn after_a_pass_she_sets_the_password_she_must_change_without_the_one_she_never_had() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let hadmin = app.sign_in(&app.helpdesk_admin).await;
    // Reset with "require a change", then her phone and password both lost.
    app.reset(&hadmin, &app.user.id, &json!({"require_change": true}))
        .await;
    assert!(app.user_record(&app.user.id).await.must_change_password);
    let new = "Copper-Meadow-Falcon-52";
    let change = |session: rekey_tests::Session| {
        let body = json!({"current_password": "", "new_password": new});
        let app = &app;
        async move { status_code(app.post("/api/me/password", Some(&session), &body).await).await }
    };
    let (_, issued) = issue(&app, &hadmin, &app.user.id, &json!({})).await;
    let pass = issued["pass"].as_str().unwrap().to_string();
    let resp = app.sign_in_response(&app.user.username, &pass).await;
    assert_eq!(resp.status(), 200);
    let stale = session_from(&resp).unwrap();
    // Minutes later, the pass's session alone is no proof any more.
    clock.advance_ms(11 * 60_000);
    let (status, body) = change(stale).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("reauthentication_required"))
    );
    let hadmin = app.sign_in(&app.helpdesk_admin).await;
    let (_, issued) = issue(&app, &hadmin, &app.user.id, &json!({})).await;
    let pass = issued["pass"].as_str().unwrap().to_string();
    let resp = app.sign_in_response(&app.user.username, &pass).await;
    let (status, body) = change(session_from(&resp).unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["must_change_password"], false);
    // Signed in with her new password, the current one is asked for again.
    let resp = app.sign_in_response(&app.user.username, new).await;
    assert_eq!(resp.status(), 200);
    let (status, body) = change(session_from(&resp).unwrap()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("current_password_incorrect"))
    );
}
