//! Calling an operation: build, sign, send, parse, retrying like the AWS
//! SDKs' standard retry mode
//! (<https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html>):
//! at most 3 attempts, throttling and transient errors (HTTP 500/502/503/504,
//! network failures) retried after `random() × 2^(attempt−1)` seconds
//! (capped at 20 s), with the same input (so the same `clientToken`). Other
//! 4xx answers are never retried.
//!
//! A request rejected for clock skew ("Signature expired … (server time − 5
//! min.)") is re-signed once with the service's time, and the offset is
//! reported so the page can say how far off the user's clock is.
//!
//! A browser reports a dropped connection and a CORS block alike (a
//! `TypeError`). When the page's last call got an answer from the same
//! origin, CORS cannot be the cause: such a failure is reported as a broken
//! connection ([`TransportError::Network`], retried like one), never as
//! [`TransportError::CorsBlocked`] ([`CallContext::answered_origin`]).
//!
//! The network and the clock are passed in ([`Transport`], [`Clock`]) so
//! this runs unchanged on the host in tests and in the browser.

use std::future::Future;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::credentials::{Credentials, CredentialsError, check_usable};
use super::model::ServiceModel;
use super::request::{BuildError, build_request};
use super::response::{HttpResponse, Output, ResponseError, is_retryable, parse_response};
use super::route::Route;
use super::sign::{SignError, SignedRequest, sign};
use super::url::{self, host_without_port};

/// Attempts in all, as the standard retry mode.
pub const MAX_ATTEMPTS: u32 = 3;
/// Upper bound of one backoff delay.
pub const MAX_BACKOFF: Duration = Duration::from_secs(20);
/// How long one attempt may take before it is abandoned.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a request did not get an HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No answer within the timeout.
    #[error("No answer within {} seconds. The endpoint may be unreachable from this network, or the service is slow; check the endpoint URL and try again.", .0.as_secs())]
    Timeout(Duration),
    /// The server could not be reached (connection refused, DNS, offline).
    #[error(
        "Could not connect to {0}: the connection was refused or the host is unreachable. Check the region, the custom endpoint URL (if you set one, it replaces the AWS endpoint) and your network (VPN, proxy)."
    )]
    Unreachable(String),
    /// The server answered, but the browser hid the answer because it lacks
    /// CORS headers for this page's origin.
    #[error(
        "{0} answered, but the browser blocked the response (CORS): the endpoint does not allow calls from this page's origin."
    )]
    CorsBlocked(String),
    /// The connection broke mid-way.
    #[error("The connection to {0} failed before a complete answer arrived.")]
    Network(String),
}

impl TransportError {
    /// The failure as it must be read after the page's last call was
    /// answered by `answered_origin`: the browser's "CORS" for a request to
    /// that origin is a connection that dropped, since it just answered.
    fn seen_after(self, sent_to: &str, answered_origin: Option<&str>) -> Self {
        match self {
            TransportError::CorsBlocked(origin)
                if answered_origin == Some(origin_of(sent_to).as_str()) =>
            {
                TransportError::Network(origin)
            }
            other => other,
        }
    }
}

/// The origin (`scheme://host[:port]`) of a URL.
pub fn origin_of(url: &str) -> String {
    let parts = url::split(url);
    if parts.scheme.is_empty() {
        return url.to_owned();
    }
    format!("{}://{}", parts.scheme, parts.authority)
}

