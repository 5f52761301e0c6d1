//! Users: found, inserted, renamed, updated on their version, deleted.

use std::sync::Arc;

use rekey_function::domain::audit::event;
use rekey_function::domain::model::{ResetLink, UserRecord};
use rekey_function::ports::{StoreError, UserQuery};
use rekey_function::seed::bulk_users;
use rekey_shared::{AuditAction, Lang};

use super::{person, search_all, DynStore};

pub async fn users_are_found_by_id_and_by_login_case_insensitively(store: DynStore) {
    let u = person("megan.bowen", "Megan Bowen");
    store.insert_users(std::slice::from_ref(&u)).await.unwrap();
    assert_eq!(store.user_by_id(&u.id).await.unwrap(), Some(u.clone()));
    assert_eq!(
        store.user_by_login("megan.bowen").await.unwrap(),
        Some(u.clone())
    );
    assert_eq!(
        store
            .user_by_login("MEGAN.BOWEN@contoso.example")
            .await
            .unwrap(),
        Some(u.clone())
    );
    assert_eq!(store.user_by_id("nobody").await.unwrap(), None);
    assert_eq!(store.user_by_login("nobody").await.unwrap(), None);
    assert_eq!(store.count_users().await.unwrap(), 1);
}

pub async fn duplicate_usernames_or_emails_are_refused_and_nothing_is_inserted(store: DynStore) {
    store
        .insert_users(&[person("megan.bowen", "Megan Bowen")])
        .await
        .unwrap();
    let mut dup = person("megan.bowen", "Other Megan");
    dup.email = "other@contoso.example".into();
    let fresh = person("lee.gu", "Lee Gu");
    let err = store.insert_users(&[fresh.clone(), dup]).await.unwrap_err();
    assert!(matches!(err, StoreError::Duplicate), "{err:?}");
    assert_eq!(store.user_by_id(&fresh.id).await.unwrap(), None);
    assert_eq!(store.count_users().await.unwrap(), 1);
}

pub async fn a_large_import_with_a_taken_key_near_its_end_inserts_nothing(store: DynStore) {
    let existing = person("megan.bowen", "Megan Bowen");
    store
        .insert_users(std::slice::from_ref(&existing))
        .await
        .unwrap();
    // Big enough that a store writing in parts has written some already.
    let mut import = bulk_users(60, "$argon2id$fake", 0);
    let mut clash = person("megan.bowen.2", "Megan Bowen");
    clash.email = existing.email.to_uppercase();
    import.push(clash);
    let err = store.insert_users(&import).await.unwrap_err();
    assert!(matches!(err, StoreError::Duplicate), "{err:?}");
    assert_eq!(store.count_users().await.unwrap(), 1);
    for u in &import[..3] {
        assert_eq!(store.user_by_id(&u.id).await.unwrap(), None);
        assert_eq!(store.user_by_login(&u.username).await.unwrap(), None);
    }
    assert_eq!(search_all(&store, "", 100).await, vec![existing]);
}

pub async fn renaming_a_user_moves_their_login_and_search_terms(store: DynStore) {
    let u = person("lee.gu", "Lee Gu");
    let other = person("adele.vance", "Adele Vance");
    let neighbour = person("lee.zimmer", "Lee Zimmer");
    store
        .insert_users(&[u.clone(), other.clone(), neighbour])
        .await
        .unwrap();
    let mut renamed = u.clone();
    renamed.username = "lee.gunn".into();
    renamed.display_name = "Zed Lee Gunn-Hart".into();
    renamed.email = "lee.gunn@contoso.example".into();
    assert_eq!(store.update_user(&renamed, &[]).await.unwrap(), 1);

    assert_eq!(store.user_by_login("lee.gu").await.unwrap(), None);
    assert_eq!(
        store.user_by_login("lee.gu@contoso.example").await.unwrap(),
        None
    );
    let found = store
        .user_by_login("LEE.GUNN@contoso.example")
        .await
        .unwrap();
    assert_eq!(
        found.map(|f| f.display_name),
        Some("Zed Lee Gunn-Hart".into())
    );
    let names = |v: Vec<UserRecord>| v.into_iter().map(|u| u.display_name).collect::<Vec<_>>();
    assert_eq!(
        names(search_all(&store, "hart", 10).await),
        ["Zed Lee Gunn-Hart"]
    );
    assert_eq!(
        names(search_all(&store, "lee.gunn", 10).await),
        ["Zed Lee Gunn-Hart"]
    );
    assert!(search_all(&store, "lee.gu@", 10).await.is_empty());
    // "gu" matched the old word; now only "gunn" does.
    assert_eq!(
        names(search_all(&store, "gu", 10).await),
        ["Zed Lee Gunn-Hart"]
    );
    // A term both names share ("lee") sorts by the new name.
    assert_eq!(
        names(search_all(&store, "lee", 10).await),
        ["Lee Zimmer", "Zed Lee Gunn-Hart"]
    );

    // A rename onto someone else's login is refused and changes nothing.
    let mut clash = store.user_by_id(&u.id).await.unwrap().unwrap();
    clash.email = other.email.clone();
    let err = store.update_user(&clash, &[]).await.unwrap_err();
    assert!(matches!(err, StoreError::Duplicate), "{err:?}");
    let stored = store.user_by_id(&u.id).await.unwrap().unwrap();
    assert_eq!(stored.email, "lee.gunn@contoso.example");
    assert_eq!(stored.version, 1);
}

