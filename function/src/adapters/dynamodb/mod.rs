//! The deployed store: one DynamoDB table (see items.rs for its items).
//!
//! A user update is one conditional write on the stored version, together
//! with its audit events in one transaction, so concurrent resets never lose
//! an update; a failed condition comes back as `Conflict` and the domain
//! retries. Region, credentials and endpoint come from the standard AWS
//! configuration chain (`AWS_ENDPOINT_URL_DYNAMODB` points at an emulator).

mod apps;
mod items;
mod login_locks;
mod scim;
mod search;
mod sign_ins;
mod table;

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    AttributeValue, DeleteRequest, KeysAndAttributes, Put, Select, TransactWriteItem, Update,
    WriteRequest,
};
use aws_sdk_dynamodb::Client;
use rekey_shared::{AuditEvent, Role};

use crate::adapters::keys::{decode_cursor, encode_cursor};
use crate::domain::model::{SessionRecord, UserRecord};
use crate::ports::{Page, Store, StoreError, UserQuery};
use items::*;
pub use table::create_table;

/// DynamoDB's limits: items per transaction, per batch read, per batch write.
const TRANSACT_MAX: usize = 100;
const BATCH_GET_MAX: usize = 100;
const BATCH_WRITE_MAX: usize = 25;

#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
    /// Items read so far (queries and gets), for tests that bound the work.
    items_read: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

fn sdk<E: std::error::Error + 'static, R: std::fmt::Debug>(e: SdkError<E, R>) -> StoreError {
    StoreError::Backend(DisplayErrorContext(&e).to_string())
}

/// Why a transaction was cancelled, when it was.
enum TransactError {
    /// A condition on one of the items failed.
    Condition,
    /// Another transaction was writing one of the items.
    Contended,
    Other(StoreError),
}

/// Where no user version is at stake, a failed condition means a key
/// (login, audit id) is taken; user writes look closer first.
impl From<TransactError> for StoreError {
    fn from(e: TransactError) -> Self {
        match e {
            TransactError::Condition => StoreError::Duplicate,
            TransactError::Contended => StoreError::Conflict,
            TransactError::Other(e) => e,
        }
    }
}

fn transact_error(e: SdkError<TransactWriteItemsError>) -> TransactError {
    if let Some(TransactWriteItemsError::TransactionCanceledException(c)) = e.as_service_error() {
        let codes: Vec<&str> = c
            .cancellation_reasons()
            .iter()
            .filter_map(|r| r.code())
            .collect();
        if codes.contains(&"ConditionalCheckFailed") {
            return TransactError::Condition;
        }
        if codes.contains(&"TransactionConflict") {
            return TransactError::Contended;
        }
    }
    TransactError::Other(sdk(e))
}

/// One step of an in-progress query: the items and where to go on.
struct QueryPage {
    items: Vec<Item>,
    count: u64,
    next: Option<Item>,
}

/// A query's fixed parts; `values` are bound as `:a`, `:b`... in order.
struct Query<'a> {
    index: Option<&'static str>,
    condition: &'a str,
    values: Vec<AttributeValue>,
    forward: bool,
    limit: Option<usize>,
    filter: Option<&'a str>,
    count_only: bool,
    projection: Option<&'a str>,
}

impl<'a> Query<'a> {
    fn new(index: Option<&'static str>, condition: &'a str, values: Vec<AttributeValue>) -> Self {
        Self {
            index,
            condition,
            values,
            forward: true,
            limit: None,
            filter: None,
            count_only: false,
            projection: None,
        }
    }
}

fn put(table: &str, item: Item, condition: Option<&str>) -> Result<TransactWriteItem, StoreError> {
    let put = Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .set_condition_expression(condition.map(str::to_string))
        .build()
        .map_err(backend)?;
    Ok(TransactWriteItem::builder().put(put).build())
}

fn delete(table: &str, key: Item) -> Result<TransactWriteItem, StoreError> {
    let delete = aws_sdk_dynamodb::types::Delete::builder()
        .table_name(table)
        .set_key(Some(key))
        .build()
        .map_err(backend)?;
    Ok(TransactWriteItem::builder().delete(delete).build())
}

fn count_change(table: &str, delta: i64) -> Result<TransactWriteItem, StoreError> {
    let update = Update::builder()
        .table_name(table)
        .set_key(Some(count_key()))
        .update_expression("ADD #n :d")
        .expression_attribute_names("#n", "n")
        .expression_attribute_values(":d", n(delta))
        .build()
        .map_err(backend)?;
    Ok(TransactWriteItem::builder().update(update).build())
}

const NOT_EXISTS: &str = "attribute_not_exists(pk)";

