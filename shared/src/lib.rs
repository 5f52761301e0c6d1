//! The contract between Rekey's browser app and its function: every request
//! and response body, the error codes, and validation that needs no I/O.
//! Compiles for native and wasm32, so both sides check input the same way.

/// Declares a unit enum whose variants travel as stable names, with its
/// `ALL`, `as_str` and `parse`, from one list so that serde, the server and
/// the browser's decoder cannot disagree on a name. Exported for the
/// function's own wire enums (the caller needs `serde`).
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name used in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The variant with this stable name.
            pub fn parse(s: &str) -> Option<$name> {
                // A scan rather than a `match` on strings: less wasm.
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

pub mod apps;
pub mod audit;
pub mod auth;
pub mod csv;
pub mod error;
pub mod i18n;
pub mod links;
pub mod methods;
pub mod people;
pub mod reset;
pub mod scim;
pub mod self_service;
pub mod settings;
pub mod sign_ins;
pub mod users;
pub mod validate;

pub use apps::{
    AppCredentials, AppKind, AppList, AppRegistration, AppSummary, MyApp, MyApps, SigningAlg,
};
pub use audit::{AuditAction, AuditApp, AuditEvent, AuditPage, AuditParty, EmailDelivery};
pub use auth::{
    ChangePasswordRequest, ConfirmPasswordRequest, LanguageChoice, MethodRegistrationDue,
    PasswordRequest, SecurityInfoDue, ServiceInfo, SignInRequest, SignInResponse,
};
pub use error::{ApiError, ErrorCode};
pub use i18n::Lang;
pub use links::{
    LinkState, LinkToken, ResetLinkRequest, ResetLinkSent, ResetLinkStatus, SetPasswordWithLink,
};
pub use methods::{
    AlternateEmailStarted, AuditMethod, AuthenticatorAppSetup, BulkActionItem, BulkActionResponse,
    BulkUserIds, CodeEntry, MethodRename, MethodSummary, MethodType, NewAlternateEmail,
    NewAuthenticatorApp, NewPasskey, NewTemporaryPass, PasskeyAnswer, PasskeyChallenge,
    RecoveryCodesIssued, SecondFactorRequired, SecurityInfo, TemporaryPassInfo,
    TemporaryPassIssued, UserMethods,
};
pub use people::{
    ImportProblem, ImportRefused, ImportRequest, ImportResult, NewUser, RowProblem, StaleEdit,
    UserCreated, UserEdit, VersionSeen,
};
pub use reset::{
    BulkResetItem, BulkResetRequest, BulkResetResponse, EmailOutcome, EmailStatus, PasswordChoice,
    PasswordEmailRequest, PasswordEmailResult, ResetOptions, ResetResult,
};
pub use scim::{NewScimToken, ScimTokenCreated, ScimTokenList, ScimTokenSummary};
pub use self_service::{
    SelfServiceCode, SelfServiceFlow, SelfServicePassword, SelfServiceProgress, SelfServiceStart,
    SelfServiceStep,
};
pub use settings::{PasswordResetSettings, PasswordResetSettingsVersion, SsprMethod, SsprScope};
pub use sign_ins::{SignInEntry, SignInLog, SignInResult};
pub use users::{ResetLinkInfo, Role, UserPage, UserSummary};

/// Largest number of users one bulk reset may name.
pub const MAX_BULK_USERS: usize = 1_000;
/// Largest number of recipients for the password email.
pub const MAX_RECIPIENTS: usize = 5;
/// Default and largest page sizes for lists.
pub const DEFAULT_PAGE_SIZE: usize = 50;
pub const MAX_PAGE_SIZE: usize = 200;

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use serde::de::DeserializeOwned;
    use serde::Serialize;

    use super::{
        AppKind, AuditAction, EmailStatus, ErrorCode, Lang, LinkState, MethodType, SignInResult,
        SigningAlg, SsprMethod, SsprScope,
    };

    fn snake_case(name: &str) -> String {
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        }
        out
    }

    fn check<T>(all: &[T], as_str: fn(T) -> &'static str, parse: fn(&str) -> Option<T>)
    where
        T: Copy + Debug + PartialEq + Serialize + DeserializeOwned,
    {
        let mut names = std::collections::HashSet::new();
        for &v in all {
            let name = as_str(v);
            assert_eq!(name, snake_case(&format!("{v:?}")), "{v:?}");
            assert!(names.insert(name), "{name} twice");
            let json = format!("\"{name}\"");
            assert_eq!(serde_json::to_string(&v).unwrap(), json);
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
            assert_eq!(parse(name), Some(v));
        }
        assert_eq!(parse("NoSuchName"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn named_enums_travel_as_the_snake_case_of_their_variants_and_parse_back() {
        check(ErrorCode::ALL, ErrorCode::as_str, ErrorCode::parse);
        check(AuditAction::ALL, AuditAction::as_str, AuditAction::parse);
        check(EmailStatus::ALL, EmailStatus::as_str, EmailStatus::parse);
        check(Lang::ALL, Lang::as_str, Lang::parse);
        check(LinkState::ALL, LinkState::as_str, LinkState::parse);
        assert_eq!(ErrorCode::ALL.len(), 41);
        assert_eq!(AuditAction::ALL.len(), 35);
        check(MethodType::ALL, MethodType::as_str, MethodType::parse);
        check(SsprScope::ALL, SsprScope::as_str, SsprScope::parse);
        check(SsprMethod::ALL, SsprMethod::as_str, SsprMethod::parse);
        check(SignInResult::ALL, SignInResult::as_str, SignInResult::parse);
        check(AppKind::ALL, AppKind::as_str, AppKind::parse);
        // JOSE's names, upper case by RFC 7518.
        assert_eq!(SigningAlg::parse("ES256"), Some(SigningAlg::Es256));
        assert_eq!(
            serde_json::to_string(&SigningAlg::Rs256).unwrap(),
            "\"RS256\""
        );
    }
}
