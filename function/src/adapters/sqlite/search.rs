//! The users search: prefix of the display name or any word of it, of the
//! username or of the email, case-insensitive; sorted by display name, with
//! keyset paging so page 1,000 costs what page 1 costs.
//!
//! Two plans, chosen per query by how many search terms match:
//! - few matches: walk the matching terms, then sort just those users;
//! - many matches: walk users in name order and keep those with a matching
//!   term, stopping at one page; dense matches fill a page quickly.
//!
//! Each plan is fast exactly where the other is slow. The switch point is
//! where their costs meet: sqrt(page * users) matching terms.

use rusqlite::{params, Connection};

use super::{backend, decode_cursor, encode_cursor, user_from_row, USER_COLUMNS};
use crate::domain::user::UserRecord;
use crate::ports::{Page, StoreError, UserQuery};

/// The lower-cased strings a search prefix is matched against.
pub fn terms(user: &UserRecord) -> Vec<String> {
    let name = user.display_name.to_lowercase();
    let mut terms: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    terms.push(name);
    terms.push(user.username.to_lowercase());
    terms.push(user.email.to_lowercase());
    terms.sort();
    terms.dedup();
    terms
}

pub fn search(conn: &Connection, q: &UserQuery, total: u64) -> Result<Page<UserRecord>, StoreError> {
    let (after_name, after_id): (String, String) = match &q.cursor {
        Some(c) => decode_cursor(c)?,
        None => (String::new(), String::new()),
    };
    let limit = q.limit.max(1);
    let fetch = limit as i64 + 1;

    let rows: Vec<UserRecord> = if q.prefix.is_empty() {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE (u.display_name_lc, u.id) > (?1, ?2) \
             ORDER BY u.display_name_lc, u.id LIMIT ?3"
        );
        let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
        let rows = stmt
            .query_map(params![after_name, after_id, fetch], user_from_row)
            .map_err(backend)?
            .collect::<rusqlite::Result<_>>()
            .map_err(backend)?;
        rows
    } else {
        // Every string that starts with the prefix sorts in [prefix, upper).
        let upper = format!("{}\u{10FFFF}", q.prefix);
        let switch_at = ((limit as f64 * total as f64).sqrt() as i64).max(256);
        let matches: i64 = conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM user_search_terms \
                 WHERE term >= ?1 AND term < ?2 LIMIT ?3)",
            )
            .and_then(|mut s| s.query_row(params![q.prefix, upper, switch_at], |r| r.get(0)))
            .map_err(backend)?;
        let sql = if matches < switch_at {
            // CROSS JOIN pins the join order: terms first, then their users.
            format!(
                "SELECT {USER_COLUMNS} FROM user_search_terms t CROSS JOIN users u \
                 ON u.id = t.user_id \
                 WHERE t.term >= ?1 AND t.term < ?2 AND (u.display_name_lc, u.id) > (?3, ?4) \
                 GROUP BY u.id ORDER BY u.display_name_lc, u.id LIMIT ?5"
            )
        } else {
            format!(
                "SELECT {USER_COLUMNS} FROM users u INDEXED BY users_by_name \
                 WHERE (u.display_name_lc, u.id) > (?3, ?4) AND EXISTS ( \
                   SELECT 1 FROM user_search_terms t \
                   WHERE t.user_id = u.id AND t.term >= ?1 AND t.term < ?2) \
                 ORDER BY u.display_name_lc, u.id LIMIT ?5"
            )
        };
        let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
        let rows = stmt
            .query_map(
                params![q.prefix, upper, after_name, after_id, fetch],
                user_from_row,
            )
            .map_err(backend)?
            .collect::<rusqlite::Result<_>>()
            .map_err(backend)?;
        rows
    };

    let more = rows.len() > limit;
    let items: Vec<UserRecord> = rows.into_iter().take(limit).collect();
    let next_cursor = if more {
        items
            .last()
            .map(|u| encode_cursor(&(u.display_name.to_lowercase(), u.id.clone())))
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}