/// Lookup items that need no "not taken" condition: search terms and
/// externalIds live under their user, and neither is unique.
fn unconditional(sort_key: &str) -> bool {
    sort_key.starts_with("T#") || sort_key.starts_with("X#")
}

fn key_of(item: &Item) -> (String, String) {
    let text = |k: &str| {
        item.get(k)
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default()
    };
    (text("pk"), text("sk"))
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
            items_read: Default::default(),
        }
    }

    /// How many items this store (and its clones) has read.
    pub fn items_read(&self) -> u64 {
        self.items_read.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn note_read(&self, n: u64) {
        self.items_read
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// A client from the loaded AWS configuration chain.
    pub fn from_config(aws: &aws_config::SdkConfig, table: &str) -> Self {
        Self::new(Client::new(aws), table)
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Fails with a clear message when the table is missing or unreachable.
    pub async fn check_table(&self) -> Result<(), StoreError> {
        self.client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                StoreError::Backend(format!(
                    "DynamoDB table {:?}: {}",
                    self.table,
                    DisplayErrorContext(&e)
                ))
            })
    }

    async fn get(&self, key: Item) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk)?;
        self.note_read(u64::from(out.item.is_some()));
        Ok(out.item)
    }

    /// Items by key, in no particular order; missing ones are left out.
    async fn batch_get(&self, keys: Vec<Item>) -> Result<Vec<Item>, StoreError> {
        let mut found = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(BATCH_GET_MAX) {
            let mut pending = Some(
                KeysAndAttributes::builder()
                    .set_keys(Some(chunk.to_vec()))
                    .consistent_read(true)
                    .build()
                    .map_err(backend)?,
            );
            let mut round = 0u32;
            while let Some(request) = pending.take() {
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, request)
                    .send()
                    .await
                    .map_err(sdk)?;
                if let Some(mut responses) = out.responses {
                    let items = responses.remove(&self.table).unwrap_or_default();
                    self.note_read(items.len() as u64);
                    found.extend(items);
                }
                pending = out
                    .unprocessed_keys
                    .and_then(|mut u| u.remove(&self.table))
                    .filter(|k| !k.keys.is_empty());
                if pending.is_some() {
                    round += 1;
                    backoff(round).await?;
                }
            }
        }
        Ok(found)
    }

    async fn batch_delete(&self, keys: Vec<Item>) -> Result<(), StoreError> {
        for chunk in keys.chunks(BATCH_WRITE_MAX) {
            let mut pending = chunk
                .iter()
                .map(|k| {
                    let request = DeleteRequest::builder()
                        .set_key(Some(k.clone()))
                        .build()
                        .map_err(backend)?;
                    Ok(WriteRequest::builder().delete_request(request).build())
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let mut round = 0u32;
            while !pending.is_empty() {
                let out = self
                    .client
                    .batch_write_item()
                    .request_items(&self.table, pending)
                    .send()
                    .await
                    .map_err(sdk)?;
                pending = out
                    .unprocessed_items
                    .and_then(|mut u| u.remove(&self.table))
                    .unwrap_or_default();
                if !pending.is_empty() {
                    round += 1;
                    backoff(round).await?;
                }
            }
        }
        Ok(())
    }

    async fn transact(&self, writes: Vec<TransactWriteItem>) -> Result<(), TransactError> {
        self.client
            .transact_write_items()
            .set_transact_items(Some(writes))
            .send()
            .await
            .map(|_| ())
            .map_err(transact_error)
    }

    async fn query_page(
        &self,
        q: &Query<'_>,
        start: Option<Item>,
    ) -> Result<QueryPage, StoreError> {
        let mut request = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(q.index.map(str::to_string))
            .key_condition_expression(q.condition)
            .set_filter_expression(q.filter.map(str::to_string))
            .set_projection_expression(q.projection.map(str::to_string))
            .scan_index_forward(q.forward)
            .set_limit(q.limit.map(|l| l.min(i32::MAX as usize) as i32))
            .set_exclusive_start_key(start);
        for (i, v) in q.values.iter().enumerate() {
            request = request.expression_attribute_values(placeholder(i), v.clone());
        }
        if q.count_only {
            request = request.select(Select::Count);
        }
        let out = request.send().await.map_err(sdk)?;
        self.note_read(out.scanned_count.max(0) as u64);
        Ok(QueryPage {
            count: out.count.max(0) as u64,
            items: out.items.unwrap_or_default(),
            next: out.last_evaluated_key.filter(|k| !k.is_empty()),
        })
    }

    /// How many items the query matches, counted page by page (DynamoDB
    /// reads them to count them).
    async fn count_all(&self, mut q: Query<'_>) -> Result<u64, StoreError> {
        q.count_only = true;
        let (mut total, mut start) = (0, None);
        loop {
            let page = self.query_page(&q, start).await?;
            total += page.count;
            match page.next {
                Some(next) => start = Some(next),
                None => return Ok(total),
            }
        }
    }

    /// Every item the query matches, up to `max`.
    async fn query_all(&self, q: &Query<'_>, max: usize) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let page = self.query_page(q, start).await?;
            out.extend(page.items);
            match page.next {
                Some(next) if out.len() < max => start = Some(next),
                _ => break,
            }
        }
        out.truncate(max);
        Ok(out)
    }

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

fn placeholder(i: usize) -> String {
    format!(":{}", (b'a' + i as u8) as char)
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

/// Waits a little longer each round before retrying unprocessed items.
async fn backoff(round: u32) -> Result<(), StoreError> {
    if round > 8 {
        return Err(backend("DynamoDB kept items unprocessed"));
    }
    tokio::time::sleep(std::time::Duration::from_millis(20 << round.min(6))).await;
    Ok(())
}

#[async_trait]
impl Store for DynamoStore {
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
            Ok(()) => Ok(()),
            Err(TransactError::Condition) => match self.get(user_key(&user.id)).await? {
                Some(_) => Err(StoreError::Conflict),
                None => Err(StoreError::NotFound),
            },
            Err(e) => Err(e.into()),
        }
    }

    async fn append_audit(&self, events: &[AuditEvent]) -> Result<(), StoreError> {
        // One transaction per 100 events (DynamoDB's limit).
        for chunk in events.chunks(TRANSACT_MAX) {
            let writes = chunk
                .iter()
                .map(|e| put(&self.table, audit_item(e)?, Some(NOT_EXISTS)))
                .collect::<Result<Vec<_>, _>>()?;
            self.transact(writes).await?;
        }
        Ok(())
    }

    async fn list_audit(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<AuditEvent>, StoreError> {
        let limit = limit.max(1);
        let before: Option<String> = cursor.map(decode_cursor).transpose()?;
        let mut values = vec![s("AUDIT")];
        let condition = match before {
            Some(id) => {
                values.push(s(id));
                "g1pk = :a AND g1sk < :b"
            }
            None => "g1pk = :a",
        };
        let mut q = Query::new(Some(BY_NAME), condition, values);
        q.forward = false;
        q.limit = Some(limit + 1);
        let rows = self.query_all(&q, limit + 1).await?;
        let more = rows.len() > limit;
        let items = rows
            .iter()
            .take(limit)
            .map(audit_from_item)
            .collect::<Result<Vec<_>, _>>()?;
        let next_cursor = more
            .then(|| items.last().map(|e: &AuditEvent| encode_cursor(&e.id)))
            .flatten();
        Ok(Page { items, next_cursor })
    }

    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(session_item(session)))
            .condition_expression(NOT_EXISTS)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(_)) => {
                    Err(StoreError::Duplicate)
                }
                _ => Err(sdk(e)),
            },
        }
    }

    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.get(session_key(token_hash))
            .await?
            .as_ref()
            .map(session_from_item)
            .transpose()
    }

    async fn touch_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(session_key(&session.token_hash)))
            .update_expression("SET last_seen_at = :l, authenticated_at = :a")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":l", n(session.last_seen_at))
            .expression_attribute_values(":a", n(session.authenticated_at))
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(UpdateItemError::ConditionalCheckFailedException(_)) => Ok(()),
                _ => Err(sdk(e)),
            },
        }
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(session_key(token_hash)))
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    async fn purge_expired_sessions(&self, now_ms: i64) -> Result<u64, StoreError> {
        let mut q = Query::new(
            Some(BY_NAME),
            "g1pk = :a AND g1sk < :b",
            vec![s("SESSIONS"), s(padded(now_ms.saturating_add(1)))],
        );
        q.projection = Some("pk, sk");
        let expired = self.query_all(&q, usize::MAX).await?;
        let count = expired.len() as u64;
        self.batch_delete(expired).await?;
        Ok(count)
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

    async fn record_attempt(&self, key: &str, at: i64) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(attempt_item(key, at)))
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    async fn count_attempts(&self, key: &str, since: i64) -> Result<u64, StoreError> {
        let q = Query::new(
            None,
            "pk = :a AND sk >= :b",
            vec![s(format!("R#{key}")), s(padded(since))],
        );
        self.count_all(q).await
    }

    async fn purge_attempts(&self, before: i64) -> Result<(), StoreError> {
        let mut q = Query::new(
            Some(BY_NAME),
            "g1pk = :a AND g1sk < :b",
            vec![s("ATTEMPTS"), s(padded(before))],
        );
        q.projection = Some("pk, sk");
        let old = self.query_all(&q, usize::MAX).await?;
        self.batch_delete(old).await
    }
}
