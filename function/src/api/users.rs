//! The directory, for admins.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use rekey_shared::{UserPage, UserSummary, DEFAULT_PAGE_SIZE};
use serde::Deserialize;

use super::error::HttpError;
use super::extract::{Active, ApiQuery};
use crate::domain::Rekey;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    cursor: Option<String>,
    limit: Option<usize>,
    #[serde(default)]
    order: Order,
}

#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    #[default]
    Asc,
    Desc,
}

pub async fn list(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<UserPage>, HttpError> {
    let page = app
        .search_users(
            &auth.user,
            &params.q,
            params.cursor.as_deref(),
            params.limit.unwrap_or(DEFAULT_PAGE_SIZE),
            params.order == Order::Desc,
        )
        .await?;
    Ok(Json(page))
}

pub async fn get_one(
    State(app): State<Arc<Rekey>>,
    Active(auth): Active,
    Path(id): Path<String>,
) -> Result<Json<UserSummary>, HttpError> {
    Ok(Json(app.user(&auth.user, &id).await?))
}
