//! The reset, exactly as DESIGN.md "The reset, precisely" says: authorise,
//! choose the password, one conditional write with its audit event, then
//! delivery. A mail failure never undoes the reset.

use futures::stream::{self, StreamExt};
use rekey_shared::validate::check_recipients;
use rekey_shared::{
    ApiError, AuditAction, AuditEvent, BulkResetItem, BulkResetRequest, BulkResetResponse,
    EmailDelivery, EmailOutcome, EmailStatus, ErrorCode, PasswordChoice, PasswordEmailRequest,
    PasswordEmailResult, ResetOptions, ResetResult, MAX_BULK_USERS,
};

use super::audit::event;
use super::emails::ResetEmail;
use super::hashing::hash_failure;
use super::password::{check_typed, generate};
use super::permissions;
use super::secret::Secret;
use super::update::Change;
use super::{model::UserRecord, store_failure, Rekey};

/// How many users of a bulk reset are written and emailed at once.
const BULK_CONCURRENCY: usize = 16;
/// How long after a reset its password may still be emailed by the admin
/// who made it ("Send email and close").
pub const EMAIL_AFTER_RESET_MS: i64 = 10 * 60_000;

/// A target that passed every check, with the password it will get.
struct Prepared {
    target: UserRecord,
    password: Secret,
    generated: bool,
}

/// The options after validation.
struct Plan<'a> {
    require_change: bool,
    recipients: Vec<String>,
    choice: &'a PasswordChoice,
    bulk: bool,
}

impl Rekey {
    /// Resets one user's password.
    pub async fn reset_password(
        &self,
        actor: &UserRecord,
        target_id: &str,
        options: &ResetOptions,
    ) -> Result<ResetResult, ApiError> {
        let plan = self.plan(options, false)?;
        let prepared = self.prepare(actor, target_id, &plan).await?;
        let hash = self
            .hasher
            .hash(prepared.password.clone())
            .await
            .map_err(hash_failure)?;
        let (result, follow_up) = self
            .commit_and_deliver(actor, prepared, hash, &plan)
            .await?;
        self.record(&follow_up).await;
        Ok(result)
    }

    /// "Send email and close", after the reset: the admin's browser sends
    /// back the password it was shown, and it is emailed only if it
    /// is still the latest reset, made by this admin less than 10 minutes
    /// ago, and the password verifies against the user's current hash.
    /// Otherwise nothing is sent and the answer says why.
    pub async fn email_after_reset(
        &self,
        actor: &UserRecord,
        target_id: &str,
        request: PasswordEmailRequest,
    ) -> Result<PasswordEmailResult, ApiError> {
        let recipients = check_recipients(&request.email_to)?;
        if recipients.is_empty() {
            return Err(
                ApiError::new(ErrorCode::InvalidRequest, "Choose at least one recipient.")
                    .with_field("email_to"),
            );
        }
        let target = self.resettable(actor, target_id).await?;
        let now = self.now();
        let why_not = if target.version != request.version {
            Some("The user's account has changed since this reset (another reset, a password change or a sign-in lock). Nothing was sent.")
        } else if target.last_reset_by.as_deref() != Some(actor.id.as_str()) {
            Some("The latest reset of this user was made by another admin. Nothing was sent.")
        } else if target
            .last_reset_at
            .is_none_or(|at| now - at > EMAIL_AFTER_RESET_MS)
        {
            Some("This reset is more than 10 minutes old. Nothing was sent; reset the password again to email it.")
        } else {
            None
        };
        if let Some(why) = why_not {
            return Err(ApiError::new(ErrorCode::ResetNotCurrent, why));
        }
        let password = Secret::new(request.password);
        let too_long = password.expose().chars().count() > rekey_shared::validate::MAX_PASSWORD_LEN;
        if too_long
            || !self
                .hasher
                .verify(password.clone(), Some(target.password_hash.clone()))
                .await
        {
            return Err(ApiError::new(
                ErrorCode::PasswordNotCurrent,
                "That is not the password of the latest reset. Nothing was sent.",
            )
            .with_field("password"));
        }
        let at = target.last_reset_at.unwrap_or(now);
        let (emails, audit) = self
            .deliver(actor, &target, &password, at, &recipients)
            .await;
        self.record(&audit.into_iter().collect::<Vec<_>>()).await;
        Ok(PasswordEmailResult { emails })
    }

