//! What every workflow shares (crux's `update(event) -> Vec<Command>`): the
//! effects a state machine asks the shell for ([`Effect`]: call, sleep,
//! abandon, focus, show), the answers fed back to it, the shape of a machine
//! ([`Workflow`]) so that one runner executes them all, the registry of
//! work in flight ([`InFlight`]) that stopping one workflow or forgetting
//! the credentials empties, and listing every page of a list operation
//! ([`Pages`], botocore's paginators).
//!
//! Calls are signed control-plane calls ([`Effect::Call`]) or, for IAM
//! Identity Center's sign-in and portal, unsigned calls to another service
//! ([`Effect::CallUnsigned`]), answered with the shell's clock, or
//! InvokeAgentRuntime's streamed calls ([`Effect::Stream`]), whose answer
//! comes back in parts ([`Streamed`]).

use std::fmt;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::client::{Attempt, CallReport};
use super::endpoint::SsoService;
use super::flow::{self, Flow, FlowSpec, Focus};
use super::invoke::{Bearer, Failure};
use super::model::{Location, ServiceModel};
use super::sign::SignedRequest;

/// What a workflow asks the shell to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect<S> {
    /// Call `operation` with `input`; answer with the workflow's answered
    /// event carrying `ticket`.
    Call {
        /// Identifies the answer.
        ticket: u64,
        /// Operation name.
        operation: String,
        /// Typed input document.
        input: Value,
    },
    /// Call an operation of another service, unsigned; answer with
    /// [`Workflow::answered_unsigned`] carrying its ticket.
    CallUnsigned(UnsignedCall),
    /// Call InvokeAgentRuntime on the data plane and stream its answer
    /// back in parts ([`Workflow::streamed`]).
    Stream(StreamCall),
    /// Wait, then answer with the workflow's woke event.
    Sleep {
        /// Identifies the wake-up.
        ticket: u64,
        /// How long.
        duration: Duration,
    },
    /// Abandon this workflow's calls and waits in flight.
    AbandonCalls,
    /// Move the focus.
    Focus(Focus),
    /// Hand a result to the page (what the workflow's panel does with it:
    /// load a draft, show a configuration).
    Show(S),
}

/// The input members of IAM Identity Center's operations that hold a secret
/// (the models' `sensitive` shapes, and the device code): never printed.
pub const SECRET_MEMBERS: [&str; 5] = [
    "accessToken",
    "clientSecret",
    "codeVerifier",
    "deviceCode",
    "refreshToken",
];

/// A streamed call of InvokeAgentRuntime: the shell builds it with
/// [`crate::core::invoke::prepare`] on the data-plane route, sends it,
/// reads the body as it arrives, and answers each part with
/// [`Workflow::streamed`] carrying `ticket`.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamCall {
    /// Identifies the answers.
    pub ticket: u64,
    /// InvokeAgentRuntime's typed input.
    pub input: Value,
    /// Wait this long first.
    pub delay: Duration,
    /// Send unsigned with this bearer token (`None`: SigV4).
    pub bearer: Option<Bearer>,
    /// Sign with this clock offset (service − local, seconds), and keep it
    /// for later calls; `None`: the page's.
    pub clock_offset: Option<i64>,
}

/// One part of a streamed call's answer, in the order they come.
#[derive(Debug)]
pub enum Streamed {
    /// What was signed (SigV4 calls).
    Signed(SignedRequest),
    /// A 2xx answer's status and headers.
    Headers {
        /// HTTP status.
        status: u16,
        /// The headers.
        headers: Vec<(String, String)>,
    },
    /// The next bytes of the body.
    Chunk(Vec<u8>),
    /// The body ended.
    End,
    /// An error answer, or no answer, or the stream broke.
    Failed(Failure),
}

