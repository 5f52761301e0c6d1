//! The second step in the browser: an admin with an authenticator app
//! signs in with her password, then the code oathtool computes from her
//! secret as her phone would, and lands in the admin center.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::support::{Browser, Server};
use super::SERIAL;

/// What zxing-cpp reads from a PNG image.
fn scan_qr(png: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("qr.png");
    std::fs::write(&path, png).unwrap();
    let out =
        std::process::Command::new(rekey_tests::server::workspace().join(".tools/venv/bin/python"))
            .args([
                "-c",
                "import sys, zxingcpp; from PIL import Image; \
             found = zxingcpp.read_barcodes(Image.open(sys.argv[1])); \
             print(found[0].text if found else '')",
            ])
            .arg(&path)
            .output()
            .expect("zxing-cpp in .tools/venv (scripts/setup.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn an_admin_with_an_authenticator_app_signs_in_with_her_password_and_its_code() {
    let _one = SERIAL.lock().await;
    let server = Server::start();
    // Her app, registered over the API. The previous step's code confirms
    // it (one step of skew counts), so the current one is unused.
    let client = reqwest::Client::new();
    let cookie = server.admin_cookie(&client).await;
    let setup: Value = client
        .post(format!("{}/api/me/methods/authenticator-app", server.url))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({"name": "Phone"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    let confirmed = client
        .post(format!(
            "{}/api/me/methods/authenticator-app/{}/confirm",
            server.url,
            setup["id"].as_str().unwrap()
        ))
        .header("origin", &server.url)
        .header("cookie", &cookie)
        .json(&json!({"code": rekey_tests::authenticator::code(&secret, now_ms() - 30_000)}))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);

    let b = Browser::start().await;
    b.sign_in(&server.url, "admin", &server.admin_password("admin"))
        .await;
    b.find_text("h1", "Enter the code").await;
    b.assert_focus("#code").await;
    b.assert_accessible("the sign-in's code step").await;
    b.screenshot("sign-in-code.png").await;

    // A wrong code is said in place; the right one signs her in.
    let right = rekey_tests::authenticator::code(&secret, now_ms());
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    b.type_into("#code", wrong).await;
    b.click("button[type=submit]").await;
    b.find_text(".error", "code isn't right").await;
    b.assert_accessible("a wrong code").await;
    b.type_into(
        "#code",
        &rekey_tests::authenticator::code(&secret, now_ms()),
    )
    .await;
    b.click("button[type=submit]").await;
    b.find("tbody tr").await;
    assert_eq!(b.client.current_url().await.unwrap().path(), "/admin/");
}

#[tokio::test]
async fn on_security_info_an_admin_adds_an_authenticator_app_by_its_key_and_first_code() {
    let (_one, server, b) = super::admin_signed_in().await;
    b.client
        .goto(&format!("{}/#/security-info", server.url))
        .await
        .unwrap();
    b.find_text("h1", "Security info").await;
    b.find_text(".empty", "no sign-in method besides your password")
        .await;
    b.assert_accessible("Security info, empty").await;
    b.click_text("button.primary", "Add authenticator app")
        .await;
    b.find("svg.qr[role=img]").await;
    b.assert_focus("#totp-code").await;
    b.assert_accessible("adding an authenticator app").await;
    b.screenshot("security-info-add-app.png").await;

    // The key as the page shows it to type, into an authenticator.
    let key = b.find("code.key").await.text().await.unwrap();
    assert_eq!(key.len(), 32);
    // The QR code as a phone's camera sees it, read by zxing-cpp.
    let png = b.find("svg.qr").await.screenshot().await.unwrap();
    let scanned = scan_qr(&png);
    assert_eq!(
        scanned,
        format!("otpauth://totp/Contoso:admin?secret={key}&issuer=Contoso&algorithm=SHA1&digits=6&period=30")
    );
    b.type_into(
        "#totp-code",
        &rekey_tests::authenticator::code(&key, now_ms()),
    )
    .await;
    b.click_text(".add-app button.primary", "Verify").await;
    b.find_text(".method strong", "Authenticator app").await;
    b.find_text(".method .muted", "not used yet").await;
    b.assert_accessible("Security info with an app").await;
    b.screenshot("security-info.png").await;
}
