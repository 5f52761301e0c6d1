//! What SCIM needs of the store at directory scale: a count the store keeps
//! and pages that read only their page (an initial sync pages through
//! every plain user), and the key lookup Entra ID and Okta match by.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::model::UserRecord;

#[async_trait]
pub trait ScimDirectory: Send + Sync {
    /// How many plain users (role `user`) there are, without reading them.
    async fn count_plain_users(&self) -> Result<u64, StoreError>;
    /// Plain users from the 0-based `offset`, at most `limit`, in an order
    /// the store keeps stable. A page that follows the one before it reads
    /// only its own users; one far from any page served lately may read
    /// the users in between.
    async fn plain_users_page(
        &self,
        offset: u64,
        limit: usize,
    ) -> Result<Vec<UserRecord>, StoreError>;
    /// Plain users whose display name starts with `prefix` (lower case):
    /// how many, and those from `offset`, at most `limit`, in name order.
    async fn plain_users_by_name_prefix(
        &self,
        prefix: &str,
        offset: u64,
        limit: usize,
    ) -> Result<(u64, Vec<UserRecord>), StoreError>;
    /// Users whose `external_id` is `external_id` (it is not unique).
    async fn users_by_external_id(&self, external_id: &str) -> Result<Vec<UserRecord>, StoreError>;
}
