//! The real `rekey-function` binary under a fake Lambda Runtime API: it
//! pulls API Gateway HTTP API (payload v2) events from the checked-in
//! fixtures and posts its responses back, as it would on AWS.

use std::time::Duration;

use rekey_function::adapters::dynamodb::DynamoStore;
use rekey_function::adapters::sqlite::SqliteStore;
use rekey_function::domain::hashing::{HashParams, Hasher};
use rekey_function::domain::model::UserRecord;
use rekey_function::domain::secret::Secret;
use rekey_function::ports::{Store, UserStore};
use rekey_function::seed::user_record;
use rekey_shared::Role;
use rekey_tests::dynamodb::{fresh_table, store_env};
use rekey_tests::lambda::{fixture, json_body, session_of, Function};
use rekey_tests::server::Server;
use rekey_tests::ses::SesEmulator;

const PASSWORD: &str = "fixture password for lambda tests";

/// The fixtures' accounts (the admin the sign-in fixture names, and Megan)
/// in `store`; returns Megan.
async fn seed_fixture_users(store: &dyn Store, hasher: &Hasher) -> UserRecord {
    let hash = hasher.hash_blocking(&Secret::new(PASSWORD.into())).unwrap();
    let admin = user_record(
        "fixture.admin",
        "Fiona Fixture",
        Role::GlobalAdmin,
        None,
        hash.clone(),
        0,
    );
    let megan = user_record("megan.bowen", "Megan Bowen", Role::User, None, hash, 0);
    store.insert_users(&[admin, megan.clone()]).await.unwrap();
    megan
}

/// Leaves a cold-start figure in `target/` for the test command to print.
fn report_cold_start(file: &str, what: &str, took: Duration) {
    std::fs::write(
        Server::binary().parent().unwrap().parent().unwrap().join(file),
        format!(
            "lambda cold start (debug build, {what}, process start to first response, incl. one argon2id verify): {} ms\n",
            took.as_millis()
        ),
    )
    .unwrap();
}

#[tokio::test]
async fn the_binary_serves_sign_in_users_and_a_reset_through_the_lambda_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rekey.db");
    let store = SqliteStore::open(&db).unwrap();
    let hasher = Hasher::new(HashParams::default(), 1).unwrap();
    let megan = seed_fixture_users(&store, &hasher).await;
    drop(store);

    let function = Function::start(&[
        ("REKEY_DB_PATH", db.display().to_string()),
        (
            "REKEY_OUTBOX_DIR",
            dir.path().join("outbox").display().to_string(),
        ),
        ("REKEY_DATA_DIR", dir.path().display().to_string()),
    ])
    .await;

    // Sign-in: 200, the session cookie in the v2 response's `cookies`.
    let signed_in = function
        .invoke(
            "sign-in-1",
            fixture("sign-in.json", &[("password", PASSWORD)]),
        )
        .await;
    let cold_start = function.started.elapsed();
    assert_eq!(signed_in["statusCode"], 200, "{signed_in}");
    let cookies: Vec<&str> = signed_in["cookies"]
        .as_array()
        .expect("cookies")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let cookie = cookies
        .iter()
        .find(|c| c.starts_with("__Host-rekey_session="))
        .expect("a session cookie");
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    let session = session_of(cookie);
    let body = json_body(&signed_in);
    assert_eq!(body["user"]["username"], "fixture.admin");

    // Users list, with the session.
    let listed = function
        .invoke(
            "users-1",
            fixture("users-list.json", &[("session", session)]),
        )
        .await;
    assert_eq!(listed["statusCode"], 200, "{listed}");
    let page = json_body(&listed);
    assert_eq!(page["users"][0]["username"], "megan.bowen");
    assert_eq!(page["users"].as_array().unwrap().len(), 1);

    // A reset.
    let reset = function.reset("reset-1", session, &megan.id).await;
    assert_eq!(reset["statusCode"], 200, "{reset}");
    let result = json_body(&reset);
    assert_eq!(result["must_change_password"], true);
    assert_eq!(result["password"].as_str().unwrap().chars().count(), 16);

    // A forged Origin is refused under Lambda too.
    let forged = fixture(
        "reset.json",
        &[("session", session), ("user_id", &megan.id)],
    )
    .replace("https://rekey.example.com", "https://evil.example");
    let refused = function.invoke("reset-2", forged).await;
    assert_eq!(refused["statusCode"], 403, "{refused}");

    // A reset request is handled before the answer under Lambda (the
    // environment freezes after it): the admin's email is already written.
    let asked = function
        .invoke("request-1", fixture("password-request.json", &[]))
        .await;
    assert_eq!(asked["statusCode"], 202, "{asked}");
    let emails = rekey_function::adapters::outbox::list_entries(&dir.path().join("outbox"));
    assert!(
        emails
            .iter()
            .any(|m| m.to == "fixture.admin@contoso.example"
                && m.subject == "Megan Bowen asked for a new password"),
        "the request email is sent before the answer"
    );
    let unknown = fixture("password-request.json", &[]).replace("megan.bowen", "nobody.here");
    let unknown = function.invoke("request-2", unknown).await;
    assert_eq!(unknown["statusCode"], asked["statusCode"]);
    assert_eq!(unknown["body"], asked["body"]);

    report_cold_start("lambda-cold-start.txt", "SQLite", cold_start);
}

