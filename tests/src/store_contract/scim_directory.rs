//! What SCIM reads of the directory.

use rekey_function::domain::model::UserRecord;
use rekey_function::seed::{bulk_users, user_record};
use rekey_shared::Role;

use super::{person, DynStore};

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
