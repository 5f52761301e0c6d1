use rekey_tests::spawn_app;
use serde_json::json;

#[tokio::test]
async fn the_outbox_pages_show_what_recipients_got() {
    let app = spawn_app().await;
    let empty = app.get("/outbox", None).await.text().await.unwrap();
    assert!(empty.contains("No email has been sent yet"));

    let admin = app.sign_in(&app.global_admin).await;
    let result = app
        .reset(
            &admin,
            &app.megan.id,
            &json!({"email_to": ["it@contoso.example"]}),
        )
        .await;
    let password = result["password"].as_str().unwrap();
    let id = app.password_emails()[0].id.clone();

    let index = app.get("/outbox", None).await.text().await.unwrap();
    // The password email and the notice to Megan's two addresses.
    assert!(index.contains("3 messages, newest first."));
    assert!(index.contains(&format!("/outbox/{id}")));
    assert!(index.contains("New password for Megan Bowen (megan.bowen)"));

    let page = app.get(&format!("/outbox/{id}"), None).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("it@contoso.example"));
    // The password as the text part shows it, HTML-escaped.
    let escaped = password.replace('&', "&amp;");
    assert!(page.contains(&escaped));

    let html = app.get(&format!("/outbox/{id}/html"), None).await;
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
        assert_eq!(app.get(bad, None).await.status(), 404, "{bad}");
    }
}
