//! The records Rekey keeps. Only the domain changes them; the ports store
//! them and import nothing else from the domain.

mod app;
mod ceremony;
mod grant;
mod method;
mod pending_sign_in;
mod scim_token;
mod session;
mod signing_key;
mod user;

pub use app::AppRecord;
pub use ceremony::{Ceremony, CeremonyPurpose, ResetFlow, SentCode};
pub use grant::{AccessTokenRecord, CodeRecord};
pub use method::{MethodKind, MethodRecord};
pub use pending_sign_in::PendingSignIn;
pub use scim_token::ScimTokenRecord;
pub use session::{password_and_code, password_only, SessionRecord};
pub use signing_key::SigningKeyRecord;
pub use user::{ResetLink, SecurityInfoCheck, TemporaryPass, UserRecord};
