//! "Try the agent": InvokeAgentRuntime on the data plane, as a state
//! machine (events in, commands out), with no browser in it.
//!
//! The input is the operation's typed input document (the same form as
//! every other operation, over [`ServiceModel::data_plane`]); the runner
//! builds each call with [`crate::core::request::build_request`] against
//! [`crate::core::endpoint::resolve_data_plane_endpoint`], signs it with
//! [`crate::core::sign::sign`], streams the body back as [`Event::Chunk`]s,
//! and keeps the whole bytes itself for "Save whole response". The view of
//! the answer is [`output::ResponseView`].
//!
//! Phases (`data-state`): `idle`, `sending` (no answer yet), `streaming`
//! (the answer's headers arrived; bytes counted as they come), `done`,
//! `failed`, `stopped` (the user stopped it: what arrived is kept).
//! Times are milliseconds from a clock the shell passes in with each event.

pub mod output;

use std::fmt;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::client::{CallError, shifted};
use super::credentials::{Credentials, check_usable};
use super::model::{INVOKE_AGENT_RUNTIME, ServiceModel};
use super::request::build_request;
use super::response::{Advice, HttpResponse, ResponseError, parse_response};
use super::route::Route;
use super::sign::{SignedRequest, sign};
use super::workflow::{Effect, StreamCall, Streamed, Workflow};
use output::ResponseView;

/// The header the session id travels in, both ways.
pub const SESSION_HEADER: &str = "x-amzn-bedrock-agentcore-runtime-session-id";
/// The input member holding the session id (an idempotency token).
pub const SESSION_MEMBER: &str = "runtimeSessionId";
/// Attempts in the SDKs' standard retry mode (the first one included), as
/// [`super::client`] makes them.
pub const MAX_ATTEMPTS: u32 = super::client::MAX_ATTEMPTS;

/// A new runtime session id: a UUID v4 (36 characters; the service asks
/// for 33 to 256) made from 16 random bytes the caller draws.
pub fn new_session_id(random: [u8; 16]) -> String {
    uuid::Builder::from_random_bytes(random)
        .into_uuid()
        .to_string()
}

/// The qualifier member: an endpoint name or a version.
pub const QUALIFIER_MEMBER: &str = "qualifier";
/// The input member naming the runtime (its ARN, from GetAgentRuntime).
pub const ARN_MEMBER: &str = "agentRuntimeArn";
/// The query member naming the runtime's account, needed when
/// [`ARN_MEMBER`] holds the runtime id instead of the ARN.
pub const ACCOUNT_MEMBER: &str = "accountId";

/// A runtime ARN's account and runtime id
/// (`arn:<partition>:bedrock-agentcore:<region>:<account>:runtime/<id>`),
/// if `arn` is one.
pub fn runtime_arn_parts(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some(_), Some(_), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let id = resource.strip_prefix("runtime/")?;
    let plain = |s: &str| !s.is_empty() && !s.contains([':', '/']);
    (plain(account) && plain(id)).then_some((account, id))
}

/// Names the runtime by its id and `accountId` instead of its ARN, when the
/// request holds an ARN and no account: the same call, with a path label
/// that needs no percent-encoding. curl's `--aws-sigv4` signs the path as
/// sent, while SigV4 encodes a label's `%` again, so curl can only sign a
/// path with nothing encoded in it (the model's documentation of the member
/// allows either form).
pub fn name_runtime_by_id(input: &mut Value) {
    let Some(map) = input.as_object_mut() else {
        return;
    };
    if map.contains_key(ACCOUNT_MEMBER) {
        return;
    }
    let Some((account, id)) = map
        .get(ARN_MEMBER)
        .and_then(Value::as_str)
        .and_then(runtime_arn_parts)
        .map(|(a, i)| (a.to_owned(), i.to_owned()))
    else {
        return;
    };
    map.insert(ARN_MEMBER.into(), Value::String(id));
    map.insert(ACCOUNT_MEMBER.into(), Value::String(account));
}

/// The form's first values: a small JSON prompt, JSON in, a stream or JSON
/// out, the DEFAULT endpoint, and a new session id (from `random`).
pub fn defaults(random: [u8; 16]) -> Value {
    serde_json::json!({
        "payload": "{\"prompt\": \"Hello\"}",
        "contentType": "application/json",
        "accept": "text/event-stream, application/json",
        QUALIFIER_MEMBER: "DEFAULT",
        SESSION_MEMBER: new_session_id(random),
    })
}

