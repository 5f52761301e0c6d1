//! One-time links: instead of a password, the user gets a link and
//! chooses one. The link carries `<user id>.<256-bit secret>` in the URL
//! fragment (so it never reaches a server log); only the secret's SHA-256
//! is stored, on the user's record, which makes every other write the
//! link's guard:
//! - a newer link replaces it, and a reset or an own change removes it;
//! - opening it changes nothing (`reset_link_status` only reads);
//! - using it is one conditional write that re-checks the link on the
//!   record it writes, so of many concurrent uses exactly one wins.

use rekey_shared::{
    ApiError, AuditAction, EmailOutcome, EmailStatus, ErrorCode, LinkState, ResetLinkSent,
    ResetLinkStatus,
};

use super::audit::event;
use super::emails::LinkEmail;
use super::hashing::hash_failure;
use super::password::check_typed;
use super::permissions;
use super::reset_requests::ACCOUNT_LIMITS;
use super::secret::Secret;
use super::session::{new_token, same, token_hash};
use super::update::Change;
use super::{store_failure, Rekey};
use crate::domain::model::{ResetLink, UserRecord};

/// `<user id>.<secret>` split, when it has that shape.
fn parse_token(token: &str) -> Option<(&str, &str)> {
    let (user_id, secret) = token.split_once('.')?;
    let id_ok = !user_id.is_empty()
        && user_id.len() <= 64
        && user_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let secret_ok = secret.len() == 43
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (id_ok && secret_ok).then_some((user_id, secret))
}

/// What the link with this secret's hash is worth on `user` at `now`.
fn state_of(user: Option<&UserRecord>, hash: &str, now: i64) -> LinkState {
    // A blocked user's link sets nothing (the block voids it; this holds
    // for any written before that rule).
    match user
        .filter(|u| !u.blocked)
        .and_then(|u| u.reset_link.as_ref())
    {
        Some(link)
            if same(&link.token_hash, hash)
                || link
                    .alternate_hash
                    .as_deref()
                    .is_some_and(|h| same(h, hash)) =>
        {
            match link.used_at {
                Some(_) => LinkState::Used,
                None if link.expires_at <= now => LinkState::Expired,
                None => LinkState::Valid,
            }
        }
        _ => LinkState::Revoked,
    }
}

fn unusable(state: LinkState) -> ApiError {
    let why = match state {
        LinkState::Used => "This link has already been used. Ask your admin for a new one.",
        LinkState::Expired => "This link has expired. Ask your admin for a new one.",
        _ => "This link was replaced by a newer one, or the password was changed since. Ask your admin for a new one.",
    };
    ApiError::new(ErrorCode::ResetLinkInvalid, why).with_field("token")
}

impl Rekey {
    /// Sends `target_id` a one-time link (to the primary and alternate
    /// addresses, in the user's language), replacing any earlier one.
    /// Limited as "Forgot your password?" requests are, per account.
    pub async fn send_reset_link(
        &self,
        actor: &UserRecord,
        target_id: &str,
    ) -> Result<ResetLinkSent, ApiError> {
        let target = self.resettable(actor, target_id).await?;
        let key = format!("link:{}", target.id);
        let now = self.now();
        if !self
            .within_limits(&key, now, &ACCOUNT_LIMITS)
            .await
            .map_err(store_failure)?
        {
            return Err(ApiError::new(
                ErrorCode::RateLimited,
                "This user was sent a link a moment ago. Try again in 15 minutes, or reset the password instead.",
            ));
        }
        self.store
            .record_attempt(&key, now)
            .await
            .map_err(store_failure)?;

        let (secret, hash) = new_token();
        // The alternate address gets its own secret: a copy used from there
        // proves nothing about the primary address.
        let (alternate_secret, alternate_hash) = new_token();
        let ttl = self.settings.link_ttl_ms;
        let user = self
            .update_user(target, |current, now| {
                permissions::reset(actor, current)?;
                let mut next = current.clone();
                next.reset_link = Some(ResetLink {
                    token_hash: hash.clone(),
                    sent_at: now,
                    expires_at: now + ttl,
                    used_at: None,
                    alternate_hash: current
                        .alternate_email
                        .as_ref()
                        .map(|_| alternate_hash.clone()),
                });
                // The link answers any pending "Forgot your password?" request.
                next.reset_requested_at = None;
                let audit = event(now, AuditAction::ResetLinkSent, Some(actor), Some(&next));
                Ok(Change::Write(next, vec![audit]))
            })
            .await
            .map_err(|e| e.into_api(|| ApiError::not_found("That user")))?;
        let expires_at = user.reset_link.as_ref().map_or(now + ttl, |l| l.expires_at);
        let link_with = |secret: &str| {
            format!(
                "{}/account/#/set-password/{}.{secret}",
                self.settings.public_url.trim_end_matches('/'),
                user.id
            )
        };
        let copies = std::iter::once((&user.email, link_with(&secret))).chain(
            user.alternate_email
                .as_ref()
                .map(|alt| (alt, link_with(&alternate_secret))),
        );
        let mut emails = Vec::new();
        for (to, link) in copies {
            let composer = LinkEmail {
                actor,
                user: &user,
                link: &link,
                expires_at,
                organization: &self.settings.organization,
                lang: user.language(self.settings.default_language),
            };
            let outcome = match self.mailer.send(&composer.to(to)).await {
                Ok(()) => EmailOutcome {
                    recipient: to.clone(),
                    status: EmailStatus::Sent,
                    error: None,
                },
                Err(e) => {
                    tracing::warn!(error = %e, user = %user.id, "reset link email failed");
                    EmailOutcome {
                        recipient: to.clone(),
                        status: EmailStatus::Failed,
                        error: Some(e.reason().to_string()),
                    }
                }
            };
            emails.push(outcome);
        }
        Ok(ResetLinkSent { expires_at, emails })
    }