    /// Resets many users with the same options: hashes in parallel on all
    /// cores, one result per id in the order given; one failure does not
    /// stop the rest.
    pub async fn reset_passwords(
        &self,
        actor: &UserRecord,
        request: &BulkResetRequest,
    ) -> Result<BulkResetResponse, ApiError> {
        super::permissions::admin(actor)?;
        if request.user_ids.is_empty() {
            return Err(
                ApiError::new(ErrorCode::InvalidRequest, "Select at least one user.")
                    .with_field("user_ids"),
            );
        }
        if request.user_ids.len() > MAX_BULK_USERS {
            return Err(ApiError::new(
                ErrorCode::TooManyUsers,
                format!("Reset at most {MAX_BULK_USERS} users at a time."),
            )
            .with_field("user_ids"));
        }
        let plan = self.plan(&request.options, true)?;

        // Phase 1: checks and passwords. A repeated id is answered once.
        let mut prepared: Vec<Result<Prepared, ApiError>> = Vec::new();
        for (i, id) in request.user_ids.iter().enumerate() {
            if request.user_ids[..i].contains(id) {
                prepared.push(Err(ApiError::new(
                    ErrorCode::InvalidRequest,
                    "This user appears more than once in the request.",
                )));
            } else {
                prepared.push(self.prepare(actor, id, &plan).await);
            }
        }

        // Phase 2: every hash queued at once across the pool, in order.
        let passwords: Vec<Secret> = prepared
            .iter()
            .filter_map(|p| p.as_ref().ok().map(|p| p.password.clone()))
            .collect();
        let mut hashes = self.hasher.hash_each(passwords).into_iter();

        // Phase 3: each user's write and emails as soon as its hash is done,
        // a few at a time and in order, overlapping the hashes still running.
        let jobs: Vec<_> = prepared
            .into_iter()
            .map(|p| p.map(|p| (p, hashes.next().expect("one hash per prepared reset"))))
            .collect();
        let plan = &plan;
        let outcomes: Vec<Result<(ResetResult, Vec<AuditEvent>), ApiError>> = stream::iter(jobs)
            .map(|job| async move {
                let (prepared, hash) = job?;
                let hash = hash.await.map_err(hash_failure)?;
                self.commit_and_deliver(actor, prepared, hash, plan).await
            })
            .buffered(BULK_CONCURRENCY)
            .collect()
            .await;

        let mut audit_later = Vec::new();
        let results: Vec<BulkResetItem> = request
            .user_ids
            .iter()
            .zip(outcomes)
            .map(|(id, outcome)| match outcome {
                Ok((result, follow_up)) => {
                    audit_later.extend(follow_up);
                    BulkResetItem {
                        user_id: id.clone(),
                        result: Some(result),
                        error: None,
                    }
                }
                Err(error) => BulkResetItem {
                    user_id: id.clone(),
                    result: None,
                    error: Some(error),
                },
            })
            .collect();
        // All deliveries of the bulk in one transaction, not one per user.
        self.record(&audit_later).await;
        let succeeded = results.iter().filter(|r| r.result.is_some()).count();
        Ok(BulkResetResponse {
            succeeded,
            failed: results.len() - succeeded,
            results,
        })
    }

