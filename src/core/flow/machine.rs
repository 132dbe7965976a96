//! The flow's states, events and commands, and `update`: what each event
//! does in each state. Each step holds its own data (the request being
//! checked or sent, the confirmation's reasons, the readings followed), so
//! no two fields have to agree.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::follow::{Follow, Reading};
use super::spec::FlowSpec;
use super::status::Status;
use crate::core::client::{Attempt, CallError, CallReport};
use crate::core::diff::{cleared_count, current_request, diff};
use crate::core::request::fill_idempotency_token;
use crate::core::response::{FieldProblem, Output, ResponseError, text_member};
use crate::core::text::plural;

/// What a request is for: the resource and who sends it where. A
/// confirmation holds for the target it checked, and only for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// The write's URI labels (e.g. `agentRuntimeId`), by member name.
    pub labels: Vec<(String, String)>,
    /// Where requests are signed for and sent (URL, region, route).
    pub endpoint: String,
    /// The access key id of the credentials in use.
    pub access_key_id: String,
}

/// The user pressed a send button: the form as it is now and the world
/// around it, read by the shell.
#[derive(Debug, Clone)]
pub struct Submission {
    /// How many fields fail validation.
    pub invalid_fields: usize,
    /// Why nothing can be sent now (no credentials, unusable endpoint).
    pub not_ready: Option<String>,
    /// The typed request document (idempotency token empty unless the user
    /// gave one).
    pub input: Value,
    /// Where it would go.
    pub target: Target,
    /// 16 fresh random bytes for a new idempotency token.
    pub random: [u8; 16],
}

/// A write that moves a resource from one version to another (an endpoint
/// pointed at a version of its runtime).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionMove {
    /// The resource moved: the write's last URI label (the endpoint name).
    pub resource: String,
    /// The version it is on now (the check's version member: `liveVersion`).
    pub live: String,
    /// The version the write moves it to (the write's version member:
    /// `agentRuntimeVersion`).
    pub target: String,
}

/// Why the user must confirm before the write is sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfirmReasons {
    /// The version move the write makes, for specs that always confirm.
    pub moving: Option<VersionMove>,
    /// Members the write clears.
    pub cleared: usize,
    /// The resource's status, when it is not READY.
    pub not_ready: Option<Status>,
    /// The pre-flight failed; why, in words.
    pub preflight_failed: Option<String>,
}

impl ConfirmReasons {
    fn any(&self) -> bool {
        self.cleared > 0
            || self.not_ready.is_some()
            || self.preflight_failed.is_some()
            || self.moving.is_some()
    }

    /// The reasons as tokens for `data-reason` (space-separated):
    /// `version-move`, `preflight-failed`, `cleared`, `not-ready`.
    pub fn tokens(&self) -> String {
        let mut out = Vec::new();
        if self.moving.is_some() {
            out.push("version-move");
        }
        if self.preflight_failed.is_some() {
            out.push("preflight-failed");
        }
        if self.cleared > 0 {
            out.push("cleared");
        }
        if self.not_ready.is_some() {
            out.push("not-ready");
        }
        out.join(" ")
    }
}

/// A request ready to send, and the target it was prepared for.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The typed input, idempotency token filled.
    pub input: Value,
    /// Its target.
    pub target: Target,
}

/// Where the flow stands.
#[derive(Debug, Clone, Default)]
pub enum Phase {
    /// Nothing sent yet.
    #[default]
    Idle,
    /// Not sent, and why; an earlier accepted write is still followed.
    Blocked {
        /// Why nothing was sent.
        reason: String,
        /// The earlier write's follow, if one was shown.
        follow: Option<Follow>,
    },
    /// The pre-flight read of this request's resource is in flight.
    Checking(Prepared),
    /// Waiting for the user to confirm.
    Confirm {
        /// What would be sent.
        prepared: Prepared,
        /// Why confirmation is needed.
        reasons: ConfirmReasons,
        /// The current configuration read by the pre-flight (request
        /// members), to recount what gets cleared on confirmation.
        current: Option<Value>,
    },
    /// The write is in flight.
    Sending {
        /// What is being sent.
        prepared: Prepared,
        /// Attempts so far.
        attempts: Vec<Attempt>,
    },
    /// The final report of the last call shown, and what comes after it.
    Finished {
        /// The report.
        report: Arc<CallReport>,
        /// What the report is, when not the write itself.
        note: Option<String>,
        /// What the page offers or does next.
        next: Next,
    },
    /// The flow was stopped before an outcome, and why.
    Stopped(String),
}

/// What follows a finished call.
#[derive(Debug, Clone, Default)]
pub enum Next {
    /// Nothing.
    #[default]
    Nothing,
    /// The identical request, offered again because the write may already
    /// have been applied ("Send again with the same clientToken").
    Resend(Prepared),
    /// The accepted write, followed.
    Follow(Follow),
}

/// Where the shell should move the keyboard focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The result panel's title.
    Result,
    /// The credentials paste box.
    Credentials,
}

/// What the shell must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Call `operation` with `input`; answer with [`Event::Answered`] (and
    /// [`Event::Attempted`] after each attempt) carrying `ticket`.
    Call {
        /// Identifies the answer.
        ticket: u64,
        /// Operation name.
        operation: String,
        /// Typed input document.
        input: Value,
    },
    /// Wait, then answer with [`Event::Woke`].
    Sleep {
        /// Identifies the wake-up.
        ticket: u64,
        /// How long.
        duration: Duration,
    },
    /// Abandon every call and wait in flight (their answers are ignored
    /// anyway; this stops their retries).
    AbandonCalls,
    /// The resource's configuration as just read (the check operation's
    /// output): the review compares against it from now on.
    Current(Value),
    /// Show the service's per-field problems beside the fields (an empty
    /// list clears them).
    FieldProblems(Vec<FieldProblem>),
    /// Move the focus.
    Focus(Focus),
}

/// What happened.
#[derive(Debug, Clone)]
pub enum Event {
    /// The user pressed the send button (or Enter in the form).
    Send(Submission),
    /// The user confirmed ("Send anyway").
    Confirm(Submission),
    /// The user cancelled the confirmation.
    Cancel,
    /// The user asked to send the identical request again; the target as
    /// it is now (it must be the one the request was prepared for).
    ResendSameToken(Target),
    /// One attempt of a call finished.
    Attempted {
        /// The call's ticket.
        ticket: u64,
        /// The attempt.
        attempt: Attempt,
    },
    /// A call finished; `None` when it could not be made at all (no
    /// credentials or no usable endpoint).
    Answered {
        /// The call's ticket.
        ticket: u64,
        /// The report.
        report: Option<CallReport>,
    },
    /// A sleep ended.
    Woke {
        /// The sleep's ticket.
        ticket: u64,
    },
    /// The user stopped following.
    StopFollowing,
    /// The credentials were forgotten.
    CredentialsForgotten,
}

