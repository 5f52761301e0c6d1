//! The sign-in, served at `/`: the page every employee and every app's
//! sign-in lands on.

fn main() {
    rekey_frontend::sign_in::mount();
}