/// Why "Invoke agent" cannot send now, in words, if so: no runtime chosen,
/// fields that fail validation, a JWT runtime without its token, or why
/// the page cannot send it (`not_ready`: the data-plane route, and the
/// credentials unless a bearer token is used).
pub fn send_problem(
    input: &Value,
    invalid_fields: usize,
    takes_bearer: bool,
    bearer: &str,
    not_ready: Option<String>,
) -> Option<String> {
    if input
        .get(ARN_MEMBER)
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Some(
            "Choose a runtime in the runtime picker first: the call goes to its ARN.".into(),
        );
    }
    if invalid_fields > 0 {
        return Some(format!(
            "{invalid_fields} {} of the call {} attention (marked above).",
            super::text::plural(invalid_fields, "field", "fields"),
            super::text::plural(invalid_fields, "needs", "need")
        ));
    }
    if takes_bearer && bearer.trim().is_empty() {
        return Some(
            "This runtime takes a bearer token from its identity provider: paste it in invoke.bearerToken."
                .into(),
        );
    }
    not_ready
}

/// The CloudWatch console's page of a runtime endpoint's logs: log group
/// `/aws/bedrock-agentcore/runtimes/<agentRuntimeId>-<endpointName>` in
/// `region` (the console's fragment encodes `/` as `$252F`).
pub fn logs_url(region: &str, runtime_id: &str, endpoint: &str) -> String {
    let group = format!("/aws/bedrock-agentcore/runtimes/{runtime_id}-{endpoint}");
    let encoded = super::request::percent_encode(&group).replace('%', "$25");
    format!(
        "https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#logsV2:log-groups/log-group/{encoded}"
    )
}

/// A bearer token for a runtime with a JWT authorizer
/// (`authorizerConfiguration.customJWTAuthorizer`), which takes
/// `Authorization: Bearer <token>` instead of SigV4. Memory only; never
/// printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Bearer(pub String);

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bearer(<redacted>)")
    }
}

/// Whether a runtime (GetAgentRuntime's output, or the request a
/// configuration makes) takes a bearer token rather than SigV4.
pub fn takes_bearer_token(runtime: &Value) -> bool {
    runtime
        .get("authorizerConfiguration")
        .and_then(|a| a.get("customJWTAuthorizer"))
        .is_some_and(|j| !j.is_null())
}

/// How a call is authorized.
pub enum Auth<'a> {
    /// SigV4 with these credentials, at local time + `clock_offset` s.
    SigV4 {
        /// Whose credentials.
        credentials: &'a Credentials,
        /// Service time − local time, in seconds.
        clock_offset: i64,
    },
    /// `Authorization: Bearer <token>`, unsigned.
    Bearer(&'a str),
}

/// Builds one attempt of the call at `now`: InvokeAgentRuntime for `input`
/// on `route`'s data-plane endpoint, signed (or carrying the bearer token),
/// addressed to the relay when there is one.
pub fn prepare(
    route: &Route,
    input: &Value,
    auth: Auth<'_>,
    now: SystemTime,
) -> Result<SignedRequest, CallError> {
    let endpoint = &route.endpoint;
    let mut request = build_request(
        ServiceModel::data_plane(),
        INVOKE_AGENT_RUNTIME,
        &endpoint.url,
        input,
    )?;
    let signed = match auth {
        Auth::SigV4 {
            credentials,
            clock_offset,
        } => {
            check_usable(credentials, now)?;
            sign(
                &request,
                credentials,
                &endpoint.signing_region,
                &endpoint.signing_name,
                shifted(now, clock_offset),
            )?
        }
        Auth::Bearer(token) => {
            request
                .headers
                .push(("authorization".into(), format!("Bearer {}", token.trim())));
            SignedRequest::unsigned(request, now)
        }
    };
    let url = route.send_url(&signed.url);
    Ok(signed.sent_to(url))
}

