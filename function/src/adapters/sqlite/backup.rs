//! A consistent copy of the database while the server keeps writing:
//! SQLite's online backup API, in one step, so the copy is one snapshot
//! (under WAL the server's writers are not held up meanwhile).

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::backend;
use crate::ports::StoreError;

/// Copies the database at `db` to `to` (written beside it first, then
/// renamed, so `to` is never half a database); returns the pages copied.
pub fn backup(db: &Path, to: &Path) -> Result<u64, StoreError> {
    if to.exists() {
        return Err(StoreError::Backend(format!(
            "{} exists already; choose a new file",
            to.display()
        )));
    }
    let source = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::Backend(format!("{}: {e}", db.display())))?;
    let partial = to.with_extension("partial");
    let mut target = Connection::open(&partial).map_err(backend)?;
    let pages = {
        let copy = rusqlite::backup::Backup::new(&source, &mut target).map_err(backend)?;
        // -1: every page in one step, so no write can land between steps.
        let mut tries = 0;
        loop {
            match copy.step(-1).map_err(backend)? {
                rusqlite::backup::StepResult::Done => break,
                rusqlite::backup::StepResult::More => {}
                _ if tries < 100 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                _ => return Err(StoreError::Backend("the database stayed locked".into())),
            }
        }
        copy.progress().pagecount
    };
    let ok: String = target
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(backend)?;
    drop(target);
    if ok != "ok" {
        let _ = std::fs::remove_file(&partial);
        return Err(StoreError::Backend(format!(
            "the copy failed its integrity check: {ok}"
        )));
    }
    std::fs::rename(&partial, to).map_err(backend)?;
    Ok(u64::try_from(pages).unwrap_or(0))
}
