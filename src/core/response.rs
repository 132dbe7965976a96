//! rest-json responses: the output document of a success, and the error of a
//! failure, parsed as the AWS SDKs do
//! (<https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization>):
//! the error code comes from the `x-amzn-ErrorType` header (text before `:`),
//! else the body's `__type` (text after `#`), else its `code`; the message
//! from `message` or `Message`; the request id from `x-amzn-RequestId`.
//!
//! Nothing here panics on what a server sends: bodies that are not JSON
//! (an HTML page from a proxy, an empty body) become typed errors that carry
//! the status and a short snippet.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::draft::{MAP_VALUE, entry_position};
use super::member_path::{MemberPath, Segment};
use super::model::{ServiceModel, Shape, ShapeKind};
use super::sign::HIDDEN_SESSION_TOKEN;
use super::timestamp::{Offsets, format_rfc3339, parse_http_date, parse_rfc3339};

/// An HTTP response as the transport received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers (names in any case).
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
}

impl HttpResponse {
    /// A header value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The AWS request id (`x-amzn-RequestId`, or S3-style `x-amz-request-id`).
    pub fn request_id(&self) -> Option<String> {
        self.header("x-amzn-requestid")
            .or_else(|| self.header("x-amz-request-id"))
            .map(str::to_owned)
    }
}

/// A successful answer, parsed into the operation's output shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// HTTP status (202 for UpdateAgentRuntime).
    pub status: u16,
    /// The output document as received.
    pub json: Value,
    /// Every timestamp member, by member path, as an instant.
    pub timestamps: Vec<(String, SystemTime)>,
    /// The request id.
    pub request_id: Option<String>,
}

impl Output {
    /// The instant at a member path, e.g. `lastUpdatedAt`.
    pub fn timestamp(&self, path: &str) -> Option<SystemTime> {
        self.timestamps
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| *t)
    }
}

/// One entry of a `ValidationException`'s `fieldList`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field name as the service wrote it.
    pub name: String,
    /// The service's message about it.
    pub message: String,
    /// The request path it names, when it names a member of the request
    /// (see [`field_path`]; map entries by key).
    pub path: Option<MemberPath>,
}

/// An error the service (or something in front of it) answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// Error code, e.g. `ConflictException`.
    pub code: String,
    /// The service's message (may be empty).
    pub message: String,
    /// HTTP status.
    pub status: u16,
    /// Request id, for AWS Support.
    pub request_id: Option<String>,
    /// Whether the operation's model lists this error.
    pub modeled: bool,
    /// `ValidationException.reason`.
    pub reason: Option<String>,
    /// `ValidationException.fieldList`.
    pub fields: Vec<FieldProblem>,
    /// The server's clock, when the response gives it (`Date` header).
    pub server_date: Option<SystemTime>,
}

impl ServiceError {
    /// For a request rejected because its signing time is too far from the
    /// service's clock ("Signature expired: X is now earlier than Y (Z - 5
    /// min.)"), the service's time `Z`.
    pub fn skew_server_time(&self) -> Option<SystemTime> {
        if self.code != "InvalidSignatureException" && self.code != "SignatureDoesNotMatch" {
            return None;
        }
        let m = &self.message;
        if !(m.contains("Signature expired") || m.contains("Signature not yet current")) {
            return None;
        }
        let inside = m.rsplit_once('(')?.1;
        let stamp = inside.split_whitespace().next()?;
        parse_amz_date(stamp).or(self.server_date)
    }
}

/// Why a response is not a usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// The service answered with an error.
    #[error("{}", service_error_line(.0))]
    Service(Box<ServiceError>),
    /// An error status with a body that is not JSON (typically an HTML page
    /// from a proxy or load balancer).
    #[error("HTTP {status} with a body that is not JSON{}: “{snippet}”. This usually comes from a proxy, gateway or load balancer between you and AWS, not from AgentCore.", content_type_suffix(.content_type))]
    NotJson {
        /// HTTP status.
        status: u16,
        /// `Content-Type` of the body.
        content_type: Option<String>,
        /// The first characters of the body.
        snippet: String,
        /// Request id, if any.
        request_id: Option<String>,
    },
    /// An error status with an empty body.
    #[error("HTTP {status} with an empty body: the server gave no reason.{}", if *.status >= 500 { " It is a server-side failure; try again in a moment." } else { "" })]
    EmptyBody {
        /// HTTP status.
        status: u16,
        /// Request id, if any.
        request_id: Option<String>,
    },
    /// A success status whose body cannot be read as the operation's output.
    #[error(
        "HTTP {status} (success), but the body is not the expected JSON output: “{snippet}”. The update may have been accepted: check the runtime's status before sending again."
    )]
    BadOutput {
        /// HTTP status.
        status: u16,
        /// The first characters of the body.
        snippet: String,
        /// Request id, if any.
        request_id: Option<String>,
    },
}

