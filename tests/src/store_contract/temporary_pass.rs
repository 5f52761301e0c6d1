//! What a user's record carries for her sign-in methods: the Temporary
//! Access Pass (kept whole, spent once) and her security info check.

use std::sync::Arc;

use super::{person, DynStore};

/// A Temporary Access Pass is kept on its user, whole, and of twenty
/// sign-ins spending it at once (each from the version it read), one
/// writes.
pub async fn a_users_temporary_pass_is_kept_and_spent_once_even_by_twenty_at_once(store: DynStore) {
    let mut u = person("adele.vance", "Adele Vance");
    u.temporary_pass = Some(rekey_function::domain::model::TemporaryPass {
        hash: "a".repeat(64),
        created_at: 100,
        expires_at: 3_700,
        one_time: true,
        issued_by: "admin-1".into(),
    });
    store.insert_users(std::slice::from_ref(&u)).await.unwrap();
    let read = store.user_by_id(&u.id).await.unwrap().unwrap();
    assert_eq!(read.temporary_pass, u.temporary_pass);
    let spends = (0..20).map(|_| {
        let (store, mut next) = (Arc::clone(&store), read.clone());
        next.temporary_pass = None;
        tokio::spawn(async move { store.update_user(&next, &[]).await.is_ok() })
    });
    let won = futures::future::join_all(spends)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(won, 1);
    let after = store.user_by_id(&u.id).await.unwrap().unwrap();
    assert_eq!(after.temporary_pass, None);
}

/// Her answers to "keep your security info current" are kept on her
/// record through an insert and an update.
pub async fn a_users_security_info_check_is_kept_through_insert_and_update(store: DynStore) {
    let mut u = person("lynne.robbins", "Lynne Robbins");
    u.security_info_check = Some(rekey_function::domain::model::SecurityInfoCheck {
        skips: 1,
        confirmed_at: None,
    });
    store.insert_users(std::slice::from_ref(&u)).await.unwrap();
    let mut read = store.user_by_id(&u.id).await.unwrap().unwrap();
    assert_eq!(read.security_info_check, u.security_info_check);
    read.security_info_check = Some(rekey_function::domain::model::SecurityInfoCheck {
        skips: 0,
        confirmed_at: Some(42),
    });
    store.update_user(&read, &[]).await.unwrap();
    let after = store.user_by_id(&u.id).await.unwrap().unwrap();
    assert_eq!(after.security_info_check, read.security_info_check);
}
