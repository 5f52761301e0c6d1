//! Self-service reset's records on each store: the flow (a ceremony taken
//! and put back per step) and the hourly limits (login-lock records
//! written on their version), driven through the domain as the API does.

use std::sync::Arc;

use rekey_function::ports::SystemClock;
use rekey_shared::{ErrorCode, SsprMethod};

use super::DynStore;
use crate::self_service::sspr_on;
use crate::{spawn_app_on, TestApp};

async fn app_on(store: DynStore) -> TestApp {
    let app = spawn_app_on(store, Arc::new(SystemClock), tempfile::tempdir().unwrap()).await;
    sspr_on(
        &app,
        "all",
        &[],
        1,
        &["alternate_email", "authenticator_app"],
    )
    .await;
    app
}

/// A flow for `login`, its work done in place.
async fn flow_for(app: &TestApp, login: &str) -> String {
    let opened = app.app.open_self_service().await.unwrap();
    app.app
        .begin_self_service(&opened, login, "192.0.2.1")
        .await;
    opened.answer.flow
}

/// Of twenty uses of one emailed code at once, one verifies.
pub async fn one_emailed_code_verifies_once_even_under_twenty_concurrent_tries(store: DynStore) {
    let app = app_on(store).await;
    let megan = app.user_record(&app.megan.id).await;
    app.store
        .insert_method(
            &rekey_function::domain::model::MethodRecord {
                id: "alt-1".into(),
                user_id: megan.id.clone(),
                name: "megan@home.example".into(),
                kind: rekey_function::domain::model::MethodKind::AlternateEmail {
                    address: "megan@home.example".into(),
                    code: None,
                },
                created_at: 0,
                last_used_at: None,
                confirmed_at: Some(1),
                replaces: None,
                version: 0,
            },
            &[],
        )
        .await
        .unwrap();
    let flow = flow_for(&app, "megan.bowen").await;
    let email = app
        .app
        .self_service_email_code(&flow)
        .await
        .unwrap()
        .expect("a code");
    let code = crate::self_service::code_in(&email.text).unwrap();
    let tries = (0..20).map(|_| {
        let (app, flow, code) = (Arc::clone(&app.app), flow.clone(), code.clone());
        tokio::spawn(async move {
            app.self_service_verify(&flow, SsprMethod::AlternateEmail, &code)
                .await
                .is_ok()
        })
    });
    let verified = futures::future::join_all(tries)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(verified, 1);
}

/// Twenty attempts at once, each in its own flow for one account: the
/// hour's five are counted and no more.
pub async fn twenty_parallel_attempts_never_count_more_than_the_hours_five(store: DynStore) {
    let app = app_on(store).await;
    let mut flows = Vec::new();
    for _ in 0..20 {
        flows.push(flow_for(&app, "lee.gu").await);
    }
    let tries = flows.into_iter().map(|flow| {
        let app = Arc::clone(&app.app);
        tokio::spawn(async move {
            app.self_service_verify(&flow, SsprMethod::AuthenticatorApp, "123456")
                .await
                .unwrap_err()
                .code
        })
    });
    let codes: Vec<ErrorCode> = futures::future::join_all(tries)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let counted = codes
        .iter()
        .filter(|c| **c == ErrorCode::InvalidCode)
        .count();
    assert!((1..=5).contains(&counted), "{codes:?}");
    assert!(
        codes
            .iter()
            .all(|c| matches!(c, ErrorCode::InvalidCode | ErrorCode::RateLimited)),
        "{codes:?}"
    );
}
