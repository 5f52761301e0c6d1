//! Reads the API's JSON answers into rekey-shared's types with the
//! browser's own `JSON.parse` and a few field readers. serde's derived
//! visitors did the same job in a tenth of the app's transfer size, which
//! has a budget (`scripts/frontend-size.sh`). The tests decode serde's own output of every type,
//! so the two cannot drift apart.
//!
//! Same rules as serde's derives: unknown fields are ignored; a missing or
//! null `Option` is `None`; a missing list that serde defaults is empty.
//! Integers must be whole and within ±2^53 (what JSON numbers hold exactly).

use js_sys::{Array, Reflect, JSON};
use rekey_shared::{
    AlternateEmailStarted, ApiError, AppCredentials, AppKind, AppList, AppSummary, AuditAction,
    AuditApp, AuditEvent, AuditMethod, AuditPage, AuditParty, AuthenticatorAppSetup,
    BulkActionItem, BulkActionResponse, BulkResetItem, BulkResetResponse, EmailDelivery,
    EmailOutcome, EmailStatus, ErrorCode, ImportResult, Lang, LinkState, MethodRegistrationDue,
    MethodSummary, MethodType, MyApp, MyApps, PasswordEmailResult, PasswordResetSettings,
    PasswordResetSettingsVersion, RecoveryCodesIssued, ResetLinkInfo, ResetLinkSent,
    ResetLinkStatus, ResetResult, Role, RowProblem, ScimTokenCreated, ScimTokenList,
    ScimTokenSummary, SecondFactorRequired, SecurityInfo, SecurityInfoDue, SelfServiceFlow,
    SelfServiceProgress, ServiceInfo, SignInEntry, SignInLog, SignInResponse, SignInResult,
    SigningAlg, TemporaryPassInfo, TemporaryPassIssued, UserCreated, UserMethods, UserPage,
    UserSummary,
};
use wasm_bindgen::{JsCast, JsValue};

/// The answer is not the JSON its type needs.
#[derive(Debug, PartialEq, Eq)]
pub struct Malformed;

type Decoded<T> = Result<T, Malformed>;

/// A type that can be read from a parsed JSON value.
pub trait FromJson: Sized {
    fn from_json(v: JsValue) -> Decoded<Self>;
}

/// Parses `text` as JSON and reads a `T` from it.
pub fn parse<T: FromJson>(text: &str) -> Decoded<T> {
    T::from_json(JSON::parse(text).map_err(|_| Malformed)?)
}

/// A JSON object (not an array, not null).
struct Object(JsValue);

impl Object {
    fn new(v: JsValue) -> Decoded<Self> {
        if v.is_object() && !Array::is_array(&v) {
            Ok(Self(v))
        } else {
            Err(Malformed)
        }
    }

    /// The field's value; `undefined` when it is missing. Not generic, so
    /// it is compiled once rather than once per field type.
    #[inline(never)]
    fn field(&self, key: &str) -> Decoded<JsValue> {
        Reflect::get(&self.0, &JsValue::from_str(key)).map_err(|_| Malformed)
    }

    fn get<T: FromJson>(&self, key: &str) -> Decoded<T> {
        T::from_json(self.field(key)?)
    }

    /// A field serde fills with its default when it is missing.
    fn get_or_default<T: FromJson + Default>(&self, key: &str) -> Decoded<T> {
        let v = self.field(key)?;
        if v.is_undefined() {
            Ok(T::default())
        } else {
            T::from_json(v)
        }
    }
}

/// `impl FromJson` for a struct whose JSON keys are its field names, as
/// serde writes these types (none renames a field). `field: default` may
/// be missing, like serde's `#[serde(default)]`. Every field must be named,
/// so a field added to a shared type fails to compile here until read.
macro_rules! from_json_struct {
    ($ty:ident { $($field:ident $(: $default:ident)?),* $(,)? }) => {
        impl FromJson for $ty {
            fn from_json(v: JsValue) -> Decoded<Self> {
                let o = Object::new(v)?;
                Ok($ty {
                    $($field: from_json_struct!(@read o, $field $(, $default)?),)*
                })
            }
        }
    };
    (@read $o:ident, $field:ident) => {
        $o.get(stringify!($field))?
    };
    (@read $o:ident, $field:ident, default) => {
        $o.get_or_default(stringify!($field))?
    };
}