/// A call to one of IAM Identity Center's services, whose operations are
/// unsigned (`smithy.api#noAuth`): the shell resolves `service`'s endpoint
/// for `region` (with the page's endpoint variant, custom endpoint and
/// relay), builds the request from that service's model (which puts a
/// bearer token, the input's `accessToken`, in the `x-amz-sso_bearer_token`
/// header), sends it without a signature and parses the answer with the
/// same model.
#[derive(Clone, PartialEq)]
pub struct UnsignedCall {
    /// Identifies the answer.
    pub ticket: u64,
    /// Which service.
    pub service: SsoService,
    /// The IAM Identity Center region (not necessarily the console's).
    pub region: String,
    /// Operation name.
    pub operation: &'static str,
    /// Typed input document.
    pub input: Value,
}

impl fmt::Debug for UnsignedCall {
    /// Prints the input with the values of [`SECRET_MEMBERS`] replaced.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut input = self.input.clone();
        if let Value::Object(members) = &mut input {
            for (name, value) in members.iter_mut() {
                if SECRET_MEMBERS.contains(&name.as_str()) {
                    *value = Value::String("<redacted>".into());
                }
            }
        }
        f.debug_struct("UnsignedCall")
            .field("ticket", &self.ticket)
            .field("service", &self.service)
            .field("region", &self.region)
            .field("operation", &self.operation)
            .field("input", &input)
            .finish()
    }
}

/// A state machine the shell runs: events in, effects out.
pub trait Workflow: Default + Send + Sync + 'static {
    /// What the machine reads besides its events (the operations, from the
    /// model).
    type Context: Copy + Send + Sync + 'static;
    /// What happens to it.
    type Event: 'static;
    /// What it asks for.
    type Command: 'static;
    /// What [`Effect::Show`] hands to the page.
    type Show: 'static;

    /// Applies one event and returns what the shell must do.
    fn update(&mut self, context: &Self::Context, event: Self::Event) -> Vec<Self::Command>;
    /// The effect a command asks for.
    fn effect(command: Self::Command) -> Effect<Self::Show>;
    /// A call finished (`None`: it could not be made: no credentials or no
    /// usable endpoint).
    fn answered(ticket: u64, report: Option<CallReport>) -> Self::Event;
    /// An unsigned call ([`Effect::CallUnsigned`]) finished at `now`, by
    /// the shell's clock (`report` `None`: it could not be made). By
    /// default, [`Self::answered`]: machines that make no such call need
    /// not know.
    fn answered_unsigned(ticket: u64, report: Option<CallReport>, now: SystemTime) -> Self::Event {
        let _ = now;
        Self::answered(ticket, report)
    }
    /// One attempt of a call finished, if the machine follows attempts
    /// (by default it does not).
    fn attempted(_ticket: u64, _attempt: &Attempt) -> Option<Self::Event> {
        None
    }
    /// A part of a streamed call's answer arrived at `now_ms` (`jitter`: a
    /// random number in `[0, 1)` for a retry), if the machine streams (by
    /// default it does not).
    fn streamed(_ticket: u64, _part: Streamed, _now_ms: u64, _jitter: f64) -> Option<Self::Event> {
        None
    }
    /// A sleep ended, if the machine sleeps (by default it does not).
    fn woke(_ticket: u64) -> Option<Self::Event> {
        None
    }
    /// The credentials were forgotten (every call in flight was abandoned).
    fn forgotten() -> Self::Event;
}

impl Workflow for Flow {
    type Context = FlowSpec<'static>;
    type Event = flow::Event;
    type Command = flow::Command;
    type Show = flow::Command;

    fn update(&mut self, spec: &FlowSpec<'static>, event: flow::Event) -> Vec<flow::Command> {
        Flow::update(self, spec, event)
    }

    fn effect(command: flow::Command) -> Effect<flow::Command> {
        match command {
            flow::Command::Call {
                ticket,
                operation,
                input,
            } => Effect::Call {
                ticket,
                operation,
                input,
            },
            flow::Command::Sleep { ticket, duration } => Effect::Sleep { ticket, duration },
            flow::Command::AbandonCalls => Effect::AbandonCalls,
            flow::Command::Focus(focus) => Effect::Focus(focus),
            // the current configuration, the service's field problems
            other => Effect::Show(other),
        }
    }

