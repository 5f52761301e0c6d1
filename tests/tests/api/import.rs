//! "Add multiple users" from CSV, and the export.

use rekey_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

const HEADER: &str = "User Name,First Name,Last Name,Display Name,Email,Alternate Email,Role\r\n";

async fn import(app: &TestApp, session: &rekey_tests::Session, csv: &str) -> (u16, Value) {
    let resp = app
        .post("/api/users/import", Some(session), &json!({"csv": csv}))
        .await;
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

fn rows(n: usize, prefix: &str) -> String {
    let mut csv = HEADER.to_string();
    for i in 0..n {
        csv.push_str(&format!(
            "{prefix}{i},Ada{i},Byron,,{prefix}{i}@contoso.example,,User\r\n"
        ));
    }
    csv
}

#[tokio::test]
async fn the_template_has_microsoft_365s_columns_and_three_rows_come_in() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let template = app.get("/api/users/import-template", Some(&admin)).await;
    assert_eq!(template.status(), 200);
    assert!(template.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    assert_eq!(template.text().await.unwrap(), HEADER);

    let csv = format!(
        "{HEADER}ada.byron,Ada,Byron,,ada@contoso.example,ada@home.example,User\r\n\
         \"grace.h\",Grace,Hopper,\"Hopper, Grace\",grace@contoso.example,,Password admin\r\n\
         alan@contoso.example,Alan,Turing,,alan@contoso.example,,\r\n"
    );
    let (status, result) = import(&app, &admin, &csv).await;
    assert_eq!(status, 201, "{result}");
    assert_eq!(result["created"], 3);
    let passwords = result["passwords_csv"].as_str().unwrap();
    let lines: Vec<&str> = passwords.trim_end().split("\r\n").collect();
    assert_eq!(lines[0], "User Name,Display Name,Password");
    assert_eq!(lines.len(), 4);
    // A user principal name as the username, as Microsoft 365 exports it.
    assert!(
        lines.iter().any(|l| l.starts_with("alan@contoso.example,")),
        "{passwords}"
    );
    let grace = lines.iter().find(|l| l.starts_with("grace.h,")).unwrap();
    assert!(grace.contains("\"Hopper, Grace\""));
    let password = grace.rsplit(',').next().unwrap();
    let me: Value = app
        .sign_in_response("grace.h", password)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["role"], "password_admin");
    assert_eq!(me["user"]["must_change_password"], true);
    // Never stored in clear, never emailed.
    assert!(!String::from_utf8_lossy(&app.store_bytes()).contains(password));
    assert!(app.password_emails().is_empty());
}

#[tokio::test]
async fn every_problem_is_reported_by_line_and_column_and_nothing_is_added() {
    let app = spawn_app().await;
    let password_admin = app.sign_in(&app.password_admin).await;
    let csv = format!(
        "{HEADER}ok.one,Ok,One,,ok1@contoso.example,,User\r\n\
         bad name,Bad,Name,,bad@contoso.example,,User\r\n\
         ok.two,Ok,Two,,not-an-address,,User\r\n\
         boss,Big,Boss,,boss@contoso.example,,Global admin\r\n\
         ok.one,Ok,Again,,ok1b@contoso.example,,User\r\n\
         megan.bowen,Megan,Again,,megan2@contoso.example,,User\r\n"
    );
    let (status, refused) = import(&app, &password_admin, &csv).await;
    assert_eq!(status, 422, "{refused}");
    let problems: Vec<(u64, String, String)> = refused["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["field"].as_str().unwrap().to_string(),
                p["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (3, "User Name", "invalid_username"),
        (4, "Email", "invalid_email"),
        (5, "Role", "role_not_allowed"),
        (6, "User Name", "duplicate_in_file"),
        (7, "User Name", "taken"),
    ];
    assert_eq!(
        problems,
        expected.map(|(l, f, c)| (l, f.to_string(), c.to_string()))
    );
    let admin = app.sign_in(&app.global_admin).await;
    let found = app.get_json("/api/users?q=ok.", Some(&admin)).await;
    assert!(found["users"].as_array().unwrap().is_empty());
    // A file without the columns, or without a closing quote.
    let (status, refused) = import(&app, &admin, "Name,Mail\r\nx,y\r\n").await;
    assert_eq!(status, 422);
    assert_eq!(refused["problems"][0]["field"], "User Name");
    assert_eq!(refused["problems"][0]["code"], "missing_column");
    let (status, broken) = import(&app, &admin, &format!("{HEADER}\"x,y")).await;
    assert_eq!(status, 422);
    assert_eq!(broken["problems"][0]["code"], "malformed_csv");
}

#[tokio::test]
async fn ten_thousand_rows_come_in_whole_or_not_at_all() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.store.count_users().await.unwrap();
    // One bad row near the end: nothing is added and the report names it.
    let mut bad = rows(10_000, "bulk.");
    bad = bad.replacen("bulk.9998@contoso.example", "bulk.9998@", 1);
    let (status, refused) = import(&app, &admin, &bad).await;
    assert_eq!(status, 422);
    assert_eq!(
        refused["problems"],
        json!([{"line": 10000, "field": "Email", "code": "invalid_email", "reason": "That doesn't look like an email address (name@example.com)."}])
    );
    assert_eq!(app.store.count_users().await.unwrap(), before);
    // All valid: all added.
    let (status, result) = import(&app, &admin, &rows(10_000, "bulk.")).await;
    assert_eq!(status, 201, "{result}");
    assert_eq!(result["created"], 10_000);
    assert_eq!(app.store.count_users().await.unwrap(), before + 10_000);
    // 10,001 rows are refused outright.
    let (status, too_many) = import(&app, &admin, &rows(10_001, "more.")).await;
    assert_eq!(
        (status, too_many["code"].as_str()),
        (400, Some("too_many_rows"))
    );
}