/// The failure an error answer (status, headers, whole body) is, read with
/// the data-plane model; `secrets` (session token, secret key) masked first.
pub fn failure_of(mut answer: HttpResponse, secrets: Option<&Credentials>) -> Failure {
    if let Some(c) = secrets {
        answer.hide_secrets(c.session_token(), c.secret_access_key());
    }
    match parse_response(ServiceModel::data_plane(), INVOKE_AGENT_RUNTIME, &answer) {
        Err(e) => Failure::Service(e),
        Ok(_) => Failure::Transport(format!("Unexpected answer (HTTP {}).", answer.status)),
    }
}

/// For an answer refusing the signature's time, the clock offset (service
/// − local, seconds) to sign with again, as [`super::client`] does once.
pub fn skew_offset(failure: &Failure, local: SystemTime) -> Option<i64> {
    let Failure::Service(ResponseError::Service(e)) = failure else {
        return None;
    };
    let server = e.skew_server_time()?;
    Some(match server.duration_since(local) {
        Ok(ahead) => ahead.as_secs() as i64,
        Err(behind) => -(behind.duration().as_secs() as i64),
    })
}

/// What an invoke error means and what to do, when known (`for_user`:
/// `runtimeUserId` was set, which takes another action).
pub fn advice(code: &str, for_user: bool) -> Option<Advice> {
    let (meaning, action) = match code {
        "AccessDeniedException" if for_user => (
            "Your credentials may not invoke this runtime for a user (IAM policy, SCP or permission boundary), or the bearer token was refused.",
            "Ask for bedrock-agentcore:InvokeAgentRuntimeForUser (runtimeUserId is set) and bedrock-agentcore:InvokeAgentRuntime on the runtime and its endpoint ARNs (runtime/<id>/runtime-endpoint/<name>).",
        ),
        "AccessDeniedException" => (
            "Your credentials may not invoke this runtime (IAM policy, SCP or permission boundary), or the bearer token was refused.",
            "Ask for bedrock-agentcore:InvokeAgentRuntime on the runtime and its endpoint ARNs (runtime/<id>/runtime-endpoint/<name>); for a JWT runtime, get a fresh token from its identity provider.",
        ),
        "RuntimeClientError" => (
            "The agent itself failed while answering: the message below is the agent's own text (untrusted).",
            "Open the runtime's logs (link below) to see why, fix the agent or the payload, and invoke again.",
        ),
        "ResourceNotFoundException" => (
            "No such runtime, endpoint or version in this account and region.",
            "Check the qualifier (an endpoint name such as DEFAULT, or a version) and the region; list the endpoints.",
        ),
        "ValidationException" => (
            "AgentCore rejected a value of the call.",
            "Check the payload, the content type and the session id (33 to 256 characters), then invoke again.",
        ),
        "RetryableConflictException" => (
            "The session is busy with another call.",
            "The console already retried; wait until the other call ends, or press “New session”.",
        ),
        "ServiceQuotaExceededException" => (
            "Too many sessions or calls for this runtime's quota.",
            "Wait, reuse a session, or request a quota increase in Service Quotas.",
        ),
        "InternalServerException" => (
            "AgentCore failed internally; the agent may or may not have run.",
            "Invoke again; if it persists, contact AWS Support with the request id.",
        ),
        _ => return super::response::advice(code),
    };
    Some(Advice { meaning, action })
}

/// Whether a failed attempt is tried again, as the standard retry mode
/// would, but stricter since an invoke runs the agent: only for errors the
/// model marks `retryable` (RetryableConflictException), never once a byte
/// of the answer's body arrived, never for a failure without a service
/// answer (`error` is `None`: the network failed, the agent may have run),
/// and at most [`MAX_ATTEMPTS`] attempts in all.
pub fn should_retry(
    model: &ServiceModel,
    error: Option<&ResponseError>,
    body_bytes_received: u64,
    attempts_made: u32,
) -> bool {
    let Some(error) = error else {
        return false;
    };
    if body_bytes_received > 0 || attempts_made >= MAX_ATTEMPTS {
        return false;
    }
    let code = error.code();
    let Ok(op) = model.operation(INVOKE_AGENT_RUNTIME) else {
        return false;
    };
    op.errors
        .iter()
        .any(|e| *e == code && model.find_shape(e).is_some_and(|s| s.retryable))
}

