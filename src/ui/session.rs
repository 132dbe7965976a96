//! Who calls and where: the credentials, the resolved endpoint and the
//! known clock offset, shared by every panel that talks to AgentCore.

use leptos::prelude::*;
use serde_json::Value;

use super::browser::{BrowserClock, FetchTransport};
use super::form_state::model;
use crate::core::client::{Attempt, CallContext, CallReport, call};
use crate::core::credentials::ParsedCredentials;
use crate::core::endpoint::{EndpointError, ResolvedEndpoint};
use crate::core::flow::Target;

/// The calling context, provided to the whole page.
#[derive(Clone, Copy)]
pub struct Session {
    /// The credentials in use (memory only).
    pub credentials: RwSignal<Option<ParsedCredentials>>,
    /// Where requests go.
    pub endpoint: Memo<Result<ResolvedEndpoint, EndpointError>>,
    /// Service time − local time, in seconds, once a skew was detected.
    pub clock_offset: RwSignal<i64>,
}

impl Session {
    /// Why nothing can be sent now, if so.
    pub fn not_ready(&self) -> Option<String> {
        if self.credentials.with_untracked(Option::is_none) {
            return Some(
                "No credentials: paste temporary credentials in the Credentials panel.".into(),
            );
        }
        self.endpoint.with_untracked(|e| {
            e.as_ref()
                .err()
                .map(|e| format!("The endpoint cannot be used: {e}"))
        })
    }

    /// What a request for these URI labels would be for now: the labels,
    /// the endpoint and the identity (a confirmation holds only for it).
    pub fn target(&self, labels: Vec<(String, String)>) -> Target {
        Target {
            labels,
            endpoint: self.endpoint.with_untracked(|e| match e {
                Ok(e) => format!("{} {} {}", e.url, e.signing_region, e.signing_name),
                Err(_) => String::new(),
            }),
            access_key_id: self.credentials.with_untracked(|c| {
                c.as_ref()
                    .map(|c| c.credentials.access_key_id().to_owned())
                    .unwrap_or_default()
            }),
        }
    }

    /// Calls an operation; `None` when there are no credentials or no usable
    /// endpoint (see [`Session::not_ready`]).
    pub async fn call(
        &self,
        operation: &str,
        input: Value,
        on_attempt: impl FnMut(&Attempt),
    ) -> Option<CallReport> {
        let parsed = self.credentials.get_untracked()?;
        let endpoint = self.endpoint.get_untracked().ok()?;
        let ctx = CallContext {
            model: model(),
            endpoint: &endpoint,
            credentials: &parsed.credentials,
            clock_offset: self.clock_offset.get_untracked(),
        };
        let report = call(
            &ctx,
            &FetchTransport,
            &BrowserClock,
            operation,
            &input,
            on_attempt,
        )
        .await;
        if let Some(offset) = report.clock_offset {
            self.clock_offset.set(offset);
        }
        Some(report)
    }
}
