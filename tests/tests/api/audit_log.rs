//! The audit log narrowed to a user, an actor, an action and a time
//! window, and exported as CSV and JSON with the same filters.

use std::sync::Arc;

use rekey_function::ports::ManualClock;
use rekey_tests::{spawn_app_with_clock, Session, TestApp};
use serde_json::{json, Value};

const T0: i64 = 1_800_000_000_000;
// Under the idle timeout, so both admins stay signed in.
const STEP: i64 = 30 * 60_000;

async fn actions(app: &TestApp, admin: &Session, filter: &str) -> Vec<(String, String)> {
    let page: Value = app
        .get_json(&format!("/api/audit?limit=100{filter}"), Some(admin))
        .await;
    page["events"]
        .as_array()
        .unwrap_or_else(|| panic!("{filter}: {page}"))
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["target"]["username"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_log_narrows_to_a_user_an_actor_an_action_and_a_window() {
    let clock = Arc::new(ManualClock::new(T0));
    let app = spawn_app_with_clock(clock.clone()).await;
    let admin = app.sign_in(&app.global_admin).await;
    let helpdesk = app.sign_in(&app.helpdesk_admin).await;
    app.reset(&admin, &app.megan.id, &json!({})).await;
    clock.advance_ms(STEP);
    app.reset(&helpdesk, &app.user.id, &json!({})).await;
    clock.advance_ms(STEP);
    // An hour after the first: a fresh session, past the idle timeout.
    let admin = app.sign_in(&app.global_admin).await;
    let path = format!("/api/users/{}", app.megan.id);
    let version = app.get_json(&path, Some(&admin)).await["version"].clone();
    let blocked = app
        .post(
            &format!("{path}/block"),
            Some(&admin),
            &json!({"version": version}),
        )
        .await;
    assert_eq!(blocked.status(), 200);

    let resets = |who: &str| ("password_reset".to_string(), who.to_string());
    assert_eq!(
        actions(&app, &admin, "&user=megan.bowen&action=password_reset").await,
        [resets("megan.bowen")]
    );
    // The helpdesk admin's reset and the notice it sent Lee.
    let by_helpdesk = [
        ("notice_sent".to_string(), "lee.gu".to_string()),
        resets("lee.gu"),
    ];
    assert_eq!(actions(&app, &admin, "&actor=hadmin").await, by_helpdesk);
    assert_eq!(
        actions(&app, &admin, &format!("&actor={}", app.helpdesk_admin.id)).await,
        by_helpdesk
    );
    assert_eq!(
        actions(&app, &admin, "&action=user_blocked").await,
        [("user_blocked".to_string(), "megan.bowen".to_string())]
    );
    let window = format!("&from={}&to={}", T0 + STEP, T0 + 2 * STEP);
    assert_eq!(
        actions(&app, &admin, &format!("{window}&action=password_reset")).await,
        [resets("lee.gu")]
    );
    // Whole days, as the filter's date inputs send them (UTC).
    let same_day = actions(
        &app,
        &admin,
        "&from=2027-01-15&to=2027-01-15&action=password_reset",
    )
    .await;
    assert_eq!(same_day, [resets("lee.gu"), resets("megan.bowen")]);
    assert!(actions(&app, &admin, "&to=2027-01-14").await.is_empty());
    let bad_day = app.get("/api/audit?from=15-01-2027", Some(&admin)).await;
    assert_eq!(bad_day.status(), 400);
    // Unfiltered, all of them, newest first.
    let all = actions(&app, &admin, "").await;
    assert_eq!(all.first().map(|a| a.0.as_str()), Some("user_blocked"));

    let bad = app.get("/api/audit?action=nope", Some(&admin)).await;
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["field"], "action");
}

#[tokio::test]
async fn an_export_holds_the_filtered_events_as_csv_or_json() {
    let app = rekey_tests::spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    app.reset(
        &admin,
        &app.megan.id,
        &json!({"email_to": ["it@contoso.example"]}),
    )
    .await;
    app.reset(&admin, &app.user.id, &json!({})).await;

    let csv = app
        .get("/api/audit/export?user=megan.bowen", Some(&admin))
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("audit.csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Time (UTC),Action,By,User,App,Details");
    assert!(
        lines[1..].iter().all(|l| l.contains(",megan.bowen,")),
        "{text}"
    );
    assert!(text.contains("email_to=it@contoso.example"), "{text}");
    assert!(!text.contains(",lee.gu,"));

    let json = app
        .get(
            "/api/audit/export?format=json&user=megan.bowen",
            Some(&admin),
        )
        .await;
    assert_eq!(json.status(), 200);
    let events: Vec<Value> = json.json().await.unwrap();
    assert_eq!(events.len(), lines.len() - 1);
    assert!(events
        .iter()
        .all(|e| e["target"]["username"] == "megan.bowen"));
    // No password of the reset anywhere in either.
    let bad = app.get("/api/audit/export?format=xml", Some(&admin)).await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn a_refused_scim_token_is_audited_and_a_guessing_client_is_throttled() {
    let app = rekey_tests::spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let guess = |token: &'static str| {
        let app = &app;
        async move {
            app.client
                .get(app.url("/scim/v2/Users"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    let refused = guess("not-a-token").await;
    assert_eq!(refused.status(), 401);
    let audit: Value = app.get_json("/api/audit", Some(&admin)).await;
    assert_eq!(audit["events"][0]["action"], "scim_auth_failed");
    assert_eq!(audit["events"][0]["client"], "127.0.0.1");
    // The address's allowance is the sign-in throttle's: then 429s, unlogged.
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(guess("still-not-a-token").await.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let slowed = guess("again").await;
    assert_eq!(slowed.status(), 429);
    assert!(slowed.headers().contains_key("retry-after"));
    let body: Value = slowed.json().await.unwrap();
    assert_eq!(body["status"], "429");
    let logged: Value = app
        .get_json("/api/audit?action=scim_auth_failed&limit=100", Some(&admin))
        .await;
    assert!(logged["events"].as_array().unwrap().len() <= 31);
}