fn content_type_suffix(content_type: &Option<String>) -> String {
    content_type
        .as_ref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default()
}

fn service_error_line(e: &ServiceError) -> String {
    if e.message.is_empty() {
        format!("{} (HTTP {})", e.code, e.status)
    } else {
        format!("{} (HTTP {}): {}", e.code, e.status, e.message)
    }
}

impl ResponseError {
    /// HTTP status of the response.
    pub fn status(&self) -> u16 {
        match self {
            ResponseError::Service(e) => e.status,
            ResponseError::NotJson { status, .. }
            | ResponseError::EmptyBody { status, .. }
            | ResponseError::BadOutput { status, .. } => *status,
        }
    }

    /// The error code shown to the user and in `data-error-code`.
    pub fn code(&self) -> String {
        match self {
            ResponseError::Service(e) => e.code.clone(),
            ResponseError::NotJson { status, .. } => format!("Http{status}NotJson"),
            ResponseError::EmptyBody { status, .. } => format!("Http{status}EmptyBody"),
            ResponseError::BadOutput { .. } => "UnreadableOutput".to_owned(),
        }
    }

    /// The request id, if the response had one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ResponseError::Service(e) => e.request_id.as_deref(),
            ResponseError::NotJson { request_id, .. }
            | ResponseError::EmptyBody { request_id, .. }
            | ResponseError::BadOutput { request_id, .. } => request_id.as_deref(),
        }
    }
}

/// Shown in place of the secret access key wherever a server echoes it.
pub const HIDDEN_SECRET_KEY: &str = "(the secret access key, not shown)";

impl HttpResponse {
    /// Replaces the session token and the secret key wherever they occur in
    /// the body or a header value, before anything is parsed, cut or shown:
    /// AWS quotes the canonical request, session token included, in
    /// InvalidSignatureException messages, and a proxy or custom endpoint
    /// may echo either. JSON's escaped form (`\/` for `/`) is replaced too.
    pub fn hide_secrets(&mut self, session_token: Option<&str>, secret_key: &str) {
        let secrets = [
            (session_token.unwrap_or_default(), HIDDEN_SESSION_TOKEN),
            (secret_key, HIDDEN_SECRET_KEY),
        ];
        let mask = |text: &mut String| {
            for (secret, placeholder) in secrets {
                if secret.is_empty() {
                    continue;
                }
                for form in [secret.to_owned(), secret.replace('/', "\\/")] {
                    if text.contains(&form) {
                        *text = text.replace(&form, placeholder);
                    }
                }
            }
        };
        mask(&mut self.body);
        for (_, value) in &mut self.headers {
            mask(value);
        }
    }
}

/// Shortens a body to a snippet for messages (at most 200 characters).
pub fn snippet(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(200).collect();
    if flat.chars().count() > 200 {
        out.push('…');
    }
    out
}