/// The flow's state: where it stands, and the ticket of the call or sleep
/// it waits for (answers with any other ticket are stale).
#[derive(Debug, Clone, Default)]
pub struct Flow {
    /// Where the send stands.
    pub phase: Phase,
    ticket: u64,
}

/// Whether a write's outcome may mean it was applied although no success
/// was seen: no answer in time, any failure of the connection (the browser
/// reports a dropped connection and a CORS block alike, after the request
/// may have been processed), an unreadable success, or a server error after
/// the last retry.
pub fn may_have_been_applied(outcome: &Result<Output, CallError>) -> bool {
    match outcome {
        Ok(_) => false,
        Err(CallError::Transport(_)) => true,
        Err(CallError::Response(e)) => {
            matches!(e, ResponseError::BadOutput { .. }) || (500..=599).contains(&e.status())
        }
        Err(_) => false,
    }
}

impl Flow {
    /// A flow with nothing sent.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a call for this flow is in flight (the send button is busy).
    pub fn busy(&self) -> bool {
        matches!(self.phase, Phase::Checking(_) | Phase::Sending { .. })
    }

    /// The accepted write being followed (or followed earlier), if any.
    pub fn follow(&self) -> Option<&Follow> {
        match &self.phase {
            Phase::Finished {
                next: Next::Follow(f),
                ..
            }
            | Phase::Blocked {
                follow: Some(f), ..
            } => Some(f),
            _ => None,
        }
    }

    fn follow_mut(&mut self) -> Option<&mut Follow> {
        match &mut self.phase {
            Phase::Finished {
                next: Next::Follow(f),
                ..
            }
            | Phase::Blocked {
                follow: Some(f), ..
            } => Some(f),
            _ => None,
        }
    }

    /// The request offered again with the same idempotency token, if any.
    pub fn resend(&self) -> Option<&Prepared> {
        match &self.phase {
            Phase::Finished {
                next: Next::Resend(p),
                ..
            } => Some(p),
            _ => None,
        }
    }

    /// Whether a call or a sleep is awaited.
    fn waiting(&self) -> bool {
        self.busy() || self.follow().is_some_and(Follow::active)
    }

    fn next_ticket(&mut self) -> u64 {
        self.ticket += 1;
        self.ticket
    }

    fn call(&mut self, operation: &str, input: Value) -> Command {
        Command::Call {
            ticket: self.next_ticket(),
            operation: operation.to_owned(),
            input,
        }
    }

    /// Not sent, and why; an accepted write followed so far stays shown.
    fn blocked(&mut self, reason: String) {
        let follow = match std::mem::take(&mut self.phase) {
            Phase::Finished {
                next: Next::Follow(f),
                ..
            }
            | Phase::Blocked {
                follow: Some(f), ..
            } => Some(f),
            _ => None,
        };
        self.phase = Phase::Blocked { reason, follow };
    }

    /// Applies one event and returns what the shell must do.
    pub fn update(&mut self, spec: &FlowSpec, event: Event) -> Vec<Command> {
        match event {
            Event::Send(s) => {
                if self.busy() {
                    return Vec::new();
                }
                self.start(spec, s)
            }
            Event::Confirm(s) => self.confirm(spec, s),
            Event::Cancel => {
                if matches!(self.phase, Phase::Confirm { .. }) {
                    self.phase = Phase::Idle;
                }
                Vec::new()
            }
            Event::ResendSameToken(now) => {
                let Some(prepared) = self.resend() else {
                    return Vec::new();
                };
                if now != prepared.target {
                    // The same clientToken to another endpoint, region or
                    // account is not the same request: never unchecked.
                    self.blocked(
                        "Not sent again: the endpoint, region, relay or credentials changed since this request was sent, so it would not be the same request. Press “Update agent runtime” to check and send it as a new update.".into(),
                    );
                    return vec![Command::Focus(Focus::Result)];
                }
                let prepared = prepared.clone();
                self.write(spec, prepared)
            }
            Event::Attempted { ticket, attempt } => {
                if ticket == self.ticket
                    && let Phase::Sending { attempts, .. } = &mut self.phase
                {
                    attempts.push(attempt);
                }
                Vec::new()
            }
            Event::Answered { ticket, report } => {
                if ticket != self.ticket {
                    return Vec::new();
                }
                match std::mem::take(&mut self.phase) {
                    Phase::Checking(prepared) => self.preflight_answered(spec, prepared, report),
                    Phase::Sending { prepared, .. } => self.write_answered(spec, prepared, report),
                    phase => {
                        self.phase = phase;
                        self.follow_answered(spec, report)
                    }
                }
            }
            Event::Woke { ticket } => {
                if ticket != self.ticket {
                    return Vec::new();
                }
                match self.follow_mut().and_then(Follow::read) {
                    Some(input) => vec![self.call(spec.check, input)],
                    None => Vec::new(),
                }
            }
            Event::StopFollowing => {
                let stopped = self
                    .follow_mut()
                    .is_some_and(|f| f.end("Stopped following (the update goes on in AgentCore)."));
                if stopped {
                    self.next_ticket();
                    return vec![Command::AbandonCalls];
                }
                Vec::new()
            }
            Event::CredentialsForgotten => self.forget(),
        }
    }

    /// Blocks the send with a reason, or prepares the request.
    fn prepare(&mut self, spec: &FlowSpec, s: Submission) -> Result<Prepared, Vec<Command>> {
        let why = if s.invalid_fields > 0 {
            let n = s.invalid_fields;
            Some(format!(
                "{n} {} {} attention (listed below and marked in the form). Nothing was sent.",
                plural(n, "field", "fields"),
                plural(n, "needs", "need")
            ))
        } else {
            s.not_ready
                .as_ref()
                .map(|why| format!("{why} Nothing was sent."))
        };
        if let Some(why) = why {
            let mut commands = Vec::new();
            if s.invalid_fields == 0 && s.target.access_key_id.is_empty() {
                commands.push(Command::Focus(Focus::Credentials));
            }
            self.blocked(why);
            return Err(commands);
        }
        let mut input = s.input;
        fill_idempotency_token(spec.model, spec.write, &mut input, s.random);
        Ok(Prepared {
            input,
            target: s.target,
        })
    }

    /// A user-initiated send: the pre-flight read first.
    fn start(&mut self, spec: &FlowSpec, s: Submission) -> Vec<Command> {
        let prepared = match self.prepare(spec, s) {
            Ok(p) => p,
            Err(commands) => return commands,
        };
        let mut commands = Vec::new();
        if self.waiting() {
            commands.push(Command::AbandonCalls);
        }
        let check = spec.check_input(&prepared.input);
        self.phase = Phase::Checking(prepared);
        commands.push(Command::FieldProblems(Vec::new()));
        commands.push(self.call(spec.check, check));
        commands
    }