#[tokio::test]
async fn a_file_larger_than_one_import_here_takes_is_refused_up_front_with_its_own_code() {
    let dir = tempfile::tempdir().unwrap();
    let store =
        rekey_function::adapters::sqlite::SqliteStore::open(&dir.path().join("rekey.db")).unwrap();
    // As on Lambda, where one import must finish inside one call.
    let app = rekey_tests::spawn_app_configured(
        std::sync::Arc::new(store),
        std::sync::Arc::new(rekey_function::ports::SystemClock),
        dir,
        |s| s.max_import_rows = 3,
    )
    .await;
    let admin = app.sign_in(&app.global_admin).await;
    let before = app.store.count_users().await.unwrap();
    let (status, refused) = import(&app, &admin, &rows(4, "big.")).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (400, Some("too_many_rows"))
    );
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("4 users") && message.contains("at most 3"),
        "{message}"
    );
    assert_eq!(app.store.count_users().await.unwrap(), before);
    let (status, _) = import(&app, &admin, &rows(3, "fits.")).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn the_export_lists_everyone_and_defuses_formulas() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let created = app
        .post(
            "/api/users",
            Some(&admin),
            &json!({"first_name": "=HYPERLINK(\"http://evil.example\")", "last_name": "+1",
                    "username": "formula.test", "email": "formula@contoso.example", "role": "user"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let resp = app.get("/api/users/export", Some(&admin)).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = resp.text().await.unwrap();
    assert!(csv.starts_with(HEADER));
    assert_eq!(csv.trim_end().split("\r\n").count(), 1 + 6, "{csv}");
    let row = csv
        .lines()
        .find(|l| l.starts_with("formula.test,"))
        .unwrap();
    assert!(
        row.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\""),
        "{row}"
    );
    assert!(row.contains(",'+1,"), "{row}");
    let plain = app.sign_in(&app.user).await;
    assert_eq!(
        app.get("/api/users/export", Some(&plain)).await.status(),
        403
    );
}

#[tokio::test]
async fn an_import_over_its_body_limit_is_told_that_limit_not_the_apis() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let huge = "x".repeat(rekey_function::api::IMPORT_BODY_LIMIT + 1);
    let resp = app
        .post("/api/users/import", Some(&admin), &json!({"csv": huge}))
        .await;
    assert_eq!(resp.status(), 413);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "payload_too_large");
    assert!(
        body["message"].as_str().unwrap().contains("4 MiB"),
        "{body}"
    );
    // Elsewhere the API's own limit.
    let big = "x".repeat(200 * 1024);
    let resp = app
        .post("/api/users", Some(&admin), &json!({"first_name": big}))
        .await;
    assert_eq!(resp.status(), 413);
    let body: Value = resp.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("128 KiB"),
        "{body}"
    );
}
