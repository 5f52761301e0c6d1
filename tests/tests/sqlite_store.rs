//! The Store contract, against the embedded SQLite adapter.

use std::sync::Arc;

use rekey_function::adapters::sqlite::SqliteStore;
use rekey_tests::store_contract::DynStore;

async fn fresh_sqlite() -> DynStore {
    // Kept (under target/tmp) because the store outlives this function.
    let dir = Box::leak(Box::new(
        tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap(),
    ));
    Arc::new(SqliteStore::open(&dir.path().join("contract.db")).unwrap())
}

rekey_tests::store_contract_tests!(fresh_sqlite());
