//! The Store contract: what every Store adapter must do, run against each
//! (`store_contract_tests!` makes one test per case for an adapter).

use std::sync::Arc;

use rekey_function::domain::audit::event;
use rekey_function::domain::model::{ResetLink, SessionRecord, UserRecord};
use rekey_function::ports::{LoginLock, Store, StoreError, UserQuery};
use rekey_function::seed::{bulk_users, user_record};
use rekey_shared::{AuditAction, Lang, Role, SignInEntry, SignInResult};

pub use crate::store_contract_apps::*;

pub type DynStore = Arc<dyn Store>;

fn person(username: &str, name: &str) -> UserRecord {
    user_record(username, name, Role::User, None, "$argon2id$fake".into(), 1)
}

async fn search_all(store: &DynStore, prefix: &str, page: usize) -> Vec<UserRecord> {
    search_all_in(store, prefix, page, false).await
}

async fn search_all_in(
    store: &DynStore,
    prefix: &str,
    page: usize,
    descending: bool,
) -> Vec<UserRecord> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let p = store
            .search_users(&UserQuery {
                prefix: prefix.into(),
                cursor: cursor.clone(),
                limit: page,
                descending,
            })
            .await
            .unwrap();
        assert!(p.items.len() <= page);
        out.extend(p.items);
        match p.next_cursor {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}

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

pub async fn the_audit_log_pages_newest_first(store: DynStore) {
    let u = person("lee.gu", "Lee Gu");
    for at in 0..25 {
        store
            .append_audit(&[event(at, AuditAction::PasswordReset, None, Some(&u))])
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = store.list_audit(cursor.as_deref(), 10).await.unwrap();
        seen.extend(page.items.iter().map(|e| e.at));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, (0..25).rev().collect::<Vec<_>>());
}

/// One `#[tokio::test]` per contract case, for the store `$make` builds
/// (an async expression giving a `DynStore`, fresh for each test).
pub async fn scim_pages_every_plain_user_once_and_counts_them_without_admins(store: DynStore) {
    let mut users = bulk_users(250, "$argon2id$fake", 1);
    users.push(user_record(
        "boss",
        "Bo Boss",
        Role::GlobalAdmin,
        None,
        "$argon2id$fake".into(),
        1,
    ));
    users.push(user_record(
        "desk",
        "De Desk",
        Role::HelpdeskAdmin,
        None,
        "$argon2id$fake".into(),
        1,
    ));
    store.insert_users(&users).await.unwrap();
    assert_eq!(store.count_plain_users().await.unwrap(), 250);
    let mut seen = Vec::new();
    for (offset, expect) in [(0, 100), (100, 100), (200, 50), (250, 0)] {
        let page = store.plain_users_page(offset, 100).await.unwrap();
        assert_eq!(page.len(), expect, "offset {offset}");
        assert!(page.iter().all(|u| u.role == Role::User));
        seen.extend(page.into_iter().map(|u| u.id));
    }
    let unique: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (250, 250));
    // A page far from the last one is the same slice of the same order.
    let far = store.plain_users_page(150, 10).await.unwrap();
    let ids: Vec<&String> = far.iter().map(|u| &u.id).collect();
    assert_eq!(ids, seen[150..160].iter().collect::<Vec<_>>());
}

pub async fn plain_users_are_found_by_the_start_of_their_name_counted_and_paged(store: DynStore) {
    let mut users: Vec<UserRecord> = (0..30)
        .map(|i| person(&format!("ann.{i}"), &format!("Ann Example {i:02}")))
        .collect();
    users.push(person("anna.k", "Anna Karenina"));
    users.push(person("dan.ann", "Dan Ann"));
    users.push(user_record(
        "ann.admin",
        "Ann Admin",
        Role::GlobalAdmin,
        None,
        "$argon2id$fake".into(),
        1,
    ));
    store.insert_users(&users).await.unwrap();
    let (total, first) = store
        .plain_users_by_name_prefix("ann ", 0, 20)
        .await
        .unwrap();
    assert_eq!((total, first.len()), (30, 20));
    let names: Vec<&str> = first.iter().map(|u| u.display_name.as_str()).collect();
    assert_eq!(names[0], "Ann Example 00");
    assert_eq!(names[19], "Ann Example 19");
    let (_, rest) = store
        .plain_users_by_name_prefix("ann ", 20, 20)
        .await
        .unwrap();
    assert_eq!(rest.len(), 10);
    assert_eq!(rest[0].display_name, "Ann Example 20");
    // "ann" is the start of 31 plain users' names (not Dan Ann's, nor the admin's).
    let (total, _) = store.plain_users_by_name_prefix("ann", 0, 5).await.unwrap();
    assert_eq!(total, 31);
    let (none, empty) = store.plain_users_by_name_prefix("zz", 0, 5).await.unwrap();
    assert_eq!((none, empty.len()), (0, 0));
}

