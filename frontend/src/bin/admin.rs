//! The admin center, served at `/admin/`.

fn main() {
    rekey_frontend::admin::mount();
}