pub async fn a_users_language_is_kept_through_insert_and_update(store: DynStore) {
    let mut dutch = person("sanne.de.vries", "Sanne de Vries");
    dutch.preferred_language = Some(Lang::Nl);
    let unset = person("lee.gu", "Lee Gu");
    store
        .insert_users(&[dutch.clone(), unset.clone()])
        .await
        .unwrap();
    assert_eq!(
        store.user_by_id(&dutch.id).await.unwrap(),
        Some(dutch.clone())
    );
    assert_eq!(
        store
            .user_by_id(&unset.id)
            .await
            .unwrap()
            .unwrap()
            .preferred_language,
        None
    );
    let mut english = unset.clone();
    english.preferred_language = Some(Lang::En);
    english.version = store.update_user(&english, &[]).await.unwrap();
    assert_eq!(store.user_by_id(&unset.id).await.unwrap(), Some(english));
    let mut back = dutch.clone();
    back.preferred_language = None;
    back.version = store.update_user(&back, &[]).await.unwrap();
    let found = store.user_by_login("sanne.de.vries").await.unwrap();
    assert_eq!(found, Some(back));
}

pub async fn a_users_reset_link_is_kept_used_and_cleared(store: DynStore) {
    let mut u = person("adele.vance", "Adele Vance");
    store.insert_users(std::slice::from_ref(&u)).await.unwrap();
    u.reset_link = Some(ResetLink {
        token_hash: "0f".repeat(32),
        sent_at: 10,
        expires_at: 3_600_010,
        used_at: None,
        alternate_hash: Some("a1".repeat(32)),
    });
    u.version = store.update_user(&u, &[]).await.unwrap();
    assert_eq!(store.user_by_id(&u.id).await.unwrap(), Some(u.clone()));
    u.reset_link.as_mut().unwrap().used_at = Some(20);
    u.verified_email = Some(u.email.clone());
    u.mfa_asked_at = Some(30);
    u.version = store.update_user(&u, &[]).await.unwrap();
    assert_eq!(store.user_by_id(&u.id).await.unwrap(), Some(u.clone()));
    // A stale write (the link's second use) loses: the version moved on.
    let mut stale = u.clone();
    stale.version -= 1;
    assert!(matches!(
        store.update_user(&stale, &[]).await,
        Err(StoreError::Conflict)
    ));
    u.reset_link = None;
    u.blocked = true;
    u.blocked_by_scim = true;
    u.version = store.update_user(&u, &[]).await.unwrap();
    assert_eq!(store.user_by_id(&u.id).await.unwrap(), Some(u));
}

pub async fn an_update_is_conditional_on_the_version_read(store: DynStore) {
    let u = person("lee.gu", "Lee Gu");
    store.insert_users(std::slice::from_ref(&u)).await.unwrap();
    let mut next = u.clone();
    next.password_hash = "$argon2id$new".into();
    next.session_epoch = 1;
    let reset = event(5, AuditAction::PasswordReset, None, Some(&next));
    assert_eq!(
        store
            .update_user(&next, std::slice::from_ref(&reset))
            .await
            .unwrap(),
        1
    );
    let stored = store.user_by_id(&u.id).await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    assert_eq!(stored.password_hash, "$argon2id$new");
    assert_eq!(stored.session_epoch, 1);

    // A writer that read version 0 loses, and its audit event is not kept.
    let mut stale = u.clone();
    stale.password_hash = "$argon2id$stale".into();
    let lost = event(6, AuditAction::PasswordReset, None, Some(&stale));
    let err = store.update_user(&stale, &[lost]).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict), "{err:?}");
    let stored = store.user_by_id(&u.id).await.unwrap().unwrap();
    assert_eq!(stored.password_hash, "$argon2id$new");
    let audit = store.list_audit(None, 10).await.unwrap();
    assert_eq!(audit.items, vec![reset]);

    let ghost = person("ghost", "Ghost");
    let err = store.update_user(&ghost, &[]).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
}

