//! Thin entry point: the command line; the work is in `startup`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rekey_function::{commands, startup};

/// Rekey: the password-reset admin center and its directory (the API,
/// OpenID Connect and SCIM 2.0). Configured by REKEY_* environment
/// variables (see `check-config` and the README).
#[derive(Parser)]
#[command(name = "rekey-function", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve Rekey (the default): locally on REKEY_BIND:REKEY_PORT, or
    /// under AWS Lambda when AWS_LAMBDA_RUNTIME_API is set. An empty store
    /// gets its first global admin, `admin`, with the password in the data
    /// folder's initial-admin-passwords.txt (REKEY_SEED_DEMO=true seeds the
    /// demo directory instead).
    Serve,
    /// Add a global admin; prints a temporary password, shown once.
    AddAdmin {
        username: String,
        display_name: String,
        email: String,
    },
    /// Fill an empty store with the demo directory (three admins, 60 users).
    SeedDemo,
    /// Add N generated users to the SQLite store (for benchmarks).
    SeedUsers { n: usize },
    /// Add a newer local ID token signing key pair; the old public keys stay
    /// published until their tokens have expired.
    RotateSigningKey,
    /// Copy the SQLite database to PATH, consistent even while Rekey runs
    /// (SQLite's online backup). Restore: stop Rekey, put the copy in
    /// place of REKEY_DB_PATH, start it.
    Backup { path: PathBuf },
    /// Print the effective configuration (no secrets) and warn about
    /// REKEY_* variables Rekey does not know.
    CheckConfig,
    /// Print the CSP hashes of DIST's inline scripts (for the deploy template).
    LoaderHash { dist: PathBuf },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let done = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => startup::run().await,
        Command::AddAdmin {
            username,
            display_name,
            email,
        } => commands::add_admin(&username, &display_name, &email).await,
        Command::SeedDemo => commands::seed_demo_directory().await,
        Command::SeedUsers { n } => commands::seed_users(n).await,
        Command::RotateSigningKey => commands::rotate_signing_key().await,
        Command::Backup { path } => commands::backup(&path).await,
        Command::CheckConfig => commands::check_config(),
        Command::LoaderHash { dist } => {
            let hashes = rekey_function::api::static_files::inline_script_hashes(&dist);
            println!("{}", hashes.join(" "));
            Ok(())
        }
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One readable line, never a Debug dump.
            eprintln!("rekey-function: {e}");
            ExitCode::FAILURE
        }
    }
}