    fn answered(ticket: u64, report: Option<CallReport>) -> flow::Event {
        flow::Event::Answered { ticket, report }
    }

    fn attempted(ticket: u64, attempt: &Attempt) -> Option<flow::Event> {
        Some(flow::Event::Attempted {
            ticket,
            attempt: attempt.clone(),
        })
    }

    fn woke(ticket: u64) -> Option<flow::Event> {
        Some(flow::Event::Woke { ticket })
    }

    fn forgotten() -> flow::Event {
        flow::Event::CredentialsForgotten
    }
}

/// Work in flight (calls and waits), each under the workflow that started
/// it, so that one workflow can abandon its own and forgetting the
/// credentials can abandon everything. `H` is the shell's abort handle.
#[derive(Debug)]
pub struct InFlight<H> {
    next: u64,
    work: Vec<(u64, u64, H)>,
}

impl<H> Default for InFlight<H> {
    fn default() -> Self {
        Self {
            next: 0,
            work: Vec::new(),
        }
    }
}

impl<H> InFlight<H> {
    /// Registers work of workflow `owner`; returns its number.
    pub fn add(&mut self, owner: u64, handle: H) -> u64 {
        self.next += 1;
        self.work.push((owner, self.next, handle));
        self.next
    }

    /// The work numbered `id` ended by itself.
    pub fn remove(&mut self, id: u64) {
        self.work.retain(|(_, n, _)| *n != id);
    }

    /// Takes the handles of `owner`'s work (`None`: everyone's), to abort.
    pub fn take(&mut self, owner: Option<u64>) -> Vec<H> {
        let (taken, kept) = std::mem::take(&mut self.work)
            .into_iter()
            .partition(|(o, _, _)| owner.is_none_or(|owner| *o == owner));
        self.work = kept;
        taken.into_iter().map(|(_, _, h)| h).collect()
    }

    /// How many are in flight.
    pub fn len(&self) -> usize {
        self.work.len()
    }

    /// Whether nothing is in flight.
    pub fn is_empty(&self) -> bool {
        self.work.is_empty()
    }
}

/// Numbers a workflow's calls and waits, so that an answer to anything but
/// the latest one is recognised and ignored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tickets(u64);

impl Tickets {
    /// A ticket not given before.
    pub fn fresh(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}

/// Pages fetched at most when listing.
pub const MAX_PAGES: usize = 20;

/// The words for a call that could not be made.
pub const NOT_CALLED: &str = "No credentials or endpoint.";

/// Listing every page of a list operation (up to [`MAX_PAGES`]), with the
/// pagination keys and the largest page size of the model's paginator.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages {
    operation: &'static str,
    base: Value,
    /// Items of the pages read so far.
    items: Vec<Value>,
    pages: usize,
    /// The call in flight.
    pub ticket: u64,
}

/// Where a listing stands after a page.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStep<S> {
    /// Another page is being read: the listing and the call to make.
    Next(Pages, Effect<S>),
    /// Every page was read: their items, in order.
    Done(Vec<Value>),
    /// Reading stopped at an error, and why (in words).
    Failed(String),
}

impl Pages {
    /// Starts listing `operation` with `base` input: the first page's call,
    /// or why it cannot be listed.
    pub fn start<S>(
        model: &ServiceModel,
        operation: &'static str,
        base: Value,
        tickets: &mut Tickets,
    ) -> Result<(Self, Effect<S>), String> {
        let pages = Self {
            operation,
            base,
            items: Vec::new(),
            pages: 0,
            ticket: 0,
        };
        pages.request(model, None, tickets)
    }

