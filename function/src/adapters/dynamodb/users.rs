//! The users: one row each, found by id, login and search term.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use rekey_shared::{AuditEvent, Role};

use super::items::{
    audit_item, backend, count_key, email_key, lookup_items, n, primary_key, s, user_from_item,
    user_item, user_key, username_key, Item, BY_REQUEST, BY_ROLE,
};
use super::{
    count_change, delete, key_of, put, sdk, search, unconditional, DynamoStore, Query,
    TransactError, NOT_EXISTS, TRANSACT_MAX,
};
use crate::domain::model::UserRecord;
use crate::ports::{Page, StoreError, UserQuery, UserStore};

#[async_trait]
impl UserStore for DynamoStore {
    async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError> {
        self.get(user_key(id))
            .await?
            .as_ref()
            .map(user_from_item)
            .transpose()
    }

    async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError> {
        // A username wins over an email, as in the SQLite store.
        let found = self
            .batch_get(vec![username_key(login), email_key(login)])
            .await?;
        let owner = |prefix: &str| {
            found
                .iter()
                .find(|i| key_of(i).0.starts_with(prefix))
                .and_then(|i| i.get("user_id"))
                .and_then(|v| v.as_s().ok())
                .cloned()
        };
        match owner("N#").or_else(|| owner("E#")) {
            Some(id) => self.user_by_id(&id).await,
            None => Ok(None),
        }
    }

    async fn search_users(&self, query: &UserQuery) -> Result<Page<UserRecord>, StoreError> {
        search::search(self, query).await
    }

    async fn insert_users_with_audit(
        &self,
        users: &[UserRecord],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        let mut seen = HashSet::new();
        for u in users {
            let keys = [
                format!("U#{}", u.id),
                format!("N#{}", u.username.to_lowercase()),
                format!("E#{}", u.email.to_lowercase()),
            ];
            if keys.into_iter().any(|k| !seen.insert(k)) {
                return Err(StoreError::Duplicate);
            }
        }
        // Up to 100 writes per transaction, one of them the user count: a
        // large import is several transactions, undone if one fails.
        let mut chunks: Vec<(Vec<Item>, i64)> = vec![(Vec::new(), 0)];
        for u in users {
            let mut group = vec![user_item(u)];
            group.extend(lookup_items(u));
            if group.len() >= TRANSACT_MAX {
                return Err(backend("a user with too many search terms"));
            }
            let last = chunks.last_mut().expect("one chunk");
            if last.0.len() + group.len() >= TRANSACT_MAX {
                chunks.push((Vec::new(), 0));
            }
            let last = chunks.last_mut().expect("one chunk");
            last.0.extend(group);
            last.1 += 1;
        }
        // The events ride in the transactions too, so a failed chunk takes
        // them back with its users.
        for event in audit {
            if chunks.last().is_some_and(|c| c.0.len() + 1 >= TRANSACT_MAX) {
                chunks.push((Vec::new(), 0));
            }
            chunks
                .last_mut()
                .expect("one chunk")
                .0
                .push(audit_item(event)?);
        }
        let mut done: Vec<Item> = Vec::new();
        let mut added = 0;
        for (chunk, count) in chunks.into_iter().filter(|c| !c.0.is_empty()) {
            let mut writes = Vec::with_capacity(chunk.len() + 1);
            for item in &chunk {
                // Terms live under their user, so the user's own condition
                // covers them.
                let term = unconditional(&key_of(item).1);
                writes.push(put(
                    &self.table,
                    item.clone(),
                    (!term).then_some(NOT_EXISTS),
                )?);
            }
            if count > 0 {
                writes.push(count_change(&self.table, count)?);
            }
            match self.transact(writes).await {
                Ok(()) => {
                    done.extend(chunk.iter().map(primary_key));
                    added += count;
                }
                Err(failure) => {
                    if !done.is_empty() {
                        self.batch_delete(done).await?;
                        self.transact(vec![count_change(&self.table, -added)?])
                            .await
                            .map_err(|_| backend("could not correct the user count"))?;
                    }
                    return Err(failure.into());
                }
            }
        }
        Ok(())
    }