    /// What a link is worth, without touching it: the page asks before it
    /// shows the form, and a mail scanner that runs the page changes nothing.
    pub async fn reset_link_status(&self, token: &str) -> Result<ResetLinkStatus, ApiError> {
        let Some((user_id, secret)) = parse_token(token) else {
            return Ok(ResetLinkStatus {
                state: LinkState::Revoked,
                expires_at: None,
            });
        };
        let user = self
            .store
            .user_by_id(user_id)
            .await
            .map_err(store_failure)?;
        let state = state_of(user.as_ref(), &token_hash(secret), self.now());
        let expires_at = user
            .and_then(|u| u.reset_link.map(|l| l.expires_at))
            .filter(|_| state == LinkState::Valid);
        Ok(ResetLinkStatus { state, expires_at })
    }

    /// The one request that uses a link: the user's new password, checked
    /// by the policy; the link is re-checked in the write that sets it.
    pub async fn set_password_with_link(
        &self,
        token: &str,
        new_password: Secret,
    ) -> Result<(), ApiError> {
        let (user_id, secret) = parse_token(token).ok_or_else(|| unusable(LinkState::Revoked))?;
        let hash = token_hash(secret);
        let user = self
            .store
            .user_by_id(user_id)
            .await
            .map_err(store_failure)?;
        match state_of(user.as_ref(), &hash, self.now()) {
            LinkState::Valid => {}
            state => return Err(unusable(state)),
        }
        let user = user.ok_or_else(|| unusable(LinkState::Revoked))?;
        check_typed(new_password.expose(), &user, self.settings.min_password_len)
            .map_err(|e| e.with_field("new_password"))?;
        let new_hash = self.hasher.hash(new_password).await.map_err(hash_failure)?;
        let mut at = 0;
        let user = self
            .update_user(user, |current, now| {
                match state_of(Some(current), &hash, now) {
                    LinkState::Valid => {}
                    state => return Err(unusable(state)),
                }
                at = now;
                let mut next = current.clone();
                next.take_chosen_password(&new_hash);
                if let Some(link) = next.reset_link.as_mut() {
                    link.used_at = Some(now);
                    // Links are voided when the address changes, so the
                    // primary's copy proves the address it was sent to.
                    if same(&link.token_hash, &hash) {
                        next.verified_email = Some(current.email.clone());
                    }
                }
                let audit = event(
                    now,
                    AuditAction::ResetLinkUsed,
                    Some(current),
                    Some(current),
                );
                Ok(Change::Write(next, vec![audit]))
            })
            .await
            .map_err(|e| e.into_api(|| unusable(LinkState::Revoked)))?;
        self.notify_password_changed(&user, None, at).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_of_the_right_shape_are_looked_up() {
        let secret = "a".repeat(43);
        assert_eq!(
            parse_token(&format!("5b0e-1f.{secret}")),
            Some(("5b0e-1f", secret.as_str()))
        );
        for bad in [
            String::new(),
            secret.clone(),
            format!(".{secret}"),
            format!("id.{}", "a".repeat(42)),
            format!("id.{}=", "a".repeat(42)),
            format!("../etc.{secret}"),
            format!("{}.{secret}", "x".repeat(65)),
        ] {
            assert_eq!(parse_token(&bad), None, "{bad}");
        }
    }

    #[test]
    fn a_link_is_valid_until_used_expired_or_replaced() {
        let mut user = crate::seed::user_record(
            "lee",
            "Lee Gu",
            rekey_shared::Role::User,
            None,
            String::new(),
            0,
        );
        assert_eq!(state_of(Some(&user), "h", 5), LinkState::Revoked);
        user.reset_link = Some(ResetLink {
            token_hash: "h".into(),
            sent_at: 0,
            expires_at: 10,
            used_at: None,
            alternate_hash: Some("alt".into()),
        });
        assert_eq!(state_of(Some(&user), "h", 9), LinkState::Valid);
        assert_eq!(state_of(Some(&user), "alt", 9), LinkState::Valid);
        assert_eq!(state_of(Some(&user), "h", 10), LinkState::Expired);
        assert_eq!(state_of(Some(&user), "other", 9), LinkState::Revoked);
        assert_eq!(state_of(None, "h", 9), LinkState::Revoked);
        user.reset_link.as_mut().unwrap().used_at = Some(3);
        assert_eq!(state_of(Some(&user), "h", 9), LinkState::Used);
    }
}
