//! rest-json request serialization (Smithy `aws.protocols#restJson1`,
//! <https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html>).
//!
//! Members bound with `location: uri` fill `{label}`s of the operation's
//! `requestUri` (percent-encoded as RFC 3986 path segments), `querystring`
//! members become query parameters, `header` members headers, and every
//! other member goes in the JSON body. Unset members are left out; the body
//! never holds nulls. Idempotency tokens left empty get a fresh UUID v4, as
//! the AWS SDKs do.
//!
//! A structure with an `httpPayload` member (InvokeAgentRuntime's blob
//! `payload`) sends that member's value as the raw body, with no default
//! content type (as botocore does for blob payloads); its `Content-Type`
//! comes from the header-bound member.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

use super::model::{Location, ServiceModel, ShapeKind};

/// RFC 3986 unreserved characters stay as they are; everything else is encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one URI label or query component (RFC 3986 unreserved kept).
pub fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// An HTTP request ready to be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// HTTP method.
    pub method: String,
    /// Absolute URL with path and query.
    pub url: String,
    /// Headers other than those the signer adds (`host`, `x-amz-date`, …).
    pub headers: Vec<(String, String)>,
    /// Body text (JSON, or empty).
    pub body: String,
}

/// Why a request could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// The operation's input lacks a value its URI needs.
    #[error("`{0}` is needed to build the request URL; fill it in.")]
    MissingLabel(String),
    /// The input is not a JSON object.
    #[error("The request must be a JSON object.")]
    NotAnObject,
    /// The operation is not in the model.
    #[error("{0}")]
    Model(String),
}

/// Builds the HTTP request of `operation` from its typed input document
/// (`input`, as [`crate::core::draft::to_request`] makes it) against an
/// endpoint URL such as `https://bedrock-agentcore-control.us-east-1.amazonaws.com`.
pub fn build_request(
    model: &ServiceModel,
    operation: &str,
    endpoint_url: &str,
    input: &Value,
) -> Result<HttpRequest, BuildError> {
    let op = model
        .operation(operation)
        .map_err(|e| BuildError::Model(e.to_string()))?;
    let Value::Object(input) = input else {
        return Err(BuildError::NotAnObject);
    };
    let shape = model
        .input_of(operation)
        .map_err(|e| BuildError::Model(e.to_string()))?;
    let mut path = op.request_uri.clone();
    let mut query: Vec<(String, String)> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut body = Map::new();
    let mut has_body_members = false;
    let mut raw_payload: Option<String> = None;
    for member in shape.members() {
        let wire_name = member
            .location_name
            .clone()
            .unwrap_or_else(|| member.name.clone());
        let value = input.get(&member.name).filter(|v| !v.is_null());
        match member.location {
            Location::Uri => {
                let text = value.map(scalar_text).filter(|t| !t.is_empty());
                let text = text.ok_or_else(|| BuildError::MissingLabel(member.name.clone()))?;
                path = path.replace(&format!("{{{wire_name}}}"), &percent_encode(&text));
            }
            Location::Querystring => {
                if let Some(v) = value {
                    match v {
                        Value::Array(items) => {
                            query.extend(items.iter().map(|i| (wire_name.clone(), scalar_text(i))))
                        }
                        other => query.push((wire_name, scalar_text(other))),
                    }
                }
            }
            Location::Header => {
                if let Some(v) = value {
                    headers.push((wire_name.to_ascii_lowercase(), scalar_text(v)));
                }
            }
            Location::Body if shape.payload.as_deref() == Some(member.name.as_str()) => {
                raw_payload = Some(value.map(scalar_text).unwrap_or_default());
            }
            Location::Body => {
                has_body_members = true;
                if let Some(v) = value {
                    body.insert(member.name.clone(), v.clone());
                }
            }
        }
    }
    let mut url = format!("{}{}", endpoint_url.trim_end_matches('/'), path);
    if !query.is_empty() {
        // In SigV4's canonical order (by name, then value), so that a tool
        // that signs the query as sent (curl's `--aws-sigv4` before 8.x,
        // for "Copy as curl") signs what the service computes.
        let mut pairs: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| (percent_encode(k), percent_encode(v)))
            .collect();
        pairs.sort();
        let encoded: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        url.push('?');
        url.push_str(&encoded.join("&"));
    }
    let body_text = if let Some(raw) = raw_payload {
        raw
    } else if has_body_members {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
        super::json::to_string(&Value::Object(body))
    } else {
        String::new()
    };
    Ok(HttpRequest {
        method: op.method.clone(),
        url,
        headers,
        body: body_text,
    })
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => super::json::to_string(other),
    }
}

