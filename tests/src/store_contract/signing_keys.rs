//! Published signing keys.

use rekey_function::domain::model::SigningKeyRecord;
use rekey_function::ports::StoreError;
use rekey_shared::SigningAlg;

use super::DynStore;

pub async fn signing_keys_are_published_newest_first_and_retired_once(store: DynStore) {
    let key = |kid: &str, at: i64| SigningKeyRecord {
        kid: kid.into(),
        alg: SigningAlg::Es256,
        jwk: format!(r#"{{"kid":"{kid}"}}"#),
        created_at: at,
        retired_at: None,
    };
    store.insert_signing_key(&key("old", 1)).await.unwrap();
    store.insert_signing_key(&key("new", 2)).await.unwrap();
    assert!(matches!(
        store.insert_signing_key(&key("new", 3)).await,
        Err(StoreError::Duplicate)
    ));
    store.retire_signing_key("old", 5).await.unwrap();
    store.retire_signing_key("old", 9).await.unwrap();
    let keys = store.signing_keys().await.unwrap();
    let seen: Vec<(&str, Option<i64>)> = keys
        .iter()
        .map(|k| (k.kid.as_str(), k.retired_at))
        .collect();
    assert_eq!(seen, [("new", None), ("old", Some(5))]);
    assert!(matches!(
        store.retire_signing_key("nope", 1).await,
        Err(StoreError::NotFound)
    ));
}
