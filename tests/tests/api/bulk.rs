use std::collections::HashMap;

use rekey_tests::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn a_bulk_reset_of_200_with_one_unknown_id_gives_199_successes_and_one_not_found() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let mut ids = app.add_users(199).await;
    ids.insert(100, "00000000-0000-4000-8000-000000000000".into());
    let mut before = HashMap::new();
    for id in ids.iter().filter(|id| !id.starts_with("00000000")) {
        before.insert(id.clone(), app.user_record(id).await.password_hash);
    }

    let resp = app
        .post(
            "/api/password-resets",
            Some(&admin),
            &json!({"user_ids": ids}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["succeeded"], 199);
    assert_eq!(body["failed"], 1);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 200);
    for (item, id) in results.iter().zip(&ids) {
        assert_eq!(
            item["user_id"],
            id.as_str(),
            "results keep the request's order"
        );
    }
    assert_eq!(results[100]["error"]["code"], "not_found");
    assert!(results[100]["result"].is_null());

    let mut new_hashes = std::collections::HashSet::new();
    for (id, old_hash) in &before {
        let now = app.user_record(id).await;
        assert_ne!(&now.password_hash, old_hash, "{id} got a new hash");
        assert!(now.must_change_password);
        new_hashes.insert(now.password_hash);
    }
    assert_eq!(new_hashes.len(), 199, "199 distinct new hashes");

    // Each returned password is the one now stored for its user.
    let sample = &results[7]["result"];
    let resp = app
        .sign_in_response(
            sample["username"].as_str().unwrap(),
            sample["password"].as_str().unwrap(),
        )
        .await;
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn one_forbidden_user_in_a_bulk_reset_does_not_stop_the_rest() {
    let app = spawn_app().await;
    let padmin = app.sign_in(&app.password_admin).await;
    let ids = [
        &app.megan.id,
        &app.global_admin.id,
        &app.user.id,
        &app.megan.id,
    ];
    let body: Value = app
        .post(
            "/api/password-resets",
            Some(&padmin),
            &json!({"user_ids": ids, "options": {"email_to": ["it@contoso.example"]}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let r = body["results"].as_array().unwrap();
    assert_eq!(r[0]["result"]["username"], "megan.bowen");
    assert_eq!(r[1]["error"]["code"], "forbidden");
    assert_eq!(r[2]["result"]["username"], "lee.gu");
    assert_eq!(
        r[3]["error"]["code"], "invalid_request",
        "a repeated id is answered once"
    );
    assert_eq!(body["succeeded"], 2);
    // One email per reset user.
    assert_eq!(app.password_emails().len(), 2);
}

#[tokio::test]
async fn a_bulk_reset_is_capped_at_a_thousand_users() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let ids: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    let resp = app
        .post(
            "/api/password-resets",
            Some(&admin),
            &json!({"user_ids": ids}),
        )
        .await;
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "too_many_users");
    let empty = app
        .post(
            "/api/password-resets",
            Some(&admin),
            &json!({"user_ids": []}),
        )
        .await;
    assert_eq!(empty.status(), 400);
}
