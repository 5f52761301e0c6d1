//! Organisation settings: a record per key, written on its version.

use std::sync::Arc;

use rekey_function::ports::StoreError;

use super::DynStore;

pub async fn a_setting_is_written_once_per_version_even_by_twenty_at_once(store: DynStore) {
    assert_eq!(store.setting("password_reset").await.unwrap(), None);
    assert_eq!(
        store
            .put_setting("password_reset", "{\"a\":1}", 0, &[])
            .await
            .unwrap(),
        1
    );
    assert!(matches!(
        store
            .put_setting("password_reset", "{\"a\":2}", 0, &[])
            .await,
        Err(StoreError::Conflict)
    ));
    let writes = (0..20).map(|i| {
        let store = Arc::clone(&store);
        tokio::spawn(async move {
            store
                .put_setting("password_reset", &format!("{{\"a\":{i}}}"), 1, &[])
                .await
                .is_ok()
        })
    });
    let won = futures::future::join_all(writes)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(won, 1);
    let (record, version) = store.setting("password_reset").await.unwrap().unwrap();
    assert_eq!(version, 2);
    assert!(record.starts_with("{\"a\":"));
    assert_eq!(store.setting("other").await.unwrap(), None);
}
