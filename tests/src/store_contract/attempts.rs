//! Rate-limited attempts and the locks of unknown logins.

use rekey_function::ports::{LoginLock, StoreError};

use super::DynStore;

pub async fn attempts_are_counted_by_key_and_time_and_forgotten_when_old(store: DynStore) {
    for at in [100, 200, 300] {
        store.record_attempt("login:a", at).await.unwrap();
    }
    store.record_attempt("login:b", 250).await.unwrap();
    assert_eq!(store.count_attempts("login:a", 0).await.unwrap(), 3);
    assert_eq!(store.count_attempts("login:a", 150).await.unwrap(), 2);
    assert_eq!(store.count_attempts("login:a", 301).await.unwrap(), 0);
    // Two at the same millisecond are two attempts.
    store.record_attempt("login:a", 300).await.unwrap();
    assert_eq!(store.count_attempts("login:a", 300).await.unwrap(), 2);
    store.purge_attempts(250).await.unwrap();
    assert_eq!(store.count_attempts("login:a", 0).await.unwrap(), 2);
}

pub async fn a_login_lock_is_written_once_per_version_even_by_twenty_at_once(store: DynStore) {
    let key = "login:0123456789abcdef";
    assert_eq!(store.login_lock(key).await.unwrap(), None);
    let mut lock = LoginLock::new(key.into());
    lock.failed_sign_ins = 1;
    lock.expires_at = 86_400_000;
    assert_eq!(store.put_login_lock(&lock).await.unwrap(), 1);
    // A second "first" write lost the race to the first.
    assert!(matches!(
        store.put_login_lock(&lock).await,
        Err(StoreError::Conflict)
    ));
    lock.version = 1;
    assert_eq!(store.login_lock(key).await.unwrap(), Some(lock.clone()));
    let tries = (0..20).map(|i| {
        let store = store.clone();
        let mut next = lock.clone();
        next.failed_sign_ins = 2 + i;
        tokio::spawn(async move { store.put_login_lock(&next).await })
    });
    let won = futures::future::join_all(tries)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .filter(|r| match r {
            Ok(v) => *v == 2,
            Err(StoreError::Conflict) => false,
            Err(e) => panic!("{e:?}"),
        })
        .count();
    assert_eq!(won, 1, "one write per version");
    let stored = store.login_lock(key).await.unwrap().unwrap();
    assert_eq!(stored.version, 2);
    let mut locked = stored.clone();
    locked.locked_until = Some(5_000);
    locked.lockouts = 1;
    assert_eq!(store.put_login_lock(&locked).await.unwrap(), 3);
    locked.version = 3;
    assert_eq!(store.login_lock(key).await.unwrap(), Some(locked));
    // Nothing unexpired is forgotten.
    store.purge_login_locks(1_000).await.unwrap();
    assert_eq!(
        store.login_lock(key).await.unwrap().map(|l| l.version),
        Some(3)
    );
    assert_eq!(store.login_lock("login:other").await.unwrap(), None);
}