    async fn count_users(&self) -> Result<u64, StoreError> {
        let Some(item) = self.get(count_key()).await? else {
            return Ok(0);
        };
        match item.get("n") {
            Some(AttributeValue::N(v)) => v.parse().map_err(backend),
            _ => Ok(0),
        }
    }

    async fn update_user(
        &self,
        user: &UserRecord,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        let mut next = user.clone();
        next.version = user.version + 1;
        if audit.is_empty() {
            let (condition, names, values) = version_condition(user);
            let result = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(user_item(&next)))
                .condition_expression(condition)
                .set_expression_attribute_names(Some(names))
                .set_expression_attribute_values(Some(values))
                .send()
                .await;
            return match result {
                Ok(_) => Ok(next.version),
                Err(e) => match e.as_service_error() {
                    Some(PutItemError::ConditionalCheckFailedException(_)) => {
                        self.explain_failed_update(user, audit).await
                    }
                    _ => Err(sdk(e)),
                },
            };
        }
        if audit.len() >= TRANSACT_MAX {
            return Err(backend("too many audit events for one transaction"));
        }
        let mut writes = vec![self.guarded_user_put(&next, user)?];
        for e in audit {
            writes.push(put(&self.table, audit_item(e)?, Some(NOT_EXISTS))?);
        }
        match self.transact(writes).await {
            Ok(()) => Ok(next.version),
            Err(TransactError::Condition) => self.explain_failed_update(user, audit).await,
            Err(other) => Err(other.into()),
        }
    }

    async fn delete_user(&self, user: &UserRecord, audit: &[AuditEvent]) -> Result<(), StoreError> {
        // The stored record names the logins and terms to remove.
        let Some(item) = self.get(user_key(&user.id)).await? else {
            return Err(StoreError::NotFound);
        };
        let stored = user_from_item(&item)?;
        if stored.version != user.version {
            return Err(StoreError::Conflict);
        }
        let remove = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .set_key(Some(user_key(&stored.id)))
            .condition_expression("version = :v")
            .expression_attribute_values(":v", n(stored.version))
            .build()
            .map_err(backend)?;
        let mut writes = vec![TransactWriteItem::builder().delete(remove).build()];
        for lookup in lookup_items(&stored) {
            writes.push(delete(&self.table, primary_key(&lookup))?);
        }
        writes.push(count_change(&self.table, -1)?);
        for e in audit {
            writes.push(put(&self.table, audit_item(e)?, Some(NOT_EXISTS))?);
        }
        match self.transact(writes).await {
            Ok(()) => self.delete_methods_of(&stored.id).await,
            Err(TransactError::Condition) => match self.get(user_key(&user.id)).await? {
                Some(_) => Err(StoreError::Conflict),
                None => Err(StoreError::NotFound),
            },
            Err(e) => Err(e.into()),
        }
    }

    async fn pending_reset_requests(&self, limit: usize) -> Result<Vec<UserRecord>, StoreError> {
        let mut q = Query::new(Some(BY_REQUEST), "g4pk = :a", vec![s("REQUESTS")]);
        q.forward = false;
        q.limit = Some(limit.max(1));
        self.users_from_index(&q, limit).await
    }

    async fn users_with_roles(&self, roles: &[Role]) -> Result<Vec<UserRecord>, StoreError> {
        let mut out = Vec::new();
        for role in roles {
            let q = Query::new(
                Some(BY_ROLE),
                "g3pk = :a",
                vec![s(format!("ROLE#{}", role.as_str()))],
            );
            out.extend(self.users_from_index(&q, usize::MAX).await?);
        }
        Ok(out)
    }
}

