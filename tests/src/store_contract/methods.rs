//! Users' sign-in methods.

use std::sync::Arc;

use rekey_function::domain::model::{MethodKind, MethodRecord};
use rekey_function::ports::StoreError;

use super::{person, DynStore};

fn totp(id: &str, user_id: &str, created_at: i64) -> MethodRecord {
    MethodRecord {
        id: id.into(),
        user_id: user_id.into(),
        name: format!("phone {id}"),
        kind: MethodKind::Totp {
            sealed_seed: "AQIDBA==".into(),
            last_step: None,
        },
        created_at,
        last_used_at: None,
        confirmed_at: Some(created_at),
        replaces: None,
        version: 0,
    }
}

pub async fn methods_are_kept_by_user_updated_on_their_version_and_deleted(store: DynStore) {
    let (megan, lee) = (
        person("megan.bowen", "Megan Bowen"),
        person("lee.gu", "Lee Gu"),
    );
    store
        .insert_users(&[megan.clone(), lee.clone()])
        .await
        .unwrap();
    let (a, b, c) = (
        totp("m-a", &megan.id, 20),
        totp("m-b", &megan.id, 10),
        totp("m-c", &lee.id, 5),
    );
    for m in [&a, &b, &c] {
        store.insert_method(m, &[]).await.unwrap();
    }
    assert!(matches!(
        store.insert_method(&a, &[]).await,
        Err(StoreError::Duplicate)
    ));
    // Oldest first, and only hers.
    let hers = store.methods_of(&megan.id).await.unwrap();
    assert_eq!(hers, vec![b.clone(), a.clone()]);

    let mut renamed = a.clone();
    renamed.name = "Pixel 8".into();
    let version = store.update_method(&renamed, &[]).await.unwrap();
    assert_eq!(version, 1);
    // The version read is the condition: a second write from it loses.
    assert!(matches!(
        store.update_method(&renamed, &[]).await,
        Err(StoreError::Conflict)
    ));
    let stored = store.methods_of(&megan.id).await.unwrap();
    assert_eq!(stored[1].name, "Pixel 8");
    assert_eq!(stored[1].version, 1);

    // Another user's id does not reach it; then it goes, once.
    assert!(matches!(
        store.delete_method(&lee.id, &a.id, &[]).await,
        Err(StoreError::NotFound)
    ));
    store.delete_method(&megan.id, &a.id, &[]).await.unwrap();
    assert!(matches!(
        store.delete_method(&megan.id, &a.id, &[]).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.update_method(&stored[1], &[]).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.methods_of(&megan.id).await.unwrap(), vec![b]);
    assert_eq!(store.methods_of(&lee.id).await.unwrap(), vec![c]);
}

/// Twenty sign-ins with one code at once: each reads the method, finds the
/// step unused and writes it used; the version lets exactly one through.
pub async fn a_totp_step_is_claimed_once_even_by_twenty_at_once(store: DynStore) {
    let megan = person("megan.bowen", "Megan Bowen");
    store
        .insert_users(std::slice::from_ref(&megan))
        .await
        .unwrap();
    store
        .insert_method(&totp("m-1", &megan.id, 1), &[])
        .await
        .unwrap();
    let gate = Arc::new(tokio::sync::Barrier::new(20));
    let claims = (0..20).map(|_| {
        let (store, gate, user_id) = (Arc::clone(&store), Arc::clone(&gate), megan.id.clone());
        tokio::spawn(async move {
            let mut method = store.methods_of(&user_id).await.unwrap().remove(0);
            gate.wait().await;
            let MethodKind::Totp { last_step, .. } = &mut method.kind else {
                unreachable!()
            };
            if last_step.is_some_and(|s| s >= 42) {
                return false;
            }
            *last_step = Some(42);
            store.update_method(&method, &[]).await.is_ok()
        })
    });
    let won = futures::future::join_all(claims)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(won, 1);
    let stored = store.methods_of(&megan.id).await.unwrap().remove(0);
    assert!(matches!(
        stored.kind,
        MethodKind::Totp {
            last_step: Some(42),
            ..
        }
    ));
}

/// Twenty sign-ins with one recovery code at once: each reads the set,
/// finds the code unused and writes it spent; one gets through.
pub async fn a_recovery_code_is_spent_once_even_by_twenty_at_once(store: DynStore) {
    let megan = person("megan.bowen", "Megan Bowen");
    store
        .insert_users(std::slice::from_ref(&megan))
        .await
        .unwrap();
    let set = MethodRecord {
        name: "Recovery codes".into(),
        kind: MethodKind::RecoveryCodes {
            hashes: (0..10).map(|i| Some(format!("{i:064x}"))).collect(),
        },
        ..totp("rc-1", &megan.id, 1)
    };
    store.insert_method(&set, &[]).await.unwrap();
    let gate = Arc::new(tokio::sync::Barrier::new(20));
    let claims = (0..20).map(|_| {
        let (store, gate, user_id) = (Arc::clone(&store), Arc::clone(&gate), megan.id.clone());
        tokio::spawn(async move {
            let mut method = store.methods_of(&user_id).await.unwrap().remove(0);
            gate.wait().await;
            let MethodKind::RecoveryCodes { hashes } = &mut method.kind else {
                unreachable!()
            };
            if hashes[3].take().is_none() {
                return false;
            }
            store.update_method(&method, &[]).await.is_ok()
        })
    });
    let won = futures::future::join_all(claims)
        .await
        .into_iter()
        .filter(|r| *r.as_ref().unwrap())
        .count();
    assert_eq!(won, 1);
    let stored = store.methods_of(&megan.id).await.unwrap().remove(0);
    let MethodKind::RecoveryCodes { hashes } = stored.kind else {
        panic!("a recovery code set")
    };
    assert_eq!(hashes.iter().filter(|h| h.is_some()).count(), 9);
    assert_eq!(hashes[3], None);
}

pub async fn a_deleted_user_takes_her_methods_with_her(store: DynStore) {
    let megan = person("megan.bowen", "Megan Bowen");
    store
        .insert_users(std::slice::from_ref(&megan))
        .await
        .unwrap();
    store
        .insert_method(&totp("m-1", &megan.id, 1), &[])
        .await
        .unwrap();
    store
        .insert_method(&totp("m-2", &megan.id, 2), &[])
        .await
        .unwrap();
    let stored = store.user_by_id(&megan.id).await.unwrap().unwrap();
    store.delete_user(&stored, &[]).await.unwrap();
    assert_eq!(store.methods_of(&megan.id).await.unwrap(), vec![]);
}

/// A passkey's record comes back whole, counter updates included, on the
/// version read.
pub async fn a_passkey_is_kept_whole_and_its_counter_updated_on_its_version(store: DynStore) {
    let lee = person("lee.gu", "Lee Gu");
    store
        .insert_users(std::slice::from_ref(&lee))
        .await
        .unwrap();
    let credential = |counter: u32| {
        format!(r#"{{"cred":{{"cred_id":"q83v","counter":{counter},"backup_eligible":false}}}}"#)
    };
    let mut key = totp("pk-1", &lee.id, 30);
    key.name = "YubiKey 5".into();
    key.kind = MethodKind::Passkey {
        credential_id: "q83v".into(),
        credential: credential(1),
        backup_eligible: false,
    };
    store.insert_method(&key, &[]).await.unwrap();
    assert_eq!(store.methods_of(&lee.id).await.unwrap(), vec![key.clone()]);
    let mut used = key.clone();
    used.kind = MethodKind::Passkey {
        credential_id: "q83v".into(),
        credential: credential(2),
        backup_eligible: false,
    };
    used.last_used_at = Some(40);
    assert_eq!(store.update_method(&used, &[]).await.unwrap(), 1);
    // A second use from the same read loses: no counter goes back.
    assert!(matches!(
        store.update_method(&key, &[]).await,
        Err(StoreError::Conflict)
    ));
    let stored = store.methods_of(&lee.id).await.unwrap();
    assert_eq!(stored[0].kind, used.kind);
    assert_eq!(stored[0].last_used_at, Some(40));
    store.delete_method(&lee.id, "pk-1", &[]).await.unwrap();
    assert!(store.methods_of(&lee.id).await.unwrap().is_empty());
}
