//! The Store contract: what every Store adapter must do, run against each
//! (`store_contract_tests!` makes one test per case for an adapter). One
//! file per store trait, as the ports and the adapters are split.

use std::sync::Arc;

use rekey_function::domain::model::{AccessTokenRecord, AppRecord, CodeRecord, UserRecord};
use rekey_function::ports::{Store, UserQuery};
use rekey_function::seed::user_record;
use rekey_shared::{AppKind, Role, SigningAlg};

mod apps;
mod attempts;
mod audit;
mod ceremonies;
mod grants;
mod methods;
mod scim_directory;
mod scim_tokens;
mod self_service;
mod sessions;
mod settings;
mod sign_ins;
mod signing_keys;
mod temporary_pass;
mod users;

pub use apps::*;
pub use attempts::*;
pub use audit::*;
pub use ceremonies::*;
pub use grants::*;
pub use methods::*;
pub use scim_directory::*;
pub use scim_tokens::*;
pub use self_service::*;
pub use sessions::*;
pub use settings::*;
pub use sign_ins::*;
pub use signing_keys::*;
pub use temporary_pass::*;
pub use users::*;

pub type DynStore = Arc<dyn Store>;

fn person(username: &str, name: &str) -> UserRecord {
    user_record(username, name, Role::User, None, "$argon2id$fake".into(), 1)
}

async fn search_all(store: &DynStore, prefix: &str, page: usize) -> Vec<UserRecord> {
    search_all_in(store, prefix, page, false).await
}

async fn search_all_in(
    store: &DynStore,
    prefix: &str,
    page: usize,
    descending: bool,
) -> Vec<UserRecord> {
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let p = store
            .search_users(&UserQuery {
                prefix: prefix.into(),
                cursor: cursor.clone(),
                limit: page,
                descending,
            })
            .await
            .unwrap();
        assert!(p.items.len() <= page);
        out.extend(p.items);
        match p.next_cursor {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}

fn app(id: &str, name: &str) -> AppRecord {
    AppRecord {
        id: id.into(),
        name: name.into(),
        kind: AppKind::Confidential,
        redirect_uris: vec![format!("https://{id}.example/cb")],
        post_logout_redirect_uris: vec![],
        home_url: None,
        id_token_alg: SigningAlg::Es256,
        pkce_required: true,
        secret_hash: Some("ab".repeat(32)),
        secret_created_at: Some(1),
        created_at: 1,
        version: 1,
    }
}

fn code(hash: &str) -> CodeRecord {
    CodeRecord {
        code_hash: hash.into(),
        app_id: "wiki".into(),
        redirect_uri: "https://wiki.example/cb".into(),
        user_id: "u1".into(),
        session_epoch: 3,
        scope: "openid email".into(),
        nonce: Some("n".into()),
        code_challenge: Some("c".repeat(43)),
        auth_time: 10,
        amr: vec!["pwd".into(), "otp".into(), "mfa".into()],
        expires_at: 60_010,
        used_at: None,
    }
}

fn token(hash: &str, code_hash: &str) -> AccessTokenRecord {
    AccessTokenRecord {
        token_hash: hash.into(),
        app_id: "wiki".into(),
        user_id: "u1".into(),
        session_epoch: 3,
        scope: "openid".into(),
        expires_at: 600_000,
        code_hash: code_hash.into(),
    }
}

#[macro_export]
macro_rules! store_contract_tests {
    ($make:expr) => {
        $crate::store_contract_tests!(@cases $make;
            users_are_found_by_id_and_by_login_case_insensitively,
            duplicate_usernames_or_emails_are_refused_and_nothing_is_inserted,
            a_large_import_with_a_taken_key_near_its_end_inserts_nothing,
            renaming_a_user_moves_their_login_and_search_terms,
            a_users_language_is_kept_through_insert_and_update,
            a_users_reset_link_is_kept_used_and_cleared,
            an_update_is_conditional_on_the_version_read,
            concurrent_read_modify_writes_lose_no_update,
            search_matches_prefixes_of_name_words_username_and_email,
            paging_returns_every_match_once_in_name_order,
            a_forged_cursor_is_refused,
            sessions_are_stored_found_deleted_and_purged,
            the_audit_log_pages_newest_first,
            apps_are_listed_by_name_updated_on_their_version_and_deleted,
            a_code_is_spent_once_even_by_twenty_at_once,
            a_replayed_codes_token_is_revoked_and_no_others,
            signing_keys_are_published_newest_first_and_retired_once,
            a_user_is_deleted_only_at_the_version_read_and_takes_their_logins,
            of_twenty_concurrent_inserts_of_one_username_exactly_one_wins,
            scim_tokens_are_found_by_hash_listed_newest_first_and_revoked,
            attempts_are_counted_by_key_and_time_and_forgotten_when_old,
            a_login_lock_is_written_once_per_version_even_by_twenty_at_once,
            sign_ins_are_kept_by_owner_newest_first,
            a_user_and_her_creation_event_are_written_together_or_not_at_all,
            scim_pages_every_plain_user_once_and_counts_them_without_admins,
            users_are_found_by_external_id_which_follows_their_edits,
            plain_users_are_found_by_the_start_of_their_name_counted_and_paged,
            methods_are_kept_by_user_updated_on_their_version_and_deleted,
            a_totp_step_is_claimed_once_even_by_twenty_at_once,
            a_recovery_code_is_spent_once_even_by_twenty_at_once,
            a_deleted_user_takes_her_methods_with_her,
            a_pending_sign_in_is_taken_once_even_by_twenty_at_once,
            a_ceremony_is_taken_once_even_by_twenty_at_once,
            a_passkey_is_kept_whole_and_its_counter_updated_on_its_version,
            a_users_temporary_pass_is_kept_and_spent_once_even_by_twenty_at_once,
            a_users_security_info_check_is_kept_through_insert_and_update,
            a_setting_is_written_once_per_version_even_by_twenty_at_once,
            one_emailed_code_verifies_once_even_under_twenty_concurrent_tries,
            twenty_parallel_attempts_never_count_more_than_the_hours_five,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let store: $crate::store_contract::DynStore = $make.await;
                $crate::store_contract::$case(store).await;
            }
        )*
    };
}