impl DynamoStore {
    async fn users_from_index(
        &self,
        q: &Query<'_>,
        max: usize,
    ) -> Result<Vec<UserRecord>, StoreError> {
        self.query_all(q, max)
            .await?
            .iter()
            .map(user_from_item)
            .collect()
    }

    /// Writes `next` in a transaction if the stored user is still `read`.
    fn guarded_user_put(
        &self,
        next: &UserRecord,
        read: &UserRecord,
    ) -> Result<TransactWriteItem, StoreError> {
        let (condition, names, values) = version_condition(read);
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(user_item(next)))
            .condition_expression(condition)
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .build()
            .map_err(backend)?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// Why a conditional user write failed: gone, changed, or renamed.
    async fn explain_failed_update(
        &self,
        user: &UserRecord,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        let Some(item) = self.get(user_key(&user.id)).await? else {
            return Err(StoreError::NotFound);
        };
        let stored = user_from_item(&item)?;
        if stored.version != user.version {
            return Err(StoreError::Conflict);
        }
        self.update_identity(&stored, user, audit).await
    }

    /// A write that changes the username, email or display name also moves
    /// the login and search-term items, all in one transaction.
    async fn update_identity(
        &self,
        old: &UserRecord,
        new: &UserRecord,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        let keyed = |u: &UserRecord| -> HashMap<_, _> {
            lookup_items(u)
                .into_iter()
                .map(|i| (key_of(&i), i))
                .collect()
        };
        let (old_items, new_items) = (keyed(old), keyed(new));
        let mut next = new.clone();
        next.version = new.version + 1;
        // On the identity read, so the lookup items removed are its own.
        let mut writes = vec![self.guarded_user_put(&next, old)?];
        for (k, item) in &old_items {
            if !new_items.contains_key(k) {
                writes.push(delete(&self.table, primary_key(item))?);
            }
        }
        let renamed = old.display_name != new.display_name;
        for (k, item) in new_items {
            let term = unconditional(&k.1);
            if !old_items.contains_key(&k) {
                writes.push(put(&self.table, item, (!term).then_some(NOT_EXISTS))?);
            } else if term && renamed {
                // A kept term carries the name it sorts by.
                writes.push(put(&self.table, item, None)?);
            }
        }
        for e in audit {
            writes.push(put(&self.table, audit_item(e)?, Some(NOT_EXISTS))?);
        }
        if writes.len() > TRANSACT_MAX {
            return Err(backend("too many changes for one transaction"));
        }
        match self.transact(writes).await {
            Ok(()) => Ok(next.version),
            Err(TransactError::Condition) => match self.get(user_key(&new.id)).await? {
                Some(item) if user_from_item(&item)?.version == new.version => {
                    Err(StoreError::Duplicate)
                }
                Some(_) => Err(StoreError::Conflict),
                None => Err(StoreError::NotFound),
            },
            Err(other) => Err(other.into()),
        }
    }
}

/// The condition of a user write: the version read, and the same identity
/// (a renaming write takes the slower path that moves the lookup items).
fn version_condition(u: &UserRecord) -> (String, HashMap<String, String>, Item) {
    let names = HashMap::from([
        ("#v".to_string(), "version".to_string()),
        ("#u".to_string(), "username".to_string()),
        ("#e".to_string(), "email".to_string()),
        ("#d".to_string(), "display_name".to_string()),
        ("#x".to_string(), "external_id".to_string()),
    ]);
    let mut values = HashMap::from([
        (":v".to_string(), n(u.version)),
        (":u".to_string(), s(u.username.to_lowercase())),
        (":e".to_string(), s(&u.email)),
        (":d".to_string(), s(&u.display_name)),
    ]);
    // The externalId has a lookup item too: a change of it moves that.
    let external = match &u.external_id {
        Some(x) => {
            values.insert(":x".to_string(), s(x));
            "#x = :x"
        }
        None => "attribute_not_exists(#x)",
    };
    (
        format!("#v = :v AND #u = :u AND #e = :e AND #d = :d AND {external}"),
        names,
        values,
    )
}