pub async fn users_are_found_by_external_id_which_follows_their_edits(store: DynStore) {
    let mut a = person("ext.a", "Ext A");
    a.external_id = Some("00u1dhhb1fkIGP7RL1d8".into());
    let mut b = person("ext.b", "Ext B");
    b.external_id = Some("shared-id".into());
    let mut c = person("ext.c", "Ext C");
    c.external_id = Some("shared-id".into());
    store
        .insert_users(&[a.clone(), b.clone(), c.clone()])
        .await
        .unwrap();
    let ids = |users: Vec<UserRecord>| {
        let mut ids: Vec<String> = users.into_iter().map(|u| u.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(
        ids(store
            .users_by_external_id("00u1dhhb1fkIGP7RL1d8")
            .await
            .unwrap()),
        [a.id.clone()]
    );
    let mut both = vec![b.id.clone(), c.id.clone()];
    both.sort();
    assert_eq!(
        ids(store.users_by_external_id("shared-id").await.unwrap()),
        both
    );
    assert!(store
        .users_by_external_id("nobody")
        .await
        .unwrap()
        .is_empty());
    // A changed externalId is found by the new one only.
    let mut moved = store.user_by_id(&b.id).await.unwrap().unwrap();
    moved.external_id = Some("moved-id".into());
    store.update_user(&moved, &[]).await.unwrap();
    assert_eq!(
        ids(store.users_by_external_id("shared-id").await.unwrap()),
        [c.id.clone()]
    );
    assert_eq!(
        ids(store.users_by_external_id("moved-id").await.unwrap()),
        [b.id.clone()]
    );
    // A deleted user is found by none.
    let gone = store.user_by_id(&c.id).await.unwrap().unwrap();
    store.delete_user(&gone, &[]).await.unwrap();
    assert!(store
        .users_by_external_id("shared-id")
        .await
        .unwrap()
        .is_empty());
}

pub async fn attempts_are_counted_by_key_and_time_and_forgotten_when_old(store: DynStore) {
    for at in [100, 200, 300] {
        store.record_attempt("login:a", at).await.unwrap();
    }
    store.record_attempt("login:b", 250).await.unwrap();
    assert_eq!(store.count_attempts("login:a", 0).await.unwrap(), 3);
    assert_eq!(store.count_attempts("login:a", 150).await.unwrap(), 2);
    assert_eq!(store.count_attempts("login:a", 301).await.unwrap(), 0);
    // Two at the same millisecond are two attempts.
    store.record_attempt("login:a", 300).await.unwrap();
    assert_eq!(store.count_attempts("login:a", 300).await.unwrap(), 2);
    store.purge_attempts(250).await.unwrap();
    assert_eq!(store.count_attempts("login:a", 0).await.unwrap(), 2);
}
pub async fn a_login_lock_is_written_once_per_version_even_by_twenty_at_once(store: DynStore) {
    let key = "login:0123456789abcdef";
    assert_eq!(store.login_lock(key).await.unwrap(), None);
    let mut lock = LoginLock::new(key.into());
    lock.failed_sign_ins = 1;
    lock.expires_at = 86_400_000;
    assert_eq!(store.put_login_lock(&lock).await.unwrap(), 1);
    // A second "first" write lost the race to the first.
    assert!(matches!(
        store.put_login_lock(&lock).await,
        Err(StoreError::Conflict)
    ));
    lock.version = 1;
    assert_eq!(store.login_lock(key).await.unwrap(), Some(lock.clone()));
    let tries = (0..20).map(|i| {
        let store = store.clone();
        let mut next = lock.clone();
        next.failed_sign_ins = 2 + i;
        tokio::spawn(async move { store.put_login_lock(&next).await })
    });
    let won = futures::future::join_all(tries)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .filter(|r| match r {
            Ok(v) => *v == 2,
            Err(StoreError::Conflict) => false,
            Err(e) => panic!("{e:?}"),
        })
        .count();
    assert_eq!(won, 1, "one write per version");
    let stored = store.login_lock(key).await.unwrap().unwrap();
    assert_eq!(stored.version, 2);
    let mut locked = stored.clone();
    locked.locked_until = Some(5_000);
    locked.lockouts = 1;
    assert_eq!(store.put_login_lock(&locked).await.unwrap(), 3);
    locked.version = 3;
    assert_eq!(store.login_lock(key).await.unwrap(), Some(locked));
    // Nothing unexpired is forgotten.
    store.purge_login_locks(1_000).await.unwrap();
    assert_eq!(
        store.login_lock(key).await.unwrap().map(|l| l.version),
        Some(3)
    );
    assert_eq!(store.login_lock("login:other").await.unwrap(), None);
}

#[macro_export]
macro_rules! store_contract_tests {
    ($make:expr) => {
        $crate::store_contract_tests!(@cases $make;
            users_are_found_by_id_and_by_login_case_insensitively,
            duplicate_usernames_or_emails_are_refused_and_nothing_is_inserted,
            a_large_import_with_a_taken_key_near_its_end_inserts_nothing,
            renaming_a_user_moves_their_login_and_search_terms,
            a_users_language_is_kept_through_insert_and_update,
            a_users_reset_link_is_kept_used_and_cleared,
            an_update_is_conditional_on_the_version_read,
            concurrent_read_modify_writes_lose_no_update,
            search_matches_prefixes_of_name_words_username_and_email,
            paging_returns_every_match_once_in_name_order,
            a_forged_cursor_is_refused,
            sessions_are_stored_found_deleted_and_purged,
            the_audit_log_pages_newest_first,
            apps_are_listed_by_name_updated_on_their_version_and_deleted,
            a_code_is_spent_once_even_by_twenty_at_once,
            a_replayed_codes_token_is_revoked_and_no_others,
            signing_keys_are_published_newest_first_and_retired_once,
            a_user_is_deleted_only_at_the_version_read_and_takes_their_logins,
            of_twenty_concurrent_inserts_of_one_username_exactly_one_wins,
            scim_tokens_are_found_by_hash_listed_newest_first_and_revoked,
            attempts_are_counted_by_key_and_time_and_forgotten_when_old,
            a_login_lock_is_written_once_per_version_even_by_twenty_at_once,
            sign_ins_are_kept_by_owner_newest_first,
            a_user_and_her_creation_event_are_written_together_or_not_at_all,
            scim_pages_every_plain_user_once_and_counts_them_without_admins,
            users_are_found_by_external_id_which_follows_their_edits,
            plain_users_are_found_by_the_start_of_their_name_counted_and_paged,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let store: $crate::store_contract::DynStore = $make.await;
                $crate::store_contract::$case(store).await;
            }
        )*
    };
}

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