pub async fn concurrent_read_modify_writes_lose_no_update(store: DynStore) {
    let u = person("lee.gu", "Lee Gu");
    store.insert_users(std::slice::from_ref(&u)).await.unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let store = Arc::clone(&store);
            let id = u.id.clone();
            tokio::spawn(async move {
                loop {
                    let mut cur = store.user_by_id(&id).await.unwrap().unwrap();
                    cur.session_epoch += 1;
                    match store.update_user(&cur, &[]).await {
                        Ok(_) => return,
                        Err(StoreError::Conflict) => tokio::task::yield_now().await,
                        Err(e) => panic!("{e:?}"),
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let stored = store.user_by_id(&u.id).await.unwrap().unwrap();
    assert_eq!(stored.version, 50);
    assert_eq!(stored.session_epoch, 50);
}

pub async fn search_matches_prefixes_of_name_words_username_and_email(store: DynStore) {
    let users = vec![
        person("megan.bowen", "Megan Bowen"),
        person("adele.vance", "Adele Vance"),
        person("mbowen2", "Marcus Bowen-Smith"),
        person("lee.gu", "Lee Gu"),
    ];
    store.insert_users(&users).await.unwrap();
    let names = |v: Vec<UserRecord>| v.into_iter().map(|u| u.display_name).collect::<Vec<_>>();
    assert_eq!(
        names(search_all(&store, "bowen", 10).await),
        vec!["Marcus Bowen-Smith", "Megan Bowen"]
    );
    assert_eq!(
        names(search_all(&store, "smi", 10).await),
        vec!["Marcus Bowen-Smith"]
    );
    assert_eq!(
        names(search_all(&store, "adele.v", 10).await),
        vec!["Adele Vance"]
    );
    assert_eq!(
        names(search_all(&store, "lee.gu@contoso", 10).await),
        vec!["Lee Gu"]
    );
    assert_eq!(
        names(search_all(&store, "megan b", 10).await),
        vec!["Megan Bowen"]
    );
    assert!(search_all(&store, "zz", 10).await.is_empty());
    assert_eq!(search_all(&store, "", 10).await.len(), 4);
}

pub async fn paging_returns_every_match_once_in_name_order(store: DynStore) {
    let users = bulk_users(1_000, "$argon2id$fake", 0);
    store.insert_users(&users).await.unwrap();
    for (prefix, page) in [("", 7), ("a", 50), ("megan", 3), ("z", 200)] {
        let got = search_all(&store, prefix, page).await;
        let mut expected: Vec<&UserRecord> = users
            .iter()
            .filter(|u| {
                let n = u.display_name.to_lowercase();
                prefix.is_empty()
                    || n.starts_with(prefix)
                    || n.split([' ', '-']).any(|w| w.starts_with(prefix))
                    || u.username.starts_with(prefix)
                    || u.email.starts_with(prefix)
            })
            .collect();
        expected.sort_by(|a, b| {
            (a.display_name.to_lowercase(), &a.id).cmp(&(b.display_name.to_lowercase(), &b.id))
        });
        let got_ids: Vec<&str> = got.iter().map(|u| u.id.as_str()).collect();
        let expected_ids: Vec<&str> = expected.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(got_ids, expected_ids, "prefix {prefix:?}, page {page}");
        assert!(
            !expected_ids.is_empty(),
            "prefix {prefix:?} should match something"
        );
    }
}

pub async fn a_forged_cursor_is_refused(store: DynStore) {
    let err = store
        .search_users(&UserQuery {
            prefix: String::new(),
            cursor: Some("not-a-cursor!".into()),
            limit: 10,
            descending: false,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidCursor), "{err:?}");
    let err = store.list_audit(Some("%%%"), 10).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidCursor), "{err:?}");
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

pub async fn a_user_and_her_creation_event_are_written_together_or_not_at_all(store: DynStore) {
    let ana = person("ana.one", "Ana One");
    let created = event(1, AuditAction::UserCreated, None, Some(&ana));
    store
        .insert_users_with_audit(std::slice::from_ref(&ana), std::slice::from_ref(&created))
        .await
        .unwrap();
    assert_eq!(
        store.list_audit(None, 10).await.unwrap().items,
        vec![created]
    );
    // A taken username: neither the user nor her event.
    let again = person("ana.one", "Ana Again");
    let refused = event(2, AuditAction::UserCreated, None, Some(&again));
    assert!(matches!(
        store
            .insert_users_with_audit(std::slice::from_ref(&again), &[refused])
            .await,
        Err(StoreError::Duplicate)
    ));
    assert_eq!(store.list_audit(None, 10).await.unwrap().items.len(), 1);
    assert_eq!(store.user_by_id(&again.id).await.unwrap(), None);
}
