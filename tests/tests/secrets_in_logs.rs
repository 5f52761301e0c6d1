//! The real binary's log, at debug level, through a reset, a one-time link
//! and its use: no password and no link secret ever appears in it.

use rekey_tests::server::Server;
use serde_json::{json, Value};

#[tokio::test]
async fn no_password_or_link_secret_reaches_the_log() {
    let server = Server::start_with(&[("RUST_LOG", "debug")]);
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let adele = server.find_user(&client, &cookie, "adele.adams").await;
    let id = adele["id"].as_str().unwrap();

    // A reset with its password emailed afterwards.
    let reset: Value = server
        .reset(&client, &cookie, id, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let password = reset["password"].as_str().unwrap().to_string();
    let emailed = client
        .post(format!("{}/api/users/{id}/password-email", server.url))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({"password": password, "version": reset["version"], "email_to": ["it@contoso.example"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(emailed.status(), 200);

    // A one-time link, looked at, then used.
    let sent = client
        .post(format!("{}/api/users/{id}/reset-link", server.url))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200);
    let mail = server
        .outbox()
        .into_iter()
        .find(|m| m.text.contains("#/set-password/"))
        .expect("the link email");
    let at = mail.text.find("#/set-password/").unwrap() + "#/set-password/".len();
    let token = mail.text[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let secret = token.split_once('.').unwrap().1.to_string();
    let chosen = "quiet lantern over seven hills";
    for (path, body) in [
        ("/api/auth/reset-link/status", json!({"token": token})),
        (
            "/api/auth/reset-link",
            json!({"token": token, "new_password": chosen}),
        ),
    ] {
        let resp = client
            .post(format!("{}{path}", server.url))
            .header("origin", &server.url)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
    }
    assert_eq!(
        server
            .sign_in(&client, "adele.adams", chosen)
            .await
            .status(),
        200
    );

    // Give the drain thread a moment to read the last lines.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = server.log();
    assert!(
        log.contains("/api/auth/reset-link"),
        "the log is the debug log: {}",
        &log[..log.len().min(400)]
    );
    for (what, secret) in [
        ("reset password", &password),
        ("link secret", &secret),
        ("chosen password", &chosen.to_string()),
    ] {
        assert!(!log.contains(secret.as_str()), "the {what} is in the log");
    }
}

/// The same for an app's sign-in: the client secret, the code, the access
/// token and the ID token (logout's hint travels in a URL) stay out of the
/// debug log.
#[tokio::test]
async fn no_client_secret_code_or_token_reaches_the_log() {
    use rekey_tests::oidc::{encode, location, no_redirects, param, pkce};
    let server = Server::start_with(&[("RUST_LOG", "debug")]);
    let client = no_redirects();
    let cookie = server.admin_cookie(&client).await;
    let app: Value = client
        .post(format!("{}/api/apps", server.url))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({"name": "Wiki", "kind": "confidential",
                      "redirect_uris": ["http://127.0.0.1:9/cb"],
                      "post_logout_redirect_uris": ["http://127.0.0.1:9/bye"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (id, secret) = (
        app["app"]["id"].as_str().unwrap().to_string(),
        app["client_secret"].as_str().unwrap().to_string(),
    );
    let (verifier, challenge) = pkce();
    let query = encode(&[
        ("client_id", &id),
        ("redirect_uri", "http://127.0.0.1:9/cb"),
        ("response_type", "code"),
        ("scope", "openid email"),
        ("state", "state-in-the-url"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let resp = client
        .get(format!("{}/oauth2/authorize?{query}", server.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let code = param(&location(&resp), "code").expect("a code");
    let tokens: Value = client
        .post(format!("{}/oauth2/token", server.url))
        .basic_auth(&id, Some(&secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9/cb"),
            ("code_verifier", &verifier),
        ]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let id_token = tokens["id_token"].as_str().unwrap().to_string();
    let info = client
        .get(format!("{}/oauth2/userinfo", server.url))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 200);
    let bye = client
        .get(format!(
            "{}/oauth2/logout?{}",
            server.url,
            encode(&[
                ("id_token_hint", &id_token),
                ("post_logout_redirect_uri", "http://127.0.0.1:9/bye")
            ])
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&bye), "http://127.0.0.1:9/bye");

    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = server.log();
    assert!(log.contains("/oauth2/token"), "the log is the debug log");
    for (what, value) in [
        ("client secret", &secret),
        ("code", &code),
        ("PKCE verifier", &verifier),
        ("access token", &access),
        ("ID token", &id_token),
        ("state", &"state-in-the-url".to_string()),
    ] {
        assert!(!log.contains(value.as_str()), "the {what} is in the log");
    }
}

/// The same for the second factor: an authenticator app's seed and codes,
/// recovery codes and the pending sign-in's token, through registering,
/// a two-step sign-in and a recovery code's use; nor are the seed and the
/// codes in the database's files.
#[tokio::test]
async fn no_seed_code_recovery_code_or_temporary_pass_reaches_the_log_or_the_store() {
    let server = Server::start_with(&[("RUST_LOG", "debug")]);
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let post = |path: &str, cookie: &str, body: Value| {
        client
            .post(format!("{}{path}", server.url))
            .header("origin", &server.url)
            .header("cookie", cookie.to_string())
            .json(&body)
            .send()
    };
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64
    };
    let setup: Value = post("/api/me/methods/authenticator-app", &cookie, json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let seed = setup["secret"].as_str().unwrap().to_string();
    let first = rekey_tests::authenticator::code(&seed, now() - 30_000);
    let path = format!(
        "/api/me/methods/authenticator-app/{}/confirm",
        setup["id"].as_str().unwrap()
    );
    assert_eq!(
        post(&path, &cookie, json!({ "code": first }))
            .await
            .unwrap()
            .status(),
        200
    );
    let issued: Value = post("/api/me/methods/recovery-codes", &cookie, json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<String> = issued["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    // Password, then a recovery code; password, then the app's code.
    let mut pendings = Vec::new();
    for code in [
        codes[0].clone(),
        rekey_tests::authenticator::code(&seed, now()),
    ] {
        let resp = server
            .sign_in(&client, "admin", &server.admin_password("admin"))
            .await;
        assert_eq!(resp.status(), 202);
        let pending = resp.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let resp = post("/api/auth/second-factor", &pending, json!({ "code": code }))
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        pendings.push(pending.split_once('=').unwrap().1.to_string());
    }
    // An admin's Temporary Access Pass, issued and used.
    let adele = server.find_user(&client, &cookie, "adele.adams").await;
    let issued: Value = post(
        &format!(
            "/api/users/{}/temporary-pass",
            adele["id"].as_str().unwrap()
        ),
        &cookie,
        json!({}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let pass = issued["pass"].as_str().unwrap().to_string();
    let resp = server.sign_in(&client, "adele.adams", &pass).await;
    assert_eq!(resp.status(), 200);

    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = server.log();
    assert!(log.contains("/api/auth/second-factor"), "the debug log");
    let mut store = Vec::new();
    for name in ["rekey.db", "rekey.db-wal"] {
        store.extend(std::fs::read(server.data_dir().join(name)).unwrap_or_default());
    }
    // (Six-digit codes are not looked for: any run of digits, a time in
    // the log or the store, could be one by chance.)
    let mut secrets = vec![("seed", seed.clone()), ("temporary access pass", pass)];
    secrets.extend(codes.iter().map(|c| ("recovery code", c.clone())));
    secrets.extend(codes.iter().map(|c| ("recovery code", c.replace('-', ""))));
    for (what, secret) in &secrets {
        assert!(
            !rekey_tests::contains_bytes(&store, secret.as_bytes()),
            "the {what} is in the store"
        );
    }
    secrets.extend(pendings.iter().map(|p| ("pending token", p.clone())));
    for (what, secret) in &secrets {
        assert!(!log.contains(secret.as_str()), "the {what} is in the log");
    }
}

/// Whether `code` (digits) stands alone in `haystack`, not inside a longer
/// run of digits (a time, a count) where it could be by chance.
fn has_code(haystack: &[u8], code: &str) -> bool {
    let c = code.as_bytes();
    haystack.windows(c.len()).enumerate().any(|(i, w)| {
        w == c
            && (i == 0 || !haystack[i - 1].is_ascii_digit())
            && haystack
                .get(i + c.len())
                .is_none_or(|b| !b.is_ascii_digit())
    })
}

#[tokio::test]
async fn no_self_service_flow_emailed_code_or_new_password_reaches_the_log_or_the_store() {
    let server = Server::start_with(&[("RUST_LOG", "debug")]);
    let client = reqwest::Client::new();
    let admin = server.admin_cookie(&client).await;
    let send = |method: reqwest::Method, path: &str, cookie: Option<&str>, body: Value| {
        let mut req = client
            .request(method, format!("{}{path}", server.url))
            .header("origin", &server.url)
            .json(&body);
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie.to_string());
        }
        req.send()
    };
    let settings = json!({"settings": {
        "enabled_for": "all", "selected_roles": [], "methods_required": 1,
        "methods": ["alternate_email", "authenticator_app"], "require_registration": true,
        "reconfirm_days": 0, "notify_admins_on_admin_reset": false}, "version": 0});
    let put = send(
        reqwest::Method::PUT,
        "/api/settings/password-reset",
        Some(&admin),
        settings,
    );
    assert_eq!(put.await.unwrap().status(), 200);
    let adele = server.find_user(&client, &admin, "adele.adams").await;
    let first = "Violet-Harbor-Lantern-71";
    let options =
        json!({"password": {"mode": "typed", "password": first}, "require_change": false});
    let id = adele["id"].as_str().unwrap();
    assert_eq!(
        server.reset(&client, &admin, id, &options).await.status(),
        200
    );
    let resp = server.sign_in(&client, "adele.adams", first).await;
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let code_to = |to: &str| rekey_tests::self_service::code_among(server.outbox(), to).unwrap();
    let home = "adele@home.example";
    let started: Value = send(
        reqwest::Method::POST,
        "/api/me/methods/alternate-email",
        Some(&cookie),
        json!({"address": home}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let confirm_code = code_to(home);
    let path = format!(
        "/api/me/methods/alternate-email/{}/confirm",
        started["id"].as_str().unwrap()
    );
    let confirmed = send(
        reqwest::Method::POST,
        &path,
        Some(&cookie),
        json!({"code": confirm_code}),
    );
    assert_eq!(confirmed.await.unwrap().status(), 200);

    let flow: Value = send(
        reqwest::Method::POST,
        "/api/auth/self-service",
        None,
        json!({"username": "adele.adams"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let flow = flow["flow"].as_str().unwrap().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let sent = send(
        reqwest::Method::POST,
        "/api/auth/self-service/email-code",
        None,
        json!({"flow": flow}),
    );
    assert_eq!(sent.await.unwrap().status(), 202);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let gate_code = code_to(home);
    assert_ne!(gate_code, confirm_code);
    let verified = send(
        reqwest::Method::POST,
        "/api/auth/self-service/verify",
        None,
        json!({"flow": flow, "method": "alternate_email", "code": gate_code}),
    );
    assert_eq!(verified.await.unwrap().status(), 200);
    let new = "Copper-Meadow-Falcon-52";
    let set = send(
        reqwest::Method::POST,
        "/api/auth/self-service/password",
        None,
        json!({"flow": flow, "new_password": new}),
    );
    assert_eq!(set.await.unwrap().status(), 204);

    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = server.log();
    assert!(
        log.contains("/api/auth/self-service/verify"),
        "the debug log"
    );
    let mut store = Vec::new();
    for name in ["rekey.db", "rekey.db-wal"] {
        store.extend(std::fs::read(server.data_dir().join(name)).unwrap_or_default());
    }
    for (what, secret) in [
        ("flow", flow.as_str()),
        ("new password", new),
        ("first password", first),
    ] {
        assert!(
            !rekey_tests::contains_bytes(&store, secret.as_bytes()),
            "the {what} is in the store"
        );
        assert!(!log.contains(secret), "the {what} is in the log");
    }
    for (what, code) in [
        ("confirmation code", &confirm_code),
        ("gate's code", &gate_code),
    ] {
        assert!(!has_code(&store, code), "the {what} is in the store");
        assert!(!has_code(log.as_bytes(), code), "the {what} is in the log");
    }
}
