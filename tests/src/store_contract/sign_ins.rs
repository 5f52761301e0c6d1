//! The sign-in log.

use rekey_shared::{SignInEntry, SignInResult};

use super::DynStore;

pub async fn sign_ins_are_kept_by_owner_newest_first(store: DynStore) {
    let entry = |at: i64, result: SignInResult| SignInEntry {
        id: format!("{at:013}-x"),
        at,
        result,
        client: Some("192.0.2.7".into()),
        user_agent: Some("Mozilla/5.0".into()),
        app: None,
    };
    for (at, result) in [
        (100, SignInResult::Success),
        (200, SignInResult::WrongPassword),
        (300, SignInResult::Locked),
    ] {
        store
            .append_sign_in("u1", &entry(at, result))
            .await
            .unwrap();
    }
    store
        .append_sign_in("u2", &entry(250, SignInResult::Success))
        .await
        .unwrap();
    let ats = |entries: Vec<SignInEntry>| entries.iter().map(|e| e.at).collect::<Vec<_>>();
    assert_eq!(
        ats(store.sign_ins("u1", 0, 10).await.unwrap()),
        [300, 200, 100]
    );
    assert_eq!(
        ats(store.sign_ins("u1", 150, 10).await.unwrap()),
        [300, 200]
    );
    assert_eq!(ats(store.sign_ins("u1", 0, 2).await.unwrap()), [300, 200]);
    assert_eq!(
        store.sign_ins("u2", 0, 10).await.unwrap(),
        vec![entry(250, SignInResult::Success)]
    );
    assert!(store.sign_ins("u3", 0, 10).await.unwrap().is_empty());
    // Forgetting the old keeps the recent.
    store.purge_sign_ins(150).await.unwrap();
    assert_eq!(
        ats(store.sign_ins("u1", 150, 10).await.unwrap()),
        [300, 200]
    );
}