/// The wait before attempt `attempt + 1`, as [`super::client`] waits (the
/// standard mode's full jitter): `jitter` (a random number in `[0, 1)`,
/// drawn by the shell) × min(2^(attempt−1) s, 20 s), at least 1 ms.
pub fn retry_delay(attempt: u32, jitter: f64) -> Duration {
    let cap = 2f64
        .powi(attempt.saturating_sub(1).min(16) as i32)
        .min(super::client::MAX_BACKOFF.as_secs_f64());
    Duration::from_secs_f64(jitter.clamp(0.0, 1.0) * cap).max(Duration::from_millis(1))
}

/// Why an attempt ended without an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The service answered with an error (parsed from the data-plane
    /// model with [`crate::core::response::parse_response`]).
    Service(ResponseError),
    /// No answer, or the stream broke: the transport's message.
    Transport(String),
}

impl Failure {
    /// A sentence for the page.
    pub fn message(&self) -> String {
        match self {
            Self::Service(e) => e.to_string(),
            Self::Transport(m) => m.clone(),
        }
    }
}

/// What arrived of the answer.
#[derive(Debug, Clone)]
pub struct Received {
    /// HTTP status.
    pub status: u16,
    /// The session id the service answered with (its header).
    pub session_id: Option<String>,
    /// The answer's `Content-Type`.
    pub content_type: Option<String>,
    /// Milliseconds from the send to the answer's headers.
    pub first_byte_ms: u64,
    /// The view (bytes counted, the kept tail, events).
    pub view: ResponseView,
}

/// Timing of a finished invoke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Milliseconds from the send to the answer's headers, if they came.
    pub first_byte_ms: Option<u64>,
    /// Milliseconds from the send to the end.
    pub total_ms: u64,
}

/// Where an invoke is.
#[derive(Debug, Clone)]
pub enum Phase {
    /// Nothing sent.
    Idle,
    /// Sent (attempt `attempt`, from 1); no answer yet.
    Sending {
        /// The call in flight.
        call: u64,
        /// Which attempt this is.
        attempt: u32,
        /// The session id sent.
        session_id: String,
        /// Clock at the user's send.
        started_ms: u64,
    },
    /// The answer is arriving.
    Streaming {
        /// The call in flight.
        call: u64,
        /// The session id sent.
        session_id: String,
        /// Clock at the user's send.
        started_ms: u64,
        /// What arrived so far.
        received: Received,
    },
    /// The whole answer arrived.
    Done {
        /// The session id sent.
        session_id: String,
        /// The answer.
        received: Received,
        /// How long it took.
        timing: Timing,
    },
    /// It failed; what arrived before, if anything, is kept.
    Failed {
        /// The session id sent.
        session_id: String,
        /// Why.
        failure: Failure,
        /// Part of an answer that arrived before the failure.
        received: Option<Received>,
        /// How long it took.
        timing: Timing,
    },
    /// The user stopped it; what arrived is kept.
    Stopped {
        /// The session id sent.
        session_id: String,
        /// What arrived before the stop.
        received: Option<Received>,
        /// How long it ran.
        timing: Timing,
    },
}

impl Phase {
    /// The `data-state` name of the phase.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Sending { .. } => "sending",
            Self::Streaming { .. } => "streaming",
            Self::Done { .. } => "done",
            Self::Failed { .. } => "failed",
            Self::Stopped { .. } => "stopped",
        }
    }

    /// Whether a call is in flight (Send is ignored, Stop is offered).
    pub fn is_running(&self) -> bool {
        matches!(self, Self::Sending { .. } | Self::Streaming { .. })
    }

    /// What arrived, in any phase that has it.
    pub fn received(&self) -> Option<&Received> {
        match self {
            Self::Streaming { received, .. } | Self::Done { received, .. } => Some(received),
            Self::Failed { received, .. } | Self::Stopped { received, .. } => received.as_ref(),
            _ => None,
        }
    }

    /// Its session id, and once it ended its timing and failure.
    pub fn outcome(&self) -> (Option<&String>, Option<&Timing>, Option<&Failure>) {
        match self {
            Self::Idle => (None, None, None),
            Self::Sending { session_id, .. } | Self::Streaming { session_id, .. } => {
                (Some(session_id), None, None)
            }
            Self::Done {
                session_id, timing, ..
            }
            | Self::Stopped {
                session_id, timing, ..
            } => (Some(session_id), Some(timing), None),
            Self::Failed {
                session_id,
                timing,
                failure,
                ..
            } => (Some(session_id), Some(timing), Some(failure)),
        }
    }
}

