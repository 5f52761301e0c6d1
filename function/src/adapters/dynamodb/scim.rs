//! The SCIM directory on DynamoDB. Plain users are read in name order from
//! the by_role index, a page at a time. SCIM pages by offset
//! (`startIndex`), which DynamoDB cannot seek to, so each full page leaves
//! a bookmark: the offset it ends at and the index key to go on from (an
//! hour's TTL). The next page of a sync starts at its bookmark and reads
//! only its own users; an offset far from any bookmark reads the keys in
//! between. externalId has lookup items of its own (`X#{externalId}`).

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use rekey_shared::Role;

use super::items::{padded, s, user_from_item, user_key, Item, BY_ROLE};
use super::{DynamoStore, Query};
use crate::domain::model::UserRecord;
use crate::ports::{ScimDirectory, StoreError, UserStore};

const BOOKMARKS: &str = "SCIMPAGES";
const BOOKMARK_TTL_SECS: i64 = 3600;
/// The by_role index's key attributes: what a bookmark keeps.
const INDEX_KEY: [&str; 4] = ["g3pk", "g3sk", "pk", "sk"];

fn plain_users() -> Query<'static> {
    Query::new(
        Some(BY_ROLE),
        "g3pk = :a",
        vec![s(format!("ROLE#{}", Role::User.as_str()))],
    )
}

impl DynamoStore {
    /// The nearest bookmark at or below `offset`: `(its offset, the key to
    /// go on from)`.
    async fn bookmark_at_or_below(&self, offset: u64) -> Result<Option<(u64, Item)>, StoreError> {
        let mut q = Query::new(
            None,
            "pk = :a AND sk <= :b",
            vec![s(BOOKMARKS), s(padded(offset as i64))],
        );
        q.forward = false;
        q.limit = Some(1);
        let page = self.query_page(&q, None).await?;
        let Some(found) = page.items.into_iter().next() else {
            return Ok(None);
        };
        let at = found
            .get("offset")
            .and_then(|v| v.as_n().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| StoreError::Backend("a bookmark without its offset".into()))?;
        let start: Item = INDEX_KEY
            .iter()
            .filter_map(|k| {
                found
                    .get(&format!("start_{k}"))
                    .map(|v| (k.to_string(), v.clone()))
            })
            .collect();
        Ok((start.len() == INDEX_KEY.len()).then_some((at, start)))
    }

    async fn leave_bookmark(&self, offset: u64, next: &Item) -> Result<(), StoreError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let mut item: Item = HashMap::from([
            ("pk".into(), s(BOOKMARKS)),
            ("sk".into(), s(padded(offset as i64))),
            ("offset".into(), AttributeValue::N(offset.to_string())),
            (
                "ttl".into(),
                AttributeValue::N((now + BOOKMARK_TTL_SECS).to_string()),
            ),
        ]);
        for k in INDEX_KEY {
            if let Some(v) = next.get(k) {
                item.insert(format!("start_{k}"), v.clone());
            }
        }
        self.put_item(item).await
    }
}

#[async_trait]
impl ScimDirectory for DynamoStore {
    async fn count_plain_users(&self) -> Result<u64, StoreError> {
        let admins = self
            .users_with_roles(&[Role::PasswordAdmin, Role::HelpdeskAdmin, Role::GlobalAdmin])
            .await?
            .len() as u64;
        Ok(self.count_users().await?.saturating_sub(admins))
    }

    async fn plain_users_page(
        &self,
        offset: u64,
        limit: usize,
    ) -> Result<Vec<UserRecord>, StoreError> {
        let (mut at, mut start) = match offset {
            0 => (0, None),
            _ => match self.bookmark_at_or_below(offset).await? {
                Some((at, key)) => (at, Some(key)),
                None => (0, None),
            },
        };
        // Far from any bookmark: walk the keys in between.
        while at < offset {
            let mut skip = plain_users();
            skip.limit = Some((offset - at).min(1_000) as usize);
            skip.projection = Some("g3pk, g3sk, pk, sk");
            let page = self.query_page(&skip, start.take()).await?;
            at += page.items.len() as u64;
            match page.next {
                Some(next) => start = Some(next),
                // Nothing after the skipped ones: the offset is past the end.
                None => return Ok(Vec::new()),
            }
        }
        let mut q = plain_users();
        q.limit = Some(limit);
        let page = self.query_page(&q, start).await?;
        let users = page
            .items
            .iter()
            .map(user_from_item)
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(next) = page.next.filter(|_| users.len() == limit) {
            self.leave_bookmark(offset + limit as u64, &next).await?;
        }
        Ok(users)
    }

    async fn plain_users_by_name_prefix(
        &self,
        prefix: &str,
        offset: u64,
        limit: usize,
    ) -> Result<(u64, Vec<UserRecord>), StoreError> {
        let matching = || {
            Query::new(
                Some(BY_ROLE),
                "g3pk = :a AND begins_with(g3sk, :b)",
                vec![s(format!("ROLE#{}", Role::User.as_str())), s(prefix)],
            )
        };
        // The total has to count the matches: DynamoDB keeps no count of
        // a prefix. A prefix of a few letters matches a small part.
        let total = self.count_all(matching()).await?;
        let mut q = matching();
        q.limit = Some(offset as usize + limit);
        let mut users = Vec::new();
        let mut start = None;
        let mut seen = 0u64;
        while users.len() < limit {
            let page = self.query_page(&q, start).await?;
            for item in &page.items {
                if seen >= offset && users.len() < limit {
                    users.push(user_from_item(item)?);
                }
                seen += 1;
            }
            match page.next {
                Some(next) => start = Some(next),
                None => break,
            }
        }
        Ok((total, users))
    }

    async fn users_by_external_id(&self, external_id: &str) -> Result<Vec<UserRecord>, StoreError> {
        let mut q = Query::new(None, "pk = :a", vec![s(format!("X#{external_id}"))]);
        q.limit = Some(100);
        let found = self.query_page(&q, None).await?;
        let ids: Vec<String> = found
            .items
            .iter()
            .filter_map(|i| i.get("user_id").and_then(|v| v.as_s().ok()).cloned())
            .collect();
        let mut users = Vec::new();
        for id in ids {
            if let Some(item) = self.get(user_key(&id)).await? {
                users.push(user_from_item(&item)?);
            }
        }
        Ok(users)
    }
}
