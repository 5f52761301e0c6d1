//! The traits the domain talks through. Adapters implement them; the domain
//! never names SQLite, DynamoDB or SES.

pub mod apps;
pub mod attempts;
pub mod audit;
pub mod ceremonies;
pub mod clock;
pub mod grants;
pub mod login_locks;
pub mod mailer;
pub mod methods;
pub mod pending_sign_ins;
pub mod scim_directory;
pub mod scim_tokens;
pub mod sealer;
pub mod sessions;
pub mod settings;
pub mod sign_in_log;
pub mod signer;
pub mod signing_keys;
pub mod store;
pub mod users;

pub use apps::AppStore;
pub use attempts::AttemptStore;
pub use audit::AuditStore;
pub use ceremonies::Ceremonies;
pub use clock::{Clock, ManualClock, SystemClock};
pub use grants::{GrantStore, Redemption};
pub use login_locks::{LoginLock, LoginLocks};
pub use mailer::{MailError, Mailer, OutgoingEmail};
pub use methods::MethodStore;
pub use pending_sign_ins::PendingSignIns;
pub use scim_directory::ScimDirectory;
pub use scim_tokens::ScimTokenStore;
pub use sealer::{SealError, Sealer};
pub use sessions::SessionStore;
pub use settings::SettingsStore;
pub use sign_in_log::SignInLog;
pub use signer::{PublicKey, SignError, Signer};
pub use signing_keys::SigningKeyStore;
pub use store::{Page, Store, StoreError};
pub use users::{UserQuery, UserStore};