    fn confirm(&mut self, spec: &FlowSpec, s: Submission) -> Vec<Command> {
        let Phase::Confirm {
            prepared: shown,
            reasons,
            current,
        } = &self.phase
        else {
            // Not (or no longer) confirming: a second click, or a click
            // while a send is in flight, sends nothing.
            return Vec::new();
        };
        if s.target != shown.target {
            // The confirmation was for another runtime, endpoint or
            // identity: check again what will actually be sent.
            return self.start(spec, s);
        }
        let (shown_cleared, current) = (reasons.cleared, current.clone());
        let shown_move = reasons.moving.clone();
        let prepared = match self.prepare(spec, s) {
            Ok(p) => p,
            Err(commands) => return commands,
        };
        let Phase::Confirm {
            prepared: shown,
            reasons,
            ..
        } = &mut self.phase
        else {
            return Vec::new();
        };
        if let Some(shown_move) = shown_move {
            let target = text_member(&prepared.input, spec.write_version_member());
            if target != shown_move.target {
                // The version to move to changed since the confirmation
                // named it: name the new one and ask again.
                if let Some(m) = reasons.moving.as_mut() {
                    m.target = target;
                }
                *shown = prepared;
                return Vec::new();
            }
        }
        if let Some(current) = &current {
            let now_cleared =
                cleared_count(&diff(spec.model, spec.input(), current, &prepared.input));
            if now_cleared != shown_cleared && now_cleared > 0 {
                // Edits since the confirmation changed what gets cleared.
                reasons.cleared = now_cleared;
                *shown = prepared;
                return Vec::new();
            }
        }
        self.write(spec, prepared)
    }

    fn write(&mut self, spec: &FlowSpec, prepared: Prepared) -> Vec<Command> {
        let input = prepared.input.clone();
        self.phase = Phase::Sending {
            prepared,
            attempts: Vec::new(),
        };
        vec![
            Command::FieldProblems(Vec::new()),
            self.call(spec.write, input),
        ]
    }

    fn preflight_answered(
        &mut self,
        spec: &FlowSpec,
        prepared: Prepared,
        report: Option<CallReport>,
    ) -> Vec<Command> {
        let Some(report) = report else {
            self.blocked(
                "Could not check the runtime before sending: there are no credentials or no usable endpoint. Nothing was sent.".into(),
            );
            return vec![Command::Focus(Focus::Result)];
        };
        match &report.outcome {
            Err(CallError::Response(ResponseError::Service(e)))
                if e.code == "ResourceNotFoundException" =>
            {
                self.phase = Phase::Finished {
                    report: Arc::new(report),
                    note: Some(format!(
                        "Checked before sending ({}): this runtime does not exist here. The update was not sent.",
                        spec.check
                    )),
                    next: Next::Nothing,
                };
                vec![Command::Focus(Focus::Result)]
            }
            Err(e) => {
                let reasons = ConfirmReasons {
                    preflight_failed: Some(format!(
                        "The check before sending ({}) failed, so the console cannot tell what this update clears or whether the runtime is READY. {}",
                        spec.check, e
                    )),
                    ..Default::default()
                };
                self.phase = Phase::Confirm {
                    prepared,
                    reasons,
                    current: None,
                };
                vec![Command::Focus(Focus::Result)]
            }
            Ok(out) => {
                let shape = spec.input();
                let current = current_request(spec.model, shape, &out.json);
                let cleared = cleared_count(&diff(spec.model, shape, &current, &prepared.input));
                let status = Status::parse(&text_member(&out.json, spec.status_member()));
                let moving = spec.always_confirm.then(|| VersionMove {
                    resource: spec
                        .labels(&prepared.input)
                        .pop()
                        .map(|(_, v)| v)
                        .unwrap_or_default(),
                    live: text_member(&out.json, spec.version_member()),
                    target: text_member(&prepared.input, spec.write_version_member()),
                });
                let reasons = ConfirmReasons {
                    moving,
                    cleared,
                    not_ready: (status != Status::Ready).then_some(status),
                    preflight_failed: None,
                };
                let mut commands = vec![Command::Current(out.json.clone())];
                if reasons.any() {
                    self.phase = Phase::Confirm {
                        prepared,
                        reasons,
                        current: Some(current),
                    };
                    commands.push(Command::Focus(Focus::Result));
                } else {
                    commands.extend(self.write(spec, prepared));
                }
                commands
            }
        }
    }

    fn write_answered(
        &mut self,
        spec: &FlowSpec,
        prepared: Prepared,
        report: Option<CallReport>,
    ) -> Vec<Command> {
        let Some(report) = report else {
            self.blocked(
                "There are no credentials or no usable endpoint. Nothing was sent.".into(),
            );
            return vec![Command::Focus(Focus::Result)];
        };
        let mut commands = Vec::new();
        if let Err(CallError::Response(ResponseError::Service(e))) = &report.outcome
            && !e.fields.is_empty()
        {
            commands.push(Command::FieldProblems(e.fields.clone()));
        }
        let mut sleep = None;
        let next = match &report.outcome {
            Ok(out) => {
                let f = Follow::accepted(spec, &out.json, spec.check_input(&prepared.input));
                sleep = f.waiting_for();
                Next::Follow(f)
            }
            outcome if may_have_been_applied(outcome) => Next::Resend(prepared),
            Err(_) => Next::Nothing,
        };
        self.phase = Phase::Finished {
            report: Arc::new(report),
            note: None,
            next,
        };
        commands.push(Command::Focus(Focus::Result));
        if let Some(duration) = sleep {
            commands.push(Command::Sleep {
                ticket: self.next_ticket(),
                duration,
            });
        }
        commands
    }

    fn follow_answered(&mut self, spec: &FlowSpec, report: Option<CallReport>) -> Vec<Command> {
        match self.follow_mut().map(|f| f.answered(spec, report)) {
            Some(Reading::Final(Some(current))) => vec![Command::Current(current)],
            Some(Reading::Again(duration)) => vec![Command::Sleep {
                ticket: self.next_ticket(),
                duration,
            }],
            _ => Vec::new(),
        }
    }

