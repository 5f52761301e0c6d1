//! The traits the domain talks through. Adapters implement them; the domain
//! never names SQLite, DynamoDB or SES.

pub mod apps;
pub mod clock;
pub mod login_locks;
pub mod mailer;
pub mod scim_directory;
pub mod sign_in_log;
pub mod signer;
pub mod store;

pub use apps::{AppStore, Redemption};
pub use clock::{Clock, ManualClock, SystemClock};
pub use login_locks::{LoginLock, LoginLocks};
pub use mailer::{MailError, Mailer, OutgoingEmail};
pub use scim_directory::ScimDirectory;
pub use sign_in_log::SignInLog;
pub use signer::{PublicKey, SignError, Signer};
pub use store::{Page, Store, StoreError, UserQuery};
