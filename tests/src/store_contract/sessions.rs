//! Sessions.

use rekey_function::domain::model::SessionRecord;

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
