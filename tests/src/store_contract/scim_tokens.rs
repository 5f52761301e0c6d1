//! SCIM clients' tokens.

use rekey_function::domain::audit::event;
use rekey_function::ports::StoreError;
use rekey_shared::AuditAction;

use super::DynStore;

pub async fn scim_tokens_are_found_by_hash_listed_newest_first_and_revoked(store: DynStore) {
    use rekey_function::domain::model::ScimTokenRecord;
    let token = |id: &str, at: i64| ScimTokenRecord {
        id: id.into(),
        name: format!("HR {id}"),
        token_hash: format!("hash-{id}"),
        created_at: at,
    };
    let audit = event(3, AuditAction::ScimTokenCreated, None, None);
    store
        .insert_scim_token(&token("a", 1), std::slice::from_ref(&audit))
        .await
        .unwrap();
    store.insert_scim_token(&token("b", 2), &[]).await.unwrap();
    assert!(matches!(
        store.insert_scim_token(&token("a", 5), &[]).await,
        Err(StoreError::Duplicate)
    ));
    assert_eq!(
        store.scim_token_by_hash("hash-a").await.unwrap(),
        Some(token("a", 1))
    );
    assert_eq!(store.scim_token_by_hash("nope").await.unwrap(), None);
    let ids: Vec<String> = store
        .scim_tokens()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, ["b", "a"]);
    store.delete_scim_token("a", &[]).await.unwrap();
    assert_eq!(store.scim_token_by_hash("hash-a").await.unwrap(), None);
    assert!(matches!(
        store.delete_scim_token("a", &[]).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.list_audit(None, 5).await.unwrap().items, vec![audit]);
}
