//! Sessions.

use std::sync::Arc;

use rekey_function::domain::model::{PendingSignIn, SessionRecord};

use super::{person, DynStore};

pub async fn sessions_are_stored_found_deleted_and_purged(store: DynStore) {
    let u = person("lee.gu", "Lee Gu");
    store.insert_users(std::slice::from_ref(&u)).await.unwrap();
    let live = SessionRecord {
        token_hash: "a".repeat(64),
        user_id: u.id.clone(),
        epoch: 0,
        created_at: 0,
        expires_at: 2_000,
        last_seen_at: 0,
        authenticated_at: 0,
        amr: vec!["pwd".into()],
    };
    let old = SessionRecord {
        token_hash: "b".repeat(64),
        expires_at: 500,
        ..live.clone()
    };
    store.create_session(&live).await.unwrap();
    store.create_session(&old).await.unwrap();
    assert_eq!(
        store.session(&live.token_hash).await.unwrap(),
        Some(live.clone())
    );
    let touched = SessionRecord {
        last_seen_at: 300,
        authenticated_at: 200,
        // A second factor passed later in the session is kept.
        amr: vec!["pwd".into(), "otp".into(), "mfa".into()],
        ..live.clone()
    };
    store.touch_session(&touched).await.unwrap();
    assert_eq!(
        store.session(&live.token_hash).await.unwrap(),
        Some(touched.clone())
    );
    assert_eq!(store.purge_expired_sessions(1_000).await.unwrap(), 1);
    assert_eq!(store.session(&old.token_hash).await.unwrap(), None);
    store.delete_session(&live.token_hash).await.unwrap();
    assert_eq!(store.session(&live.token_hash).await.unwrap(), None);
    // Touching a session that ended brings nothing back.
    store.touch_session(&touched).await.unwrap();
    assert_eq!(store.session(&live.token_hash).await.unwrap(), None);
}

/// Between the password and the second factor: found by its hash, taken
/// once however many try at once, forgotten when expired, gone with its
/// user.
pub async fn a_pending_sign_in_is_taken_once_even_by_twenty_at_once(store: DynStore) {
    let u = person("lee.gu", "Lee Gu");
    store.insert_users(std::slice::from_ref(&u)).await.unwrap();
    let pending = PendingSignIn {
        token_hash: "c".repeat(64),
        user_id: u.id.clone(),
        epoch: 3,
        created_at: 100,
        expires_at: 400,
    };
    store.insert_pending_sign_in(&pending).await.unwrap();
    assert!(store.insert_pending_sign_in(&pending).await.is_err());
    assert_eq!(
        store.pending_sign_in(&pending.token_hash).await.unwrap(),
        Some(pending.clone())
    );
    assert_eq!(store.pending_sign_in(&"d".repeat(64)).await.unwrap(), None);
    let takes = (0..20).map(|_| {
        let (store, hash) = (Arc::clone(&store), pending.token_hash.clone());
        tokio::spawn(async move { store.take_pending_sign_in(&hash).await.unwrap() })
    });
    let won = futures::future::join_all(takes)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(won, 1);
    assert_eq!(
        store.pending_sign_in(&pending.token_hash).await.unwrap(),
        None
    );
    store.purge_pending_sign_ins(1_000).await.unwrap();
}