    fn plan<'a>(&self, options: &'a ResetOptions, bulk: bool) -> Result<Plan<'a>, ApiError> {
        Ok(Plan {
            require_change: options.require_change,
            recipients: check_recipients(&options.email_to)?,
            choice: &options.password,
            bulk,
        })
    }

    /// The user `actor` may reset, as stored now.
    pub(crate) async fn resettable(
        &self,
        actor: &UserRecord,
        target_id: &str,
    ) -> Result<UserRecord, ApiError> {
        permissions::admin(actor)?;
        let target = self
            .store
            .user_by_id(target_id)
            .await
            .map_err(store_failure)?
            .ok_or_else(|| ApiError::not_found("That user"))?;
        permissions::reset(actor, &target)?;
        Ok(target)
    }

    async fn prepare(
        &self,
        actor: &UserRecord,
        target_id: &str,
        plan: &Plan<'_>,
    ) -> Result<Prepared, ApiError> {
        let target = self.resettable(actor, target_id).await?;
        let (password, generated) = match plan.choice {
            PasswordChoice::Generate => (generate(self.settings.generated_password_len), true),
            PasswordChoice::Typed { password } => {
                check_typed(password, &target, self.settings.min_password_len)?;
                (Secret::new(password.clone()), false)
            }
        };
        Ok(Prepared {
            target,
            password,
            generated,
        })
    }

    /// The one conditional write (retried on conflict with a fresh read),
    /// then the emails. Returns the delivery audit events for the caller to
    /// record (in one transaction for a whole bulk reset).
    async fn commit_and_deliver(
        &self,
        actor: &UserRecord,
        prepared: Prepared,
        hash: String,
        plan: &Plan<'_>,
    ) -> Result<(ResetResult, Vec<AuditEvent>), ApiError> {
        let mut at = 0;
        let user = self
            .update_user(prepared.target.clone(), |current, now| {
                // Re-checked on every read: the target's role may have changed.
                permissions::reset(actor, current)?;
                at = now;
                let mut next = current.clone();
                next.password_hash.clone_from(&hash);
                next.must_change_password = plan.require_change;
                next.temp_password_expires_at = plan
                    .require_change
                    .then(|| now + self.settings.temp_password_ttl_ms);
                next.failed_sign_ins = 0;
                next.locked_until = None;
                next.lockouts = 0;
                next.session_epoch += 1;
                // The reset answers any pending "ask my admin" request.
                next.reset_requested_at = None;
                next.last_reset_by = Some(actor.id.clone());
                next.last_reset_at = Some(now);
                // A reset revokes any one-time link still outstanding.
                next.reset_link = None;

                let mut audit = event(now, AuditAction::PasswordReset, Some(actor), Some(&next));
                audit.generated = Some(prepared.generated);
                audit.must_change_password = Some(plan.require_change);
                audit.bulk = Some(plan.bulk);
                audit.email_to.clone_from(&plan.recipients);
                Ok(Change::Write(next, vec![audit]))
            })
            .await
            .map_err(|e| e.into_api(|| ApiError::not_found("That user")))?;

        let (emails, delivered) = self
            .deliver(actor, &user, &prepared.password, at, &plan.recipients)
            .await;
        let noticed = self.send_notices(&user, Some(actor), at).await;
        let follow_up = delivered.into_iter().chain([noticed]).collect();
        let result = ResetResult {
            user_id: user.id.clone(),
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            password: prepared.password.expose().to_string(),
            generated: prepared.generated,
            must_change_password: user.must_change_password,
            temporary_password_expires_at: user.temp_password_expires_at,
            emails,
            version: user.version,
        };
        Ok((result, follow_up))
    }

    /// Sends the password to each recipient separately (so no recipient sees
    /// another's address, and each outcome is known), then records it.
    pub(crate) async fn deliver(
        &self,
        actor: &UserRecord,
        user: &UserRecord,
        password: &Secret,
        at: i64,
        recipients: &[String],
    ) -> (Vec<EmailOutcome>, Option<AuditEvent>) {
        if recipients.is_empty() {
            return (Vec::new(), None);
        }
        let composer = ResetEmail {
            actor,
            target: user,
            password: Some(password.expose()),
            must_change: user.must_change_password,
            expires_at: user.temp_password_expires_at,
            at,
            sign_in_url: &self.settings.public_url,
            organization: &self.settings.organization,
        };
        // Each recipient reads it in their own language: the admin's own
        // address in the admin's; any other (the user's, or one the admin
        // chose for the user) in the user's.
        let default = self.settings.default_language;
        let sends = recipients.iter().map(|r| {
            let lang = if r.eq_ignore_ascii_case(&actor.email) {
                actor.language(default)
            } else {
                user.language(default)
            };
            let email = composer.to(r, lang);
            async move {
                match self.mailer.send(&email).await {
                    Ok(()) => EmailOutcome {
                        recipient: email.to.clone(),
                        status: EmailStatus::Sent,
                        error: None,
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, user = %user.id, "password email failed");
                        EmailOutcome {
                            recipient: email.to.clone(),
                            status: EmailStatus::Failed,
                            error: Some(e.reason().to_string()),
                        }
                    }
                }
            }
        });
        let outcomes = futures::future::join_all(sends).await;

        let mut audit = event(
            self.now(),
            AuditAction::ResetEmailSent,
            Some(actor),
            Some(user),
        );
        audit.deliveries = outcomes
            .iter()
            .map(|o| EmailDelivery {
                recipient: o.recipient.clone(),
                sent: o.status == EmailStatus::Sent,
            })
            .collect();
        (outcomes, Some(audit))
    }
}
