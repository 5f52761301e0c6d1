//! A user's Authentication methods as her admin manages them (and the
//! pass, in the role matrix): by the role table (0 escalations), audited,
//! told to the user by email.

use std::sync::Arc;

use rekey_function::ports::ManualClock;
use rekey_shared::Role;
use rekey_tests::passkey_steps::{register, spawn_passkey_app};
use rekey_tests::second_step::with_app_in;
use rekey_tests::soft_passkey::SoftPasskey;
use rekey_tests::{spawn_app, Account, TestApp};
use serde_json::{json, Value};

const T0: i64 = 1_900_000_000_000;

async fn status_code(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
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
async fn a_helpdesk_admin_sees_removes_and_resets_a_users_methods_and_she_is_told() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_passkey_app(clock.clone()).await;
    let lee = app.sign_in(&app.user).await;
    let mut key = SoftPasskey::new(&app.address);
    assert_eq!(
        register(&app, &lee, &mut key, "YubiKey").await.status(),
        201
    );
    with_app_in(&app, &clock, &lee).await;
    let hadmin = app.sign_in(&app.helpdesk_admin).await;
    let path = format!("/api/users/{}/methods", app.user.id);
    let listed = app.get_json(&path, Some(&hadmin)).await;
    let methods = listed["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 2);
    let passkey = methods.iter().find(|m| m["kind"] == "passkey").unwrap();
    assert_eq!(passkey["name"], "YubiKey");
    assert!(methods.iter().any(|m| m["kind"] == "authenticator_app"));
    assert!(listed["temporary_pass"].is_null());

    let passkey_id = passkey["id"].as_str().unwrap();
    let removed = app.delete(&format!("{path}/{passkey_id}"), &hadmin).await;
    let (status, after) = status_code(removed).await;
    assert_eq!(status, 200);
    assert_eq!(after["methods"].as_array().unwrap().len(), 1);
    // The lost key signs in no more.
    let refused = rekey_tests::passkey_steps::sign_in(&app, &mut key).await;
    assert_eq!(refused.status(), 401);
    let told = emails_to(&app, &app.user);
    assert!(told
        .iter()
        .any(|m| m.text.contains("removed your sign-in method")
            && m.text.contains("YubiKey")
            && m.text.contains("Hank Helpdesk")));

    let (status, after) = status_code(
        app.post(
            &format!("{path}/require-reregistration"),
            Some(&hadmin),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert!(after["methods"].as_array().unwrap().is_empty());
    assert!(app.store.methods_of(&app.user.id).await.unwrap().is_empty());
    let admin = app.sign_in(&app.global_admin).await;
    let actions = app.audit_actions(&admin).await;
    assert!(actions.contains(&"mfa_reregistration_required".to_string()));
    assert!(actions.contains(&"method_removed".to_string()));
    // Her password alone signs her in again: no method is left to ask for.
    assert_eq!(
        app.sign_in_response(&app.user.username, &app.user.password)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn revoking_sessions_ends_every_session_and_app_token_of_hers() {
    let app = spawn_app().await;
    let lee = app.sign_in(&app.user).await;
    let admin = app.sign_in(&app.global_admin).await;
    let rp = app
        .register_app(&admin, "confidential", "http://127.0.0.1:9/cb01")
        .await;
    let tokens = app.tokens_for(&rp, &lee).await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(app.userinfo(access).await.status(), 200);
    let hadmin = app.sign_in(&app.helpdesk_admin).await;
    let resp = app
        .post(
            &format!("/api/users/{}/sessions/revoke", app.user.id),
            Some(&hadmin),
            &json!({}),
        )
        .await;
    assert_eq!(resp.status(), 204);
    assert_eq!(app.get("/api/me", Some(&lee)).await.status(), 401);
    assert_eq!(app.userinfo(access).await.status(), 401);
    assert_eq!(
        app.get("/api/me", Some(&hadmin)).await.status(),
        200,
        "the admin's own stays"
    );
    assert!(app
        .audit_actions(&admin)
        .await
        .contains(&"sessions_revoked".to_string()));
    assert!(emails_to(&app, &app.user)
        .iter()
        .any(|m| m.text.contains("signed you out everywhere")));
}

#[tokio::test]
async fn every_new_action_follows_the_role_table_with_no_escalation() {
    let app = spawn_app().await;
    let accounts = [
        (&app.global_admin, Role::GlobalAdmin),
        (&app.helpdesk_admin, Role::HelpdeskAdmin),
        (&app.password_admin, Role::PasswordAdmin),
        (&app.megan, Role::User),
        (&app.user, Role::User),
    ];
    let mut escalations = Vec::new();
    for (actor, actor_role) in accounts {
        let session = app.sign_in(actor).await;
        for (target, target_role) in accounts {
            let allowed = actor.id != target.id && actor_role.can_reset(target_role);
            let id = &target.id;
            let before = app.user_record(id).await;
            let answers = [
                (
                    "list",
                    app.get(&format!("/api/users/{id}/methods"), Some(&session))
                        .await,
                ),
                (
                    "remove",
                    app.delete(&format!("/api/users/{id}/methods/no-such-method"), &session)
                        .await,
                ),
                (
                    "pass",
                    app.post(
                        &format!("/api/users/{id}/temporary-pass"),
                        Some(&session),
                        &json!({}),
                    )
                    .await,
                ),
                (
                    "re-register",
                    app.post(
                        &format!("/api/users/{id}/methods/require-reregistration"),
                        Some(&session),
                        &json!({}),
                    )
                    .await,
                ),
            ];
            for (what, resp) in answers {
                let status = resp.status().as_u16();
                let permitted = status < 400 || (what == "remove" && status == 404);
                if permitted != allowed {
                    escalations.push(format!(
                        "{} {what} {}: {status}",
                        actor.username, target.username
                    ));
                }
            }
            if !allowed {
                let after = app.user_record(id).await;
                assert_eq!(
                    after.version, before.version,
                    "nothing changed for {}",
                    target.username
                );
            }
        }
        // Revoking last: it would end the actor's own test sessions.
        for (target, target_role) in accounts {
            let allowed = actor.id != target.id && actor_role.can_reset(target_role);
            let resp = app
                .post(
                    &format!("/api/users/{}/sessions/revoke", target.id),
                    Some(&session),
                    &json!({}),
                )
                .await;
            if (resp.status() == 204) != allowed {
                escalations.push(format!(
                    "{} revoke {}: {}",
                    actor.username,
                    target.username,
                    resp.status()
                ));
            }
        }
    }
    assert!(escalations.is_empty(), "{escalations:#?}");
}

#[tokio::test]
async fn the_bulk_pane_requires_re_registration_with_a_result_per_user() {
    let app = spawn_app().await;
    let padmin = app.sign_in(&app.password_admin).await;
    let (status, body) = status_code(
        app.post(
            "/api/users/require-reregistration",
            Some(&padmin),
            &json!({"user_ids": [app.user.id, app.megan.id, app.password_admin.id, app.helpdesk_admin.id, "no-such-user"]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (body["succeeded"].as_u64(), body["failed"].as_u64()),
        (Some(2), Some(3))
    );
    let codes: Vec<Value> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["error"]["code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![
            Value::Null,
            Value::Null,
            json!("cannot_reset_self"),
            json!("forbidden"),
            json!("not_found")
        ]
    );
    let (status, body) = status_code(
        app.post(
            "/api/users/require-reregistration",
            Some(&padmin),
            &json!({"user_ids": []}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("too_many_users"))
    );
    let lee = app.sign_in(&app.user).await;
    let resp = app
        .post(
            "/api/users/require-reregistration",
            Some(&lee),
            &json!({"user_ids": [app.megan.id]}),
        )
        .await;
    assert_eq!(resp.status(), 403);
}