/// Fills every top-level idempotency token member the input leaves empty
/// with a UUID v4 made from `random` (16 random bytes, from the caller's
/// source of randomness). Returns the token now in the input, if the
/// operation has one.
pub fn fill_idempotency_token(
    model: &ServiceModel,
    operation: &str,
    input: &mut Value,
    random: [u8; 16],
) -> Option<String> {
    let shape = model.input_of(operation).ok()?;
    let member = shape.members().iter().find(|m| m.idempotency_token)?;
    debug_assert!(matches!(model.shape(&member.shape).kind, ShapeKind::String));
    let map = input.as_object_mut()?;
    let existing = map
        .get(&member.name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    if let Some(token) = existing {
        return Some(token.to_owned());
    }
    let token = uuid::Builder::from_random_bytes(random)
        .into_uuid()
        .to_string();
    map.insert(member.name.clone(), Value::String(token.clone()));
    Some(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{
        GET_AGENT_RUNTIME, INVOKE_AGENT_RUNTIME, LIST_AGENT_RUNTIME_VERSIONS, LIST_AGENT_RUNTIMES,
        UPDATE_AGENT_RUNTIME,
    };
    use serde_json::json;

    const ENDPOINT: &str = "https://bedrock-agentcore-control.us-east-1.amazonaws.com";

    #[test]
    fn update_puts_the_id_in_the_path_and_the_rest_in_the_body() {
        let model = ServiceModel::bundled();
        let input =
            json!({"agentRuntimeId": "a b/c", "roleArn": "r", "environmentVariables": {"K": "ü"}});
        let req = build_request(model, UPDATE_AGENT_RUNTIME, ENDPOINT, &input).unwrap();
        assert_eq!(req.method, "PUT");
        assert_eq!(req.url, format!("{ENDPOINT}/runtimes/a%20b%2Fc/"));
        assert_eq!(
            req.headers,
            vec![("content-type".to_owned(), "application/json".to_owned())]
        );
        let body: Value = serde_json::from_str(&req.body).unwrap();
        assert_eq!(
            body,
            json!({"roleArn": "r", "environmentVariables": {"K": "ü"}})
        );
        assert!(!req.body.contains("null"));
    }

    #[test]
    fn get_list_and_versions_follow_their_bindings() {
        let model = ServiceModel::bundled();
        let get = build_request(
            model,
            GET_AGENT_RUNTIME,
            ENDPOINT,
            &json!({"agentRuntimeId": "x-1234567890", "agentRuntimeVersion": "3"}),
        )
        .unwrap();
        assert_eq!(get.method, "GET");
        assert_eq!(
            get.url,
            format!("{ENDPOINT}/runtimes/x-1234567890/?version=3")
        );
        assert_eq!(get.body, "");
        let list = build_request(
            model,
            LIST_AGENT_RUNTIMES,
            ENDPOINT,
            &json!({"maxResults": 10, "nextToken": "a+b=="}),
        )
        .unwrap();
        assert_eq!(list.method, "POST");
        assert_eq!(
            list.url,
            format!("{ENDPOINT}/runtimes/?maxResults=10&nextToken=a%2Bb%3D%3D")
        );
        let versions = build_request(
            model,
            LIST_AGENT_RUNTIME_VERSIONS,
            ENDPOINT,
            &json!({"agentRuntimeId": "x-1234567890"}),
        )
        .unwrap();
        assert_eq!(versions.method, "POST");
        assert_eq!(
            versions.url,
            format!("{ENDPOINT}/runtimes/x-1234567890/versions/")
        );
    }

    #[test]
    fn a_missing_label_is_an_error_not_a_broken_url() {
        let model = ServiceModel::bundled();
        let err = build_request(
            model,
            UPDATE_AGENT_RUNTIME,
            ENDPOINT,
            &json!({"roleArn": "r"}),
        )
        .unwrap_err();
        assert_eq!(err, BuildError::MissingLabel("agentRuntimeId".into()));
    }

    #[test]
    fn invoke_sends_the_payload_raw_and_the_arn_encoded_once() {
        let model = ServiceModel::data_plane();
        let arn = "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/agent-Ab12";
        let input = json!({
            "agentRuntimeArn": arn,
            "qualifier": "DEFAULT",
            "runtimeSessionId": "s".repeat(33),
            "contentType": "application/json",
            "payload": "{\"prompt\": \"hi\"}"
        });
        let endpoint = "https://bedrock-agentcore.us-east-1.amazonaws.com";
        let req = build_request(model, INVOKE_AGENT_RUNTIME, endpoint, &input).unwrap();
        assert_eq!(
            req.url,
            format!(
                "{endpoint}/runtimes/arn%3Aaws%3Abedrock-agentcore%3Aus-east-1%3A123456789012%3Aruntime%2Fagent-Ab12/invocations?qualifier=DEFAULT"
            )
        );
        assert_eq!(
            req.body, "{\"prompt\": \"hi\"}",
            "the payload as typed, not JSON-quoted"
        );
        assert_eq!(
            req.headers,
            vec![
                ("content-type".to_owned(), "application/json".to_owned()),
                (
                    "x-amzn-bedrock-agentcore-runtime-session-id".to_owned(),
                    "s".repeat(33)
                ),
            ]
        );
        let text = build_request(
            model,
            INVOKE_AGENT_RUNTIME,
            endpoint,
            &json!({"agentRuntimeArn": arn, "payload": "plain"}),
        )
        .unwrap();
        assert_eq!((text.body.as_str(), text.headers.len()), ("plain", 0));
    }

    #[test]
    fn client_token_is_filled_with_a_uuid_v4_only_when_empty() {
        let model = ServiceModel::bundled();
        let mut input = json!({"agentRuntimeId": "x"});
        let token =
            fill_idempotency_token(model, UPDATE_AGENT_RUNTIME, &mut input, [7; 16]).unwrap();
        assert_eq!(token.len(), 36);
        assert_eq!(&token[14..15], "4", "version nibble");
        assert_eq!(input["clientToken"], json!(token));
        let mut given = json!({"clientToken": "mine-0123456789012345678901234567890"});
        let kept =
            fill_idempotency_token(model, UPDATE_AGENT_RUNTIME, &mut given, [9; 16]).unwrap();
        assert_eq!(kept, "mine-0123456789012345678901234567890");
        let pattern = model.shape("ClientToken").pattern.as_ref().unwrap();
        assert!(pattern.matches(&token) && token.chars().count() >= 33);
    }
}
