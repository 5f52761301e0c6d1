//! The users search: prefix of the display name or any word of it, of the
//! username or of the email, case-insensitive; sorted by display name, with
//! keyset paging so page 1,000 costs what page 1 costs.
//!
//! Matches must come back in name order, and a prefix may match a few
//! terms or a third of the directory. Two plans:
//! - scan: walk users in name order and keep those with a matching term.
//!   Cheap when matches are dense and spread out (one-letter prefixes), so
//!   it is tried first for those, within a budget of rows;
//! - collect: read every matching term (a covering index that carries the
//!   name, so no user row is touched), keep the first page by name. Costs
//!   one index entry per match, so it serves sparse prefixes, and dense
//!   ones whose matches cluster past the scan's budget (such as "zoe").

use rusqlite::{params, Connection};

use super::{backend, user_from_row, USER_COLUMNS};
use crate::adapters::keys::{decode_cursor, encode_cursor, is_separator, words};
use crate::domain::model::UserRecord;
use crate::ports::{Page, StoreError, UserQuery};

/// " megan bowen smith": each word of the name after a space, so the scan
/// plan matches a word prefix `p` as `instr(name_words, ' ' || p)`.
pub fn name_words(display_name: &str) -> String {
    words(&display_name.to_lowercase())
        .map(|w| format!(" {w}"))
        .collect()
}

/// Rows the scan plan reads before it hands over to collect.
const SCAN_BUDGET: i64 = 4_000;

fn query(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<UserRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(backend)?;
    let rows = stmt
        .query_map(params, user_from_row)
        .map_err(backend)?
        .collect::<rusqlite::Result<_>>()
        .map_err(backend)?;
    Ok(rows)
}

pub fn search(
    conn: &Connection,
    q: &UserQuery,
    total: u64,
) -> Result<Page<UserRecord>, StoreError> {
    // Keyset paging in either direction: rows strictly past the cursor.
    let (past, dir) = if q.descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let (after_name, after_id): (String, String) = match &q.cursor {
        Some(c) => decode_cursor(c)?,
        // Before every name (ascending) or after every name (descending).
        None if q.descending => ("\u{10FFFF}".into(), String::new()),
        None => (String::new(), String::new()),
    };
    let limit = q.limit.max(1);
    let fetch = limit as i64 + 1;

    let rows: Vec<UserRecord> = if q.prefix.is_empty() {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE (u.display_name_lc, u.id) {past} (?1, ?2) \
             ORDER BY u.display_name_lc {dir}, u.id {dir} LIMIT ?3"
        );
        query(conn, &sql, params![after_name, after_id, fetch])?
    } else {
        // Every string that starts with the prefix sorts in [prefix, upper).
        let upper = format!("{}\u{10FFFF}", q.prefix);
        let dense_at = (total / 20).max(1_000) as i64;
        let matches: i64 = conn
            .prepare_cached(
                "SELECT count(*) FROM (SELECT 1 FROM user_search_terms \
                 WHERE term >= ?1 AND term < ?2 LIMIT ?3)",
            )
            .and_then(|mut s| s.query_row(params![q.prefix, upper, dense_at], |r| r.get(0)))
            .map_err(backend)?;
        let mut rows = Vec::new();
        if matches >= dense_at {
            // Exactly the terms' semantics, read from the covering index: a
            // word can only match a prefix that holds no separator.
            let word_prefix = if q.prefix.contains(is_separator) {
                None
            } else {
                Some(format!(" {}", q.prefix))
            };
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM ( \
                   SELECT s.id, s.name FROM ( \
                     SELECT id, display_name_lc AS name, username, email_lc, name_words \
                     FROM users INDEXED BY users_by_name \
                     WHERE (display_name_lc, id) {past} (?3, ?4) \
                     ORDER BY display_name_lc {dir}, id {dir} LIMIT ?6) s \
                   WHERE (s.name >= ?1 AND s.name < ?2) OR (s.username >= ?1 AND s.username < ?2) \
                      OR (s.email_lc >= ?1 AND s.email_lc < ?2) \
                      OR (?7 IS NOT NULL AND instr(s.name_words, ?7) > 0) \
                   ORDER BY s.name {dir}, s.id {dir} LIMIT ?5) m \
                 CROSS JOIN users u ON u.id = m.id ORDER BY m.name {dir}, m.id {dir}"
            );
            rows = query(
                conn,
                &sql,
                params![
                    q.prefix,
                    upper,
                    after_name,
                    after_id,
                    fetch,
                    SCAN_BUDGET,
                    word_prefix
                ],
            )?;
        }
        // A short scan may have stopped at its budget: collect is exact.
        if rows.len() < fetch as usize {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM ( \
                   SELECT t.user_id, t.name_key FROM user_search_terms t \
                   WHERE t.term >= ?1 AND t.term < ?2 AND (t.name_key, t.user_id) {past} (?3, ?4) \
                   GROUP BY t.name_key, t.user_id \
                   ORDER BY t.name_key {dir}, t.user_id {dir} LIMIT ?5) m \
                 CROSS JOIN users u ON u.id = m.user_id ORDER BY m.name_key {dir}, m.user_id {dir}"
            );
            rows = query(
                conn,
                &sql,
                params![q.prefix, upper, after_name, after_id, fetch],
            )?;
        }
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
