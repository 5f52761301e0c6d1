//! What the admin center asks: users and their resets, requests, the audit
//! log, apps and SCIM tokens.

use rekey_shared::{
    ApiError, AuditPage, BulkResetRequest, BulkResetResponse, ResetOptions, ResetResult, UserPage,
};

use super::{
    delete, encode, error_of, fetch, get, malformed, post, read, send, send_no_content, text_of,
    with_json,
};
use crate::decode;

/// The password again, before a sensitive change.
pub async fn confirm_password(password: String) -> Result<(), ApiError> {
    send_no_content(post(
        "/api/auth/confirm-password",
        &rekey_shared::ConfirmPasswordRequest { password },
    ))
    .await
}

/// An authenticator app's code instead of the password, likewise.
pub async fn confirm_code(code: String) -> Result<(), ApiError> {
    send_no_content(post(
        "/api/auth/confirm-code",
        &rekey_shared::CodeEntry { code },
    ))
    .await
}

pub async fn users(
    query: &str,
    cursor: Option<&str>,
    descending: bool,
) -> Result<UserPage, ApiError> {
    let mut url = format!("/api/users?limit=50&q={}", encode(query));
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={}", encode(c)));
    }
    if descending {
        url.push_str("&order=desc");
    }
    send(get(&url)).await
}

pub async fn user(id: &str) -> Result<rekey_shared::UserSummary, ApiError> {
    send(get(&format!("/api/users/{}", encode(id)))).await
}

pub async fn reset(id: &str, options: &ResetOptions) -> Result<ResetResult, ApiError> {
    send(post(
        &format!("/api/users/{}/password-reset", encode(id)),
        options,
    ))
    .await
}

/// "Send email and close": the password just shown, emailed after the reset.
pub async fn email_password(
    id: &str,
    request: &rekey_shared::PasswordEmailRequest,
) -> Result<rekey_shared::PasswordEmailResult, ApiError> {
    send(post(
        &format!("/api/users/{}/password-email", encode(id)),
        request,
    ))
    .await
}

/// A one-time link instead of a password.
pub async fn send_link(id: &str) -> Result<rekey_shared::ResetLinkSent, ApiError> {
    send(post(
        &format!("/api/users/{}/reset-link", encode(id)),
        &rekey_shared::ResetLinkRequest {},
    ))
    .await
}

pub async fn reset_many(request: &BulkResetRequest) -> Result<BulkResetResponse, ApiError> {
    send(post("/api/password-resets", request)).await
}

pub async fn reset_requests() -> Result<Vec<rekey_shared::UserSummary>, ApiError> {
    send(get("/api/reset-requests")).await
}

/// Requests their users resolved themselves, the last 7 days.
pub async fn self_resolved_requests() -> Result<Vec<rekey_shared::AuditEvent>, ApiError> {
    send(get("/api/reset-requests/self-resolved")).await
}

/// A page of the audit log; `filter` is `&user=…&action=…` or empty.
pub async fn audit(cursor: Option<&str>, filter: &str) -> Result<AuditPage, ApiError> {
    let mut url = format!("/api/audit?limit=50{filter}");
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={}", encode(c)));
    }
    send(get(&url)).await
}

pub async fn apps() -> Result<rekey_shared::AppList, ApiError> {
    send(get("/api/apps")).await
}

pub async fn register_app(
    request: &rekey_shared::AppRegistration,
) -> Result<rekey_shared::AppCredentials, ApiError> {
    send(post("/api/apps", request)).await
}

/// A new client secret; the old one stops working at once.
pub async fn new_app_secret(id: &str) -> Result<rekey_shared::AppCredentials, ApiError> {
    send(post(&format!("/api/apps/{}/secret", encode(id)), &())).await
}

pub async fn remove_app(id: &str) -> Result<(), ApiError> {
    send_no_content(delete(&format!("/api/apps/{}", encode(id)))).await
}

pub async fn add_user(new: &rekey_shared::NewUser) -> Result<rekey_shared::UserCreated, ApiError> {
    send(post("/api/users", new)).await
}

pub async fn edit_user(
    id: &str,
    edit: &rekey_shared::UserEdit,
) -> Result<rekey_shared::UserSummary, ApiError> {
    send(with_json(
        "PATCH",
        &format!("/api/users/{}", encode(id)),
        edit,
    ))
    .await
}

