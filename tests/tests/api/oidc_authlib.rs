//! A relying party nobody here wrote: Python's Authlib signs users in
//! against Rekey (discovery, code + PKCE, token, ID token verified against
//! the JWKS with its claims checked, userinfo).

use rekey_tests::spawn_app;
use serde_json::Value;

fn authlib(args: &[&str]) -> Value {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::process::Command::new(root.join(".tools/venv/bin/python"))
        .arg(root.join("tests/rp/authlib_rp.py"))
        .args(args)
        .output()
        .expect("the tools' Python (run scripts/setup.sh)");
    assert!(
        out.status.success(),
        "authlib RP failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the RP's JSON")
}

#[tokio::test]
async fn authlib_signs_a_user_in_as_a_confidential_and_as_a_public_app() {
    let app = spawn_app().await;
    let admin = app.sign_in(&app.global_admin).await;
    let megan = app.sign_in(&app.megan).await;
    for kind in ["confidential", "public"] {
        let rp = app
            .register_app(&admin, kind, &format!("http://127.0.0.1:9/{kind}"))
            .await;
        let secret = rp.secret.clone().unwrap_or_else(|| "-".into());
        let (address, client_id, redirect, cookie) = (
            app.address.clone(),
            rp.client_id.clone(),
            rp.redirect_uri.clone(),
            megan.cookie.clone(),
        );
        let result = tokio::task::spawn_blocking(move || {
            authlib(&[&address, &client_id, &secret, &redirect, &cookie])
        })
        .await
        .unwrap();
        assert_eq!(result["alg"], "ES256", "{kind}");
        assert_eq!(result["id_token"]["sub"], app.megan.id, "{kind}");
        assert_eq!(result["id_token"]["aud"], rp.client_id, "{kind}");
        assert_eq!(result["id_token"]["email"], app.megan.email, "{kind}");
        assert_eq!(result["userinfo"]["sub"], app.megan.id, "{kind}");
        assert_eq!(result["userinfo"]["name"], "Megan Bowen", "{kind}");
        assert_eq!(result["scope"], "openid profile email", "{kind}");
    }
}
