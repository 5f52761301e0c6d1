//! The account app (an employee's own pages), served at `/account/`.

fn main() {
    rekey_frontend::account::mount();
}