/// A string member of a JSON document (`""` when absent or not a string).
pub fn text_member(json: &Value, key: &str) -> String {
    json.get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// Parses a response to `operation`.
pub fn parse_response(
    model: &ServiceModel,
    operation: &str,
    response: &HttpResponse,
) -> Result<Output, ResponseError> {
    let request_id = response.request_id();
    if (200..300).contains(&response.status) {
        let json: Value = if response.body.trim().is_empty() {
            Value::Object(Default::default())
        } else {
            serde_json::from_str(&response.body).map_err(|_| ResponseError::BadOutput {
                status: response.status,
                snippet: snippet(&response.body),
                request_id: request_id.clone(),
            })?
        };
        if !json.is_object() {
            return Err(ResponseError::BadOutput {
                status: response.status,
                snippet: snippet(&response.body),
                request_id,
            });
        }
        let mut timestamps = Vec::new();
        if let Some(output) = model
            .operation(operation)
            .ok()
            .and_then(|op| op.output.clone())
        {
            collect_timestamps(
                model,
                model.shape(&output),
                &json,
                &MemberPath::root(),
                &mut timestamps,
            );
        }
        return Ok(Output {
            status: response.status,
            json,
            timestamps,
            request_id,
        });
    }
    Err(parse_error(model, operation, response))
}

fn parse_error(model: &ServiceModel, operation: &str, response: &HttpResponse) -> ResponseError {
    let request_id = response.request_id();
    let body: Option<Value> = serde_json::from_str(&response.body).ok();
    let body_obj = body.as_ref().and_then(Value::as_object);
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let header_code = response
        .header("x-amzn-errortype")
        .map(|h| h.split(':').next().unwrap_or(h).trim().to_owned())
        .filter(|c| !c.is_empty());
    let body_code = body_obj.and_then(|o| {
        text(o.get("__type"))
            .map(|t| {
                t.rsplit('#')
                    .next()
                    .unwrap_or(&t)
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .or_else(|| text(o.get("code")).or_else(|| text(o.get("Code"))))
    });
    // A JSON message without a code comes from something in front of the
    // service: a relay that refuses a host says `{"message": "This relay
    // does not forward to …"}`. It is shown as such, under `Http<status>`.
    let message_only = || {
        body_obj
            .is_some_and(|o| {
                text(o.get("message"))
                    .or_else(|| text(o.get("Message")))
                    .is_some()
            })
            .then(|| format!("Http{}", response.status))
    };
    let Some(code) = header_code
        .or(body_code)
        .filter(|c| !c.is_empty())
        .or_else(message_only)
    else {
        if response.body.trim().is_empty() {
            return ResponseError::EmptyBody {
                status: response.status,
                request_id,
            };
        }
        return ResponseError::NotJson {
            status: response.status,
            content_type: response.header("content-type").map(str::to_owned),
            snippet: snippet(&response.body),
            request_id,
        };
    };
    let message = body_obj
        .and_then(|o| text(o.get("message")).or_else(|| text(o.get("Message"))))
        .or_else(|| {
            (body.is_none() && !response.body.trim().is_empty()).then(|| snippet(&response.body))
        })
        .unwrap_or_default();
    let op = model.operation(operation).ok();
    let modeled = op.is_some_and(|op| op.errors.iter().any(|e| e == &code));
    let input = model.input_of(operation).ok();
    let fields = body_obj
        .and_then(|o| o.get("fieldList"))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|f| {
                    let name = text(f.get("name")).unwrap_or_default();
                    let path = input.and_then(|shape| field_path(model, shape, &name));
                    FieldProblem {
                        message: text(f.get("message")).unwrap_or_default(),
                        path,
                        name,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    ResponseError::Service(Box::new(ServiceError {
        code,
        message,
        status: response.status,
        request_id,
        modeled,
        reason: body_obj.and_then(|o| text(o.get("reason"))),
        fields,
        server_date: response.header("date").and_then(parse_http_date),
    }))
}

/// The request path a ValidationException's `fieldList` name gives, or
/// `None` when it names no member of the request.
///
/// AWS documents the field only as "the name of the field". Two spellings
/// are read: a dotted path (`agentRuntimeArtifact.containerConfiguration.containerUri`,
/// list items by zero-based index, a map entry by its key:
/// `environmentVariables.A.B`), and a JSON Pointer (`/environmentVariables/A.B`,
/// as Smithy's own ValidationException writes its `path`). In a dotted name a
/// key may itself hold dots: the longest key that leaves a valid path is
/// taken (every map of this model holds plain values, so the key is all
/// the rest of the name).
pub fn field_path(model: &ServiceModel, input: &Shape, name: &str) -> Option<MemberPath> {
    match name.strip_prefix('/') {
        Some(pointer) => {
            let tokens: Vec<String> = pointer
                .split('/')
                .map(|t| t.replace("~1", "/").replace("~0", "~"))
                .collect();
            resolve_field(model, input, &tokens, true, MemberPath::root())
        }
        None => {
            let tokens: Vec<String> = name.split('.').map(str::to_owned).collect();
            resolve_field(model, input, &tokens, false, MemberPath::root())
        }
    }
}

fn resolve_field(
    model: &ServiceModel,
    shape: &Shape,
    tokens: &[String],
    pointer: bool,
    path: MemberPath,
) -> Option<MemberPath> {
    let Some((first, rest)) = tokens.split_first() else {
        return Some(path);
    };
    match &shape.kind {
        ShapeKind::Structure(members) | ShapeKind::Union(members) => {
            let member = members.iter().find(|m| &m.name == first)?;
            resolve_field(
                model,
                model.shape(&member.shape),
                rest,
                pointer,
                path.member(first),
            )
        }
        ShapeKind::List(item) => {
            let i = first.parse::<usize>().ok()?;
            resolve_field(model, model.shape(item), rest, pointer, path.index(i))
        }
        ShapeKind::Map { value, .. } => {
            let value_shape = model.shape(value);
            if pointer {
                return resolve_field(model, value_shape, rest, pointer, path.key(first));
            }
            (1..=tokens.len()).rev().find_map(|n| {
                let key = tokens[..n].join(".");
                resolve_field(model, value_shape, &tokens[n..], pointer, path.key(&key))
            })
        }
        _ => None,
    }
}

/// The form control path for a request path that may name a map entry by
/// key (`environmentVariables` → key `A.B` → `environmentVariables.2.value`),
/// looked up in the user's draft; `None` when the draft has no such entry
/// or the path names no member.
pub fn control_path(
    model: &ServiceModel,
    shape: &Shape,
    draft: &Value,
    path: &MemberPath,
) -> Option<MemberPath> {
    let mut out = MemberPath::root();
    let mut shape = shape;
    let mut node = Some(draft);
    for segment in path.segments() {
        match (&shape.kind, segment) {
            (ShapeKind::Structure(members) | ShapeKind::Union(members), Segment::Member(name)) => {
                let member = members.iter().find(|m| &m.name == name)?;
                out = out.member(name);
                node = node.and_then(|n| n.get(name));
                shape = model.shape(&member.shape);
            }
            (ShapeKind::List(item), Segment::Index(i)) => {
                out = out.index(*i);
                node = node.and_then(|n| n.get(i));
                shape = model.shape(item);
            }
            (ShapeKind::Map { value, .. }, Segment::Key(key)) => {
                let entries = node.and_then(Value::as_array)?;
                let index = entry_position(entries, key)?;
                out = out.index(index).member(MAP_VALUE);
                node = entries.get(index).and_then(|e| e.get(MAP_VALUE));
                shape = model.shape(value);
            }
            _ => return None,
        }
    }
    Some(out)
}

fn collect_timestamps(
    model: &ServiceModel,
    shape: &Shape,
    json: &Value,
    path: &MemberPath,
    out: &mut Vec<(String, SystemTime)>,
) {
    match (&shape.kind, json) {
        (ShapeKind::Structure(members) | ShapeKind::Union(members), Value::Object(map)) => {
            for m in members {
                if let Some(v) = map.get(&m.name) {
                    collect_timestamps(model, model.shape(&m.shape), v, &path.member(&m.name), out);
                }
            }
        }
        (ShapeKind::List(item), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                collect_timestamps(model, model.shape(item), v, &path.index(i), out);
            }
        }
        (ShapeKind::Timestamp, v) => {
            if let Some(t) = parse_timestamp(v) {
                out.push((path.to_string(), t));
            }
        }
        _ => {}
    }
}

/// A rest-json timestamp: epoch seconds (number, maybe fractional), or an
/// RFC 3339 / ISO 8601 string as some services send.
pub fn parse_timestamp(value: &Value) -> Option<SystemTime> {
    match value {
        Value::Number(n) => from_epoch_seconds(n.as_f64()?),
        Value::String(s) => match super::decimal::parse_f64(s) {
            Some(secs) => from_epoch_seconds(secs),
            None => parse_rfc3339(s, Offsets::Forbidden).ok(),
        },
        _ => None,
    }
}

fn from_epoch_seconds(secs: f64) -> Option<SystemTime> {
    (secs.is_finite() && (0.0..1e11).contains(&secs))
        .then(|| UNIX_EPOCH + Duration::from_secs_f64(secs))
}

/// An instant as RFC 3339 in UTC, e.g. `2026-11-28T21:31:42Z`.
pub fn format_utc(t: SystemTime) -> String {
    format_rfc3339(t).unwrap_or_else(|| "(unrepresentable time)".to_owned())
}

/// Parses a SigV4 `X-Amz-Date` (`20261128T213000Z`).
pub fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let s = s.trim();
    if s.len() != 16 || !s.is_ascii() {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    );
    parse_rfc3339(&iso, Offsets::Forbidden).ok()
}

/// What an error usually means and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advice {
    /// What it usually means.
    pub meaning: &'static str,
    /// What to do.
    pub action: &'static str,
}

/// What to do after an outcome that may have been applied.
const SEND_AGAIN_SAME_TOKEN: &str = "Use “Send again with the same clientToken” below: AgentCore treats a request with the same clientToken as the same update and applies it at most once. “Update agent runtime” would send a new clientToken, that is a second update. If it persists, contact AWS Support with the request id.";

/// Advice for an error code: one line per modeled exception of
/// UpdateAgentRuntime, and for the unmodeled authentication errors.
pub fn advice(code: &str) -> Option<Advice> {
    let (meaning, action) = match code {
        "ValidationException" => (
            "AgentCore rejected a value in the request.",
            "Fix the fields listed below (they are marked in the form) and send again.",
        ),
        "AccessDeniedException" => (
            "Your credentials are valid but not allowed to do this (IAM policy, SCP or permission boundary).",
            "Ask for bedrock-agentcore:UpdateAgentRuntime on this runtime, and iam:PassRole on the role ARN, or use a role that has them.",
        ),
        "ConflictException" => (
            "The runtime is busy (for example still UPDATING or CREATING) or the request conflicts with its current state.",
            "Wait until the runtime is READY, reload its configuration, then send again.",
        ),
        "ResourceNotFoundException" => (
            "No runtime with this id exists in this account and region.",
            "Check the agentRuntimeId and the region; pick the runtime from the list.",
        ),
        "ServiceQuotaExceededException" => (
            "The update would exceed a service quota (for example versions or runtimes per account).",
            "Delete unused versions or runtimes, or request a quota increase in Service Quotas.",
        ),
        "ThrottlingException" => (
            "Too many requests in a short time; AgentCore throttled this one.",
            "The console already retried with backoff; wait a little and send again.",
        ),
        "InternalServerException" => (
            "AgentCore failed internally, even after the console's retries; the update may or may not have been applied.",
            SEND_AGAIN_SAME_TOKEN,
        ),
        "Timeout" | "NetworkError" => (
            "No complete answer arrived: the update may have reached AgentCore and been applied.",
            SEND_AGAIN_SAME_TOKEN,
        ),
        "UnreadableOutput" => (
            "AgentCore answered with success, but the answer could not be read: the update was probably applied.",
            "Load the configuration to see the runtime's status and version. If the update is not there, use “Send again with the same clientToken” below, which AgentCore applies at most once.",
        ),
        "UnrecognizedClientException" => (
            "AWS does not know this access key or session token.",
            "Paste fresh credentials for the right account; make sure the session token belongs to the access key.",
        ),
        "InvalidSignatureException" | "SignatureDoesNotMatch" => (
            "The signature AWS computed differs from ours: usually a wrong or truncated secret access key.",
            "Paste the credentials again, whole, and check that the secret matches the access key id. If they are right, compare “What was signed” below with the canonical request in the message.",
        ),
        "ExpiredTokenException" => (
            "The session token has expired.",
            "Get new temporary credentials (e.g. aws sts assume-role or aws configure export-credentials) and paste them.",
        ),
        "IncompleteSignatureException" | "MissingAuthenticationTokenException" => (
            "The request reached AWS without a complete signature.",
            "Check that a proxy in between keeps the Authorization and X-Amz-* headers, or that the endpoint URL is right.",
        ),
        _ => return None,
    };
    Some(Advice { meaning, action })
}

/// Error codes the AWS SDKs' standard retry mode treats as throttling.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes the standard retry mode treats as transient.
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalServerException",
    "InternalError",
];

/// Whether the standard retry mode retries this error: throttling and
/// transient codes, and HTTP 500, 502, 503, 504. Other 4xx never are.
pub fn is_retryable(error: &ResponseError) -> bool {
    if let ResponseError::Service(e) = error
        && (THROTTLING_CODES.contains(&e.code.as_str())
            || TRANSIENT_CODES.contains(&e.code.as_str()))
    {
        return true;
    }
    // A 2xx with an unreadable body may have been applied: never resend it blindly.
    !matches!(error, ResponseError::BadOutput { .. })
        && matches!(error.status(), 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::UPDATE_AGENT_RUNTIME;
    use serde_json::json;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.to_owned(),
        }
    }

    fn error_of(r: HttpResponse) -> ResponseError {
        parse_response(ServiceModel::bundled(), UPDATE_AGENT_RUNTIME, &r).unwrap_err()
    }

    #[test]
    fn success_parses_output_with_timestamps_as_instants() {
        let body = r#"{"agentRuntimeArn":"arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/a-1234567890","agentRuntimeId":"a-1234567890","agentRuntimeVersion":"2","createdAt":1764365502.5,"lastUpdatedAt":"2026-11-28T21:31:42Z","status":"UPDATING"}"#;
        let out = parse_response(
            ServiceModel::bundled(),
            UPDATE_AGENT_RUNTIME,
            &response(202, &[("x-amzn-RequestId", "rid")], body),
        )
        .unwrap();
        assert_eq!(out.request_id.as_deref(), Some("rid"));
        assert_eq!(
            format_utc(out.timestamp("lastUpdatedAt").unwrap()),
            "2026-11-28T21:31:42Z"
        );
        assert_eq!(
            out.timestamp("createdAt").unwrap(),
            UNIX_EPOCH + Duration::from_secs_f64(1764365502.5)
        );
    }

    #[test]
    fn code_comes_from_header_then_type_then_code() {
        let e = error_of(response(
            409,
            &[(
                "x-amzn-ErrorType",
                "ConflictException:http://internal.amazon.com/coral/",
            )],
            r#"{"message":"busy"}"#,
        ));
        assert_eq!(e.code(), "ConflictException");
        let ResponseError::Service(s) = e else {
            panic!()
        };
        assert!(s.modeled);
        assert_eq!(s.message, "busy");
        let e = error_of(response(
            400,
            &[],
            r#"{"__type":"com.amazon#ResourceNotFoundException","Message":"nope"}"#,
        ));
        assert_eq!(e.code(), "ResourceNotFoundException");
        let e = error_of(response(
            400,
            &[],
            r#"{"code":"ExpiredTokenException","message":"x"}"#,
        ));
        assert_eq!(e.code(), "ExpiredTokenException");
        let ResponseError::Service(s) = e else {
            panic!()
        };
        assert!(!s.modeled);
    }

    #[test]
    fn validation_field_list_maps_to_member_paths() {
        let e = error_of(response(
            400,
            &[("x-amzn-ErrorType", "ValidationException")],
            r#"{"message":"bad","reason":"FieldValidationFailed","fieldList":[{"name":"roleArn","message":"bad role"},{"name":"weird thing","message":"?"}]}"#,
        ));
        let ResponseError::Service(s) = e else {
            panic!()
        };
        assert_eq!(s.reason.as_deref(), Some("FieldValidationFailed"));
        assert_eq!(s.fields[0].path, Some(MemberPath::root().member("roleArn")));
        assert_eq!(s.fields[1].path, None);
    }

    #[test]
    fn html_and_empty_bodies_are_typed_errors() {
        let e = error_of(response(
            502,
            &[("content-type", "text/html")],
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        ));
        assert!(matches!(e, ResponseError::NotJson { status: 502, .. }));
        assert!(e.to_string().contains("502 Bad Gateway"));
        assert!(is_retryable(&e));
        let e = error_of(response(500, &[], ""));
        assert!(matches!(e, ResponseError::EmptyBody { status: 500, .. }));
        let e = parse_response(
            ServiceModel::bundled(),
            UPDATE_AGENT_RUNTIME,
            &response(202, &[], "<xml/>"),
        )
        .unwrap_err();
        assert!(matches!(e, ResponseError::BadOutput { .. }));
        assert!(!is_retryable(&e));
    }

    #[test]
    fn a_json_message_without_a_code_is_shown_as_such() {
        let e = error_of(response(
            403,
            &[("content-type", "application/json")],
            r#"{"message": "This relay does not forward to evil.example.com"}"#,
        ));
        assert_eq!(e.code(), "Http403");
        assert_eq!(
            e.to_string(),
            "Http403 (HTTP 403): This relay does not forward to evil.example.com"
        );
        assert!(!is_retryable(&e));
        // a JSON body with neither code nor message is still "not JSON we know"
        let e = error_of(response(403, &[], r#"{"error": "no"}"#));
        assert!(matches!(e, ResponseError::NotJson { status: 403, .. }));
    }

    #[test]
    fn retry_classification_follows_standard_mode() {
        let throttled = error_of(response(
            429,
            &[("x-amzn-ErrorType", "ThrottlingException")],
            "{}",
        ));
        assert!(is_retryable(&throttled));
        let denied = error_of(response(
            403,
            &[("x-amzn-ErrorType", "AccessDeniedException")],
            "{}",
        ));
        assert!(!is_retryable(&denied));
        let unavailable = error_of(response(
            503,
            &[],
            "{\"message\":\"x\",\"__type\":\"ServiceUnavailable\"}",
        ));
        assert!(is_retryable(&unavailable));
    }

    #[test]
    fn skew_message_gives_the_server_time() {
        let e = error_of(response(
            403,
            &[("x-amzn-ErrorType", "InvalidSignatureException")],
            r#"{"message":"Signature expired: 20261128T213000Z is now earlier than 20261128T214500Z (20261128T215000Z - 5 min.)"}"#,
        ));
        let ResponseError::Service(s) = e else {
            panic!()
        };
        assert_eq!(
            format_utc(s.skew_server_time().unwrap()),
            "2026-11-28T21:50:00Z"
        );
    }

    #[test]
    fn control_path_resolves_map_keys_through_the_draft() {
        let model = ServiceModel::bundled();
        let shape = model.input_of(UPDATE_AGENT_RUNTIME).unwrap();
        let draft = json!({"environmentVariables": [{"key": "A", "value": "1"}, {"key": "B", "value": "2"}]});
        let env = MemberPath::root().member("environmentVariables");
        let control =
            |path: &MemberPath| control_path(model, shape, &draft, path).map(|p| p.to_string());
        assert_eq!(
            control(&env.key("B")).as_deref(),
            Some("environmentVariables.1.value")
        );
        assert_eq!(
            control(&MemberPath::root().member("roleArn")).as_deref(),
            Some("roleArn")
        );
        assert_eq!(control(&MemberPath::root().member("nope")), None);
        assert_eq!(control(&env.key("C")), None);
    }

    #[test]
    fn every_modeled_exception_has_advice() {
        let model = ServiceModel::bundled();
        for code in &model.operation(UPDATE_AGENT_RUNTIME).unwrap().errors {
            assert!(advice(code).is_some(), "{code}");
        }
    }

    #[test]
    fn field_list_names_with_dotted_and_spaced_map_keys_reach_their_control() {
        let model = ServiceModel::bundled();
        let shape = model.input_of(UPDATE_AGENT_RUNTIME).unwrap();
        let env = MemberPath::root().member("environmentVariables");
        for (name, key) in [
            ("environmentVariables.A.B", "A.B"),
            ("environmentVariables.my key", "my key"),
            ("/environmentVariables/A.B", "A.B"),
            ("/environmentVariables/a~1b", "a/b"),
        ] {
            assert_eq!(field_path(model, shape, name), Some(env.key(key)), "{name}");
        }
        assert_eq!(
            field_path(
                model,
                shape,
                "agentRuntimeArtifact.codeConfiguration.entryPoint.1"
            ),
            Some(MemberPath::from_control_name(
                "agentRuntimeArtifact.codeConfiguration.entryPoint.1"
            ))
        );
        assert_eq!(field_path(model, shape, "roleArn.deeper"), None);
        let draft = json!({"environmentVariables": [
            {"key": "A", "value": "1"}, {"key": "A.B", "value": "2"}, {"key": "my key", "value": "3"}]});
        let e = error_of(response(
            400,
            &[("x-amzn-ErrorType", "ValidationException")],
            r#"{"message":"bad","reason":"FieldValidationFailed","fieldList":[{"name":"environmentVariables.A.B","message":"no"},{"name":"environmentVariables.my key","message":"no"}]}"#,
        ));
        let ResponseError::Service(s) = e else {
            panic!()
        };
        let controls: Vec<String> = s
            .fields
            .iter()
            .map(|f| {
                control_path(model, shape, &draft, f.path.as_ref().unwrap())
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            controls,
            vec![
                "environmentVariables.1.value",
                "environmentVariables.2.value"
            ]
        );
    }
}
