//! The deployed store: one DynamoDB table (see items.rs for its items).
//!
//! A user update is one conditional write on the stored version, together
//! with its audit events in one transaction, so concurrent resets never lose
//! an update; a failed condition comes back as `Conflict` and the domain
//! retries. Region, credentials and endpoint come from the standard AWS
//! configuration chain (`AWS_ENDPOINT_URL_DYNAMODB` points at an emulator).

mod apps;
mod attempts;
mod audit;
mod ceremonies;
mod grants;
mod items;
mod login_locks;
mod methods;
mod pending_sign_ins;
mod scim;
mod scim_tokens;
mod search;
mod sessions;
mod settings;
mod sign_ins;
mod signing_keys;
mod table;
mod users;

use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, DeleteRequest, KeysAndAttributes, Put, Select, TransactWriteItem, Update,
    WriteRequest,
};
use aws_sdk_dynamodb::Client;

use crate::ports::StoreError;
use items::{audit_item, backend, count_key, n, Item};
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
    /// Writes `item` whole, whatever was there.
    async fn put_item(&self, item: Item) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    /// Writes `item` only where no item is.
    async fn put_new_item(&self, item: Item) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(NOT_EXISTS)
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    /// Every record in one partition of the name index, newest first (the
    /// records whose items `record_of` reads).
    async fn records_newest_first<T: serde::de::DeserializeOwned>(
        &self,
        partition: &str,
    ) -> Result<Vec<T>, StoreError> {
        let mut q = Query::new(Some(items::BY_NAME), "g1pk = :a", vec![items::s(partition)]);
        q.forward = false;
        self.query_all(&q, usize::MAX)
            .await?
            .iter()
            .map(items::record_of)
            .collect()
    }

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
}

fn placeholder(i: usize) -> String {
    format!(":{}", (b'a' + i as u8) as char)
}

/// Waits a little longer each round before retrying unprocessed items.
async fn backoff(round: u32) -> Result<(), StoreError> {
    if round > 8 {
        return Err(backend("DynamoDB kept items unprocessed"));
    }
    tokio::time::sleep(std::time::Duration::from_millis(20 << round.min(6))).await;
    Ok(())
}
