//! Who calls and where: the credentials, the route (what requests are
//! signed for and where they are sent) and the known clock offset, shared
//! by every panel that talks to AgentCore. Every operation is called
//! through [`Session::call`], so every one takes the same route; every
//! call and wait runs through [`Session::spawn`], in the one registry of
//! work in flight that a workflow's "abandon" and [`Session::forget`] empty.

use std::pin::Pin;

use futures::future::{AbortHandle, abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::browser::{self, BrowserClock, FetchTransport, NotStreamed};
use super::endpoint_panel::EndpointChoice;
use super::form_state::model;
use crate::core::client::{Attempt, CallContext, CallReport, UnsignedContext, call, call_unsigned};
use crate::core::credentials::ParsedCredentials;
use crate::core::endpoint::SsoService;
use crate::core::flow::Target;
use crate::core::invoke::{Auth, Failure, failure_of, prepare};
use crate::core::model::ServiceModel;
use crate::core::route::{Route, RouteError};
use crate::core::workflow::{InFlight, StreamCall, Streamed, UnsignedCall};

/// The calling context, provided to the whole page.
#[derive(Clone, Copy)]
pub struct Session {
    /// The credentials in use (memory only).
    pub credentials: RwSignal<Option<ParsedCredentials>>,
    /// What requests are signed for and where they go.
    pub route: Memo<Result<Route, RouteError>>,
    /// The same for the data plane (InvokeAgentRuntime).
    pub data_route: Memo<Result<Route, RouteError>>,
    /// The region and endpoint choice the route follows (IAM Identity
    /// Center's calls take its variant, custom endpoint and relay).
    pub choice: EndpointChoice,
    /// Service time − local time, in seconds, once a skew was detected.
    pub clock_offset: RwSignal<i64>,
    /// Calls and waits in flight, by workflow, so that a workflow can
    /// abandon its own and forgetting the credentials can stop every one
    /// of them, retries included.
    in_flight: StoredValue<InFlight<AbortHandle>>,
    /// What each workflow does when the credentials are forgotten, by
    /// workflow number (see [`Session::enrol`]).
    on_forget: StoredValue<Vec<Callback<()>>>,
    /// The origin that answered the last call, if it did (core::client
    /// reads a later "CORS" failure there as a dropped connection).
    answered_origin: StoredValue<Option<String>>,
}

impl Session {
    /// A session over these signals, following `choice`, with nothing in
    /// flight.
    pub fn new(
        credentials: RwSignal<Option<ParsedCredentials>>,
        choice: EndpointChoice,
        clock_offset: RwSignal<i64>,
    ) -> Self {
        Self {
            credentials,
            route: choice.route(),
            data_route: choice.data_plane_route(),
            choice,
            clock_offset,
            in_flight: StoredValue::new(InFlight::default()),
            on_forget: StoredValue::new(Vec::new()),
            answered_origin: StoredValue::new(None),
        }
    }

    /// Enrols a workflow: what it does when the credentials are forgotten.
    /// Returns its number, under which its work in flight is kept.
    pub fn enrol(&self, on_forget: Callback<()>) -> u64 {
        self.on_forget
            .try_update_value(|all| {
                all.push(on_forget);
                all.len() as u64
            })
            .unwrap_or_default()
    }

    /// Runs `work` for workflow `owner`, abandoned with the owner's other
    /// work ([`Session::abandon`]) or everyone's ([`Session::forget`]).
    /// Boxed: one instance of the spawning for every workflow's work.
    pub fn spawn(&self, owner: u64, work: Pin<Box<dyn Future<Output = ()>>>) {
        let (work, handle) = abortable(work);
        let Some(id) = self.in_flight.try_update_value(|w| w.add(owner, handle)) else {
            return;
        };
        let in_flight = self.in_flight;
        spawn_local(async move {
            if work.await.is_ok() {
                in_flight.try_update_value(|w| w.remove(id));
            }
        });
    }

    /// Abandons workflow `owner`'s calls and waits in flight.
    pub fn abandon(&self, owner: u64) {
        self.abort(Some(owner));
    }

    fn abort(&self, owner: Option<u64>) {
        for handle in self
            .in_flight
            .try_update_value(|w| w.take(owner))
            .unwrap_or_default()
        {
            handle.abort();
        }
    }

    /// The credentials were forgotten: stops every call and wait in flight
    /// (the credentials they hold are not used again), then tells every
    /// workflow.
    pub fn forget(&self) {
        self.abort(None);
        for on_forget in self.on_forget.get_value() {
            on_forget.run(());
        }
    }

    /// Forgets the credentials ("Forget credentials", or signing out of
    /// IAM Identity Center) and everything that used them: see
    /// [`Session::forget`].
    pub fn forget_credentials(&self) {
        self.credentials.set(None);
        self.forget();
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

    /// Why an invoke cannot be sent now, if so: the data-plane route, and
    /// the credentials unless it carries a bearer token.
    pub fn invoke_not_ready(&self, bearer: bool) -> Option<String> {
        if let Err(e) = self.data_route.get_untracked() {
            return Some(format!("The endpoint cannot be used: {e}"));
        }
        if bearer { None } else { self.not_ready() }
    }

    /// Why a sign-in in `region` cannot be sent now, if so: the route to
    /// its hosts (through a relay, only the `{host}` form reaches them).
    pub fn sso_not_ready(&self, region: &str) -> Option<String> {
        untrack(|| self.choice.settings())
            .sso_route(
                SsoService::Oidc,
                region.trim(),
                browser::page_origin().as_ref(),
            )
            .err()
            .map(|e| e.to_string())
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
    /// endpoint (see [`Session::not_ready`]). Run it inside
    /// [`Session::spawn`], so that it can be abandoned.
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

    /// Makes a streamed InvokeAgentRuntime call on the data-plane route,
    /// signed with the credentials (with the call's clock offset when the
    /// invoke machine re-signs after a clock-skew refusal, kept for later
    /// calls) or carrying its bearer token, and hands every part of the
    /// answer to `on`. Run it inside [`Session::spawn`]:
    /// abandoning it aborts the fetch.
    pub async fn stream(&self, call: &StreamCall, on: &mut dyn FnMut(Streamed)) {
        let failed = |message: String| Streamed::Failed(Failure::Transport(message));
        let route = match self.data_route.get_untracked() {
            Ok(route) => route,
            Err(e) => return on(failed(format!("The endpoint cannot be used: {e}"))),
        };
        let parsed = self.credentials.get_untracked();
        let credentials = parsed.as_ref().map(|p| &p.credentials);
        if let Some(offset) = call.clock_offset {
            self.clock_offset.set(offset);
        }
        let auth = match (&call.bearer, credentials) {
            (Some(token), _) => Auth::Bearer(&token.0),
            (None, Some(credentials)) => Auth::SigV4 {
                credentials,
                clock_offset: self.clock_offset.get_untracked(),
            },
            (None, None) => return on(failed(crate::core::workflow::NOT_CALLED.into())),
        };
        let request = match prepare(&route, &call.input, auth, browser::now()) {
            Ok(request) => request,
            Err(e) => return on(failed(e.to_string())),
        };
        if call.bearer.is_none() {
            on(Streamed::Signed(request.clone()));
        }
        let failure = match browser::stream(&request, on).await {
            Ok(()) => return,
            Err(NotStreamed::Failed(e)) => Failure::Transport(e.to_string()),
            Err(NotStreamed::Answer(answer)) => {
                failure_of(answer, credentials.filter(|_| call.bearer.is_none()))
            }
        };
        on(Streamed::Failed(failure))
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
        let report = call(
            &ctx,
            &FetchTransport,
            &BrowserClock,
            operation,
            &input,
            on_attempt,
        )
        .await;
        self.answered_origin.set_value(report.answered_origin());
        if let Some(offset) = report.clock_offset {
            self.clock_offset.set(offset);
        }
        Some(report)
    }

    /// Calls an operation of IAM Identity Center, unsigned, to its
    /// service's host in the call's region, directly or through the
    /// page's relay; `None` when that route cannot be used. Run it inside
    /// [`Session::spawn`], so that it can be abandoned.
    pub async fn call_unsigned(&self, call: &UnsignedCall) -> Option<CallReport> {
        let route = untrack(|| self.choice.settings())
            .sso_route(call.service, &call.region, browser::page_origin().as_ref())
            .ok()?;
        let answered_origin = self.answered_origin.get_value();
        let ctx = UnsignedContext {
            model: ServiceModel::sso(call.service),
            route: &route,
            answered_origin: answered_origin.as_deref(),
        };
        let report = call_unsigned(
            &ctx,
            &FetchTransport,
            &BrowserClock,
            call.operation,
            &call.input,
            |_| {},
        )
        .await;
        self.answered_origin.set_value(report.answered_origin());
        Some(report)
    }
}