    fn request<S>(
        mut self,
        model: &ServiceModel,
        token: Option<&str>,
        tickets: &mut Tickets,
    ) -> Result<(Self, Effect<S>), String> {
        let paginator = model
            .paginator(self.operation)
            .ok_or_else(|| format!("The service model has no paginator for {}.", self.operation))?;
        let input = paginator.page_input(&self.base, model.max_page_size(self.operation), token);
        self.ticket = tickets.fresh();
        let call = Effect::Call {
            ticket: self.ticket,
            operation: self.operation.to_owned(),
            input,
        };
        Ok((self, call))
    }

    /// The answer to the page in flight.
    pub fn answered<S>(
        mut self,
        model: &ServiceModel,
        report: Option<CallReport>,
        tickets: &mut Tickets,
    ) -> PageStep<S> {
        let Some(report) = report else {
            return PageStep::Failed(NOT_CALLED.to_owned());
        };
        let out = match report.outcome {
            Ok(out) => out,
            Err(e) => return PageStep::Failed(e.to_string()),
        };
        let Some(paginator) = model.paginator(self.operation) else {
            return PageStep::Failed(format!(
                "The service model has no paginator for {}.",
                self.operation
            ));
        };
        self.items
            .extend(paginator.results(&out.json).iter().cloned());
        self.pages += 1;
        match paginator.next_token(&out.json) {
            Some(token) if self.pages < MAX_PAGES => {
                let token = token.to_owned();
                match self.request(model, Some(&token), tickets) {
                    Ok((next, call)) => PageStep::Next(next, call),
                    Err(e) => PageStep::Failed(e),
                }
            }
            _ => PageStep::Done(self.items),
        }
    }
}

/// The input of `operation` naming one resource: its URI label (Smithy
/// `httpLabel`, e.g. `agentRuntimeId`) set to `id`.
pub fn label_input(model: &ServiceModel, operation: &str, id: &str) -> Value {
    let mut out = serde_json::Map::new();
    if let Some(label) = model
        .input_of(operation)
        .ok()
        .and_then(|shape| shape.members().iter().find(|m| m.location == Location::Uri))
    {
        out.insert(label.name.clone(), Value::String(id.to_owned()));
    }
    Value::Object(out)
}

/// What a call's answer holds, for a workflow reading a single document:
/// the output, or why there is none (in words).
pub fn output_of(report: Option<CallReport>) -> Result<Value, String> {
    let report = report.ok_or(NOT_CALLED)?;
    report.outcome.map(|o| o.json).map_err(|e| e.to_string())
}

#[cfg(test)]
pub(crate) mod testing {
    //! Runs a workflow on the host: its calls through the real client
    //! against a scripted transport, as the browser runner would.

    use super::*;
    use crate::core::client::TransportError;
    use crate::core::client::{CallContext, call};
    use crate::core::credentials::Credentials;
    use crate::core::endpoint::{EndpointParams, EndpointVariant, resolve_endpoint};
    use crate::core::fakes::{FakeClock, Script, block_on};
    use crate::core::response::HttpResponse;
    use crate::core::route::Route;

    /// Calls `operation` through the real client over `transport`, with
    /// temporary credentials and the us-east-1 endpoint.
    pub fn call_through(transport: &Script, operation: &str, input: &Value) -> CallReport {
        let credentials = Credentials::new(
            "ASIAEXAMPLEEXAMPLE12",
            "s3cr3t/KEY",
            Some("token".into()),
            None,
        );
        let endpoint = resolve_endpoint(&EndpointParams {
            region: "us-east-1".into(),
            variant: EndpointVariant::Standard,
            custom_endpoint: None,
        })
        .expect("us-east-1 resolves");
        let route = Route::direct(endpoint);
        let ctx = CallContext {
            model: ServiceModel::bundled(),
            route: &route,
            credentials: &credentials,
            clock_offset: 0,
            answered_origin: None,
        };
        block_on(call(
            &ctx,
            transport,
            &FakeClock::new(),
            operation,
            input,
            |_| {},
        ))
    }