/// The deployed configuration on this machine: the Lambda runtime, the
/// DynamoDB store (moto) and SES (aws-ses-v2-local), as template.yaml sets
/// them up.
#[tokio::test]
async fn the_deployed_configuration_runs_under_lambda_on_dynamodb_and_ses() {
    let ses = SesEmulator::start().await;
    let table = fresh_table().await;
    let store = DynamoStore::new(rekey_tests::dynamodb::client(), &table);
    let hasher = Hasher::new(HashParams::default(), 1).unwrap();
    let megan = seed_fixture_users(&store, &hasher).await;

    let mut env = store_env(&table).await;
    env.extend([
        ("REKEY_MAILER", "ses".to_string()),
        ("REKEY_SEED_DEMO", "false".to_string()),
        ("AWS_ENDPOINT_URL_SESV2", ses.url.clone()),
    ]);
    let function = Function::start(&env).await;

    let signed_in = function
        .invoke(
            "sign-in-1",
            fixture("sign-in.json", &[("password", PASSWORD)]),
        )
        .await;
    let cold_start = function.started.elapsed();
    assert_eq!(signed_in["statusCode"], 200, "{signed_in}");
    let cookie = signed_in["cookies"][0].as_str().unwrap();
    let session = session_of(cookie);

    let reset = function.reset("reset-1", session, &megan.id).await;
    assert_eq!(reset["statusCode"], 200, "{reset}");
    let result = json_body(&reset);
    assert_eq!(result["version"], 1);

    // Written to the table, and the user's notice went through SES.
    let stored = store.user_by_id(&megan.id).await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    assert!(stored.must_change_password);
    assert!(
        hasher
            .verify(
                Secret::new(result["password"].as_str().unwrap().into()),
                Some(stored.password_hash)
            )
            .await
    );
    let emails = ses.emails().await;
    assert!(
        emails
            .iter()
            .any(|m| m["subject"] == "Your Contoso password was changed"
                && m["destination"]["to"][0] == "megan.bowen@contoso.example"),
        "{emails:#?}"
    );

    report_cold_start(
        "lambda-cold-start-dynamodb.txt",
        "DynamoDB emulator + SES, incl. DescribeTable",
        cold_start,
    );
}

/// A header of a v2 answer (API Gateway keeps them lower case).
fn header<'a>(answer: &'a serde_json::Value, name: &str) -> &'a str {
    answer["headers"][name].as_str().unwrap_or_default()
}