/// Sends a signed request and returns whatever HTTP answer arrives.
pub trait Transport {
    /// Sends one request; gives up after `timeout`.
    fn send(
        &self,
        request: &SignedRequest,
        timeout: Duration,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
}

/// The world's clock and a source of jitter.
pub trait Clock {
    /// Now, by the local clock.
    fn now(&self) -> SystemTime;
    /// Waits.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;
    /// A random number in `[0, 1)` for backoff jitter.
    fn random(&self) -> f64;
}

/// Everything that went wrong with a call, by layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The credentials cannot be used (e.g. expired).
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The request could not be built.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The request could not be signed.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// No HTTP answer.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// An HTTP answer that is an error.
    #[error(transparent)]
    Response(#[from] ResponseError),
}

impl CallError {
    /// A short code for the page (`data-error-code`).
    pub fn code(&self) -> String {
        match self {
            CallError::Credentials(_) => "CredentialsNotUsable".into(),
            CallError::Build(_) => "RequestNotBuilt".into(),
            CallError::Sign(_) => "SigningFailed".into(),
            CallError::Transport(TransportError::Timeout(_)) => "Timeout".into(),
            CallError::Transport(TransportError::Unreachable(_)) => "ConnectionFailed".into(),
            CallError::Transport(TransportError::CorsBlocked(_)) => "CorsBlocked".into(),
            CallError::Transport(TransportError::Network(_)) => "NetworkError".into(),
            CallError::Response(e) => e.code(),
        }
    }
}

/// One attempt, as the page lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// 1-based attempt number.
    pub number: u32,
    /// What happened, in a few words (`HTTP 429 ThrottlingException`).
    pub summary: String,
    /// Wait before the next attempt, if there is one.
    pub retry_after: Option<Duration>,
}

/// The result of a call with everything the page shows about it.
#[derive(Debug, Clone)]
pub struct CallReport {
    /// The answer, or why there is none.
    pub outcome: Result<Output, CallError>,
    /// Every attempt made.
    pub attempts: Vec<Attempt>,
    /// The last request sent, as signed.
    pub last_request: Option<SignedRequest>,
    /// The offset (service time − local time, seconds) learned from a
    /// clock-skew rejection, to use for later calls.
    pub clock_offset: Option<i64>,
}

/// What the page says after a direct call that got no readable answer from
/// an AWS endpoint, or one the browser blocked (CORS): the relay option.
pub const RELAY_ADVICE: &str = "A page on another site can only read AWS's answers if the \
endpoint answers the browser's CORS check, and the AgentCore endpoint may not. The way that \
always works: serve this console and a relay (CloudFront or nginx, configured by the files in \
the repository's deploy/ folder) on one site, then choose “Through this site (relay)” under \
Send through in Region and endpoint. Requests stay signed for AWS in your browser; the relay \
forwards them unchanged and never sees your secret key.";

/// What the page says when a relay with a fixed upstream (a relay URL
/// without `{host}`) passes on a request that AWS refuses with
/// InvalidSignatureException.
pub const RELAY_REGION_ADVICE: &str = "A relay with a fixed upstream forwards to its own \
region's host, which may not be the host this request was signed for (another region or \
endpoint variant): use a relay URL with {host}, such as /aws/{host}, so that the relay \
forwards each request to the host it was signed for.";

/// Where [`RELAY_ADVICE`] links to: docs/deploy.md's "Deploying with the
/// relay" section, when the package declares its repository; otherwise the
/// "Send through" control on this page.
pub const RELAY_GUIDE_URL: &str = if env!("CARGO_PKG_REPOSITORY").is_empty() {
    "#sendVia"
} else {
    concat!(
        env!("CARGO_PKG_REPOSITORY"),
        "/blob/HEAD/docs/deploy.md#deploying-with-the-relay"
    )
};

/// Whether a relayed request's path names the host it was signed for (a
/// relay URL with `{host}`).
fn names_signed_host(request: &SignedRequest) -> bool {
    let Some(host) = request.signed_host() else {
        return false;
    };
    let path = url::split(&request.url).rest;
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/').any(|segment| segment == host)
}

/// Whether a URL's origin (`https://host[:port]`) is an AWS endpoint host.
fn is_aws_origin(origin: &str) -> bool {
    let host = host_without_port(url::split(origin).authority);
    [".amazonaws.com", ".amazonaws.com.cn", ".api.aws"]
        .iter()
        .any(|suffix| host.ends_with(suffix))
}