    /// A workflow, its context, a scripted transport, and what it showed.
    pub struct Driver<W: Workflow> {
        pub context: W::Context,
        pub machine: W,
        pub transport: Script,
        /// Whether calls can be made (credentials and an endpoint).
        pub ready: bool,
        /// Every [`Effect::Show`], in order.
        pub shown: Vec<W::Show>,
        /// Every call made: (operation, input).
        pub calls: Vec<(String, Value)>,
    }

    impl<W: Workflow> Driver<W> {
        pub fn new(
            context: W::Context,
            answers: Vec<Result<HttpResponse, TransportError>>,
        ) -> Self {
            Self {
                context,
                machine: W::default(),
                transport: Script::new(answers),
                ready: true,
                shown: Vec::new(),
                calls: Vec::new(),
            }
        }

        /// Applies an event without running what it asks: the commands.
        pub fn event_only(&mut self, event: W::Event) -> Vec<W::Command> {
            self.machine.update(&self.context, event)
        }

        /// Applies an event and runs everything that follows, to the end.
        pub fn event(&mut self, event: W::Event) {
            let commands = self.event_only(event);
            self.run(commands);
        }

        /// Runs commands, and those their answers bring, to the end.
        pub fn run(&mut self, mut commands: Vec<W::Command>) {
            while !commands.is_empty() {
                let mut next = Vec::new();
                for c in commands {
                    match W::effect(c) {
                        Effect::Call {
                            ticket,
                            operation,
                            input,
                        } => {
                            let report = self.call(&operation, &input);
                            self.calls.push((operation, input));
                            next.extend(self.event_only(W::answered(ticket, report)));
                        }
                        Effect::Sleep { ticket, .. } => {
                            if let Some(e) = W::woke(ticket) {
                                next.extend(self.event_only(e));
                            }
                        }
                        Effect::Show(s) => self.shown.push(s),
                        // recorded only: no workflow driven here makes one
                        // (the sign-in's tests answer theirs themselves)
                        Effect::CallUnsigned(call) => {
                            self.calls.push((call.operation.to_owned(), call.input));
                        }
                        Effect::Stream(call) => {
                            self.calls
                                .push(("InvokeAgentRuntime".to_owned(), call.input));
                        }
                        Effect::AbandonCalls | Effect::Focus(_) => {}
                    }
                }
                commands = next;
            }
        }