#[tokio::test]
async fn an_app_signs_a_user_in_through_the_lambda_runtime() {
    use rekey_tests::lambda::http_event;
    use rekey_tests::oidc::{encode, param, pkce};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rekey.db");
    let store = SqliteStore::open(&db).unwrap();
    let hasher = Hasher::new(HashParams::default(), 1).unwrap();
    let megan = seed_fixture_users(&store, &hasher).await;
    drop(store);
    let function = Function::start(&[
        ("REKEY_DB_PATH", db.display().to_string()),
        ("REKEY_DATA_DIR", dir.path().display().to_string()),
        (
            "REKEY_OUTBOX_DIR",
            dir.path().join("outbox").display().to_string(),
        ),
    ])
    .await;

    let discovery = function
        .invoke(
            "disc",
            http_event(
                "GET",
                "/.well-known/openid-configuration",
                "",
                &[],
                &[],
                None,
            ),
        )
        .await;
    assert_eq!(discovery["statusCode"], 200, "{discovery}");
    let doc = json_body(&discovery);
    assert_eq!(doc["issuer"], "https://rekey.example.com");
    assert_eq!(
        doc["token_endpoint"],
        "https://rekey.example.com/oauth2/token"
    );

    // The admin registers a public app.
    let signed_in = function
        .invoke(
            "sign-in",
            fixture("sign-in.json", &[("password", PASSWORD)]),
        )
        .await;
    let cookies: Vec<String> = signed_in["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let sso = cookies
        .iter()
        .find(|c| c.starts_with("__Host-rekey_sso="))
        .expect("an SSO cookie");
    assert!(
        sso.contains("SameSite=Lax") && sso.contains("Path=/;"),
        "{sso}"
    );
    let admin = format!("__Host-rekey_session={}", session_of(&cookies[0]));
    let registered = function
        .invoke(
            "register",
            http_event(
                "POST",
                "/api/apps",
                "",
                &[&admin],
                &[("content-type", "application/json")],
                Some(r#"{"name":"Wiki","kind":"public","redirect_uris":["https://wiki.example/cb"]}"#),
            ),
        )
        .await;
    assert_eq!(registered["statusCode"], 201, "{registered}");
    let client_id = json_body(&registered)["app"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Megan, signed in (her SSO cookie), authorizes; the app exchanges.
    let megan_in = function
        .invoke(
            "megan-in",
            http_event(
                "POST",
                "/api/auth/sign-in",
                "",
                &[],
                &[("content-type", "application/json")],
                Some(&format!(
                    r#"{{"username":"megan.bowen","password":"{PASSWORD}"}}"#
                )),
            ),
        )
        .await;
    let sso_cookie = megan_in["cookies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .find(|c| c.starts_with("__Host-rekey_sso="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let (verifier, challenge) = pkce();
    let query = encode(&[
        ("client_id", &client_id),
        ("redirect_uri", "https://wiki.example/cb"),
        ("response_type", "code"),
        ("scope", "openid email"),
        ("state", "s"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let authorized = function
        .invoke(
            "authorize",
            http_event(
                "GET",
                "/oauth2/authorize",
                &query,
                &[&sso_cookie],
                &[],
                None,
            ),
        )
        .await;
    assert_eq!(authorized["statusCode"], 302, "{authorized}");
    let to = header(&authorized, "location");
    assert!(to.starts_with("https://wiki.example/cb?"), "{to}");
    let code = param(to, "code").unwrap();

    let form = encode(&[
        ("grant_type", "authorization_code"),
        ("code", &code),
        ("redirect_uri", "https://wiki.example/cb"),
        ("client_id", &client_id),
        ("code_verifier", &verifier),
    ]);
    let token = function
        .invoke(
            "token",
            http_event(
                "POST",
                "/oauth2/token",
                "",
                &[],
                &[("content-type", "application/x-www-form-urlencoded")],
                Some(&form),
            ),
        )
        .await;
    assert_eq!(token["statusCode"], 200, "{token}");
    let tokens = json_body(&token);
    assert!(tokens["id_token"].as_str().unwrap().split('.').count() == 3);
    let bearer = format!("Bearer {}", tokens["access_token"].as_str().unwrap());
    let info = function
        .invoke(
            "userinfo",
            http_event(
                "GET",
                "/oauth2/userinfo",
                "",
                &[],
                &[("authorization", &bearer)],
                None,
            ),
        )
        .await;
    assert_eq!(info["statusCode"], 200, "{info}");
    let claims = json_body(&info);
    assert_eq!(claims["sub"], megan.id);
    assert_eq!(claims["email"], megan.email);

    // Without a session the browser is sent to Rekey's sign-in page.
    let anonymous = function
        .invoke(
            "authorize-2",
            http_event("GET", "/oauth2/authorize", &query, &[], &[], None),
        )
        .await;
    assert!(
        header(&anonymous, "location").starts_with("/?continue="),
        "{anonymous}"
    );
}

#[tokio::test]
async fn rotating_x_forwarded_for_does_not_escape_the_sign_in_throttle_on_lambda() {
    let dir = tempfile::tempdir().unwrap();
    let function = Function::start(&[
        (
            "REKEY_DB_PATH",
            dir.path().join("rekey.db").display().to_string(),
        ),
        ("REKEY_DATA_DIR", dir.path().display().to_string()),
        ("REKEY_SEED_DEMO", "false".into()),
        ("REKEY_SIGN_IN_BURST", "5".into()),
    ])
    .await;
    let body = r#"{"username":"nobody","password":"guess"}"#;
    let sign_in = |i: usize, extra: Vec<(&'static str, String)>| {
        let mut headers = vec![
            ("content-type", "application/json".to_string()),
            // A new client-written first hop every time.
            ("x-forwarded-for", format!("203.0.113.{i}, 198.51.100.7")),
        ];
        headers.extend(extra);
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        rekey_tests::lambda::http_event("POST", "/api/auth/sign-in", "", &[], &headers, Some(body))
    };
    let mut statuses = Vec::new();
    for i in 0..8 {
        let answer = function
            .invoke(&format!("xff-{i}"), sign_in(i, vec![]))
            .await;
        statuses.push(answer["statusCode"].as_u64().unwrap());
    }
    // API Gateway's source address is the client: five, then refused.
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
    // Behind CloudFront, each viewer is its own client.
    let viewer = vec![("cloudfront-viewer-address", "192.0.2.44:51234".to_string())];
    let answer = function.invoke("viewer-1", sign_in(9, viewer)).await;
    assert_eq!(answer["statusCode"], 401, "{answer}");
}