/// What the shell tells the machine.
#[derive(Debug, Clone)]
pub enum Event {
    /// The user sends `input` (InvokeAgentRuntime's typed input). An empty
    /// `runtimeSessionId` is filled from `random`.
    Send {
        /// The typed input document.
        input: Value,
        /// The bearer token of a JWT runtime (`None`: sign with SigV4).
        bearer: Option<Bearer>,
        /// 16 random bytes for a new session id.
        random: [u8; 16],
        /// Clock, in milliseconds.
        now_ms: u64,
    },
    /// The attempt was sent, signed this way (SigV4 calls only).
    Signed {
        /// The call it belongs to.
        call: u64,
        /// What was signed.
        request: SignedRequest,
    },
    /// The answer's status and headers arrived (2xx).
    Headers {
        /// The call they belong to.
        call: u64,
        /// HTTP status.
        status: u16,
        /// Response headers.
        headers: Vec<(String, String)>,
        /// Clock, in milliseconds.
        now_ms: u64,
    },
    /// The next bytes of the body.
    Chunk {
        /// The call they belong to.
        call: u64,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// The body ended.
    End {
        /// The call that ended.
        call: u64,
        /// Clock, in milliseconds.
        now_ms: u64,
    },
    /// The attempt failed (an error answer, read whole, or no answer).
    Failed {
        /// The call that failed.
        call: u64,
        /// Why.
        failure: Failure,
        /// A random number in `[0, 1)` for a retry's backoff.
        jitter: f64,
        /// Clock, in milliseconds.
        now_ms: u64,
    },
    /// The user stops the invoke.
    Stop {
        /// Clock, in milliseconds.
        now_ms: u64,
    },
    /// Back to idle (a new try; the form is untouched).
    Reset,
    /// The credentials were forgotten: stop as [`Event::Stop`] would (at
    /// the last known time), drop the bearer token and what was signed.
    Forgotten,
}

/// What the shell must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// After `delay`, build, sign and send `input`, streaming the answer
    /// back as events of `call`.
    Call {
        /// Identifies the call in later events.
        call: u64,
        /// The typed input, session id filled.
        input: Value,
        /// Wait this long first (a retry's backoff; zero for a send).
        delay: Duration,
        /// Send unsigned with this bearer token (`None`: sign).
        bearer: Option<Bearer>,
        /// Sign with this clock offset (service − local, seconds) from now
        /// on, not the page's: the service refused the last signature's time.
        clock_offset: Option<i64>,
    },
    /// Abandon the call (and its pending wait).
    Abort {
        /// The call to abandon.
        call: u64,
    },
}

/// The invoke workflow.
#[derive(Debug)]
pub struct Invoke {
    model: &'static ServiceModel,
    phase: Phase,
    /// The input of the current invoke (kept for retries).
    input: Value,
    /// Its bearer token, if the runtime takes one (kept for retries).
    bearer: Option<Bearer>,
    /// What the last SigV4 attempt signed ("What was signed").
    signed: Option<SignedRequest>,
    /// Whether this invoke was signed again with the service's time (once).
    skew_corrected: bool,
    next_call: u64,
}

impl Invoke {
    /// An idle invoke over the bundled data-plane model.
    pub fn new() -> Self {
        Self::with_model(ServiceModel::data_plane())
    }

    /// An idle invoke over `model`.
    pub fn with_model(model: &'static ServiceModel) -> Self {
        Self {
            model,
            phase: Phase::Idle,
            input: Value::Null,
            bearer: None,
            signed: None,
            skew_corrected: false,
            next_call: 0,
        }
    }

    /// Where the invoke is.
    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// What the last SigV4 attempt signed, if the last invoke was signed.
    pub fn signed(&self) -> Option<&SignedRequest> {
        self.signed.as_ref()
    }

    /// Whether the last invoke was sent with a bearer token.
    pub fn sent_with_bearer(&self) -> bool {
        self.bearer.is_some()
    }

    fn new_call(&mut self) -> u64 {
        self.next_call += 1;
        self.next_call
    }

