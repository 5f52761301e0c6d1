//! Logging: JSON lines under Lambda (CloudWatch), compact text locally.
//! Nothing logged carries a password or token: request bodies and cookies
//! are never logged, and secret-bearing types redact themselves in Debug.

use tracing_subscriber::EnvFilter;

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // Colours for a person at a terminal, plain text for a log file.
        .with_ansi(std::io::stdout().is_terminal());
    // A second init (tests) is not an error worth failing for.
    let _ = if json {
        builder.json().without_time().try_init()
    } else {
        builder.compact().try_init()
    };
}
