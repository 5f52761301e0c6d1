//! The users search on DynamoDB, with the SQLite store's two plans:
//! - scan: walk the by_name index in name order, filtering on the user's
//!   term list (`contains(search_terms, SEP prefix)`). Good for short,
//!   dense prefixes; stops after a budget of items;
//! - collect: read every matching search term from the by_term index (one
//!   small item per match, carrying the name key), keep the page by name,
//!   then fetch those users in one batch. Exact for any prefix.
//!
//! An empty prefix is a plain range read of by_name.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_dynamodb::types::AttributeValue;

use super::items::{s, user_from_item, user_key, BY_NAME, BY_TERM, SEP};
use super::{DynamoStore, Query};
use crate::adapters::keys::{decode_cursor, encode_cursor};
use crate::domain::model::UserRecord;
use crate::ports::{Page, StoreError, UserQuery};

/// Items the scan plan reads before it hands over to collect.
const SCAN_BUDGET: usize = 2_000;
/// Items read per request while scanning with a filter.
const SCAN_PAGE: usize = 500;

pub async fn search(store: &DynamoStore, q: &UserQuery) -> Result<Page<UserRecord>, StoreError> {
    let limit = q.limit.max(1);
    let fetch = limit + 1;
    let prefix = q.prefix.to_lowercase();
    let after: Option<String> = match &q.cursor {
        Some(c) => {
            let (name, id): (String, String) = decode_cursor(c)?;
            Some(format!("{name}{SEP}{id}"))
        }
        None => None,
    };
    let rows = if prefix.is_empty() {
        scan(
            store,
            q.descending,
            after.as_deref(),
            None,
            fetch,
            usize::MAX,
        )
        .await?
        .0
    } else if prefix.contains(SEP) {
        // No term holds the separator.
        Vec::new()
    } else {
        let mut rows = None;
        if prefix.chars().count() <= 2 {
            let (found, complete) = scan(
                store,
                q.descending,
                after.as_deref(),
                Some(&prefix),
                fetch,
                SCAN_BUDGET,
            )
            .await?;
            if complete || found.len() >= fetch {
                rows = Some(found);
            }
        }
        match rows {
            Some(rows) => rows,
            None => collect(store, &prefix, q.descending, after.as_deref(), fetch).await?,
        }
    };
    let more = rows.len() > limit;
    let items = rows.into_iter().take(limit).collect::<Vec<UserRecord>>();
    let next_cursor = more
        .then(|| {
            items
                .last()
                .map(|u| encode_cursor(&(u.display_name.to_lowercase(), u.id.clone())))
        })
        .flatten();
    Ok(Page { items, next_cursor })
}

/// Users past `after` in name order, those matching `prefix` if given, up
/// to `fetch` of them; `true` when the index was read to its end.
async fn scan(
    store: &DynamoStore,
    descending: bool,
    after: Option<&str>,
    prefix: Option<&str>,
    fetch: usize,
    budget: usize,
) -> Result<(Vec<UserRecord>, bool), StoreError> {
    let mut values = vec![s("USERS")];
    let condition = match after {
        Some(a) => {
            values.push(s(a));
            if descending {
                "g1pk = :a AND g1sk < :b"
            } else {
                "g1pk = :a AND g1sk > :b"
            }
        }
        None => "g1pk = :a",
    };
    let filter = prefix.map(|p| {
        values.push(s(format!("{SEP}{p}")));
        if after.is_some() {
            "contains(search_terms, :c)"
        } else {
            "contains(search_terms, :b)"
        }
    });
    let mut q = Query::new(Some(BY_NAME), condition, values);
    q.forward = !descending;
    q.filter = filter;
    q.limit = Some(if filter.is_some() { SCAN_PAGE } else { fetch });
    let mut rows = Vec::new();
    let mut read = 0;
    let mut start = None;
    loop {
        let page = store.query_page(&q, start).await?;
        read += SCAN_PAGE;
        for item in &page.items {
            rows.push(user_from_item(item)?);
        }
        match page.next {
            None => return Ok((rows, true)),
            Some(_) if rows.len() >= fetch => {
                rows.truncate(fetch);
                return Ok((rows, false));
            }
            Some(_) if read >= budget => return Ok((rows, false)),
            Some(next) => start = Some(next),
        }
    }
}

async fn collect(
    store: &DynamoStore,
    prefix: &str,
    descending: bool,
    after: Option<&str>,
    fetch: usize,
) -> Result<Vec<UserRecord>, StoreError> {
    let first: String = prefix.chars().take(1).collect();
    let mut q = Query::new(
        Some(BY_TERM),
        "g2pk = :a AND begins_with(g2sk, :b)",
        vec![s(format!("T#{first}")), s(prefix)],
    );
    q.projection = Some("user_id, name_key");
    // A user matching through several terms is one match (one name each,
    // even if an index lags behind a rename).
    let mut names: HashMap<String, String> = HashMap::new();
    for item in store.query_all(&q, usize::MAX).await? {
        if let (Some(AttributeValue::S(name)), Some(AttributeValue::S(id))) =
            (item.get("name_key"), item.get("user_id"))
        {
            names.entry(id.clone()).or_insert_with(|| name.clone());
        }
    }
    let matches: BTreeSet<(String, String)> = names
        .into_iter()
        .map(|(id, name)| (name, id))
        .filter(|(name, _)| match after {
            Some(a) if descending => name.as_str() < a,
            Some(a) => name.as_str() > a,
            None => true,
        })
        .collect();
    let page: Vec<String> = if descending {
        matches.into_iter().rev().take(fetch).map(|m| m.1).collect()
    } else {
        matches.into_iter().take(fetch).map(|m| m.1).collect()
    };
    let mut users: HashMap<String, UserRecord> = store
        .batch_get(page.iter().map(|id| user_key(id)).collect())
        .await?
        .iter()
        .map(|item| user_from_item(item).map(|u| (u.id.clone(), u)))
        .collect::<Result<_, _>>()?;
    // A term whose user was deleted meanwhile is skipped.
    Ok(page.iter().filter_map(|id| users.remove(id)).collect())
}
