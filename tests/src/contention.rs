//! A store under pathological contention: before each user write it lets
//! another writer change that user first (a real write to the real store
//! underneath), so the caller's conditional write always loses the race.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use rekey_function::domain::model::{
    AccessTokenRecord, AppRecord, Ceremony, CodeRecord, MethodRecord, PendingSignIn,
    ScimTokenRecord, SessionRecord, SigningKeyRecord, UserRecord,
};
use rekey_function::ports::{
    AppStore, AttemptStore, AuditStore, Ceremonies, GrantStore, LoginLock, LoginLocks, MethodStore,
    Page, PendingSignIns, Redemption, ScimDirectory, ScimTokenStore, SessionStore, SettingsStore,
    SignInLog, SigningKeyStore, Store, StoreError, UserQuery, UserStore,
};
use rekey_shared::{AuditEvent, Role, SignInEntry};

pub struct AlwaysOutraced {
    pub inner: Arc<dyn Store>,
    racing: AtomicBool,
    competing_writes: AtomicU32,
}

impl AlwaysOutraced {
    pub fn new(inner: Arc<dyn Store>) -> Self {
        Self {
            inner,
            racing: AtomicBool::new(false),
            competing_writes: AtomicU32::new(0),
        }
    }

    /// From now on every user write loses its race (until `calm`).
    pub fn race(&self) {
        self.racing.store(true, Ordering::SeqCst);
    }

    pub fn calm(&self) {
        self.racing.store(false, Ordering::SeqCst);
    }

    /// How many writes the other writer made.
    pub fn competing_writes(&self) -> u32 {
        self.competing_writes.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl UserStore for AlwaysOutraced {
    async fn delete_user(&self, user: &UserRecord, audit: &[AuditEvent]) -> Result<(), StoreError> {
        self.inner.delete_user(user, audit).await
    }
    async fn update_user(
        &self,
        user: &UserRecord,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        // The other writer: a sign-out everywhere, say.
        if !self.racing.load(Ordering::SeqCst) {
            return self.inner.update_user(user, audit).await;
        }
        if let Some(mut current) = self.inner.user_by_id(&user.id).await? {
            current.session_epoch += 1;
            self.inner.update_user(&current, &[]).await?;
            self.competing_writes.fetch_add(1, Ordering::SeqCst);
        }
        self.inner.update_user(user, audit).await
    }
    async fn user_by_id(&self, id: &str) -> Result<Option<UserRecord>, StoreError> {
        self.inner.user_by_id(id).await
    }
    async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError> {
        self.inner.user_by_login(login).await
    }
    async fn search_users(&self, query: &UserQuery) -> Result<Page<UserRecord>, StoreError> {
        self.inner.search_users(query).await
    }
    async fn insert_users_with_audit(
        &self,
        users: &[UserRecord],
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        self.inner.insert_users_with_audit(users, audit).await
    }
    async fn count_users(&self) -> Result<u64, StoreError> {
        self.inner.count_users().await
    }
    async fn pending_reset_requests(&self, limit: usize) -> Result<Vec<UserRecord>, StoreError> {
        self.inner.pending_reset_requests(limit).await
    }
    async fn users_with_roles(&self, roles: &[Role]) -> Result<Vec<UserRecord>, StoreError> {
        self.inner.users_with_roles(roles).await
    }
}

#[async_trait]
impl SessionStore for AlwaysOutraced {
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        self.inner.create_session(session).await
    }
    async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.inner.session(token_hash).await
    }
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.inner.delete_session(token_hash).await
    }
    async fn touch_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        self.inner.touch_session(session).await
    }
    async fn purge_expired_sessions(&self, now_ms: i64) -> Result<u64, StoreError> {
        self.inner.purge_expired_sessions(now_ms).await
    }
}

