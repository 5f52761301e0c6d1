//! Thin entry point; see `startup`.

#[tokio::main]
async fn main() -> Result<(), rekey_function::startup::BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => rekey_function::startup::run().await,
        ["seed-users", n] => rekey_function::startup::seed_users(n.parse()?).await,
        ["loader-hash", dist] => {
            // For the deploy template's Content-Security-Policy.
            let hashes =
                rekey_function::api::static_files::inline_script_hashes(std::path::Path::new(dist));
            println!("{}", hashes.join(" "));
            Ok(())
        }
        ["rotate-signing-key"] => rekey_function::startup::rotate_signing_key().await,
        ["add-admin", username, name, email] => {
            rekey_function::startup::add_admin(username, name, email).await
        }
        _ => {
            eprintln!(
                "usage: rekey-function [seed-users N | add-admin USERNAME \"DISPLAY NAME\" EMAIL | rotate-signing-key | loader-hash DIST]"
            );
            std::process::exit(2);
        }
    }
}
