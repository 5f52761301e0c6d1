//! WebAuthn ceremonies: kept whole, taken once, forgotten once expired.

use std::sync::Arc;

use rekey_function::domain::model::{Ceremony, CeremonyPurpose};

use super::DynStore;

fn ceremony(id_hash: &str, expires_at: i64) -> Ceremony {
    Ceremony {
        id_hash: id_hash.to_string(),
        purpose: CeremonyPurpose::Register {
            user_id: "u-1".into(),
            name: "YubiKey".into(),
        },
        state: r#"{"rs":{"challenge":"abc"}}"#.into(),
        created_at: 100,
        expires_at,
    }
}

pub async fn a_ceremony_is_taken_once_even_by_twenty_at_once(store: DynStore) {
    let open = ceremony(&"a".repeat(64), 400);
    store.insert_ceremony(&open).await.unwrap();
    assert!(
        store.insert_ceremony(&open).await.is_err(),
        "ids are unique"
    );
    assert_eq!(store.take_ceremony(&"b".repeat(64)).await.unwrap(), None);
    let takes = (0..20).map(|_| {
        let (store, hash) = (Arc::clone(&store), open.id_hash.clone());
        tokio::spawn(async move { store.take_ceremony(&hash).await.unwrap() })
    });
    let taken: Vec<Ceremony> = futures::future::join_all(takes)
        .await
        .into_iter()
        .filter_map(|r| r.unwrap())
        .collect();
    assert_eq!(
        taken,
        vec![open.clone()],
        "one finish gets the state, whole"
    );
    assert_eq!(store.take_ceremony(&open.id_hash).await.unwrap(), None);

    // Purged once expired; an open one stays.
    let (old, young) = (
        ceremony(&"c".repeat(64), 500),
        ceremony(&"d".repeat(64), 2_000),
    );
    store.insert_ceremony(&old).await.unwrap();
    store.insert_ceremony(&young).await.unwrap();
    store.purge_ceremonies(1_000).await.unwrap();
    assert_eq!(
        store.take_ceremony(&young.id_hash).await.unwrap(),
        Some(young)
    );
}
