//! Registered apps.

use rekey_function::domain::audit::event;
use rekey_function::ports::StoreError;
use rekey_shared::AuditAction;

use super::{app, DynStore};

pub async fn apps_are_listed_by_name_updated_on_their_version_and_deleted(store: DynStore) {
    let (wiki, crm) = (app("wiki", "Wiki"), app("crm", "crm"));
    let mut audit = event(5, AuditAction::AppRegistered, None, None);
    audit.app = Some(rekey_shared::AuditApp {
        id: "wiki".into(),
        name: "Wiki".into(),
    });
    store.insert_app(&wiki, &[audit.clone()]).await.unwrap();
    store.insert_app(&crm, &[]).await.unwrap();
    assert!(matches!(
        store.insert_app(&app("wiki", "Other"), &[]).await,
        Err(StoreError::Duplicate)
    ));
    let names: Vec<String> = store
        .list_apps()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["crm", "Wiki"]);
    assert_eq!(store.app("wiki").await.unwrap(), Some(wiki.clone()));
    assert_eq!(store.app("nope").await.unwrap(), None);

    let mut changed = wiki.clone();
    changed.secret_hash = Some("cd".repeat(32));
    assert_eq!(store.update_app(&changed, &[]).await.unwrap(), 2);
    // A second writer that read version 1 loses.
    assert!(matches!(
        store.update_app(&wiki, &[]).await,
        Err(StoreError::Conflict)
    ));
    let stored = store.app("wiki").await.unwrap().unwrap();
    assert_eq!(
        (stored.version, stored.secret_hash.clone()),
        (2, changed.secret_hash)
    );

    store.delete_app("wiki", &[]).await.unwrap();
    assert_eq!(store.app("wiki").await.unwrap(), None);
    assert!(matches!(
        store.delete_app("wiki", &[]).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.update_app(&stored, &[]).await,
        Err(StoreError::NotFound)
    ));
    let events = store.list_audit(None, 10).await.unwrap().items;
    assert_eq!(events, vec![audit]);
}
