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
        _ => {
            eprintln!("usage: rekey-function [seed-users N]");
            std::process::exit(2);
        }
    }
}