impl FromJson for String {
    fn from_json(v: JsValue) -> Decoded<Self> {
        v.as_string().ok_or(Malformed)
    }
}

impl FromJson for bool {
    fn from_json(v: JsValue) -> Decoded<Self> {
        v.as_bool().ok_or(Malformed)
    }
}

/// 2^53: beyond it a JSON number no longer holds every integer.
const EXACT: f64 = 9_007_199_254_740_992.0;

impl FromJson for i64 {
    fn from_json(v: JsValue) -> Decoded<Self> {
        match v.as_f64() {
            Some(n) if n.fract() == 0.0 && n.abs() <= EXACT => Ok(n as i64),
            _ => Err(Malformed),
        }
    }
}

impl FromJson for u64 {
    fn from_json(v: JsValue) -> Decoded<Self> {
        u64::try_from(i64::from_json(v)?).map_err(|_| Malformed)
    }
}

impl FromJson for u32 {
    fn from_json(v: JsValue) -> Decoded<Self> {
        u32::try_from(u64::from_json(v)?).map_err(|_| Malformed)
    }
}

impl FromJson for u8 {
    fn from_json(v: JsValue) -> Decoded<Self> {
        u8::try_from(u64::from_json(v)?).map_err(|_| Malformed)
    }
}

impl FromJson for u16 {
    fn from_json(v: JsValue) -> Decoded<Self> {
        u16::try_from(u64::from_json(v)?).map_err(|_| Malformed)
    }
}

