//! The Store contract for OpenID Connect's records: apps, codes, access
//! tokens and signing keys (part of `store_contract_tests!`).

use rekey_function::domain::audit::event;
use rekey_function::domain::model::{AccessTokenRecord, AppRecord, CodeRecord, SigningKeyRecord};
use rekey_function::ports::{Redemption, StoreError};
use rekey_shared::{AppKind, AuditAction, SigningAlg};

use crate::store_contract::DynStore;

fn app(id: &str, name: &str) -> AppRecord {
    AppRecord {
        id: id.into(),
        name: name.into(),
        kind: AppKind::Confidential,
        redirect_uris: vec![format!("https://{id}.example/cb")],
        post_logout_redirect_uris: vec![],
        home_url: None,
        id_token_alg: SigningAlg::Es256,
        pkce_required: true,
        secret_hash: Some("ab".repeat(32)),
        secret_created_at: Some(1),
        created_at: 1,
        version: 1,
    }
}

fn code(hash: &str) -> CodeRecord {
    CodeRecord {
        code_hash: hash.into(),
        app_id: "wiki".into(),
        redirect_uri: "https://wiki.example/cb".into(),
        user_id: "u1".into(),
        session_epoch: 3,
        scope: "openid email".into(),
        nonce: Some("n".into()),
        code_challenge: Some("c".repeat(43)),
        auth_time: 10,
        expires_at: 60_010,
        used_at: None,
    }
}

fn token(hash: &str, code_hash: &str) -> AccessTokenRecord {
    AccessTokenRecord {
        token_hash: hash.into(),
        app_id: "wiki".into(),
        user_id: "u1".into(),
        session_epoch: 3,
        scope: "openid".into(),
        expires_at: 600_000,
        code_hash: code_hash.into(),
    }
}

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

pub async fn a_code_is_spent_once_even_by_twenty_at_once(store: DynStore) {
    store.insert_code(&code("c1")).await.unwrap();
    assert_eq!(store.code("c1").await.unwrap(), Some(code("c1")));
    let tries = (0..20).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            let t = token(&format!("t{i}"), "c1");
            (i, store.spend_code(&code("c1"), &t, 100 + i).await.unwrap())
        })
    });
    let outcomes = futures::future::join_all(tries).await;
    let mut winners = vec![];
    for outcome in outcomes {
        let (i, spent) = outcome.unwrap();
        match spent {
            Redemption::First(c) => {
                winners.push(i);
                assert_eq!(c.code_hash, "c1");
                assert_eq!(c.scope, "openid email");
                assert_eq!(c.used_at, Some(100 + i));
            }
            Redemption::Again(c) => assert!(c.used_at.is_some()),
            Redemption::Unknown => panic!("the code is there"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one spend wins");
    // Only the winner's token was stored, with the mark, in one write.
    for i in 0..20 {
        let stored = store.access_token(&format!("t{i}")).await.unwrap();
        assert_eq!(stored.is_some(), winners == [i], "token t{i}");
    }
    let spent = store.code("c1").await.unwrap().unwrap();
    assert_eq!(spent.used_at, Some(100 + winners[0]));
    assert_eq!(store.code("nope").await.unwrap(), None);
    assert_eq!(
        store
            .spend_code(&code("nope"), &token("tx", "nope"), 1)
            .await
            .unwrap(),
        Redemption::Unknown
    );
    assert_eq!(store.access_token("tx").await.unwrap(), None);
}

pub async fn a_replayed_codes_token_is_revoked_and_no_others(store: DynStore) {
    for (c, t) in [("a", "t1"), ("b", "t3")] {
        store.insert_code(&code(c)).await.unwrap();
        let spent = store.spend_code(&code(c), &token(t, c), 5).await.unwrap();
        assert!(matches!(spent, Redemption::First(_)));
    }
    assert_eq!(
        store.access_token("t1").await.unwrap(),
        Some(token("t1", "a"))
    );
    // Revocation reads what the spend recorded at once, not a lagging index.
    assert_eq!(store.revoke_code_tokens("a").await.unwrap(), 1);
    assert_eq!(store.access_token("t1").await.unwrap(), None);
    assert_eq!(
        store.access_token("t3").await.unwrap(),
        Some(token("t3", "b"))
    );
    assert_eq!(store.revoke_code_tokens("a").await.unwrap(), 0);
}

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

pub async fn a_user_is_deleted_only_at_the_version_read_and_takes_their_logins(store: DynStore) {
    let mut u = rekey_function::seed::user_record(
        "nestor.wilke",
        "Nestor Wilke",
        rekey_shared::Role::User,
        None,
        "$argon2id$fake".into(),
        1,
    );
    u.first_name = Some("Nestor".into());
    u.last_name = Some("Wilke".into());
    u.blocked = true;
    store.insert_users(std::slice::from_ref(&u)).await.unwrap();
    assert_eq!(
        store.user_by_id(&u.id).await.unwrap(),
        Some(u.clone()),
        "names and block kept"
    );
    let before = store.count_users().await.unwrap();
    let mut stale = u.clone();
    stale.version += 1;
    assert!(matches!(
        store.delete_user(&stale, &[]).await,
        Err(StoreError::Conflict)
    ));
    let audit = event(9, AuditAction::UserDeleted, None, Some(&u));
    store
        .delete_user(&u, std::slice::from_ref(&audit))
        .await
        .unwrap();
    assert_eq!(store.user_by_id(&u.id).await.unwrap(), None);
    assert_eq!(store.user_by_login("nestor.wilke").await.unwrap(), None);
    assert_eq!(store.count_users().await.unwrap(), before - 1);
    assert!(matches!(
        store.delete_user(&u, &[]).await,
        Err(StoreError::NotFound)
    ));
    let events = store.list_audit(None, 5).await.unwrap().items;
    assert_eq!(events, vec![audit]);
    // The name is free again.
    let again = rekey_function::seed::user_record(
        "nestor.wilke",
        "Nestor W",
        rekey_shared::Role::User,
        None,
        "$argon2id$fake".into(),
        2,
    );
    store.insert_users(&[again]).await.unwrap();
}

pub async fn of_twenty_concurrent_inserts_of_one_username_exactly_one_wins(store: DynStore) {
    let tries = (0..20).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut u = rekey_function::seed::user_record(
                "same.name",
                "Same Name",
                rekey_shared::Role::User,
                None,
                "$argon2id$fake".into(),
                1,
            );
            u.email = format!("same{i}@contoso.example");
            store.insert_users(&[u]).await
        })
    });
    let results = futures::future::join_all(tries).await;
    let won = results.iter().filter(|r| matches!(r, Ok(Ok(())))).count();
    assert_eq!(won, 1);
    for r in results {
        match r.unwrap() {
            Ok(()) | Err(StoreError::Duplicate) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert!(store.user_by_login("same.name").await.unwrap().is_some());
}

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
