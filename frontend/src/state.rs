//! The app's shared state, provided as context: who is signed in, and the
//! resets in flight. Components read it; only the owners named below write.

use leptos::prelude::*;
use rekey_shared::{ApiError, ResetResult, ServiceInfo, UserSummary};

use crate::api;
use crate::by_id::ById;

/// Who is signed in (None: show sign-in) and what the service told us.
/// Written by the app root, sign-in, change password and sign-out.
#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<UserSummary>>,
    pub info: RwSignal<Option<ServiceInfo>>,
    /// Set when a session lapses mid-use, to explain the sign-in page.
    pub lapsed: RwSignal<bool>,
}

impl Session {
    pub fn new() -> Self {
        Self {
            me: RwSignal::new(None),
            info: RwSignal::new(None),
            lapsed: RwSignal::new(false),
        }
    }

    /// The organisation's shortest typed password (the policy's default
    /// until `/api/info` has answered).
    pub fn min_password_length(&self) -> usize {
        self.info
            .with(|i| i.as_ref().map(|i| i.min_password_length))
            .unwrap_or(rekey_shared::validate::DEFAULT_MIN_PASSWORD_LEN)
    }
}

/// Resets in flight and their outcomes, kept while signed in, so closing
/// the pane mid-request loses nothing. Written by the reset pane.
#[derive(Clone, Copy)]
pub struct ResetJobs {
    pub pending: RwSignal<ById<()>>,
    pub results: RwSignal<ById<Result<ResetResult, ApiError>>>,
    /// Users whose reset finished while their pane was closed.
    pub finished_unseen: RwSignal<ById<String>>,
}

impl ResetJobs {
    pub fn new() -> Self {
        Self {
            pending: RwSignal::new(ById::new()),
            results: RwSignal::new(ById::new()),
            finished_unseen: RwSignal::new(ById::new()),
        }
    }
}

/// Users who asked for a reset that the signed-in admin may do. Refreshed
/// by the frame and the requests page.
#[derive(Clone, Copy)]
pub struct PendingRequests {
    pub list: RwSignal<Vec<UserSummary>>,
}

impl PendingRequests {
    pub fn new() -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
        }
    }

    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            if let Ok(list) = api::reset_requests().await {
                self.list.set(list);
            }
        });
    }
}
