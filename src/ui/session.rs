//! Who calls and where: the credentials, the route (what requests are
//! signed for and where they are sent) and the known clock offset, shared
//! by every panel that talks to AgentCore. Every operation is called
//! through [`Session::call`], so every one takes the same route.

use futures::future::{AbortHandle, abortable};
use leptos::prelude::*;
use serde_json::Value;

use super::browser::{BrowserClock, FetchTransport};
use super::form_state::model;
use crate::core::client::{Attempt, CallContext, CallReport, call};
use crate::core::credentials::ParsedCredentials;
use crate::core::flow::Target;
use crate::core::route::{Route, RouteError};

/// The calling context, provided to the whole page.
#[derive(Clone, Copy)]
pub struct Session {
    /// The credentials in use (memory only).
    pub credentials: RwSignal<Option<ParsedCredentials>>,
    /// What requests are signed for and where they go.
    pub route: Memo<Result<Route, RouteError>>,
    /// Service time − local time, in seconds, once a skew was detected.
    pub clock_offset: RwSignal<i64>,
    /// Calls in flight (by number), so that forgetting the credentials can
    /// stop every one of them, retries included.
    in_flight: StoredValue<(u64, Vec<(u64, AbortHandle)>)>,
    /// The origin that answered the last call, if it did (core::client
    /// reads a later "CORS" failure there as a dropped connection).
    answered_origin: StoredValue<Option<String>>,
}

impl Session {
    /// A session over these signals, with nothing in flight.
    pub fn new(
        credentials: RwSignal<Option<ParsedCredentials>>,
        route: Memo<Result<Route, RouteError>>,
        clock_offset: RwSignal<i64>,
    ) -> Self {
        Self {
            credentials,
            route,
            clock_offset,
            in_flight: StoredValue::new((0, Vec::new())),
            answered_origin: StoredValue::new(None),
        }
    }

    /// Stops every call in flight (their callers get `None`, as without
    /// credentials): the credentials they hold are not used again.
    pub fn abandon_calls(&self) {
        self.in_flight.update_value(|(_, calls)| {
            for (_, h) in calls.drain(..) {
                h.abort();
            }
        });
    }

    /// Why nothing can be sent now, if so.
    pub fn not_ready(&self) -> Option<String> {
        if self.credentials.with_untracked(Option::is_none) {
            return Some(
                "No credentials: paste temporary credentials in the Credentials panel.".into(),
            );
        }
        self.route.with_untracked(|e| {
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
            // what the request is signed for, and where it is sent
            endpoint: self.route.with_untracked(|r| match r {
                Ok(r) => {
                    let e = &r.endpoint;
                    let via = r.relay.as_ref().map(|relay| relay.base());
                    format!(
                        "{} {} {} {}",
                        e.url,
                        e.signing_region,
                        e.signing_name,
                        via.unwrap_or_default()
                    )
                }
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
    /// endpoint (see [`Session::not_ready`]), or when the call was abandoned.
    pub async fn call(
        &self,
        operation: &str,
        input: Value,
        mut on_attempt: impl FnMut(&Attempt),
    ) -> Option<CallReport> {
        // One instance of the call for every caller: each caller's closure
        // is a type of its own, and the call (retries, signing, fetch,
        // parsing) is the biggest future of the page.
        self.call_dyn(operation, input, &mut on_attempt).await
    }

    async fn call_dyn(
        &self,
        operation: &str,
        input: Value,
        on_attempt: &mut dyn FnMut(&Attempt),
    ) -> Option<CallReport> {
        let parsed = self.credentials.get_untracked()?;
        let route = self.route.get_untracked().ok()?;
        let answered_origin = self.answered_origin.get_value();
        let ctx = CallContext {
            model: model(),
            route: &route,
            credentials: &parsed.credentials,
            clock_offset: self.clock_offset.get_untracked(),
            answered_origin: answered_origin.as_deref(),
        };
        let (work, handle) = abortable(call(
            &ctx,
            &FetchTransport,
            &BrowserClock,
            operation,
            &input,
            on_attempt,
        ));
        let id = self.in_flight.try_update_value(|(next, calls)| {
            *next += 1;
            calls.push((*next, handle));
            *next
        })?;
        let report = work.await;
        self.in_flight
            .update_value(|(_, calls)| calls.retain(|(n, _)| *n != id));
        let report = report.ok()?;
        self.answered_origin.set_value(report.answered_origin());
        if let Some(offset) = report.clock_offset {
            self.clock_offset.set(offset);
        }
        Some(report)
    }
}
