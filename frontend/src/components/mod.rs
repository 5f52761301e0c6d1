//! The app's pieces, one component (or a few small ones) per file.

mod app_pages;
mod apps;
mod audit;
mod bulk_pane;
mod change_password;
mod confirm_password;
mod import_pane;
mod language;
mod person_pane;
mod recipients;
mod reset_pane;
mod reset_requests;
mod secret;
mod set_password;
mod shell;
mod sign_in;
mod sign_ins;
mod users;

pub use app_pages::{AppProblem, SignOutConfirm};
pub use change_password::ChangePassword;
pub use language::LanguageSwitch;
pub use set_password::SetPassword;
pub use shell::Shell;
pub use sign_in::SignIn;