impl FromJson for rekey_shared::SsprScope {
    fn from_json(v: JsValue) -> Decoded<Self> {
        Self::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}

impl FromJson for rekey_shared::SsprMethod {
    fn from_json(v: JsValue) -> Decoded<Self> {
        Self::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}

impl FromJson for usize {
    fn from_json(v: JsValue) -> Decoded<Self> {
        usize::try_from(u64::from_json(v)?).map_err(|_| Malformed)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: JsValue) -> Decoded<Self> {
        if v.is_null() || v.is_undefined() {
            Ok(None)
        } else {
            T::from_json(v).map(Some)
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: JsValue) -> Decoded<Self> {
        let array = v.dyn_into::<Array>().map_err(|_| Malformed)?;
        // A plain loop: `collect()` into a Result costs more wasm per type.
        let mut items = Vec::with_capacity(array.length() as usize);
        for i in 0..array.length() {
            items.push(T::from_json(array.get(i))?);
        }
        Ok(items)
    }
}

impl FromJson for Role {
    fn from_json(v: JsValue) -> Decoded<Self> {
        Role::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}

impl FromJson for AuditAction {
    fn from_json(v: JsValue) -> Decoded<Self> {
        AuditAction::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}

impl FromJson for MethodType {
    fn from_json(v: JsValue) -> Decoded<Self> {
        MethodType::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}

impl FromJson for SignInResult {
    fn from_json(v: JsValue) -> Decoded<Self> {
        SignInResult::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}

impl FromJson for LinkState {
    fn from_json(v: JsValue) -> Decoded<Self> {
        LinkState::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}

impl FromJson for Lang {
    fn from_json(v: JsValue) -> Decoded<Self> {
        Lang::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}

impl FromJson for EmailStatus {
    fn from_json(v: JsValue) -> Decoded<Self> {
        EmailStatus::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}

impl FromJson for rekey_shared::ImportProblem {
    fn from_json(v: JsValue) -> Decoded<Self> {
        // A code newer than this app still shows the server's reason.
        Ok(rekey_shared::ImportProblem::parse(&String::from_json(v)?)
            .unwrap_or(rekey_shared::ImportProblem::Internal))
    }
}

impl FromJson for ApiError {
    fn from_json(v: JsValue) -> Decoded<Self> {
        let o = Object::new(v)?;
        let code: String = o.get("code")?;
        Ok(ApiError {
            // A code newer than this app still shows the server's message.
            code: ErrorCode::parse(&code).unwrap_or(ErrorCode::Internal),
            message: o.get("message")?,
            field: o.get("field")?,
            retry_after: None,
        })
    }
}

from_json_struct!(UserSummary {
    id,
    username,
    display_name,
    email,
    alternate_email,
    role,
    must_change_password,
    locked_until,
    temporary_password_expires_at,
    reset_requested_at,
    reset_link,
    preferred_language,
    version,
    blocked: default,
    first_name,
    last_name,
    temporary_pass_expires_at
});
from_json_struct!(ResetLinkInfo {
    sent_at,
    expires_at,
    used_at
});
from_json_struct!(ResetLinkSent { expires_at, emails });
from_json_struct!(ResetLinkStatus { state, expires_at });
from_json_struct!(UserPage { users, next_cursor });
from_json_struct!(ServiceInfo {
    organization,
    outbox_url,
    min_password_length,
    time_zone: default,
    default_language: default
});
from_json_struct!(SecurityInfo { methods });
from_json_struct!(SelfServiceFlow {
    flow,
    methods,
    expires_at
});
from_json_struct!(SelfServiceProgress {
    verified,
    remaining
});
from_json_struct!(AlternateEmailStarted {
    id,
    address,
    expires_at
});
from_json_struct!(UserMethods {
    methods,
    temporary_pass
});
from_json_struct!(TemporaryPassInfo {
    created_at,
    expires_at,
    one_time
});
from_json_struct!(TemporaryPassIssued { pass, info });
from_json_struct!(PasswordResetSettings {
    enabled_for,
    selected_roles,
    methods_required,
    methods,
    require_registration,
    reconfirm_days,
    notify_admins_on_admin_reset
});
from_json_struct!(PasswordResetSettingsVersion { settings, version });
from_json_struct!(BulkActionItem { user_id, error });
from_json_struct!(BulkActionResponse {
    succeeded,
    failed,
    results
});
from_json_struct!(MethodSummary {
    id,
    kind,
    name,
    created_at,
    last_used_at,
    codes_left
});
from_json_struct!(AuthenticatorAppSetup {
    id,
    secret,
    uri,
    qr_path,
    qr_width,
    expires_at
});
from_json_struct!(SecondFactorRequired {
    methods,
    expires_at
});
from_json_struct!(SignInResponse {
    user,
    session_expires_at,
    amr: default,
    recovery_codes_left: default,
    registration: default,
    security_info: default
});
from_json_struct!(SecurityInfoDue {
    register,
    skips_left
});
from_json_struct!(MethodRegistrationDue {
    skippable_until,
    days_left
});
from_json_struct!(RecoveryCodesIssued { codes, info });
from_json_struct!(EmailOutcome {
    recipient,
    status,
    error
});
from_json_struct!(ResetResult {
    user_id,
    username,
    display_name,
    password,
    generated,
    must_change_password,
    temporary_password_expires_at,
    emails,
    version
});
from_json_struct!(PasswordEmailResult { emails });
from_json_struct!(BulkResetItem {
    user_id,
    result,
    error
});
from_json_struct!(BulkResetResponse {
    succeeded,
    failed,
    results
});
from_json_struct!(AuditParty {
    id,
    username,
    display_name,
    role
});
from_json_struct!(EmailDelivery { recipient, sent });
from_json_struct!(AuditEvent {
    id,
    at,
    action,
    actor,
    target,
    generated,
    must_change_password,
    bulk,
    email_to: default,
    deliveries: default,
    locked_until,
    app,
    client,
    method,
    verified_with: default,
    resolved_request: default
});
from_json_struct!(AuditApp { id, name });
from_json_struct!(AuditMethod { id, kind, name });
from_json_struct!(SignInEntry {
    id,
    at,
    result,
    client,
    user_agent,
    app
});
from_json_struct!(SignInLog {
    entries,
    locked_until,
    failed_sign_ins,
    blocked
});
from_json_struct!(AppSummary {
    id,
    name,
    kind,
    redirect_uris,
    post_logout_redirect_uris,
    home_url,
    id_token_alg,
    pkce_required,
    created_at,
    secret_created_at
});
from_json_struct!(AppCredentials { app, client_secret });
from_json_struct!(AppList { apps });
from_json_struct!(MyApp { name, url });
from_json_struct!(MyApps { apps });
from_json_struct!(UserCreated {
    user,
    password,
    generated,
    emails
});
from_json_struct!(ImportResult {
    created,
    passwords_csv
});
from_json_struct!(RowProblem {
    line,
    field,
    code,
    reason
});
from_json_struct!(ScimTokenSummary {
    id,
    name,
    created_at
});
from_json_struct!(ScimTokenCreated { token, secret });
from_json_struct!(ScimTokenList { tokens });

impl FromJson for AppKind {
    fn from_json(v: JsValue) -> Decoded<Self> {
        AppKind::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}

impl FromJson for SigningAlg {
    fn from_json(v: JsValue) -> Decoded<Self> {
        SigningAlg::parse(&String::from_json(v)?).ok_or(Malformed)
    }
}
from_json_struct!(AuditPage {
    events,
    next_cursor
});
/// In headless Chromium (`./scripts/test.sh`): every answer type reads back
/// exactly what the server's serde writes.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use rekey_shared::*;
    use serde::Serialize;
    use wasm_bindgen_test::*;

