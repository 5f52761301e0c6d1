//! The account app (sign-in and the employee's own pages), served at `/`.

fn main() {
    rekey_frontend::account::mount();
}
