//! The admin center comes in chunks: its frame and Active users first,
//! each other page and pane the first time it opens. A chunk that does not
//! arrive says so where the page would be, and opening the page again
//! fetches it again.

use serde_json::json;

use super::support::{Browser, NetworkConditions};

async fn network(b: &Browser, offline: bool) {
    b.client
        .issue_cmd(NetworkConditions(json!({"network_conditions": {
            "offline": offline,
            "latency": 0,
            "download_throughput": -1,
            "upload_throughput": -1,
        }})))
        .await
        .unwrap();
}

async fn fetched_audit_chunk(b: &Browser) -> bool {
    b.fetched_urls()
        .await
        .iter()
        .any(|u| u.contains("/admin/en/split_audit_log-"))
}

#[tokio::test]
async fn a_page_that_did_not_arrive_says_so_and_comes_when_opened_again() {
    let (_one, _server, b) = super::admin_signed_in().await;
    assert!(!fetched_audit_chunk(&b).await, "the audit log came first");

    network(&b, true).await;
    b.click_text("nav a", "Audit log").await;
    b.find_text(".error.banner", "didn't load").await;

    network(&b, false).await;
    b.click_text("nav a", "Active users").await;
    b.find("tbody tr").await;
    b.click_text("nav a", "Audit log").await;
    b.find_text("h1", "Audit log").await;
    // Drawn and asking: a fresh directory has nothing in it yet.
    b.find_text("p.empty", "Nothing has happened yet.").await;
    assert!(fetched_audit_chunk(&b).await);
}