/// Blocks (`true`) or unblocks sign-in.
pub async fn sign_ins(id: &str) -> Result<rekey_shared::SignInLog, ApiError> {
    send(get(&format!("/api/users/{}/sign-ins", encode(id)))).await
}

pub async fn unlock(id: &str, version: u64) -> Result<rekey_shared::UserSummary, ApiError> {
    send(post(
        &format!("/api/users/{}/unlock", encode(id)),
        &rekey_shared::VersionSeen { version },
    ))
    .await
}

pub async fn set_blocked(
    id: &str,
    blocked: bool,
    version: u64,
) -> Result<rekey_shared::UserSummary, ApiError> {
    let verb = if blocked { "block" } else { "unblock" };
    send(post(
        &format!("/api/users/{}/{verb}", encode(id)),
        &rekey_shared::VersionSeen { version },
    ))
    .await
}

pub async fn delete_user(id: &str) -> Result<(), ApiError> {
    send_no_content(delete(&format!("/api/users/{}", encode(id)))).await
}

/// "Add multiple users": the result, or every problem in the file.
pub async fn import_users(
    csv: String,
) -> Result<Result<rekey_shared::ImportResult, Vec<rekey_shared::RowProblem>>, ApiError> {
    let resp = fetch(post(
        "/api/users/import",
        &rekey_shared::ImportRequest {
            csv,
            require_change: true,
        },
    ))
    .await?;
    if resp.status() == 422 {
        let text = text_of(&resp).await?;
        let value = js_sys::JSON::parse(&text).map_err(|_| malformed())?;
        let problems = js_sys::Reflect::get(&value, &"problems".into()).map_err(|_| malformed())?;
        return decode::FromJson::from_json(problems)
            .map(Err)
            .map_err(|_| malformed());
    }
    if resp.ok() {
        read(resp).await.map(Ok)
    } else {
        Err(error_of(resp).await)
    }
}

pub async fn scim_tokens() -> Result<rekey_shared::ScimTokenList, ApiError> {
    send(get("/api/scim-tokens")).await
}

pub async fn create_scim_token(name: String) -> Result<rekey_shared::ScimTokenCreated, ApiError> {
    send(post(
        "/api/scim-tokens",
        &rekey_shared::NewScimToken { name },
    ))
    .await
}

pub async fn revoke_scim_token(id: &str) -> Result<(), ApiError> {
    send_no_content(delete(&format!("/api/scim-tokens/{}", encode(id)))).await
}

/// A user's authentication methods and live pass.
pub async fn user_methods(id: &str) -> Result<rekey_shared::UserMethods, ApiError> {
    send(get(&format!("/api/users/{}/methods", encode(id)))).await
}

pub async fn remove_user_method(
    id: &str,
    method: &str,
) -> Result<rekey_shared::UserMethods, ApiError> {
    send(delete(&format!(
        "/api/users/{}/methods/{}",
        encode(id),
        encode(method)
    )))
    .await
}

pub async fn require_reregistration(id: &str) -> Result<rekey_shared::UserMethods, ApiError> {
    send(post(
        &format!("/api/users/{}/methods/require-reregistration", encode(id)),
        &serde_json::json!({}),
    ))
    .await
}

pub async fn revoke_sessions(id: &str) -> Result<(), ApiError> {
    send_no_content(post(
        &format!("/api/users/{}/sessions/revoke", encode(id)),
        &serde_json::json!({}),
    ))
    .await
}

pub async fn issue_temporary_pass(
    id: &str,
    request: &rekey_shared::NewTemporaryPass,
) -> Result<rekey_shared::TemporaryPassIssued, ApiError> {
    send(post(
        &format!("/api/users/{}/temporary-pass", encode(id)),
        request,
    ))
    .await
}

pub async fn bulk_require_reregistration(
    user_ids: Vec<String>,
) -> Result<rekey_shared::BulkActionResponse, ApiError> {
    send(post(
        "/api/users/require-reregistration",
        &rekey_shared::BulkUserIds { user_ids },
    ))
    .await
}

pub async fn password_reset_settings(
) -> Result<rekey_shared::PasswordResetSettingsVersion, ApiError> {
    send(get("/api/settings/password-reset")).await
}

pub async fn set_password_reset_settings(
    change: &rekey_shared::PasswordResetSettingsVersion,
) -> Result<rekey_shared::PasswordResetSettingsVersion, ApiError> {
    send(with_json("PUT", "/api/settings/password-reset", change)).await
}