impl CallReport {
    /// A report before any attempt.
    fn unanswered() -> Self {
        Self {
            outcome: Err(CallError::Build(BuildError::NotAnObject)),
            attempts: Vec::new(),
            last_request: None,
            clock_offset: None,
        }
    }

    /// [`RELAY_ADVICE`] when it applies: the request went straight to the
    /// endpoint (not through a relay) and the browser blocked the answer
    /// (CORS), or an AWS host could not be reached. [`RELAY_REGION_ADVICE`]
    /// when a relay without `{host}` passed on a request that AWS refused
    /// with InvalidSignatureException.
    pub fn relay_advice(&self) -> Option<&'static str> {
        let request = self.last_request.as_ref()?;
        if !request.is_relayed() {
            let applies = match &self.outcome {
                Err(CallError::Transport(TransportError::CorsBlocked(_))) => true,
                Err(CallError::Transport(TransportError::Unreachable(origin))) => {
                    is_aws_origin(origin)
                }
                _ => false,
            };
            return applies.then_some(RELAY_ADVICE);
        }
        let refused = matches!(
            &self.outcome,
            Err(CallError::Response(ResponseError::Service(e))) if e.code == "InvalidSignatureException"
        );
        (refused && !names_signed_host(request)).then_some(RELAY_REGION_ADVICE)
    }

    /// The origin the last request was sent to, when it answered (any HTTP
    /// answer, error or not): what the shell gives the next call as
    /// [`CallContext::answered_origin`].
    pub fn answered_origin(&self) -> Option<String> {
        let request = self.last_request.as_ref()?;
        let answered = !matches!(self.outcome, Err(CallError::Transport(_)));
        answered.then(|| origin_of(&request.url))
    }
}

/// What a call needs besides the input.
pub struct CallContext<'a> {
    /// The service model.
    pub model: &'a ServiceModel,
    /// What to sign for and where to send it: every operation goes this
    /// way.
    pub route: &'a Route,
    /// Whose credentials.
    pub credentials: &'a Credentials,
    /// Known clock offset in seconds (service − local).
    pub clock_offset: i64,
    /// The origin that answered the page's last call, if it was answered
    /// (from [`CallReport::answered_origin`]).
    pub answered_origin: Option<&'a str>,
}

/// `t` moved by `offset` seconds (a clock-skew correction).
pub(crate) fn shifted(t: SystemTime, offset: i64) -> SystemTime {
    if offset >= 0 {
        t + Duration::from_secs(offset as u64)
    } else {
        t - Duration::from_secs(offset.unsigned_abs())
    }
}