    fn forget(&mut self) -> Vec<Command> {
        let was_waiting = self.waiting();
        self.next_ticket();
        match &mut self.phase {
            Phase::Checking(_) => {
                self.phase = Phase::Stopped(
                    "Stopped: the credentials were forgotten during the check before sending. Nothing was sent.".into(),
                );
            }
            Phase::Sending { .. } => {
                self.phase = Phase::Stopped(
                    "Stopped: the credentials were forgotten while the update was being sent. It may or may not have reached AgentCore: paste credentials and load the configuration to check before sending again.".into(),
                );
            }
            Phase::Finished { report, .. } if report.last_request.is_some() => {
                // The signature and the session token header go with the credentials.
                let mut kept = CallReport::clone(report);
                kept.last_request = None;
                *report = Arc::new(kept);
            }
            _ => {}
        }
        if let Some(f) = self.follow_mut() {
            f.end("Stopped following: the credentials were forgotten. The update goes on in AgentCore.");
        }
        if was_waiting {
            vec![Command::AbandonCalls]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::client::{CallContext, TransportError, call};
    use crate::core::credentials::Credentials;
    use crate::core::endpoint::{EndpointParams, EndpointVariant, resolve_endpoint};
    use crate::core::fakes::{FakeClock, Script, answer, block_on};
    use crate::core::flow::follow::{FOLLOW_LIMIT, FOLLOW_MAX_DELAY};
    use crate::core::model::{GET_AGENT_RUNTIME, ServiceModel, UPDATE_AGENT_RUNTIME};
    use crate::core::response::HttpResponse;
    use crate::core::route::Route;
    use serde_json::json;

    const ID: &str = "a-1234567890";
    const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=";

    fn spec() -> FlowSpec<'static> {
        FlowSpec::update_agent_runtime(ServiceModel::bundled())
    }

    fn target(id: &str) -> Target {
        Target {
            labels: vec![("agentRuntimeId".into(), id.into())],
            endpoint: "https://bedrock-agentcore-control.us-east-1.amazonaws.com".into(),
            access_key_id: "ASIAEXAMPLEEXAMPLE12".into(),
        }
    }

    fn input(id: &str) -> Value {
        json!({
            "agentRuntimeId": id,
            "roleArn": "arn:aws:iam::123456789012:role/r",
            "networkConfiguration": {"networkMode": "PUBLIC"},
            "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"}}
        })
    }

    /// Ways a target can change under an open confirmation or a resend:
    /// other credentials, another endpoint.
    const OTHER_TARGETS: [fn(&mut Target); 2] = [
        |t| t.access_key_id = "ASIAEXAMPLEOTHER0001".into(),
        |t| t.endpoint = "http://127.0.0.1:4566".into(),
    ];

    fn submission(id: &str, random: u8) -> Submission {
        Submission {
            invalid_fields: 0,
            not_ready: None,
            input: input(id),
            target: target(id),
            random: [random; 16],
        }
    }

    /// GetAgentRuntime's output for `input(ID)` at `status`.
    fn current(status: &str, version: &str, extra: Value) -> String {
        let mut out = input(ID);
        out["agentRuntimeArn"] =
            json!("arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/a-1234567890");
        out["agentRuntimeName"] = json!("a");
        out["agentRuntimeVersion"] = json!(version);
        out["createdAt"] = json!(1);
        out["lastUpdatedAt"] = json!(2);
        out["status"] = json!(status);
        if let (Some(o), Value::Object(e)) = (out.as_object_mut(), extra) {
            o.extend(e);
        }
        out.to_string()
    }

    fn accepted(status: &str) -> Result<HttpResponse, TransportError> {
        answer(
            202,
            None,
            &json!({"agentRuntimeArn": "arn", "agentRuntimeId": ID, "agentRuntimeVersion": "2", "createdAt": 1, "lastUpdatedAt": 2, "status": status}).to_string(),
        )
    }

    fn ok(body: String) -> Result<HttpResponse, TransportError> {
        answer(200, None, &body)
    }

    /// Runs the flow's commands against the scripted transport and the fake
    /// clock (through the real client), feeding answers back, until nothing
    /// is left to do. Returns every command seen.
    struct Driver {
        spec: FlowSpec<'static>,
        flow: Flow,
        transport: Script,
        clock: FakeClock,
        credentials: Option<Credentials>,
        commands: Vec<Command>,
        /// What the shell keeps of the last report (`CallReport::answered_origin`).
        answered_origin: Option<String>,
    }

    impl Driver {
        fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Self {
            Self {
                spec: spec(),
                flow: Flow::new(),
                transport: Script::new(answers),
                clock: FakeClock::new(),
                credentials: Some(Credentials::new(
                    "ASIAEXAMPLEEXAMPLE12",
                    "s3cr3t/KEY",
                    Some(TOKEN.into()),
                    None,
                )),
                commands: Vec::new(),
                answered_origin: None,
            }
        }

        /// Applies an event and runs what follows, to the end.
        fn event(&mut self, event: Event) {
            let commands = self.flow.update(&self.spec, event);
            self.run(commands);
        }

        /// Applies an event without running its commands.
        fn event_only(&mut self, event: Event) -> Vec<Command> {
            let commands = self.flow.update(&self.spec, event);
            self.commands.extend(commands.clone());
            commands
        }

        fn answer(&mut self, ticket: u64, operation: &str, input: &Value) -> Option<CallReport> {
            let credentials = self.credentials.clone()?;
            let endpoint = resolve_endpoint(&EndpointParams {
                region: "us-east-1".into(),
                variant: EndpointVariant::Standard,
                custom_endpoint: None,
            })
            .unwrap();
            let route = Route::direct(endpoint);
            let ctx = CallContext {
                model: ServiceModel::bundled(),
                route: &route,
                credentials: &credentials,
                clock_offset: 0,
                answered_origin: self.answered_origin.as_deref(),
            };
            let mut attempts = Vec::new();
            let report = block_on(call(
                &ctx,
                &self.transport,
                &self.clock,
                operation,
                input,
                |a| attempts.push(a.clone()),
            ));
            for attempt in attempts {
                self.flow
                    .update(&self.spec, Event::Attempted { ticket, attempt });
            }
            self.answered_origin = report.answered_origin();
            Some(report)
        }

        /// Applies an event and answers the calls that follow, one by one,
        /// until the flow asks for something else (a sleep): returns that.
        fn until_first_sleep(&mut self, event: Event) -> Vec<Command> {
            let mut pending = self.event_only(event);
            while let Some(Command::Call {
                ticket,
                operation,
                input,
            }) = pending.last().cloned()
            {
                let report = self.answer(ticket, &operation, &input);
                pending = self.event_only(Event::Answered { ticket, report });
            }
            pending
        }

        fn run(&mut self, mut commands: Vec<Command>) {
            while !commands.is_empty() {
                self.commands.extend(commands.clone());
                let mut next = Vec::new();
                for c in commands {
                    match c {
                        Command::Call {
                            ticket,
                            operation,
                            input,
                        } => {
                            let report = self.answer(ticket, &operation, &input);
                            next.extend(
                                self.flow
                                    .update(&self.spec, Event::Answered { ticket, report }),
                            );
                        }
                        Command::Sleep { ticket, duration } => {
                            *self.clock.now.borrow_mut() += duration;
                            self.clock.slept.borrow_mut().push(duration);
                            next.extend(self.flow.update(&self.spec, Event::Woke { ticket }));
                        }
                        _ => {}
                    }
                }
                commands = next;
            }
        }

        fn methods(&self) -> Vec<String> {
            self.transport
                .seen
                .borrow()
                .iter()
                .map(|r| r.method.clone())
                .collect()
        }

        fn puts(&self) -> Vec<Value> {
            self.transport
                .seen
                .borrow()
                .iter()
                .filter(|r| r.method == "PUT")
                .map(|r| serde_json::from_str(&r.body).unwrap())
                .collect()
        }

        fn confirm_reasons(&self) -> ConfirmReasons {
            match &self.flow.phase {
                Phase::Confirm { reasons, .. } => reasons.clone(),
                other => panic!("not confirming: {other:?}"),
            }
        }
    }

    fn finished(flow: &Flow) -> (&CallReport, Option<&String>, Option<&Prepared>) {
        match &flow.phase {
            Phase::Finished { report, note, .. } => (report, note.as_ref(), flow.resend()),
            other => panic!("not finished: {other:?}"),
        }
    }

    const ENDPOINT: &str = "prod";

    fn endpoint_spec() -> FlowSpec<'static> {
        FlowSpec::update_agent_runtime_endpoint(ServiceModel::bundled())
    }

    fn point(version: &str, random: u8) -> Submission {
        let input =
            json!({"agentRuntimeId": ID, "endpointName": ENDPOINT, "agentRuntimeVersion": version});
        Submission {
            invalid_fields: 0,
            not_ready: None,
            target: Target {
                labels: endpoint_spec().labels(&input),
                ..target(ID)
            },
            input,
            random: [random; 16],
        }
    }

    /// GetAgentRuntimeEndpoint's (or UpdateAgentRuntimeEndpoint's) output.
    fn endpoint(status: &str, live: &str, target: &str, extra: Value) -> String {
        let mut out = json!({
            "agentRuntimeEndpointArn": "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/a-1234567890/runtime-endpoint/prod",
            "agentRuntimeArn": "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/a-1234567890",
            "name": ENDPOINT, "id": "e-1", "status": status, "liveVersion": live,
            "targetVersion": target, "createdAt": 1, "lastUpdatedAt": 2,
        });
        if let (Some(o), Value::Object(e)) = (out.as_object_mut(), extra) {
            o.extend(e);
        }
        out.to_string()
    }

    #[test]
    fn confirming_another_version_than_the_one_named_asks_again() {
        let mut d = Driver::new(vec![
            ok(endpoint("READY", "1", "1", json!({}))),
            answer(202, None, &endpoint("UPDATING", "1", "3", json!({}))),
            ok(endpoint("READY", "3", "3", json!({}))),
        ]);
        d.spec = endpoint_spec();
        d.event(Event::Send(point("2", 1)));
        // The page now points at version 3 (another button, another select).
        d.event(Event::Confirm(point("3", 2)));
        assert!(d.puts().is_empty(), "not sent: the confirmation named 2");
        assert_eq!(d.confirm_reasons().moving.unwrap().target, "3");
        d.event(Event::Confirm(point("3", 3)));
        assert_eq!(d.puts().len(), 1);
        assert_eq!(d.puts()[0]["agentRuntimeVersion"], "3");
    }

    #[test]
    fn pointing_an_endpoint_always_confirms_naming_it_and_both_versions() {
        let mut d = Driver::new(vec![
            ok(endpoint("READY", "1", "1", json!({}))),
            answer(202, None, &endpoint("UPDATING", "1", "2", json!({}))),
            ok(endpoint("UPDATING", "1", "2", json!({}))),
            ok(endpoint("READY", "2", "2", json!({}))),
        ]);
        d.spec = endpoint_spec();
        d.event(Event::Send(point("2", 1)));
        assert_eq!(d.methods(), ["GET"], "nothing written before confirming");
        let reasons = d.confirm_reasons();
        assert_eq!(
            reasons.moving,
            Some(VersionMove {
                resource: ENDPOINT.into(),
                live: "1".into(),
                target: "2".into()
            })
        );
        assert_eq!(reasons.tokens(), "version-move");
        assert_eq!(reasons.cleared, 0);
        d.event(Event::Confirm(point("2", 2)));
        let puts = d.puts();
        assert_eq!(puts.len(), 1);
        assert_eq!(puts[0]["agentRuntimeVersion"], "2");
        assert!(
            puts[0]["clientToken"]
                .as_str()
                .is_some_and(|t| t.len() >= 33)
        );
        assert!(puts[0].get("description").is_none());
        let url = &d.transport.seen.borrow()[1].url;
        assert!(
            url.ends_with("/runtimes/a-1234567890/runtime-endpoints/prod/"),
            "{url}"
        );
        let f = d.flow.follow().unwrap();
        assert!(!f.active());
        assert_eq!(f.status(), Some(&Status::Ready));
        assert_eq!(f.readings.last().unwrap().1, "2", "the live version");
    }

    #[test]
    fn an_endpoint_update_that_fails_is_followed_to_its_reason() {
        let mut d = Driver::new(vec![
            ok(endpoint("READY", "1", "1", json!({}))),
            answer(202, None, &endpoint("UPDATING", "1", "2", json!({}))),
            ok(endpoint(
                "UPDATE_FAILED",
                "1",
                "2",
                json!({"failureReason": "version 2 is not healthy"}),
            )),
        ]);
        d.spec = endpoint_spec();
        d.event(Event::Send(point("2", 1)));
        d.event(Event::Confirm(point("2", 1)));
        let f = d.flow.follow().unwrap();
        assert_eq!(f.status(), Some(&Status::UpdateFailed));
        assert_eq!(
            f.failure_reason.as_deref(),
            Some("version 2 is not healthy")
        );
    }

    #[test]
    fn a_runtime_update_does_not_confirm_without_a_reason() {
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            accepted("READY"),
        ]);
        d.event(Event::Send(submission(ID, 1)));
        assert_eq!(d.methods(), ["GET", "PUT"]);
    }

    #[test]
    fn a_ready_unchanged_runtime_is_checked_then_updated_and_followed_to_ready() {
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            accepted("UPDATING"),
            ok(current("UPDATING", "2", json!({}))),
            ok(current("READY", "2", json!({}))),
        ]);
        d.event(Event::Send(submission(ID, 1)));
        assert_eq!(d.methods(), ["GET", "PUT", "GET", "GET"]);
        let (report, note, resend) = finished(&d.flow);
        assert!(report.outcome.is_ok() && note.is_none() && resend.is_none());
        let f = d.flow.follow().unwrap();
        assert!(!f.active());
        assert_eq!(f.status(), Some(&Status::Ready));
        assert_eq!(f.readings.len(), 3);
        assert_eq!(
            *d.clock.slept.borrow(),
            [Duration::from_secs(1), Duration::from_secs(2)]
        );
        // The review's baseline: the pre-flight's reading, then the READY one.
        assert_eq!(
            d.commands
                .iter()
                .filter(|c| matches!(c, Command::Current(_)))
                .count(),
            2
        );
        assert!(!d.flow.busy());
    }

    #[test]
    fn a_missing_runtime_is_reported_and_never_written() {
        let mut d = Driver::new(vec![answer(
            404,
            Some("ResourceNotFoundException"),
            r#"{"message":"no such runtime"}"#,
        )]);
        d.event(Event::Send(submission(ID, 1)));
        assert_eq!(d.methods(), ["GET"]);
        let (report, note, _) = finished(&d.flow);
        assert_eq!(
            report.outcome.as_ref().unwrap_err().code(),
            "ResourceNotFoundException"
        );
        assert!(note.unwrap().contains("does not exist here"));
    }

    /// Hole 1: a pre-flight that fails for any other reason asks first.
    #[test]
    fn a_failed_preflight_never_leads_to_a_silent_put() {
        let failures: Vec<Vec<Result<HttpResponse, TransportError>>> = vec![
            vec![answer(
                403,
                Some("AccessDeniedException"),
                r#"{"message":"no"}"#,
            )],
            vec![
                answer(429, Some("ThrottlingException"), "{}"),
                answer(429, Some("ThrottlingException"), "{}"),
                answer(429, Some("ThrottlingException"), "{}"),
            ],
            vec![
                answer(500, None, ""),
                answer(502, None, ""),
                answer(503, None, ""),
            ],
            vec![
                Err(TransportError::Timeout(Duration::from_secs(30))),
                Err(TransportError::Timeout(Duration::from_secs(30))),
                Err(TransportError::Timeout(Duration::from_secs(30))),
            ],
            vec![Err(TransportError::CorsBlocked("https://x".into()))],
            vec![ok("not json".into())],
        ];
        for answers in failures {
            let mut d = Driver::new(answers);
            d.event(Event::Send(submission(ID, 1)));
            assert!(d.methods().iter().all(|m| m == "GET"), "{:?}", d.methods());
            let reasons = d.confirm_reasons();
            assert_eq!(reasons.tokens(), "preflight-failed");
            assert!(
                reasons
                    .preflight_failed
                    .unwrap()
                    .contains("GetAgentRuntime")
            );
            // "Send anyway" sends it, once.
            d.transport.answers.borrow_mut().push(accepted("READY"));
            d.event(Event::Confirm(submission(ID, 2)));
            assert_eq!(d.puts().len(), 1);
        }
    }

    #[test]
    fn clearing_members_or_a_runtime_not_ready_asks_first() {
        let mut d = Driver::new(vec![ok(current(
            "UPDATING",
            "3",
            json!({"description": "old", "environmentVariables": {"A": "1"}}),
        ))]);
        d.event(Event::Send(submission(ID, 1)));
        assert!(d.puts().is_empty());
        let reasons = d.confirm_reasons();
        assert_eq!(reasons.cleared, 2);
        assert_eq!(reasons.not_ready, Some(Status::Updating));
        assert_eq!(reasons.tokens(), "cleared not-ready");
        d.event(Event::Cancel);
        assert!(matches!(d.flow.phase, Phase::Idle));
        assert!(d.puts().is_empty());
    }

    #[test]
    fn edits_that_change_what_is_cleared_ask_again() {
        let mut d = Driver::new(vec![ok(current(
            "READY",
            "3",
            json!({"description": "old", "environmentVariables": {"A": "1"}}),
        ))]);
        d.event(Event::Send(submission(ID, 1)));
        assert_eq!(d.confirm_reasons().cleared, 2);
        let mut keep_description = submission(ID, 2);
        keep_description.input["description"] = json!("old");
        d.event(Event::Confirm(keep_description.clone()));
        assert!(d.puts().is_empty());
        assert_eq!(d.confirm_reasons().cleared, 1);
        d.transport.answers.borrow_mut().push(accepted("READY"));
        d.event(Event::Confirm(keep_description));
        assert_eq!(d.puts().len(), 1);
        assert_eq!(d.puts()[0]["description"], "old");
    }

    /// Hole 2: a confirmation belongs to what it checked.
    #[test]
    fn confirming_for_another_runtime_checks_again() {
        let mut d = Driver::new(vec![
            ok(current("READY", "3", json!({"description": "old"}))),
            answer(404, Some("ResourceNotFoundException"), "{}"),
        ]);
        d.event(Event::Send(submission(ID, 1)));
        assert_eq!(d.confirm_reasons().cleared, 1);
        d.event(Event::Confirm(submission("b-9999999999", 2)));
        assert_eq!(d.methods(), ["GET", "GET"]);
        assert!(
            d.transport.seen.borrow()[1]
                .url
                .ends_with("/runtimes/b-9999999999/")
        );
        let (_, note, _) = finished(&d.flow);
        assert!(note.unwrap().contains("does not exist"));
        assert!(d.puts().is_empty());
    }

    #[test]
    fn confirming_with_other_credentials_or_endpoint_checks_again() {
        for change in OTHER_TARGETS {
            let mut d = Driver::new(vec![
                answer(403, Some("AccessDeniedException"), "{}"),
                answer(403, Some("AccessDeniedException"), "{}"),
            ]);
            d.event(Event::Send(submission(ID, 1)));
            let mut other = submission(ID, 2);
            change(&mut other.target);
            d.event(Event::Confirm(other));
            assert_eq!(d.methods(), ["GET", "GET"]);
            assert!(matches!(d.flow.phase, Phase::Confirm { .. }));
        }
    }

    /// Hole 3: one click, one update.
    #[test]
    fn sends_while_in_flight_are_ignored() {
        let mut d = Driver::new(vec![]);
        let first = d.event_only(Event::Send(submission(ID, 1)));
        assert_eq!(
            first
                .iter()
                .filter(|c| matches!(c, Command::Call { .. }))
                .count(),
            1
        );
        assert!(d.flow.busy());
        // A second submit (double click, Enter twice) while checking.
        assert!(d.event_only(Event::Send(submission(ID, 2))).is_empty());
        assert!(d.event_only(Event::Confirm(submission(ID, 2))).is_empty());
        assert!(d.event_only(Event::ResendSameToken(target(ID))).is_empty());
        // The check answers: READY and nothing cleared, so the write goes out.
        d.transport
            .answers
            .borrow_mut()
            .push(ok(current("READY", "1", json!({}))));
        let Command::Call { ticket, .. } = first.last().unwrap().clone() else {
            panic!()
        };
        let report = d.answer(ticket, GET_AGENT_RUNTIME, &json!({"agentRuntimeId": ID}));
        let write = d.event_only(Event::Answered { ticket, report });
        assert!(matches!(d.flow.phase, Phase::Sending { .. }));
        // Clicks during the write send nothing either.
        assert!(d.event_only(Event::Send(submission(ID, 3))).is_empty());
        assert!(d.event_only(Event::Confirm(submission(ID, 3))).is_empty());
        d.transport.answers.borrow_mut().push(accepted("READY"));
        d.run(write);
        assert_eq!(d.puts().len(), 1);
    }

    #[test]
    fn a_confirmation_confirmed_twice_sends_once() {
        let mut d = Driver::new(vec![
            answer(403, Some("AccessDeniedException"), "{}"),
            accepted("READY"),
        ]);
        d.event(Event::Send(submission(ID, 1)));
        let write = d.event_only(Event::Confirm(submission(ID, 2)));
        assert!(d.event_only(Event::Confirm(submission(ID, 2))).is_empty());
        d.run(write);
        assert_eq!(d.puts().len(), 1);
    }

    /// Hole 4: clientToken.
    #[test]
    fn each_send_gets_a_fresh_token_and_retries_reuse_it() {
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            answer(429, Some("ThrottlingException"), "{}"),
            accepted("READY"),
            ok(current("READY", "2", json!({}))),
            accepted("READY"),
        ]);
        d.event(Event::Send(submission(ID, 1)));
        d.event(Event::Send(submission(ID, 2)));
        let puts = d.puts();
        assert_eq!(puts.len(), 3);
        assert_eq!(
            puts[0]["clientToken"], puts[1]["clientToken"],
            "a retry reuses it"
        );
        assert_ne!(
            puts[1]["clientToken"], puts[2]["clientToken"],
            "a new send gets a new one"
        );
    }

    #[test]
    fn a_token_the_user_gave_is_sent_as_is() {
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            accepted("READY"),
        ]);
        let mut s = submission(ID, 1);
        s.input["clientToken"] = json!("my-own-token-0123456789012345678901");
        d.event(Event::Send(s));
        assert_eq!(
            d.puts()[0]["clientToken"],
            "my-own-token-0123456789012345678901"
        );
    }

    #[test]
    fn an_outcome_that_may_have_been_applied_offers_the_identical_request_again() {
        let outcomes: Vec<Vec<Result<HttpResponse, TransportError>>> = vec![
            vec![
                Err(TransportError::Timeout(Duration::from_secs(30))),
                Err(TransportError::Timeout(Duration::from_secs(30))),
                Err(TransportError::Timeout(Duration::from_secs(30))),
            ],
            vec![
                Err(TransportError::Network("h".into())),
                Err(TransportError::Network("h".into())),
                Err(TransportError::Network("h".into())),
            ],
            vec![answer(202, None, "<html>")],
            // Issue 20: however the connection failed (see also
            // a_write_whose_connection_dropped_…, for CORS).
            vec![
                Err(TransportError::Unreachable("h".into())),
                Err(TransportError::Unreachable("h".into())),
                Err(TransportError::Unreachable("h".into())),
            ],
            vec![
                answer(500, Some("InternalServerException"), "{}"),
                answer(500, Some("InternalServerException"), "{}"),
                answer(503, None, ""),
            ],
        ];
        for answers in outcomes {
            let mut script = vec![ok(current("READY", "1", json!({})))];
            script.extend(answers);
            let mut d = Driver::new(script);
            d.event(Event::Send(submission(ID, 1)));
            let (report, _, resend) = finished(&d.flow);
            let code = report.outcome.as_ref().unwrap_err().code();
            assert!(resend.is_some(), "{code} offers a resend");
            d.transport.answers.borrow_mut().push(accepted("READY"));
            d.event(Event::ResendSameToken(target(ID)));
            let puts = d.puts();
            assert_eq!(puts.first(), puts.last());
            assert_eq!(
                d.transport.seen.borrow().last().unwrap().body,
                d.transport.seen.borrow()[1].body,
                "{code}: the identical body"
            );
            assert!(finished(&d.flow).0.outcome.is_ok());
        }
    }

    #[test]
    fn a_resend_to_another_endpoint_or_account_is_refused() {
        for change in OTHER_TARGETS {
            let mut d = Driver::new(vec![
                ok(current("READY", "1", json!({}))),
                answer(202, None, "<html>"),
            ]);
            d.event(Event::Send(submission(ID, 1)));
            assert!(finished(&d.flow).2.is_some());
            let mut now = target(ID);
            change(&mut now);
            d.event(Event::ResendSameToken(now));
            assert_eq!(d.puts().len(), 1, "not sent again");
            let Phase::Blocked { reason: why, .. } = &d.flow.phase else {
                panic!("{:?}", d.flow.phase)
            };
            assert!(why.contains("changed since this request was sent"));
        }
    }

    #[test]
    fn outcomes_that_were_not_applied_offer_no_resend() {
        for answers in [
            vec![answer(
                400,
                Some("ValidationException"),
                r#"{"message":"bad"}"#,
            )],
            vec![answer(409, Some("ConflictException"), "{}")],
        ] {
            let mut script = vec![ok(current("READY", "1", json!({})))];
            script.extend(answers);
            let mut d = Driver::new(script);
            d.event(Event::Send(submission(ID, 1)));
            assert!(finished(&d.flow).2.is_none());
            assert!(d.event_only(Event::ResendSameToken(target(ID))).is_empty());
        }
    }

    #[test]
    fn validation_problems_from_the_service_go_to_the_fields() {
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            answer(
                400,
                Some("ValidationException"),
                r#"{"message":"bad","fieldList":[{"name":"roleArn","message":"bad role"}]}"#,
            ),
        ]);
        d.event(Event::Send(submission(ID, 1)));
        let problems: Vec<_> = d
            .commands
            .iter()
            .filter_map(|c| match c {
                Command::FieldProblems(p) if !p.is_empty() => Some(p.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0][0].message, "bad role");
    }

    /// Hole 6: forgetting the credentials stops everything and drops the signature.
    #[test]
    fn forgetting_credentials_while_sending_stops_and_ignores_the_answer() {
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            accepted("UPDATING"),
        ]);
        let check = d.event_only(Event::Send(submission(ID, 1)));
        let Command::Call { ticket, .. } = check.last().unwrap().clone() else {
            panic!()
        };
        let report = d.answer(ticket, GET_AGENT_RUNTIME, &json!({"agentRuntimeId": ID}));
        let write = d.event_only(Event::Answered { ticket, report });
        let Command::Call { ticket, input, .. } = write.last().unwrap().clone() else {
            panic!()
        };
        assert_eq!(
            d.event_only(Event::CredentialsForgotten),
            [Command::AbandonCalls]
        );
        let Phase::Stopped(why) = &d.flow.phase else {
            panic!("{:?}", d.flow.phase)
        };
        assert!(why.contains("may or may not have reached AgentCore"));
        // The write's answer, if it still arrives, changes nothing.
        let report = d.answer(ticket, UPDATE_AGENT_RUNTIME, &input);
        assert!(d.event_only(Event::Answered { ticket, report }).is_empty());
        assert!(matches!(d.flow.phase, Phase::Stopped(_)));
        assert!(d.flow.follow().is_none() && !d.flow.busy());
    }

    #[test]
    fn forgetting_credentials_stops_following_and_drops_what_was_signed() {
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            accepted("UPDATING"),
        ]);
        // Run until the follow's first sleep, and stop there.
        let pending = d.until_first_sleep(Event::Send(submission(ID, 1)));
        assert!(matches!(pending.last(), Some(Command::Sleep { .. })));
        assert!(finished(&d.flow).0.last_request.is_some());
        assert_eq!(
            d.event_only(Event::CredentialsForgotten),
            [Command::AbandonCalls]
        );
        let (report, _, _) = finished(&d.flow);
        assert!(report.last_request.is_none(), "the signature is dropped");
        assert!(report.outcome.is_ok(), "the outcome stays visible");
        let f = d.flow.follow().unwrap();
        assert!(!f.active());
        assert!(f.note().unwrap().contains("credentials were forgotten"));
        let Some(Command::Sleep { ticket, .. }) = pending.last().cloned() else {
            panic!()
        };
        assert!(d.event_only(Event::Woke { ticket }).is_empty());
    }

    /// Hole 7: no silent dead ends.
    #[test]
    fn a_preflight_that_cannot_be_made_ends_visibly() {
        let mut d = Driver::new(vec![]);
        d.credentials = None;
        d.event(Event::Send(submission(ID, 1)));
        let Phase::Blocked { reason: why, .. } = &d.flow.phase else {
            panic!("{:?}", d.flow.phase)
        };
        assert!(why.contains("Nothing was sent"));
        assert!(!d.flow.busy());
    }

    #[test]
    fn following_that_cannot_go_on_says_so() {
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            accepted("UPDATING"),
        ]);
        let pending = d.until_first_sleep(Event::Send(submission(ID, 1)));
        // The endpoint became invalid (or the credentials went) meanwhile.
        d.credentials = None;
        d.run(pending);
        let f = d.flow.follow().unwrap();
        assert!(!f.active());
        assert!(f.note().unwrap().starts_with("Stopped following"));
    }

    #[test]
    fn following_stops_at_a_failure_with_its_reason_and_after_the_limit() {
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            accepted("UPDATING"),
            ok(current(
                "UPDATE_FAILED",
                "2",
                json!({"failureReason": "image not found"}),
            )),
        ]);
        d.event(Event::Send(submission(ID, 1)));
        let f = d.flow.follow().unwrap();
        assert_eq!(f.status(), Some(&Status::UpdateFailed));
        assert_eq!(f.failure_reason.as_deref(), Some("image not found"));

        let mut answers = vec![ok(current("READY", "1", json!({}))), accepted("UPDATING")];
        answers.extend((0..40).map(|_| ok(current("UPDATING", "2", json!({})))));
        let mut d = Driver::new(answers);
        d.event(Event::Send(submission(ID, 1)));
        let f = d.flow.follow().unwrap();
        assert!(!f.active());
        assert!(f.note().unwrap().contains("after 2 minutes"));
        let waited: Duration = d.clock.slept.borrow().iter().sum();
        assert!(waited >= FOLLOW_LIMIT && waited < FOLLOW_LIMIT + FOLLOW_MAX_DELAY * 2);
        assert!(
            d.clock
                .slept
                .borrow()
                .iter()
                .all(|s| *s <= FOLLOW_MAX_DELAY)
        );
    }

    #[test]
    fn stopping_follow_abandons_the_poll() {
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            accepted("UPDATING"),
        ]);
        let pending = d.until_first_sleep(Event::Send(submission(ID, 1)));
        assert_eq!(d.event_only(Event::StopFollowing), [Command::AbandonCalls]);
        d.run(pending);
        assert_eq!(d.methods(), ["GET", "PUT"]);
        let f = d.flow.follow().unwrap();
        assert!(f.note().unwrap().contains("Stopped following"));
    }

    #[test]
    fn an_invalid_form_or_missing_credentials_blocks_with_a_reason() {
        let mut d = Driver::new(vec![]);
        let mut s = submission(ID, 1);
        s.invalid_fields = 2;
        d.event(Event::Send(s));
        let Phase::Blocked { reason: why, .. } = &d.flow.phase else {
            panic!()
        };
        assert!(why.starts_with("2 fields need attention"));
        let mut s = submission(ID, 1);
        s.not_ready = Some("No credentials: paste them.".into());
        s.target.access_key_id.clear();
        let commands = d.event_only(Event::Send(s));
        assert_eq!(commands, [Command::Focus(Focus::Credentials)]);
        assert!(d.methods().is_empty());
    }

    /// Hole 8: server text is masked before it is cut.
    #[test]
    fn secrets_echoed_by_a_server_are_masked_everywhere() {
        let long = "x".repeat(190);
        let escaped = TOKEN.replace('/', "\\/");
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            answer(202, None, &format!("{long}{TOKEN} and s3cr3t\\/KEY")),
        ]);
        d.event(Event::Send(submission(ID, 1)));
        let text = finished(&d.flow)
            .0
            .outcome
            .as_ref()
            .unwrap_err()
            .to_string();
        assert!(!text.contains("IQoJ"), "no part of the token: {text}");
        assert!(!text.contains("s3cr3t"), "{text}");

        let body = json!({"agentRuntimeArn": "arn", "agentRuntimeId": ID, "agentRuntimeVersion": "2", "status": "UPDATING"}).to_string();
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            answer(
                202,
                None,
                &body.replace("\"arn\"", &format!("\"arn {escaped}\"")),
            ),
            ok(current(
                "UPDATE_FAILED",
                "2",
                json!({"failureReason": format!("bad token {TOKEN}")}),
            )),
        ]);
        d.event(Event::Send(submission(ID, 1)));
        let out = finished(&d.flow)
            .0
            .outcome
            .as_ref()
            .unwrap()
            .json
            .to_string();
        assert!(!out.contains("IQoJ"), "{out}");
        let f = d.flow.follow().unwrap();
        assert!(!f.failure_reason.as_ref().unwrap().contains("IQoJ"));
    }

    /// Issue 20: the connection drops while the write is sent, after the
    /// pre-flight read of the same origin was answered.
    #[test]
    fn a_write_whose_connection_dropped_after_the_check_offers_the_resend_not_cors() {
        let origin = "https://bedrock-agentcore-control.us-east-1.amazonaws.com";
        let dropped = || Err(TransportError::CorsBlocked(origin.into()));
        let mut d = Driver::new(vec![
            ok(current("READY", "1", json!({}))),
            dropped(),
            dropped(),
            dropped(),
            accepted("READY"),
        ]);
        d.event(Event::Send(submission(ID, 1)));
        let (report, _, resend) = finished(&d.flow);
        assert_eq!(report.outcome.as_ref().unwrap_err().code(), "NetworkError");
        assert!(resend.is_some());
        d.event(Event::ResendSameToken(target(ID)));
        let puts = d.puts();
        assert_eq!(puts.len(), 4);
        assert!(
            puts.iter()
                .all(|p| p["clientToken"] == puts[0]["clientToken"])
        );
        assert!(finished(&d.flow).0.outcome.is_ok());
    }
}