    use super::{parse, FromJson, Malformed};

    wasm_bindgen_test_configure!(run_in_browser);

    fn round_trip<T: Serialize + FromJson + PartialEq + std::fmt::Debug>(value: T) {
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(parse::<T>(&json), Ok(value), "{json}");
    }

    fn user(id: &str, full: bool) -> UserSummary {
        UserSummary {
            id: id.into(),
            username: format!("{id}.user"),
            display_name: format!("Ünïcode “{id}” ✓"),
            email: format!("{id}@example.com"),
            alternate_email: full.then(|| format!("{id}@home.example")),
            role: if full {
                Role::HelpdeskAdmin
            } else {
                Role::User
            },
            must_change_password: full,
            locked_until: full.then_some(1_764_000_000_000),
            temporary_password_expires_at: full.then_some(1_764_600_000_000),
            temporary_pass_expires_at: full.then_some(1_764_700_000_000),
            reset_requested_at: full.then_some(1_763_900_000_000),
            reset_link: full.then_some(ResetLinkInfo {
                sent_at: 1_763_900_000_000,
                expires_at: 1_763_903_600_000,
                used_at: Some(1_763_901_000_000),
            }),
            preferred_language: full.then_some(Lang::Nl),
            version: if full { 9_007_199_254_740_991 } else { 0 },
            blocked: full,
            first_name: full.then(|| "Ünïcode".to_string()),
            last_name: full.then(|| format!("“{id}”")),
        }
    }

    fn result(id: &str) -> ResetResult {
        ResetResult {
            user_id: id.into(),
            username: format!("{id}.user"),
            display_name: "Megan Bowen".into(),
            password: "Kx7\"qv\\Tr2#pL".into(),
            generated: true,
            must_change_password: true,
            temporary_password_expires_at: Some(1_764_600_000_000),
            emails: vec![
                EmailOutcome {
                    recipient: "admin@example.com".into(),
                    status: EmailStatus::Sent,
                    error: None,
                },
                EmailOutcome {
                    recipient: "megan@home.example".into(),
                    status: EmailStatus::Failed,
                    error: Some("mailbox unavailable".into()),
                },
            ],
            version: 4,
        }
    }

    fn party(id: &str) -> AuditParty {
        AuditParty {
            id: id.into(),
            username: id.into(),
            display_name: format!("{id} name"),
            role: Role::GlobalAdmin,
        }
    }