/// Calls `operation` with its typed `input` document. `on_attempt` sees
/// each attempt as it finishes (the page shows them live).
pub async fn call<T: Transport, C: Clock>(
    ctx: &CallContext<'_>,
    transport: &T,
    clock: &C,
    operation: &str,
    input: &Value,
    mut on_attempt: impl FnMut(&Attempt),
) -> CallReport {
    let mut report = CallReport {
        outcome: Err(CallError::Build(BuildError::NotAnObject)),
        attempts: Vec::new(),
        last_request: None,
        clock_offset: None,
    };
    if let Err(e) = check_usable(ctx.credentials, clock.now()) {
        report.outcome = Err(e.into());
        return report;
    }
    let endpoint = &ctx.route.endpoint;
    let request = match build_request(ctx.model, operation, &endpoint.url, input) {
        Ok(r) => r,
        Err(e) => {
            report.outcome = Err(e.into());
            return report;
        }
    };
    let mut offset = ctx.clock_offset;
    let mut skew_corrected = false;
    let mut number = 0;
    loop {
        number += 1;
        let signing_time = shifted(clock.now(), offset);
        let signed = match sign(
            &request,
            ctx.credentials,
            &endpoint.signing_region,
            &endpoint.signing_name,
            signing_time,
        ) {
            // Signed for the endpoint; the bytes may go through a relay.
            Ok(s) => s.sent_to(ctx.route.send_url(&request.url)),
            Err(e) => {
                report.outcome = Err(e.into());
                return report;
            }
        };
        let result = transport
            .send(&signed, ATTEMPT_TIMEOUT)
            .await
            .map_err(|e| e.seen_after(&signed.url, ctx.answered_origin));
        report.last_request = Some(signed);
        let outcome: Result<Output, CallError> = match result {
            Ok(mut response) => {
                // Masked before parsing, so that no cut (snippet, message)
                // can leave part of a secret behind.
                let creds = ctx.credentials;
                response.hide_secrets(creds.session_token(), creds.secret_access_key());
                parse_response(ctx.model, operation, &response).map_err(CallError::from)
            }
            Err(e) => Err(e.into()),
        };
        let mut attempt = Attempt {
            number,
            summary: summary_of(&outcome),
            retry_after: None,
        };
        // Clock skew: re-sign once with the service's time.
        if let Err(CallError::Response(ResponseError::Service(e))) = &outcome
            && let (Some(server_time), false) = (e.skew_server_time(), skew_corrected)
        {
            let local = clock.now();
            let new_offset = match server_time.duration_since(local) {
                Ok(ahead) => ahead.as_secs() as i64,
                Err(behind) => -(behind.duration().as_secs() as i64),
            };
            offset = new_offset;
            report.clock_offset = Some(new_offset);
            skew_corrected = true;
            attempt
                .summary
                .push_str(" (clock skew: re-signing with the service's time)");
            attempt.retry_after = Some(Duration::ZERO);
            on_attempt(&attempt);
            report.attempts.push(attempt);
            continue;
        }
        if let Some(delay) = retry_wait(&outcome, &report.attempts, clock) {
            attempt.retry_after = Some(delay);
            on_attempt(&attempt);
            report.attempts.push(attempt);
            clock.sleep(delay).await;
            continue;
        }
        on_attempt(&attempt);
        report.attempts.push(attempt);
        report.outcome = outcome;
        return report;
    }
}

/// What happened to an attempt, in a few words (`HTTP 429 ThrottlingException`).
fn summary_of(outcome: &Result<Output, CallError>) -> String {
    match outcome {
        Ok(out) => format!("HTTP {}", out.status),
        Err(CallError::Response(e)) => format!("HTTP {} {}", e.status(), e.code()),
        Err(e) => e.code(),
    }
}

/// The wait before trying `outcome`'s call again, as the standard retry
/// mode does (throttling, transient errors and network failures; full
/// jitter, at most [`MAX_ATTEMPTS`] in all), or `None`. `attempts` are
/// those made before. [`call`] and [`call_unsigned`] share it.
fn retry_wait<C: Clock>(
    outcome: &Result<Output, CallError>,
    attempts: &[Attempt],
    clock: &C,
) -> Option<Duration> {
    let retryable = match outcome {
        Ok(_) => false,
        Err(CallError::Response(e)) => is_retryable(e),
        Err(CallError::Transport(
            TransportError::Unreachable(_)
            | TransportError::Network(_)
            | TransportError::Timeout(_),
        )) => true,
        Err(_) => false,
    };
    let retries_made = attempts
        .iter()
        .filter(|a| a.retry_after.is_some_and(|d| !d.is_zero()))
        .count() as u32;
    if !retryable || retries_made + 1 >= MAX_ATTEMPTS {
        return None;
    }
    let cap = 2f64
        .powi(retries_made as i32)
        .min(MAX_BACKOFF.as_secs_f64());
    Some(
        Duration::from_secs_f64(clock.random().clamp(0.0, 1.0) * cap).max(Duration::from_millis(1)),
    )
}

/// What an unsigned call needs besides the input.
pub struct UnsignedContext<'a> {
    /// The service model (IAM Identity Center's sign-in or portal).
    pub model: &'a ServiceModel,
    /// Where it goes: the service's endpoint, through the page's relay if
    /// it has one.
    pub route: &'a Route,
    /// As [`CallContext::answered_origin`].
    pub answered_origin: Option<&'a str>,
}

