//! Apache httpd with mod_auth_openidc (Debian's packages): a real OpenID
//! Connect relying party, protecting `/protected/` on 127.0.0.1 with a
//! config written here, and printing the claims it was given (SSI).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::server::{free_port, KillOnDrop};

pub struct Apache {
    pub url: String,
    _process: KillOnDrop,
    dir: tempfile::TempDir,
}

impl Apache {
    /// The address apps must register: mod_auth_openidc's callback.
    pub fn redirect_uri(port: u16) -> String {
        format!("http://127.0.0.1:{port}/protected/redirect_uri")
    }

    pub fn signed_out_uri(port: u16) -> String {
        format!("http://127.0.0.1:{port}/signed-out.html")
    }

    /// Starts httpd in the foreground on `port`, relying on `issuer`.
    pub fn start(port: u16, issuer: &str, client_id: &str, secret: &str) -> Apache {
        Self::start_asking(port, issuer, client_id, secret, "")
    }

    /// [`Apache::start`] adding `params` (`a=b&c=d`) to every authorization
    /// request (`OIDCAuthRequestParams`), as an app asking for more would.
    pub fn start_asking(
        port: u16,
        issuer: &str,
        client_id: &str,
        secret: &str,
        params: &str,
    ) -> Apache {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let www = root.join("www");
        std::fs::create_dir_all(www.join("protected")).unwrap();
        std::fs::write(
            www.join("protected/index.shtml"),
            "<!doctype html><html lang=\"en\"><title>Protected</title><h1>Protected page</h1>\
             <p id=\"name\"><!--#echo var=\"OIDC_CLAIM_name\" --></p>\
             <p id=\"email\"><!--#echo var=\"OIDC_CLAIM_email\" --></p>\
             <p id=\"sub\"><!--#echo var=\"OIDC_CLAIM_sub\" --></p>\
             <p id=\"amr\"><!--#echo var=\"OIDC_CLAIM_amr\" --></p>\
             <p id=\"acr\"><!--#echo var=\"OIDC_CLAIM_acr\" --></p>\
             <a id=\"logout\" href=\"/protected/redirect_uri?logout=SIGNED_OUT\">Sign out</a></html>"
                .replace("SIGNED_OUT", &url_encode(&Self::signed_out_uri(port))),
        )
        .unwrap();
        std::fs::write(
            www.join("signed-out.html"),
            "<!doctype html><html lang=\"en\"><title>Bye</title><h1>Signed out of the app</h1></html>",
        )
        .unwrap();
        let modules = "/usr/lib/apache2/modules";
        let conf = format!(
            r#"ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/httpd.pid"
DefaultRuntimeDir "{root}"
Mutex file:{root} default
ErrorLog "{root}/error.log"
LogLevel warn
User www-data
Group www-data
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authn_core_module {modules}/mod_authn_core.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule authz_user_module {modules}/mod_authz_user.so
LoadModule dir_module {modules}/mod_dir.so
LoadModule mime_module {modules}/mod_mime.so
LoadModule include_module {modules}/mod_include.so
LoadModule auth_openidc_module {modules}/mod_auth_openidc.so
TypesConfig /etc/mime.types
DocumentRoot "{root}/www"
DirectoryIndex index.shtml index.html
<Directory "{root}/www">
    Require all granted
</Directory>

OIDCProviderMetadataURL {issuer}/.well-known/openid-configuration
OIDCClientID {client_id}
OIDCClientSecret {secret}
OIDCRedirectURI {redirect}
OIDCCryptoPassphrase {passphrase}
OIDCScope "openid profile email"
OIDCPKCEMethod S256
OIDCProviderTokenEndpointAuth client_secret_basic
OIDCDefaultLoggedOutURL {signed_out}
OIDCSSLValidateServer Off
{asking}

<Location /protected>
    AuthType openid-connect
    Require valid-user
    Options +Includes
    AddOutputFilter INCLUDES .shtml
    AddType text/html .shtml
</Location>
"#,
            root = root.display(),
            redirect = Self::redirect_uri(port),
            signed_out = Self::signed_out_uri(port),
            passphrase = uuid_like(),
            asking = if params.is_empty() {
                String::new()
            } else {
                format!("OIDCAuthRequestParams {params}")
            },
        );
        std::fs::write(root.join("httpd.conf"), conf).unwrap();
        // httpd drops to www-data, which must read the pages. (-X: one process,
        // so killing it leaves no workers behind.)
        open_to_all(root);
        let child = Command::new("/usr/sbin/apache2")
            .args(["-f", &root.join("httpd.conf").to_string_lossy(), "-X"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("apache2 (run scripts/setup.sh)");
        let process = KillOnDrop(child);
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "apache2 did not start: {}",
                std::fs::read_to_string(root.join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Apache {
            url,
            _process: process,
            dir,
        }
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    pub fn free_port() -> u16 {
        free_port()
    }
}

fn open_to_all(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in [
        dir.to_path_buf(),
        dir.join("www"),
        dir.join("www/protected"),
    ] {
        let _ = std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o755));
    }
}

fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn uuid_like() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