#[async_trait]
impl AuditStore for AlwaysOutraced {
    async fn append_audit(&self, events: &[AuditEvent]) -> Result<(), StoreError> {
        self.inner.append_audit(events).await
    }
    async fn list_audit(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Page<AuditEvent>, StoreError> {
        self.inner.list_audit(cursor, limit).await
    }
}

#[async_trait]
impl AttemptStore for AlwaysOutraced {
    async fn record_attempt(&self, key: &str, at: i64) -> Result<(), StoreError> {
        self.inner.record_attempt(key, at).await
    }
    async fn count_attempts(&self, key: &str, since: i64) -> Result<u64, StoreError> {
        self.inner.count_attempts(key, since).await
    }
    async fn purge_attempts(&self, before: i64) -> Result<(), StoreError> {
        self.inner.purge_attempts(before).await
    }
}

#[async_trait]
impl PendingSignIns for AlwaysOutraced {
    async fn insert_pending_sign_in(&self, p: &PendingSignIn) -> Result<(), StoreError> {
        self.inner.insert_pending_sign_in(p).await
    }
    async fn pending_sign_in(&self, token_hash: &str) -> Result<Option<PendingSignIn>, StoreError> {
        self.inner.pending_sign_in(token_hash).await
    }
    async fn take_pending_sign_in(&self, token_hash: &str) -> Result<bool, StoreError> {
        self.inner.take_pending_sign_in(token_hash).await
    }
    async fn purge_pending_sign_ins(&self, now: i64) -> Result<(), StoreError> {
        self.inner.purge_pending_sign_ins(now).await
    }
}

#[async_trait]
impl SettingsStore for AlwaysOutraced {
    async fn setting(&self, key: &str) -> Result<Option<(String, u64)>, StoreError> {
        self.inner.setting(key).await
    }
    async fn put_setting(
        &self,
        key: &str,
        record: &str,
        version: u64,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        self.inner.put_setting(key, record, version, audit).await
    }
}

#[async_trait]
impl Ceremonies for AlwaysOutraced {
    async fn insert_ceremony(&self, c: &Ceremony) -> Result<(), StoreError> {
        self.inner.insert_ceremony(c).await
    }
    async fn take_ceremony(&self, id_hash: &str) -> Result<Option<Ceremony>, StoreError> {
        self.inner.take_ceremony(id_hash).await
    }
    async fn purge_ceremonies(&self, now: i64) -> Result<(), StoreError> {
        self.inner.purge_ceremonies(now).await
    }
}

#[async_trait]
impl MethodStore for AlwaysOutraced {
    async fn insert_method(
        &self,
        method: &MethodRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        self.inner.insert_method(method, audit).await
    }
    async fn methods_of(&self, user_id: &str) -> Result<Vec<MethodRecord>, StoreError> {
        self.inner.methods_of(user_id).await
    }
    async fn update_method(
        &self,
        method: &MethodRecord,
        audit: &[AuditEvent],
    ) -> Result<u64, StoreError> {
        self.inner.update_method(method, audit).await
    }
    async fn delete_method(
        &self,
        user_id: &str,
        id: &str,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        self.inner.delete_method(user_id, id, audit).await
    }
}

#[async_trait]
impl AppStore for AlwaysOutraced {
    async fn insert_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<(), StoreError> {
        self.inner.insert_app(app, audit).await
    }
    async fn app(&self, id: &str) -> Result<Option<AppRecord>, StoreError> {
        self.inner.app(id).await
    }
    async fn list_apps(&self) -> Result<Vec<AppRecord>, StoreError> {
        self.inner.list_apps().await
    }
    async fn update_app(&self, app: &AppRecord, audit: &[AuditEvent]) -> Result<u64, StoreError> {
        self.inner.update_app(app, audit).await
    }
    async fn delete_app(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError> {
        self.inner.delete_app(id, audit).await
    }
}

#[async_trait]
impl GrantStore for AlwaysOutraced {
    async fn insert_code(&self, code: &CodeRecord) -> Result<(), StoreError> {
        self.inner.insert_code(code).await
    }
    async fn code(&self, code_hash: &str) -> Result<Option<CodeRecord>, StoreError> {
        self.inner.code(code_hash).await
    }
    async fn spend_code(
        &self,
        code: &CodeRecord,
        token: &AccessTokenRecord,
        now: i64,
    ) -> Result<Redemption, StoreError> {
        self.inner.spend_code(code, token, now).await
    }
    async fn access_token(&self, hash: &str) -> Result<Option<AccessTokenRecord>, StoreError> {
        self.inner.access_token(hash).await
    }
    async fn revoke_code_tokens(&self, code_hash: &str) -> Result<u64, StoreError> {
        self.inner.revoke_code_tokens(code_hash).await
    }
    async fn purge_expired_grants(&self, now: i64) -> Result<(), StoreError> {
        self.inner.purge_expired_grants(now).await
    }
}

#[async_trait]
impl SigningKeyStore for AlwaysOutraced {
    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> Result<(), StoreError> {
        self.inner.insert_signing_key(key).await
    }
    async fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError> {
        self.inner.signing_keys().await
    }
    async fn retire_signing_key(&self, kid: &str, at: i64) -> Result<(), StoreError> {
        self.inner.retire_signing_key(kid, at).await
    }
}

#[async_trait]
impl ScimTokenStore for AlwaysOutraced {
    async fn insert_scim_token(
        &self,
        token: &ScimTokenRecord,
        audit: &[AuditEvent],
    ) -> Result<(), StoreError> {
        self.inner.insert_scim_token(token, audit).await
    }
    async fn scim_tokens(&self) -> Result<Vec<ScimTokenRecord>, StoreError> {
        self.inner.scim_tokens().await
    }
    async fn scim_token_by_hash(&self, hash: &str) -> Result<Option<ScimTokenRecord>, StoreError> {
        self.inner.scim_token_by_hash(hash).await
    }
    async fn delete_scim_token(&self, id: &str, audit: &[AuditEvent]) -> Result<(), StoreError> {
        self.inner.delete_scim_token(id, audit).await
    }
}

/// Apps and grants are not raced: straight through.

#[async_trait]
impl LoginLocks for AlwaysOutraced {
    async fn login_lock(&self, key: &str) -> Result<Option<LoginLock>, StoreError> {
        self.inner.login_lock(key).await
    }
    async fn put_login_lock(&self, lock: &LoginLock) -> Result<u64, StoreError> {
        self.inner.put_login_lock(lock).await
    }
    async fn purge_login_locks(&self, now: i64) -> Result<(), StoreError> {
        self.inner.purge_login_locks(now).await
    }
}

#[async_trait]
impl SignInLog for AlwaysOutraced {
    async fn append_sign_in(&self, owner: &str, entry: &SignInEntry) -> Result<(), StoreError> {
        self.inner.append_sign_in(owner, entry).await
    }
    async fn sign_ins(
        &self,
        owner: &str,
        since: i64,
        limit: usize,
    ) -> Result<Vec<SignInEntry>, StoreError> {
        self.inner.sign_ins(owner, since, limit).await
    }
    async fn purge_sign_ins(&self, before: i64) -> Result<(), StoreError> {
        self.inner.purge_sign_ins(before).await
    }
}

#[async_trait]
impl ScimDirectory for AlwaysOutraced {
    async fn count_plain_users(&self) -> Result<u64, StoreError> {
        self.inner.count_plain_users().await
    }
    async fn plain_users_page(
        &self,
        offset: u64,
        limit: usize,
    ) -> Result<Vec<UserRecord>, StoreError> {
        self.inner.plain_users_page(offset, limit).await
    }
    async fn plain_users_by_name_prefix(
        &self,
        prefix: &str,
        offset: u64,
        limit: usize,
    ) -> Result<(u64, Vec<UserRecord>), StoreError> {
        self.inner
            .plain_users_by_name_prefix(prefix, offset, limit)
            .await
    }
    async fn users_by_external_id(&self, external_id: &str) -> Result<Vec<UserRecord>, StoreError> {
        self.inner.users_by_external_id(external_id).await
    }
}