/// Calls `operation` of a service whose operations are unsigned
/// (`smithy.api#noAuth`: IAM Identity Center's sign-in and portal, for
/// [`crate::core::workflow::Effect::CallUnsigned`]): built from the model
/// (a bearer token goes in the header the model binds it to), sent with no
/// `authorization`, parsed with the model, retried like [`call`] (no
/// clock-skew step: nothing is signed).
pub async fn call_unsigned<T: Transport, C: Clock>(
    ctx: &UnsignedContext<'_>,
    transport: &T,
    clock: &C,
    operation: &str,
    input: &Value,
    mut on_attempt: impl FnMut(&Attempt),
) -> CallReport {
    let mut report = CallReport::unanswered();
    let request = match build_request(ctx.model, operation, &ctx.route.endpoint.url, input) {
        Ok(r) => r,
        Err(e) => {
            report.outcome = Err(e.into());
            return report;
        }
    };
    let send_url = ctx.route.send_url(&request.url);
    for number in 1.. {
        let unsigned =
            SignedRequest::unsigned(request.clone(), clock.now()).sent_to(send_url.clone());
        let result = transport
            .send(&unsigned, ATTEMPT_TIMEOUT)
            .await
            .map_err(|e| e.seen_after(&unsigned.url, ctx.answered_origin));
        report.last_request = Some(unsigned);
        let outcome = match result {
            Ok(response) => {
                parse_response(ctx.model, operation, &response).map_err(CallError::from)
            }
            Err(e) => Err(e.into()),
        };
        let attempt = Attempt {
            number,
            summary: summary_of(&outcome),
            retry_after: retry_wait(&outcome, &report.attempts, clock),
        };
        on_attempt(&attempt);
        let wait = attempt.retry_after;
        report.attempts.push(attempt);
        match wait {
            Some(delay) => clock.sleep(delay).await,
            None => {
                report.outcome = outcome;
                break;
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::endpoint::{EndpointParams, EndpointVariant, resolve_endpoint};
    use crate::core::fakes::{FakeClock, Script, answer, block_on};
    use crate::core::model::{
        GET_AGENT_RUNTIME, LIST_AGENT_RUNTIME_VERSIONS, LIST_AGENT_RUNTIMES, UPDATE_AGENT_RUNTIME,
    };
    use crate::core::route::{PageOrigin, parse_relay_url};
    use serde_json::json;
    use std::time::UNIX_EPOCH;

    const OK_BODY: &str = r#"{"agentRuntimeArn":"arn","agentRuntimeId":"a-1234567890","agentRuntimeVersion":"2","createdAt":1,"lastUpdatedAt":2,"status":"UPDATING"}"#;

    fn run(
        answers: Vec<Result<HttpResponse, TransportError>>,
        credentials: Credentials,
    ) -> (CallReport, Vec<SignedRequest>, Vec<Duration>) {
        run_via(answers, credentials, None, UPDATE_AGENT_RUNTIME)
    }

    /// Like [`run`], for any operation, optionally through a relay.
    fn run_via(
        answers: Vec<Result<HttpResponse, TransportError>>,
        credentials: Credentials,
        relay: Option<&str>,
        operation: &str,
    ) -> (CallReport, Vec<SignedRequest>, Vec<Duration>) {
        run_after(answers, credentials, relay, operation, None)
    }

    /// Like [`run_via`], after a call `answered_origin` answered.
    fn run_after(
        answers: Vec<Result<HttpResponse, TransportError>>,
        credentials: Credentials,
        relay: Option<&str>,
        operation: &str,
        answered_origin: Option<&str>,
    ) -> (CallReport, Vec<SignedRequest>, Vec<Duration>) {
        let model = ServiceModel::bundled();
        let endpoint = resolve_endpoint(&EndpointParams {
            region: "us-east-1".into(),
            variant: EndpointVariant::Standard,
            custom_endpoint: None,
        })
        .unwrap();
        let page = PageOrigin::parse("https://console.example.com");
        let route = Route {
            endpoint,
            relay: relay.map(|r| parse_relay_url(r, page.as_ref()).unwrap()),
        };
        let transport = Script::new(answers);
        let clock = FakeClock::new();
        let ctx = CallContext {
            model,
            route: &route,
            credentials: &credentials,
            clock_offset: 0,
            answered_origin,
        };
        let input = json!({"agentRuntimeId": "a-1234567890", "clientToken": "t-0123456789012345678901234567890123"});
        let report = block_on(call(&ctx, &transport, &clock, operation, &input, |_| {}));
        (
            report,
            transport.seen.into_inner(),
            clock.slept.into_inner(),
        )
    }

    fn creds() -> Credentials {
        Credentials::new("ASIAEXAMPLEEXAMPLE12", "secret", Some("token".into()), None)
    }

    #[test]
    fn two_throttles_then_success_on_attempt_three_with_one_body() {
        let (report, seen, slept) = run(
            vec![
                answer(429, Some("ThrottlingException"), "{}"),
                answer(429, Some("ThrottlingException"), "{}"),
                answer(202, None, OK_BODY),
            ],
            creds(),
        );
        assert!(report.outcome.is_ok());
        assert_eq!(report.attempts.len(), 3);
        assert_eq!(seen.len(), 3);
        assert!(
            seen.iter().all(|r| r.body == seen[0].body),
            "same clientToken every time"
        );
        assert_eq!(
            slept,
            vec![Duration::from_millis(500), Duration::from_secs(1)]
        );
    }

    #[test]
    fn a_quoted_session_token_is_hidden_from_the_error_message() {
        let token = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=";
        let credentials = Credentials::new(
            "ASIAEXAMPLEEXAMPLE12",
            "s3cr3t/KEY",
            Some(token.into()),
            None,
        );
        let message = format!(
            "The request signature we calculated does not match.\n\nThe Canonical String for this request should have been\n'PUT\n/runtimes/a-1234567890/\n\nx-amz-security-token:{token}\n'"
        );
        let (report, _, _) = run(
            vec![answer(
                403,
                Some("InvalidSignatureException"),
                &serde_json::json!({ "message": message }).to_string(),
            )],
            credentials,
        );
        let Err(CallError::Response(ResponseError::Service(e))) = &report.outcome else {
            panic!("{:?}", report.outcome)
        };
        assert!(!e.message.contains(token), "{}", e.message);
        assert!(
            e.message
                .contains("x-amz-security-token:(the session token, not shown)\n"),
            "{}",
            e.message
        );
        assert!(e.message.starts_with("The request signature we calculated"));
    }

    #[test]
    fn other_4xx_are_never_retried() {
        let (report, seen, _) = run(
            vec![answer(
                409,
                Some("ConflictException"),
                "{\"message\":\"busy\"}",
            )],
            creds(),
        );
        assert_eq!(seen.len(), 1);
        assert_eq!(report.outcome.unwrap_err().code(), "ConflictException");
    }

    #[test]
    fn gives_up_after_three_attempts() {
        let (report, seen, _) = run(
            vec![
                answer(503, None, ""),
                Err(TransportError::Unreachable("h".into())),
                answer(500, Some("InternalServerException"), "{}"),
            ],
            creds(),
        );
        assert_eq!(seen.len(), 3);
        assert_eq!(
            report.outcome.unwrap_err().code(),
            "InternalServerException"
        );
    }

    #[test]
    fn clock_skew_is_corrected_once_and_reported() {
        let skew = r#"{"message":"Signature expired: 20261118T110640Z is now earlier than 20261118T112140Z (20261118T112640Z - 5 min.)"}"#;
        let (report, seen, _) = run(
            vec![
                answer(403, Some("InvalidSignatureException"), skew),
                answer(202, None, OK_BODY),
            ],
            creds(),
        );
        assert!(report.outcome.is_ok());
        // 1_795_000_000 is 2026-11-18T11:06:40Z; the service said 11:26:40.
        assert_eq!(report.clock_offset, Some(20 * 60));
        assert_eq!(seen[1].header("x-amz-date"), Some("20261118T112640Z"));
    }

    #[test]
    fn every_operation_is_signed_for_aws_and_sent_through_the_relay() {
        for operation in [
            UPDATE_AGENT_RUNTIME,
            GET_AGENT_RUNTIME,
            LIST_AGENT_RUNTIMES,
            LIST_AGENT_RUNTIME_VERSIONS,
        ] {
            let (_, seen, _) = run_via(
                vec![answer(404, Some("ResourceNotFoundException"), "{}")],
                creds(),
                Some("/aws"),
                operation,
            );
            let direct = run_via(
                vec![answer(404, Some("ResourceNotFoundException"), "{}")],
                creds(),
                None,
                operation,
            )
            .1;
            let sent = &seen[0];
            let aws = "https://bedrock-agentcore-control.us-east-1.amazonaws.com";
            let path = direct[0].url.strip_prefix(aws).unwrap();
            assert_eq!(
                sent.url,
                format!("https://console.example.com/aws{path}"),
                "{operation}"
            );
            assert_eq!(
                sent.signed_host(),
                Some("bedrock-agentcore-control.us-east-1.amazonaws.com")
            );
            // the signed path is the operation's, without the relay's prefix
            let canonical_path = sent.canonical_request.split('\n').nth(1).unwrap();
            assert!(canonical_path.starts_with("/runtimes/"), "{canonical_path}");
            assert_eq!(sent.canonical_request, direct[0].canonical_request);
            assert!(sent.is_relayed() && !direct[0].is_relayed());
        }
    }

    #[test]
    fn relayed_calls_keep_retries_and_codes() {
        let (report, seen, slept) = run_via(
            vec![
                answer(429, Some("ThrottlingException"), "{}"),
                answer(409, Some("ConflictException"), "{\"message\":\"busy\"}"),
            ],
            creds(),
            Some("https://relay.example.com/aws"),
            UPDATE_AGENT_RUNTIME,
        );
        assert_eq!(seen.len(), 2);
        assert_eq!(slept.len(), 1);
        assert!(
            seen.iter()
                .all(|r| r.url.starts_with("https://relay.example.com/aws/runtimes/"))
        );
        assert_eq!(report.outcome.unwrap_err().code(), "ConflictException");
    }

    #[test]
    fn a_blocked_or_unreachable_aws_endpoint_suggests_the_relay_in_direct_mode_only() {
        let aws = "https://bedrock-agentcore-control.us-east-1.amazonaws.com";
        let cors = || Err(TransportError::CorsBlocked(aws.into()));
        let unreachable = |origin: &str| Err(TransportError::Unreachable(origin.into()));
        let advice = |answers, relay| {
            run_via(answers, creds(), relay, GET_AGENT_RUNTIME)
                .0
                .relay_advice()
        };
        assert_eq!(advice(vec![cors()], None), Some(RELAY_ADVICE));
        assert_eq!(
            advice(
                vec![unreachable(aws), unreachable(aws), unreachable(aws)],
                None
            ),
            Some(RELAY_ADVICE)
        );
        // through a relay, or another failure: no relay advice
        assert_eq!(advice(vec![cors()], Some("/aws")), None);
        let here = "https://console.example.com";
        assert_eq!(
            advice(
                vec![unreachable(here), unreachable(here), unreachable(here)],
                Some("/aws")
            ),
            None
        );
        assert_eq!(
            advice(vec![answer(403, Some("AccessDeniedException"), "{}")], None),
            None
        );
        assert!(is_aws_origin(
            "https://bedrock-agentcore-control.cn-north-1.amazonaws.com.cn"
        ));
        assert!(is_aws_origin(
            "https://bedrock-agentcore-control.us-east-1.api.aws"
        ));
        assert!(!is_aws_origin("http://127.0.0.1:4566"));
        assert!(!is_aws_origin("https://amazonaws.com.evil.example"));
        assert!(
            RELAY_GUIDE_URL.ends_with("#deploying-with-the-relay") || RELAY_GUIDE_URL == "#sendVia"
        );
    }

    #[test]
    fn a_signature_refused_behind_a_fixed_relay_suggests_host_mode() {
        let refused = || {
            vec![answer(
                403,
                Some("InvalidSignatureException"),
                r#"{"message":"The request signature we calculated does not match"}"#,
            )]
        };
        let advice = |answers, relay| {
            run_via(answers, creds(), relay, GET_AGENT_RUNTIME)
                .0
                .relay_advice()
        };
        assert_eq!(advice(refused(), Some("/aws")), Some(RELAY_REGION_ADVICE));
        assert_eq!(advice(refused(), Some("")), Some(RELAY_REGION_ADVICE));
        // {host} mode forwards to the signed host: the advice would be wrong
        assert_eq!(advice(refused(), Some("/aws/{host}")), None);
        // direct, or another code: none
        assert_eq!(advice(refused(), None), None);
        assert_eq!(
            advice(
                vec![answer(403, Some("AccessDeniedException"), "{}")],
                Some("/aws")
            ),
            None
        );
    }

    #[test]
    fn expired_credentials_are_refused_before_sending() {
        let expired = Credentials::new(
            "ASIAEXAMPLEEXAMPLE12",
            "s",
            Some("t".into()),
            Some(UNIX_EPOCH + Duration::from_secs(1_000)),
        );
        let (report, seen, _) = run(vec![], expired);
        assert!(seen.is_empty());
        assert!(matches!(report.outcome, Err(CallError::Credentials(_))));
    }

    const AWS: &str = "https://bedrock-agentcore-control.us-east-1.amazonaws.com";

    /// Issue 20: a connection dropped during a write is not a CORS block.
    #[test]
    fn a_typeerror_from_an_origin_that_answered_is_a_dropped_connection_not_cors() {
        let cors = || Err(TransportError::CorsBlocked(AWS.into()));
        let after = |answered: Option<&str>| {
            run_after(
                vec![cors(), cors(), cors()],
                creds(),
                None,
                UPDATE_AGENT_RUNTIME,
                answered,
            )
            .0
        };
        let report = after(Some(AWS));
        assert_eq!(report.outcome.as_ref().unwrap_err().code(), "NetworkError");
        assert_eq!(report.attempts.len(), 3, "retried like a broken connection");
        assert!(report.relay_advice().is_none());
        for answered in [None, Some("http://127.0.0.1:4566")] {
            let report = after(answered);
            assert_eq!(report.outcome.as_ref().unwrap_err().code(), "CorsBlocked");
            assert_eq!(report.attempts.len(), 1);
        }
    }

    #[test]
    fn a_report_says_whether_its_origin_answered() {
        let origin = |answers| run(answers, creds()).0.answered_origin();
        let answered = Some(AWS.to_owned());
        assert_eq!(origin(vec![answer(202, None, OK_BODY)]), answered);
        assert_eq!(
            origin(vec![answer(409, Some("ConflictException"), "{}")]),
            answered
        );
        assert_eq!(
            origin(vec![Err(TransportError::CorsBlocked(AWS.into()))]),
            None
        );
        let expired = Credentials::new(
            "ASIAEXAMPLEEXAMPLE12",
            "s",
            Some("t".into()),
            Some(UNIX_EPOCH + Duration::from_secs(1_000)),
        );
        assert_eq!(
            run(vec![], expired).0.answered_origin(),
            None,
            "nothing sent"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:4566/runtimes/a/"),
            "http://127.0.0.1:4566"
        );
    }
}
