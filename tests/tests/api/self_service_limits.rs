//! Self-service reset's limits and codes: five verifications an hour per
//! account then a day, on the controlled clock; used, expired, another
//! flow's and another user's codes; one code under 20 concurrent tries;
//! bursts of 200 against one code, one account and one address.

use rekey_function::ports::Clock;
use rekey_tests::authenticator;
use rekey_tests::second_step::{with_app, wrong_code};
use rekey_tests::self_service::{
    clocked, code_sent_to, megan_with_her_address, megans_flow_and_code, sspr_on, start,
    start_response, status_and_body, verify, with_alternate_email, MEGAN_ALT,
};
use serde_json::json;

const MINUTE: i64 = 60_000;

#[tokio::test]
async fn five_verifications_an_hour_per_account_then_none_for_a_day_in_any_flow() {
    let (clock, app) = clocked().await;
    sspr_on(&app, "all", &[], 1, &["authenticator_app"]).await;
    let secret = with_app(&app, &clock, &app.user).await;
    let right = || authenticator::code(&secret, clock.now_ms());
    let flow = start(&app, "lee.gu").await;
    for i in 0..5 {
        let resp = verify(&app, &flow, "authenticator_app", wrong_code(&right())).await;
        assert_eq!(resp.status(), 422, "attempt {i}");
    }
    let resp = verify(&app, &flow, "authenticator_app", &right()).await;
    assert_eq!(resp.status(), 429, "the sixth, even right");
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((86_000..=86_400).contains(&retry), "{retry}");
    let other = start(&app, "lee.gu").await;
    assert_eq!(
        verify(&app, &other, "authenticator_app", &right())
            .await
            .status(),
        429,
        "the account is limited, not the flow"
    );
    clock.advance_ms(2 * 60 * MINUTE);
    let again = start(&app, "lee.gu").await;
    assert_eq!(
        verify(&app, &again, "authenticator_app", &right())
            .await
            .status(),
        429
    );
    clock.advance_ms(22 * 60 * MINUTE + MINUTE);
    let next_day = start(&app, "lee.gu").await;
    let (status, body) =
        status_and_body(verify(&app, &next_day, "authenticator_app", &right()).await).await;
    assert_eq!((status, body["remaining"].clone()), (200, json!(0)));
    // A login nobody has is limited alike.
    let nobody = start(&app, "nobody.here").await;
    for _ in 0..5 {
        assert_eq!(
            verify(&app, &nobody, "authenticator_app", "123456")
                .await
                .status(),
            422
        );
    }
    assert_eq!(
        verify(&app, &nobody, "authenticator_app", "123456")
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn a_used_an_expired_another_flows_or_another_users_code_is_refused() {
    let (clock, app) = clocked().await;
    sspr_on(&app, "all", &[], 1, &["alternate_email"]).await;
    let megan = app.sign_in(&app.megan).await;
    with_alternate_email(&app, &megan, MEGAN_ALT).await;
    let lee = app.sign_in(&app.user).await;
    with_alternate_email(&app, &lee, "lee@home.example").await;

    let a = start(&app, "megan.bowen").await;
    let code_a = code_sent_to(&app, &a, MEGAN_ALT).await;
    let b = start(&app, "megan.bowen").await;
    let code_b = code_sent_to(&app, &b, MEGAN_ALT).await;
    let l = start(&app, "lee.gu").await;
    assert_eq!(
        verify(&app, &b, "alternate_email", &code_a).await.status(),
        422,
        "flow A's"
    );
    assert_eq!(
        verify(&app, &l, "alternate_email", &code_b).await.status(),
        422,
        "Megan's"
    );
    assert_eq!(
        verify(&app, &a, "alternate_email", &code_a).await.status(),
        200
    );
    assert_eq!(
        verify(&app, &a, "alternate_email", &code_a).await.status(),
        422,
        "used"
    );
    clock.advance_ms(10 * MINUTE);
    assert_eq!(
        verify(&app, &b, "alternate_email", &code_b).await.status(),
        422,
        "expired"
    );
    // Not a word of a code in the audit log.
    let audit =
        serde_json::to_string(&app.store.list_audit(None, 200).await.unwrap().items).unwrap();
    for code in [&code_a, &code_b] {
        assert!(!audit.contains(code.as_str()));
    }
}

#[tokio::test]
async fn twenty_concurrent_uses_of_one_code_verify_once() {
    let (_clock, app) = clocked().await;
    megan_with_her_address(&app).await;
    let (flow, code) = megans_flow_and_code(&app).await;
    let tries = (0..20).map(|_| verify(&app, &flow, "alternate_email", &code));
    let statuses = rekey_tests::burst::statuses(tries).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| [200, 410, 422, 429].contains(s)),
        "{statuses:?}"
    );
}