    fn is_current(&self, event_call: u64) -> bool {
        matches!(
            self.phase,
            Phase::Sending { call, .. } | Phase::Streaming { call, .. } if call == event_call
        )
    }

    /// Applies an event; returns the commands to run.
    pub fn update(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Send {
                mut input,
                bearer,
                random,
                now_ms,
            } => {
                if self.phase.is_running() {
                    return Vec::new();
                }
                let session_id = match input.get(SESSION_MEMBER).and_then(Value::as_str) {
                    Some(id) if !id.is_empty() => id.to_owned(),
                    _ => {
                        let id = new_session_id(random);
                        if let Some(map) = input.as_object_mut() {
                            map.insert(SESSION_MEMBER.to_owned(), Value::String(id.clone()));
                        }
                        id
                    }
                };
                let call = self.new_call();
                self.input = input.clone();
                self.bearer = bearer.clone();
                self.signed = None;
                self.skew_corrected = false;
                self.phase = Phase::Sending {
                    call,
                    attempt: 1,
                    session_id,
                    started_ms: now_ms,
                };
                vec![Command::Call {
                    call,
                    input,
                    delay: Duration::ZERO,
                    bearer,
                    clock_offset: None,
                }]
            }
            Event::Signed { call, request } if self.is_current(call) => {
                self.signed = Some(request);
                Vec::new()
            }
            Event::Headers {
                call,
                status,
                headers,
                now_ms,
            } if self.is_current(call) => {
                let Phase::Sending {
                    session_id,
                    started_ms,
                    ..
                } = std::mem::replace(&mut self.phase, Phase::Idle)
                else {
                    return Vec::new();
                };
                let header = |name: &str| {
                    headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.clone())
                };
                let content_type = header("content-type");
                self.phase = Phase::Streaming {
                    call,
                    session_id,
                    started_ms,
                    received: Received {
                        status,
                        session_id: header(SESSION_HEADER),
                        view: ResponseView::new(content_type.as_deref()),
                        content_type,
                        first_byte_ms: now_ms.saturating_sub(started_ms),
                    },
                };
                Vec::new()
            }
            Event::Chunk { call, bytes } if self.is_current(call) => {
                if let Phase::Streaming { received, .. } = &mut self.phase {
                    received.view.push(&bytes);
                }
                Vec::new()
            }
            Event::End { call, now_ms } if self.is_current(call) => {
                if let Phase::Streaming {
                    session_id,
                    started_ms,
                    mut received,
                    ..
                } = std::mem::replace(&mut self.phase, Phase::Idle)
                {
                    received.view.finish();
                    self.phase = Phase::Done {
                        session_id,
                        timing: Timing {
                            first_byte_ms: Some(received.first_byte_ms),
                            total_ms: now_ms.saturating_sub(started_ms),
                        },
                        received,
                    };
                }
                Vec::new()
            }
            Event::Failed {
                call,
                failure,
                jitter,
                now_ms,
            } if self.is_current(call) => self.fail(failure, jitter, now_ms),
            Event::Forgotten => {
                self.bearer = None;
                self.signed = None;
                let now_ms = match &self.phase {
                    Phase::Sending { started_ms, .. } => *started_ms,
                    Phase::Streaming {
                        started_ms,
                        received,
                        ..
                    } => started_ms + received.first_byte_ms,
                    _ => return Vec::new(),
                };
                self.update(Event::Stop { now_ms })
            }
            Event::Stop { now_ms } => {
                let (call, session_id, started_ms, received) =
                    match std::mem::replace(&mut self.phase, Phase::Idle) {
                        Phase::Sending {
                            call,
                            session_id,
                            started_ms,
                            ..
                        } => (call, session_id, started_ms, None),
                        Phase::Streaming {
                            call,
                            session_id,
                            started_ms,
                            mut received,
                        } => {
                            received.view.finish();
                            (call, session_id, started_ms, Some(received))
                        }
                        other => {
                            self.phase = other;
                            return Vec::new();
                        }
                    };
                self.phase = Phase::Stopped {
                    session_id,
                    timing: Timing {
                        first_byte_ms: received.as_ref().map(|r| r.first_byte_ms),
                        total_ms: now_ms.saturating_sub(started_ms),
                    },
                    received,
                };
                vec![Command::Abort { call }]
            }
            Event::Reset => {
                if self.phase.is_running() {
                    return Vec::new();
                }
                self.phase = Phase::Idle;
                Vec::new()
            }
            // Events of an abandoned call.
            _ => Vec::new(),
        }
    }

    fn fail(&mut self, failure: Failure, jitter: f64, now_ms: u64) -> Vec<Command> {
        let phase = std::mem::replace(&mut self.phase, Phase::Idle);
        let (session_id, started_ms, attempt, received) = match phase {
            Phase::Sending {
                session_id,
                started_ms,
                attempt,
                ..
            } => (session_id, started_ms, attempt, None),
            Phase::Streaming {
                session_id,
                started_ms,
                mut received,
                ..
            } => {
                received.view.finish();
                (session_id, started_ms, MAX_ATTEMPTS, Some(received))
            }
            other => {
                self.phase = other;
                return Vec::new();
            }
        };
        let bytes = received.as_ref().map_or(0, |r| r.view.total_bytes());
        let error = match &failure {
            Failure::Service(e) => Some(e),
            Failure::Transport(_) => None,
        };
        // A signature the service refused for its time: signed again at
        // once with the service's time, once per invoke (as the control
        // plane's calls are), not counted as an attempt.
        let local = std::time::UNIX_EPOCH + Duration::from_millis(now_ms);
        let skew = match skew_offset(&failure, local) {
            Some(offset) if received.is_none() && self.bearer.is_none() && !self.skew_corrected => {
                Some(offset)
            }
            _ => None,
        };
        let retry = received.is_none() && should_retry(self.model, error, bytes, attempt);
        if skew.is_some() || retry {
            self.skew_corrected |= skew.is_some();
            let call = self.new_call();
            self.phase = Phase::Sending {
                call,
                attempt: if skew.is_some() { attempt } else { attempt + 1 },
                session_id,
                started_ms,
            };
            return vec![Command::Call {
                call,
                input: self.input.clone(),
                delay: if skew.is_some() {
                    Duration::ZERO
                } else {
                    retry_delay(attempt, jitter)
                },
                bearer: self.bearer.clone(),
                clock_offset: skew,
            }];
        }
        self.phase = Phase::Failed {
            session_id,
            failure,
            timing: Timing {
                first_byte_ms: received.as_ref().map(|r| r.first_byte_ms),
                total_ms: now_ms.saturating_sub(started_ms),
            },
            received,
        };
        Vec::new()
    }
}

