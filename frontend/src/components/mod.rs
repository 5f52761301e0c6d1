//! Small components both apps use, one per file.

mod confirm_password;
mod language;
mod new_password;
mod secret;

pub use confirm_password::ConfirmPassword;
pub use language::LanguageSwitch;
pub use new_password::{mismatch, NewPasswordFields};
pub use secret::{copy_to_clipboard, SecretValue};
