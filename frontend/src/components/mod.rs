//! Small components both apps use, one per file.

mod confirm_password;
mod language;
mod secret;

pub use confirm_password::ConfirmPassword;
pub use language::LanguageSwitch;
pub use secret::{copy_to_clipboard, SecretValue};