    #[wasm_bindgen_test]
    fn every_answer_type_reads_back_what_serde_wrote() {
        round_trip(ServiceInfo {
            organization: "Contoso".into(),
            outbox_url: Some("/outbox".into()),
            min_password_length: 8,
            time_zone: "Europe/Amsterdam".into(),
            default_language: Lang::Nl,
        });
        round_trip(SignInResponse {
            user: user("alex", true),
            session_expires_at: 1_764_000_000_000,
            amr: vec!["pwd".into(), "otp".into(), "mfa".into()],
            recovery_codes_left: Some(9),
            registration: Some(rekey_shared::MethodRegistrationDue {
                skippable_until: Some(6),
                days_left: 14,
            }),
            security_info: Some(rekey_shared::SecurityInfoDue {
                register: true,
                skips_left: 2,
            }),
        });
        round_trip(SignInResponse {
            user: user("alex", true),
            session_expires_at: 1_764_000_000_000,
            amr: vec!["pwd".into()],
            recovery_codes_left: None,
            registration: None,
            security_info: None,
        });
        round_trip(rekey_shared::SecurityInfo {
            methods: vec![
                rekey_shared::MethodSummary {
                    id: "m1".into(),
                    kind: MethodType::AuthenticatorApp,
                    name: "Pixel 8".into(),
                    created_at: 1,
                    last_used_at: Some(2),
                    codes_left: None,
                },
                rekey_shared::MethodSummary {
                    id: "m2".into(),
                    kind: MethodType::RecoveryCodes,
                    name: "Recovery codes".into(),
                    created_at: 3,
                    last_used_at: None,
                    codes_left: Some(9),
                },
            ],
        });
        round_trip(rekey_shared::AuthenticatorAppSetup {
            id: "m1".into(),
            secret: "GEZDGNBVGY3TQOJQ".into(),
            uri: "otpauth://totp/Contoso:megan?secret=GEZDGNBVGY3TQOJQ".into(),
            qr_path: "M4 4h1v1h-1z".into(),
            qr_width: 29,
            expires_at: 4,
        });
        round_trip(rekey_shared::RecoveryCodesIssued {
            codes: vec!["0123-4567-89ab-cdef".into()],
            info: rekey_shared::SecurityInfo { methods: vec![] },
        });
        round_trip(rekey_shared::SecondFactorRequired {
            methods: vec![MethodType::AuthenticatorApp],
            expires_at: 5,
        });
        round_trip(UserPage {
            users: vec![user("alex", true), user("bob", false)],
            next_cursor: Some("eyJuIjoiYm9iIn0".into()),
        });
        round_trip(UserPage {
            users: vec![],
            next_cursor: None,
        });
        round_trip(vec![user("carol", true)]);
        round_trip(result("megan"));
        round_trip(ResetLinkSent {
            expires_at: 1_764_003_600_000,
            emails: vec![EmailOutcome {
                recipient: "megan@contoso.example".into(),
                status: EmailStatus::Sent,
                error: None,
            }],
        });
        for state in LinkState::ALL.iter().copied() {
            round_trip(ResetLinkStatus {
                state,
                expires_at: (state == LinkState::Valid).then_some(1_764_003_600_000),
            });
        }
        round_trip(vec![
            RowProblem {
                line: 3,
                field: "Email".into(),
                code: rekey_shared::ImportProblem::InvalidEmail,
                reason: "That doesn't look like an email address.".into(),
            },
            RowProblem {
                line: 1,
                field: String::new(),
                code: rekey_shared::ImportProblem::MalformedCsv,
                reason: "a quote is never closed".into(),
            },
        ]);
        round_trip(PasswordEmailResult {
            emails: vec![
                EmailOutcome {
                    recipient: "it@contoso.example".into(),
                    status: EmailStatus::Sent,
                    error: None,
                },
                EmailOutcome {
                    recipient: "home@example.com".into(),
                    status: EmailStatus::Failed,
                    error: Some("The mail service could not be reached.".into()),
                },
            ],
        });
        round_trip(BulkResetResponse {
            succeeded: 1,
            failed: 1,
            results: vec![
                BulkResetItem {
                    user_id: "megan".into(),
                    result: Some(result("megan")),
                    error: None,
                },
                BulkResetItem {
                    user_id: "root".into(),
                    result: None,
                    error: Some(
                        ApiError::new(ErrorCode::Forbidden, "You can't reset this user.")
                            .with_field("user_ids[1]"),
                    ),
                },
            ],
        });
        for &action in AuditAction::ALL {
            round_trip(AuditPage {
                events: vec![
                    AuditEvent {
                        id: "01J".into(),
                        at: 1_764_000_000_000,
                        action,
                        actor: Some(party("alex")),
                        target: Some(party("megan")),
                        generated: Some(false),
                        must_change_password: Some(true),
                        bulk: Some(true),
                        email_to: vec!["a@example.com".into(), "b@example.com".into()],
                        deliveries: vec![EmailDelivery {
                            recipient: "a@example.com".into(),
                            sent: true,
                        }],
                        locked_until: Some(-1),
                        app: Some(AuditApp {
                            id: "a1".into(),
                            name: "Wiki".into(),
                        }),
                        client: Some("192.0.2.7".into()),
                        method: Some(AuditMethod {
                            id: "m1".into(),
                            kind: MethodType::AuthenticatorApp,
                            name: "Pixel 8".into(),
                        }),
                        verified_with: vec![SsprMethod::AlternateEmail, SsprMethod::Passkey],
                        resolved_request: true,
                    },
                    AuditEvent {
                        id: "01H".into(),
                        at: 0,
                        action,
                        actor: None,
                        target: None,
                        generated: None,
                        must_change_password: None,
                        bulk: None,
                        email_to: vec![],
                        deliveries: vec![],
                        locked_until: None,
                        app: None,
                        client: None,
                        method: None,
                        verified_with: vec![],
                        resolved_request: false,
                    },
                ],
                next_cursor: None,
            });
        }
        for &code in ErrorCode::ALL {
            round_trip(ApiError::new(code, "message"));
        }
        let app = AppSummary {
            id: "c1".into(),
            name: "Wiki".into(),
            kind: AppKind::Public,
            redirect_uris: vec!["https://wiki.example/cb".into()],
            post_logout_redirect_uris: vec![],
            home_url: None,
            id_token_alg: SigningAlg::Rs256,
            pkce_required: true,
            created_at: 1,
            secret_created_at: Some(2),
        };
        round_trip(AppList {
            apps: vec![app.clone()],
        });
        round_trip(AppCredentials {
            app,
            client_secret: Some("s".into()),
        });
        round_trip(MyApps {
            apps: vec![MyApp {
                name: "Wiki".into(),
                url: "https://wiki.example/".into(),
            }],
        });
    }