/// Statuses of a burst, counted.
fn tally(statuses: &[u16]) -> std::collections::BTreeMap<u16, usize> {
    let mut out = std::collections::BTreeMap::new();
    for s in statuses {
        *out.entry(*s).or_insert(0) += 1;
    }
    out
}

#[tokio::test]
async fn bursts_of_200_against_one_code_and_one_account_verify_once_and_count_five() {
    use rekey_tests::burst::spawn_app_without_front_limits;
    use rekey_tests::self_service::wait_for_flow;
    // Front limits lifted, so the bursts reach the account's own limits.
    let dir = tempfile::tempdir().unwrap();
    let store =
        rekey_function::adapters::sqlite::SqliteStore::open(&dir.path().join("rekey.db")).unwrap();
    let app = spawn_app_without_front_limits(std::sync::Arc::new(store), dir).await;
    sspr_on(
        &app,
        "all",
        &[],
        1,
        &["alternate_email", "authenticator_app"],
    )
    .await;
    let megan = app.sign_in(&app.megan).await;
    with_alternate_email(&app, &megan, MEGAN_ALT).await;

    // 200 uses of one emailed code at once: one verifies.
    let flow = start(&app, "megan.bowen").await;
    let code = code_sent_to(&app, &flow, MEGAN_ALT).await;
    let tries = (0..200).map(|_| verify(&app, &flow, "alternate_email", &code));
    let statuses = rekey_tests::burst::statuses(tries).await;
    let t = tally(&statuses);
    println!("200 uses of one code: {t:?}");
    assert_eq!(t.get(&200), Some(&1), "{t:?}");
    assert!(t.keys().all(|s| [200, 410, 422, 429].contains(s)), "{t:?}");

    // 200 flows for Lee, a wrong code in each at once: 5 are counted.
    let mut flows = Vec::new();
    for _ in 0..200 {
        let resp = start_response(&app, "lee.gu").await;
        let body: serde_json::Value = resp.json().await.unwrap();
        flows.push(body["flow"].as_str().unwrap().to_string());
    }
    for flow in &flows {
        wait_for_flow(&app, flow).await;
    }
    let tries = flows
        .iter()
        .map(|flow| verify(&app, flow, "authenticator_app", "123456"));
    let statuses = rekey_tests::burst::statuses(tries).await;
    let t = tally(&statuses);
    println!("200 wrong codes for one account: {t:?}");
    let counted = t.get(&422).copied().unwrap_or(0);
    assert!((1..=5).contains(&counted), "{t:?}");
    assert_eq!(counted + t.get(&429).copied().unwrap_or(0), 200, "{t:?}");
}

#[tokio::test]
async fn a_burst_of_200_starts_from_one_address_meets_the_sign_in_throttle() {
    let (_clock, app) = clocked().await;
    sspr_on(&app, "all", &[], 1, &["alternate_email"]).await;
    let starts = (0..200).map(|_| start_response(&app, "megan.bowen"));
    let responses = futures::future::join_all(starts).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    let t = tally(&statuses);
    // The per-address bucket: 30 at once, then 429 with Retry-After.
    assert_eq!(t.get(&202), Some(&30), "{t:?}");
    assert_eq!(t.get(&429), Some(&170), "{t:?}");
    assert!(responses
        .iter()
        .filter(|r| r.status() == 429)
        .all(|r| r.headers().contains_key("retry-after")));
}
