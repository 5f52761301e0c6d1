//! The audit log.

use rekey_function::domain::audit::event;
use rekey_shared::AuditAction;

use super::{person, DynStore};

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