    #[wasm_bindgen_test]
    fn fields_serde_may_leave_out_read_as_none_or_empty_and_unknown_ones_are_ignored() {
        let e: AuditEvent = parse(
            r#"{"id":"1","at":5,"action":"notice_sent","actor":null,"target":null,"later":[1]}"#,
        )
        .unwrap();
        assert_eq!((e.generated, e.locked_until), (None, None));
        assert!(e.email_to.is_empty() && e.deliveries.is_empty());
        let u: UserSummary = parse(
            r#"{"id":"1","username":"u","display_name":"U","email":"u@example.com",
                "role":"user","must_change_password":false,"version":3}"#,
        )
        .unwrap();
        assert_eq!(
            (u.alternate_email, u.locked_until, u.reset_requested_at),
            (None, None, None)
        );
    }

    #[wasm_bindgen_test]
    fn malformed_answers_are_refused() {
        let ok = r#"{"organization":"C","outbox_url":null,"min_password_length":8}"#;
        assert!(parse::<ServiceInfo>(ok).is_ok());
        for bad in [
            "",
            "not json",
            "null",
            "[]",
            r#""text""#,
            r#"{"organization":"C","outbox_url":null}"#,
            r#"{"organization":7,"outbox_url":null,"min_password_length":8}"#,
            r#"{"organization":"C","outbox_url":false,"min_password_length":8}"#,
            r#"{"organization":"C","outbox_url":null,"min_password_length":8.5}"#,
            r#"{"organization":"C","outbox_url":null,"min_password_length":-1}"#,
            r#"{"organization":"C","outbox_url":null,"min_password_length":1e300}"#,
            r#"{"organization":"C","outbox_url":null,"min_password_length":"8"}"#,
        ] {
            assert_eq!(parse::<ServiceInfo>(bad), Err(Malformed), "{bad}");
        }
        assert_eq!(
            parse::<UserPage>(r#"{"users":{"0":1},"next_cursor":null}"#),
            Err(Malformed)
        );
        assert_eq!(
            parse::<AuditParty>(r#"{"id":"1","username":"u","display_name":"U","role":"owner"}"#),
            Err(Malformed)
        );
        let mut unknown_language = serde_json::to_value(user("u1", false)).unwrap();
        unknown_language["preferred_language"] = "fr".into();
        assert_eq!(
            parse::<UserSummary>(&unknown_language.to_string()),
            Err(Malformed)
        );
    }

    #[wasm_bindgen_test]
    fn an_error_code_newer_than_the_app_keeps_the_servers_message() {
        let e: ApiError = parse(r#"{"code":"quota_exceeded","message":"Try tomorrow."}"#).unwrap();
        assert_eq!(e.code, ErrorCode::Internal);
        assert_eq!(e.message, "Try tomorrow.");
        assert_eq!(e.field, None);
    }
}