impl Default for Invoke {
    fn default() -> Self {
        Self::new()
    }
}

/// The invoke runs in the page's one runner: a call is a streamed call
/// ([`Effect::Stream`]), Stop abandons it.
impl Workflow for Invoke {
    type Context = ();
    type Event = Event;
    type Command = Command;
    type Show = ();

    fn update(&mut self, _: &(), event: Event) -> Vec<Command> {
        Invoke::update(self, event)
    }

    fn effect(command: Command) -> Effect<()> {
        match command {
            Command::Call {
                call,
                input,
                delay,
                bearer,
                clock_offset,
            } => Effect::Stream(StreamCall {
                ticket: call,
                input,
                delay,
                bearer,
                clock_offset,
            }),
            Command::Abort { .. } => Effect::AbandonCalls,
        }
    }

    fn answered(ticket: u64, _: Option<super::client::CallReport>) -> Event {
        // An invoke makes no plain call; were one answered, it ends it.
        Event::Failed {
            call: ticket,
            failure: Failure::Transport(super::workflow::NOT_CALLED.into()),
            jitter: 0.0,
            now_ms: 0,
        }
    }

    fn streamed(ticket: u64, part: Streamed, now_ms: u64, jitter: f64) -> Option<Event> {
        let call = ticket;
        Some(match part {
            Streamed::Signed(request) => Event::Signed { call, request },
            Streamed::Headers { status, headers } => Event::Headers {
                call,
                status,
                headers,
                now_ms,
            },
            Streamed::Chunk(bytes) => Event::Chunk { call, bytes },
            Streamed::End => Event::End { call, now_ms },
            Streamed::Failed(failure) => Event::Failed {
                call,
                failure,
                jitter,
                now_ms,
            },
        })
    }

    fn forgotten() -> Event {
        Event::Forgotten
    }
}

#[cfg(test)]
mod tests;
