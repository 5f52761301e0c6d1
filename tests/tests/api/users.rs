use rekey_tests::spawn_app;
use serde_json::Value;

#[tokio::test]
async fn admins_search_users_by_name_username_or_email_and_page_through_them() {
    let app = spawn_app().await;
    app.add_users(300).await;
    let admin = app.sign_in(&app.password_admin).await;

    let page: Value = app.get_json("/api/users?q=MEG", Some(&admin)).await;
    let users = page["users"].as_array().unwrap();
    assert!(users.iter().any(|u| u["username"] == "megan.bowen"));
    assert!(users.iter().all(|u| u["display_name"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("meg")
        || u["username"].as_str().unwrap().starts_with("meg")));
    let megan = users
        .iter()
        .find(|u| u["username"] == "megan.bowen")
        .unwrap();
    assert_eq!(megan["alternate_email"], "megan.home@personal.example");
    assert!(megan.get("password_hash").is_none());

    let by_last: Value = app.get_json("/api/users?q=bowen", Some(&admin)).await;
    assert!(by_last["users"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["username"] == "megan.bowen"));

    // Paging covers all 305 users once, in display-name order.
    let mut seen = Vec::new();
    let mut next = Some(String::new());
    while let Some(cursor) = next {
        let path = if cursor.is_empty() {
            "/api/users?limit=100".to_string()
        } else {
            format!("/api/users?limit=100&cursor={cursor}")
        };
        let page: Value = app.get_json(&path, Some(&admin)).await;
        for u in page["users"].as_array().unwrap() {
            seen.push((
                u["display_name"].as_str().unwrap().to_lowercase(),
                u["id"].as_str().unwrap().to_string(),
            ));
        }
        next = page["next_cursor"].as_str().map(str::to_string);
    }
    assert_eq!(seen.len(), 305);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
}

#[tokio::test]
async fn one_user_can_be_read_by_id_and_an_unknown_id_is_404() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let u: Value = app
        .get_json(&format!("/api/users/{}", app.megan.id), Some(&admin))
        .await;
    assert_eq!(u["display_name"], "Megan Bowen");
    let missing = app.get("/api/users/nope", Some(&admin)).await;
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
}

#[tokio::test]
async fn the_audit_log_pages_newest_first() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    for id in [&app.megan.id, &app.user.id, &app.megan.id] {
        let r = app
            .post(
                &format!("/api/users/{id}/password-reset"),
                Some(&admin),
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    // Each reset writes its event, then the notice to the user's addresses.
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut path = "/api/audit?limit=2".to_string();
    loop {
        let page: Value = app.get_json(&path, Some(&admin)).await;
        pages += 1;
        for e in page["events"].as_array().unwrap() {
            seen.push((
                e["action"].as_str().unwrap().to_string(),
                e["target"]["username"].as_str().unwrap().to_string(),
                e["at"].as_i64().unwrap(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/audit?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let order: Vec<(&str, &str)> = seen
        .iter()
        .map(|(a, u, _)| (a.as_str(), u.as_str()))
        .collect();
    assert_eq!(
        order,
        vec![
            ("notice_sent", "megan.bowen"),
            ("password_reset", "megan.bowen"),
            ("notice_sent", "lee.gu"),
            ("password_reset", "lee.gu"),
            ("notice_sent", "megan.bowen"),
            ("password_reset", "megan.bowen"),
        ]
    );
    assert!(seen.windows(2).all(|w| w[0].2 >= w[1].2), "newest first");
}