        fn call(&self, operation: &str, input: &Value) -> Option<CallReport> {
            self.ready
                .then(|| call_through(&self.transport, operation, input))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::call_through;
    use super::*;
    use crate::core::client::TransportError;
    use crate::core::fakes::{Script, answer};
    use crate::core::model::LIST_AGENT_RUNTIMES;
    use crate::core::response::HttpResponse;
    use serde_json::json;

    type Answer = Result<HttpResponse, TransportError>;

    #[test]
    fn an_unsigned_call_prints_no_secret_member() {
        let call = UnsignedCall {
            ticket: 7,
            service: SsoService::Portal,
            region: "eu-west-1".into(),
            operation: "GetRoleCredentials",
            input: json!({"accessToken": "aoa-token", "accountId": "111111111111", "clientSecret": "cs", "deviceCode": "dc"}),
        };
        let printed = format!("{:?}", Effect::<()>::CallUnsigned(call.clone()));
        for secret in ["aoa-token", "\"cs\"", "\"dc\""] {
            assert!(!printed.contains(secret), "{printed}");
        }
        assert!(printed.contains("111111111111") && printed.contains("<redacted>"));
        assert_eq!(
            call.input["accessToken"], "aoa-token",
            "only the printing hides it"
        );
    }

    #[test]
    fn a_workflow_that_makes_no_unsigned_call_takes_their_answers_as_its_own() {
        use crate::core::picker::{Event, Picker};
        let now = std::time::UNIX_EPOCH;
        assert!(matches!(
            Picker::answered_unsigned(3, None, now),
            Event::Answered {
                ticket: 3,
                report: None
            }
        ));
    }

    #[test]
    fn in_flight_work_is_taken_per_workflow_or_all_at_once() {
        let mut work = InFlight::default();
        let a1 = work.add(1, "a1");
        work.add(2, "b1");
        work.add(1, "a2");
        work.remove(a1);
        assert_eq!(work.take(Some(1)), ["a2"]);
        assert_eq!(work.len(), 1);
        work.add(3, "c1");
        assert_eq!(work.take(None), ["b1", "c1"]);
        assert!(work.is_empty());
    }

    /// One ListAgentRuntimes page with `ids`, and `next` as its token.
    fn page(ids: &[&str], next: Option<&str>) -> Answer {
        let items: Vec<Value> = ids
            .iter()
            .map(|id| json!({"agentRuntimeId": id, "agentRuntimeName": id, "agentRuntimeArn": "arn", "agentRuntimeVersion": "1", "description": "", "lastUpdatedAt": 1, "status": "READY"}))
            .collect();
        let mut out = json!({ "agentRuntimes": items });
        if let Some(n) = next {
            out["nextToken"] = json!(n);
        }
        answer(200, None, &out.to_string())
    }

    fn list(answers: Vec<Answer>) -> (Result<Vec<Value>, String>, Vec<Value>) {
        let model = ServiceModel::bundled();
        let transport = Script::new(answers);
        let mut tickets = Tickets::default();
        let mut inputs = Vec::new();
        let mut step: PageStep<()> =
            match Pages::start(model, LIST_AGENT_RUNTIMES, json!({}), &mut tickets) {
                Ok((pages, call)) => PageStep::Next(pages, call),
                Err(e) => PageStep::Failed(e),
            };
        loop {
            match step {
                PageStep::Next(
                    pages,
                    Effect::Call {
                        ticket,
                        operation,
                        input,
                    },
                ) => {
                    assert_eq!(ticket, pages.ticket);
                    let report = call_through(&transport, &operation, &input);
                    inputs.push(input);
                    step = pages.answered(model, Some(report), &mut tickets);
                }
                PageStep::Next(..) => unreachable!("a listing only calls"),
                PageStep::Done(items) => return (Ok(items), inputs),
                PageStep::Failed(e) => return (Err(e), inputs),
            }
        }
    }

    #[test]
    fn every_page_is_listed_with_the_previous_pages_token() {
        let (items, inputs) = list(vec![page(&["a", "b"], Some("t1")), page(&["c"], None)]);
        let ids: Vec<String> = items
            .unwrap()
            .iter()
            .map(|i| i["agentRuntimeId"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(
            inputs,
            [
                json!({"maxResults": 100}),
                json!({"maxResults": 100, "nextToken": "t1"})
            ]
        );
    }

    #[test]
    fn listing_stops_at_the_first_error_and_after_the_last_page_allowed() {
        let (failed, _) = list(vec![
            page(&["a"], Some("t1")),
            answer(403, Some("AccessDeniedException"), r#"{"message":"no"}"#),
        ]);
        assert!(failed.unwrap_err().contains("no"));
        let answers = (0..MAX_PAGES).map(|_| page(&["a"], Some("more"))).collect();
        let (items, inputs) = list(answers);
        assert_eq!((items.unwrap().len(), inputs.len()), (MAX_PAGES, MAX_PAGES));
    }

    #[test]
    fn a_call_that_could_not_be_made_fails_the_listing() {
        let mut tickets = Tickets::default();
        let model = ServiceModel::bundled();
        let (pages, _) =
            Pages::start::<()>(model, LIST_AGENT_RUNTIMES, json!({}), &mut tickets).unwrap();
        assert_eq!(
            pages.answered::<()>(model, None, &mut tickets),
            PageStep::Failed(NOT_CALLED.into())
        );
        assert!(Pages::start::<()>(model, "UpdateAgentRuntime", json!({}), &mut tickets).is_err());
    }
}
