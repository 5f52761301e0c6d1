use rekey_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn the_outbox_pages_show_what_recipients_got() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let empty = app.get("/outbox", Some(&admin)).await.text().await.unwrap();
    assert!(empty.contains("No email has been sent yet"));

    let result = app
        .reset(
            &admin,
            &app.megan.id,
            &json!({"email_to": ["it@contoso.example"]}),
        )
        .await;
    let password = result["password"].as_str().unwrap();
    let id = app.password_emails()[0].id.clone();

    let index = app.get("/outbox", Some(&admin)).await.text().await.unwrap();
    // The password email and the notice to Megan's two addresses.
    assert!(index.contains("3 messages, newest first."));
    assert!(index.contains(&format!("/outbox/{id}")));
    assert!(index.contains("New password for Megan Bowen (megan.bowen)"));

    let page = app.get(&format!("/outbox/{id}"), Some(&admin)).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("it@contoso.example"));
    // The password as the text part shows it, HTML-escaped.
    let escaped = password.replace('&', "&amp;");
    assert!(page.contains(&escaped));

    let html = app.get(&format!("/outbox/{id}/html"), Some(&admin)).await;
    let csp = html.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.starts_with("sandbox"), "{csp}");
    assert!(html.text().await.unwrap().contains("Temporary password"));

    for bad in [
        "/outbox/..%2F..%2Fetc%2Fpasswd",
        "/outbox/nope",
        "/outbox/nope/html",
    ] {
        assert_eq!(app.get(bad, Some(&admin)).await.status(), 404, "{bad}");
    }
}

#[tokio::test]
async fn the_outbox_is_only_for_a_signed_in_global_admin_under_a_loopback_name() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    app.reset(
        &admin,
        &app.megan.id,
        &json!({"email_to": ["it@contoso.example"]}),
    )
    .await;
    let id = app.password_emails()[0].id.clone();
    let pages = [
        "/outbox".to_string(),
        format!("/outbox/{id}"),
        format!("/outbox/{id}/html"),
    ];
    let helpdesk = app.sign_in(&app.helpdesk_admin).await;
    for page in &pages {
        let anyone = app.get(page, None).await;
        assert_eq!(anyone.status(), 401, "{page}");
        assert!(!anyone.text().await.unwrap().contains("Temporary password"));
        // Another admin may not read a global admin's temporary password.
        assert_eq!(app.get(page, Some(&helpdesk)).await.status(), 403, "{page}");
        // A page under a rebound DNS name that points here: refused by its
        // Host alone, even with the admin's cookie.
        let rebound = app
            .client
            .get(app.url(page))
            .header("host", "attacker.example:8080")
            .header("cookie", &admin.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(rebound.status(), 421, "{page}");
        let localhost = app
            .client
            .get(app.url(page))
            .header("host", "localhost:8080")
            .header("cookie", &admin.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(localhost.status(), 200, "{page}");
    }
}
