//! "Copy as": the request in the form, as something to run elsewhere — the
//! AWS CLI (`--cli-input-json`), curl with its built-in SigV4 signing
//! (`--aws-sigv4`, curl ≥ 7.75) and a boto3 script.
//!
//! All three start from the same typed request document as "Copy form as
//! JSON" ([`shareable_request`]: sensitive members only when revealed) and
//! never contain credentials: the CLI and boto3 use the default credential
//! chain, curl reads `$AWS_ACCESS_KEY_ID`, `$AWS_SECRET_ACCESS_KEY` and
//! `$AWS_SESSION_TOKEN` when the shell runs it. curl's method, URL, headers
//! and body come from [`build_request`], so they are byte for byte what the
//! console itself sends (rest-json binding, percent-encoded URI labels).
//!
//! InvokeAgentRuntime (data plane; any operation whose input has an
//! `httpPayload` member) is copied by [`copy_payload_as`], with its payload
//! as the raw body:
//! `aws bedrock-agentcore invoke-agent-runtime … --cli-binary-format
//! raw-in-base64-out --payload '…' response.out` (the CLI writes the
//! streamed answer to that file), curl with `-N` (no buffering, so the
//! stream shows as it comes) and `--data-binary`, boto3 reading the stream
//! chunk by chunk. A payload hidden in the console is not copied: the copy
//! reads it from `$PAYLOAD` instead.
//!
//! Shell words are quoted for POSIX shells (`'…'`, with `'` written
//! `'\''`); Python strings are JSON string literals, which Python reads the
//! same way.

use std::collections::BTreeSet;

use serde_json::Value;

use super::draft::{self, sensitive_paths, to_request};
use super::endpoint::{
    EndpointParams, EndpointVariant, ResolvedEndpoint, resolve_data_plane_endpoint,
    resolve_endpoint,
};
use super::member_path::MemberPath;
use super::model::{ServiceModel, Shape};
use super::request::{BuildError, build_request, fill_idempotency_token};

/// The three things a request can be copied as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CopyFormat {
    /// An `aws … --cli-input-json '…'` command line.
    Cli,
    /// A curl command line signed by curl itself.
    Curl,
    /// A Python script using boto3.
    Boto3,
}

impl CopyFormat {
    /// Every format, in the order the page shows them.
    pub const ALL: [CopyFormat; 3] = [CopyFormat::Cli, CopyFormat::Curl, CopyFormat::Boto3];

    /// What the copy is for: `AWS CLI`, `curl` or `boto3`.
    pub fn name(self) -> &'static str {
        match self {
            CopyFormat::Cli => "AWS CLI",
            CopyFormat::Curl => "curl",
            CopyFormat::Boto3 => "boto3",
        }
    }

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            CopyFormat::Cli => "Copy as AWS CLI",
            CopyFormat::Curl => "Copy as curl",
            CopyFormat::Boto3 => "Copy as boto3",
        }
    }

    /// The name (and id) of the read-only text area holding the copy.
    pub fn control_name(self) -> &'static str {
        match self {
            CopyFormat::Cli => "copyCli",
            CopyFormat::Curl => "copyCurl",
            CopyFormat::Boto3 => "copyBoto3",
        }
    }
}

/// The request as "Copy form as JSON" exports it: the typed request document
/// of the draft without the sensitive members the user has not revealed,
/// and the paths of those left out.
pub fn shareable_request(
    model: &ServiceModel,
    shape: &Shape,
    draft_value: &Value,
    revealed: &BTreeSet<MemberPath>,
) -> (Value, Vec<String>) {
    let mut d = draft_value.clone();
    let hidden: Vec<MemberPath> = sensitive_paths(model, shape, &d, &MemberPath::root())
        .into_iter()
        .filter(|p| !revealed.contains(p))
        .collect();
    for path in &hidden {
        draft::remove(&mut d, path);
    }
    let hidden: Vec<String> = hidden.iter().map(ToString::to_string).collect();
    let request = to_request(model, shape, &d).unwrap_or(Value::Object(Default::default()));
    (request, hidden)
}

/// Where and what: everything a copy needs besides the request.
#[derive(Debug, Clone, Copy)]
pub struct CopySource<'a> {
    /// The service model.
    pub model: &'a ServiceModel,
    /// The operation, e.g. `UpdateAgentRuntime`.
    pub operation: &'a str,
    /// Where the console sends requests now.
    pub endpoint: &'a ResolvedEndpoint,
    /// The typed request document ([`shareable_request`]).
    pub request: &'a Value,
    /// Sensitive members left out because they are hidden (a comment warns
    /// that running the copy clears them).
    pub hidden: &'a [String],
}

/// The request as `format`. `random` (16 random bytes) makes curl's
/// idempotency token when the request has none; the CLI and boto3 make
/// their own.
pub fn copy_as(
    format: CopyFormat,
    source: &CopySource,
    random: [u8; 16],
) -> Result<String, BuildError> {
    let mut input = source.request.clone();
    if format == CopyFormat::Curl {
        fill_idempotency_token(source.model, source.operation, &mut input, random);
        super::invoke::name_runtime_by_id(&mut input);
    }
    // Built for every format: it also checks the URI labels (a copy without
    // the runtime id would run nowhere).
    let http = build_request(source.model, source.operation, &source.endpoint.url, &input)?;
    let text = match format {
        CopyFormat::Cli => cli(source),
        CopyFormat::Curl => curl(source.endpoint, &http),
        CopyFormat::Boto3 => boto3(source),
    };
    Ok(hidden_comment(source.hidden) + &text)
}

/// The endpoint URL to give the CLI or an SDK: none when the region's
/// standard AWS endpoint is the one in use (they resolve it themselves);
/// otherwise the URL (a custom endpoint, FIPS or dual-stack).
pub fn endpoint_override(endpoint: &ResolvedEndpoint) -> Option<&str> {
    let standard = resolve_endpoint(&EndpointParams {
        region: endpoint.signing_region.clone(),
        variant: EndpointVariant::Standard,
        custom_endpoint: None,
    });
    match standard {
        Ok(s) if s.url == endpoint.url => None,
        _ => Some(&endpoint.url),
    }
}

/// The CLI's and SDKs' name of the service (botocore's service name, the
/// model's endpoint prefix for this service).
fn service_name(model: &ServiceModel) -> &str {
    &model.metadata.endpoint_prefix
}

fn hidden_comment(hidden: &[String]) -> String {
    if hidden.is_empty() {
        return String::new();
    }
    format!(
        "# Left out because hidden in the console: {}. Run as it is, this update clears them.\n",
        hidden.join(", ")
    )
}

fn cli(source: &CopySource) -> String {
    let json = super::json::to_string_pretty(source.request);
    let mut out = format!(
        "aws {} {} \\\n  --region {}",
        service_name(source.model),
        operation_words(source.operation, "-"),
        shell_quote(&source.endpoint.signing_region)
    );
    if let Some(url) = endpoint_override(source.endpoint) {
        out.push_str(&format!(" \\\n  --endpoint-url {}", shell_quote(url)));
    }
    out.push_str(&format!(" \\\n  --cli-input-json {}\n", shell_quote(&json)));
    out
}

fn curl(endpoint: &ResolvedEndpoint, http: &super::request::HttpRequest) -> String {
    curl_with(endpoint, http, "curl", None)
}

/// curl's command line; `body` replaces the body word (`"$PAYLOAD"`).
fn curl_with(
    endpoint: &ResolvedEndpoint,
    http: &super::request::HttpRequest,
    curl: &str,
    body: Option<&str>,
) -> String {
    let scope = format!(
        "aws:amz:{}:{}",
        endpoint.signing_region, endpoint.signing_name
    );
    let mut out = format!(
        "{curl} -X {} {} \\\n  --aws-sigv4 {} \\\n  --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" \\\n  -H \"x-amz-security-token: $AWS_SESSION_TOKEN\"",
        shell_quote(&http.method),
        shell_quote(&http.url),
        double_quote_plain(&scope),
    );
    for (name, value) in &http.headers {
        out.push_str(&format!(
            " \\\n  -H {}",
            shell_quote(&format!("{name}: {value}"))
        ));
    }
    if let Some(body) = body {
        out.push_str(&format!(" \\\n  --data-binary {body}"));
    } else if !http.body.is_empty() {
        out.push_str(&format!(" \\\n  --data-binary {}", shell_quote(&http.body)));
    }
    out.push('\n');
    out
}

/// Where a payload hidden in the console is read from when the copy runs.
pub const PAYLOAD_VARIABLE: &str = "PAYLOAD";
/// The file the AWS CLI writes a streamed answer to.
pub const CLI_OUTFILE: &str = "response.out";

/// The copy of an operation whose body is one raw member, its input's
/// `httpPayload` (InvokeAgentRuntime, on the data plane's endpoint): what
/// [`copy_as`] is for the others. A separate entry point, so that builds
/// without "Try the agent" do not link it. `random` makes curl's session id
/// when the request has none.
pub fn copy_payload_as(
    format: CopyFormat,
    source: &CopySource,
    random: [u8; 16],
) -> Result<String, BuildError> {
    let mut input = source.request.clone();
    if format == CopyFormat::Curl {
        fill_idempotency_token(source.model, source.operation, &mut input, random);
        super::invoke::name_runtime_by_id(&mut input);
    }
    let shape = source
        .model
        .input_of(source.operation)
        .map_err(|e| BuildError::Model(e.to_string()))?;
    let Some(payload) = shape.payload.as_deref() else {
        return Err(BuildError::Model(format!(
            "{} has no payload member",
            source.operation
        )));
    };
    let hidden = source.hidden.iter().any(|h| h == payload);
    let text = input
        .get(payload)
        .and_then(Value::as_str)
        .map(str::to_owned);
    // Checks the URI labels; the payload itself is written below.
    if let Some(map) = input.as_object_mut() {
        map.remove(payload);
    }
    let http = build_request(source.model, source.operation, &source.endpoint.url, &input)?;
    let comment = if hidden {
        format!(
            "# The {payload} is hidden in the console, so it is not copied: set ${PAYLOAD_VARIABLE} to it first.\n"
        )
    } else {
        String::new()
    };
    let body = |quote: fn(&str) -> String| match (&text, hidden) {
        (Some(text), false) => quote(text),
        _ => format!("\"${PAYLOAD_VARIABLE}\""),
    };
    let endpoint_url = data_plane_override(source.endpoint);
    let out = match format {
        CopyFormat::Cli => {
            let mut out = format!(
                "aws {} {} \\\n  --region {}",
                service_name(source.model),
                operation_words(source.operation, "-"),
                shell_quote(&source.endpoint.signing_region)
            );
            if let Some(url) = endpoint_url {
                out.push_str(&format!(" \\\n  --endpoint-url {}", shell_quote(url)));
            }
            if let Value::Object(members) = &input {
                for (name, value) in members {
                    let value = match value {
                        Value::String(s) => s.clone(),
                        other => super::json::to_string(other),
                    };
                    out.push_str(&format!(
                        " \\\n  --{} {}",
                        operation_words(name, "-"),
                        shell_quote(&value)
                    ));
                }
            }
            out.push_str(&format!(
                " \\\n  --cli-binary-format raw-in-base64-out \\\n  --{} {} \\\n  {CLI_OUTFILE}\n",
                operation_words(payload, "-"),
                body(shell_quote)
            ));
            out
        }
        CopyFormat::Curl => curl_with(source.endpoint, &http, "curl -N", Some(&body(shell_quote))),
        CopyFormat::Boto3 => {
            let mut out = String::from(if hidden { "import os\n\n" } else { "" });
            out.push_str(
                "import boto3\n\n\
                 # Credentials come from the environment or the default credential chain.\n\
                 client = boto3.client(\n",
            );
            out.push_str(&format!(
                "    {},\n    region_name={},\n",
                python_string(service_name(source.model)),
                python_string(&source.endpoint.signing_region)
            ));
            if let Some(url) = endpoint_url {
                out.push_str(&format!("    endpoint_url={},\n", python_string(url)));
            }
            out.push_str(")\nrequest = ");
            python_literal(&input, 0, &mut out);
            let value = match (&text, hidden) {
                (Some(text), false) => python_string(text),
                _ => format!("os.environ[{}]", python_string(PAYLOAD_VARIABLE)),
            };
            out.push_str(&format!(
                "\nrequest[{}] = {value}\nresponse = client.{}(**request)\n\
                 print(\"session:\", response.get(\"runtimeSessionId\"))\n\
                 for chunk in response[\"response\"].iter_chunks():\n\
                 \x20   print(chunk.decode(\"utf-8\", errors=\"replace\"), end=\"\", flush=True)\n\
                 print()\n",
                python_string(payload),
                operation_words(source.operation, "_")
            ));
            out
        }
    };
    Ok(comment + &out)
}

/// [`endpoint_override`] for the data plane's endpoint.
fn data_plane_override(endpoint: &ResolvedEndpoint) -> Option<&str> {
    let standard = resolve_data_plane_endpoint(&EndpointParams {
        region: endpoint.signing_region.clone(),
        variant: EndpointVariant::Standard,
        custom_endpoint: None,
    });
    match standard {
        Ok(s) if s.url == endpoint.url => None,
        _ => Some(&endpoint.url),
    }
}

fn boto3(source: &CopySource) -> String {
    let mut out = String::from(
        "import json\n\nimport boto3\n\n\
         # Credentials come from the environment or the default credential chain.\n\
         client = boto3.client(\n",
    );
    out.push_str(&format!(
        "    {},\n    region_name={},\n",
        python_string(service_name(source.model)),
        python_string(&source.endpoint.signing_region)
    ));
    if let Some(url) = endpoint_override(source.endpoint) {
        out.push_str(&format!("    endpoint_url={},\n", python_string(url)));
    }
    out.push_str(")\nrequest = ");
    python_literal(source.request, 0, &mut out);
    out.push_str(&format!(
        "\nresponse = client.{}(**request)\nprint(json.dumps(response, indent=2, default=str))\n",
        operation_words(source.operation, "_")
    ));
    out
}

/// An operation name in lower-case words joined by `separator`, as botocore
/// names methods (`UpdateAgentRuntime` → `update_agent_runtime`) and the CLI
/// names commands (`update-agent-runtime`).
pub fn operation_words(operation: &str, separator: &str) -> String {
    let chars: Vec<char> = operation.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push_str(separator);
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// One word for a POSIX shell: as it is when it holds no character the
/// shell treats specially, otherwise in single quotes (`'` as `'\''`).
pub fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.,:/@%+=".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// In double quotes when nothing in it is special inside them (the form
/// curl's documentation uses for `--aws-sigv4`), otherwise single-quoted.
fn double_quote_plain(text: &str) -> String {
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c))
    {
        format!("\"{text}\"")
    } else {
        shell_quote(text)
    }
}

/// A Python string literal. A JSON string literal is one: JSON's escapes
/// (`\"`, `\\`, `\n`, `\u0001`, …) mean the same in Python.
fn python_string(text: &str) -> String {
    super::json::quote(text)
}

/// A JSON value as a Python literal (`True`, `False`, `None`), indented.
fn python_literal(value: &Value, indent: usize, out: &mut String) {
    let pad = "    ".repeat(indent + 1);
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(n) => out.push_str(&super::json::number_text(n)),
        Value::String(s) => out.push_str(&python_string(s)),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push_str("[\n");
            for item in items {
                out.push_str(&pad);
                python_literal(item, indent + 1, out);
                out.push_str(",\n");
            }
            out.push_str(&"    ".repeat(indent));
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("{\n");
            for (key, item) in map {
                out.push_str(&pad);
                out.push_str(&python_string(key));
                out.push_str(": ");
                python_literal(item, indent + 1, out);
                out.push_str(",\n");
            }
            out.push_str(&"    ".repeat(indent));
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;
    use crate::core::draft::from_request;
    use crate::core::model::{GET_AGENT_RUNTIME, UPDATE_AGENT_RUNTIME};
    use serde_json::json;

    /// Characters a careless quoting breaks on.
    const NASTY: &str = "it's \"quoted\" $HOME `id` \\back\\slash\\ ''' \nnew line ü €";

    fn model() -> &'static ServiceModel {
        ServiceModel::bundled()
    }

    fn endpoint(region: &str, variant: EndpointVariant, custom: Option<&str>) -> ResolvedEndpoint {
        resolve_endpoint(&EndpointParams {
            region: region.into(),
            variant,
            custom_endpoint: custom.map(str::to_owned),
        })
        .unwrap()
    }

    /// The endpoint for a custom URL (a local emulator) in `region`.
    fn local(region: &str) -> ResolvedEndpoint {
        endpoint(
            region,
            EndpointVariant::Standard,
            Some("http://127.0.0.1:5000"),
        )
    }

    fn nasty_request() -> Value {
        json!({
            "agentRuntimeId": "sample_agent-abcdefghij",
            "agentRuntimeArtifact": {"containerConfiguration": {
                "containerUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"}},
            "roleArn": "arn:aws:iam::123456789012:role/R",
            "networkConfiguration": {"networkMode": "PUBLIC"},
            "description": NASTY,
            "environmentVariables": {"QUOTE'KEY": NASTY, "EMPTY": ""},
            "lifecycleConfiguration": {"maxLifetime": 600},
        })
    }

    fn try_copy(
        format: CopyFormat,
        request: &Value,
        endpoint: &ResolvedEndpoint,
        hidden: &[String],
    ) -> Result<String, BuildError> {
        let source = CopySource {
            model: model(),
            operation: UPDATE_AGENT_RUNTIME,
            endpoint,
            request,
            hidden,
        };
        copy_as(format, &source, [7; 16])
    }

    fn copy(format: CopyFormat, request: &Value, endpoint: &ResolvedEndpoint) -> String {
        try_copy(format, request, endpoint, &[]).unwrap()
    }

    /// Runs `text` in `sh` with `command` defined as a function that prints
    /// its arguments NUL-separated; returns them.
    fn shell_words(command: &str, text: &str, env: &[(&str, &str)]) -> Vec<String> {
        let script =
            format!("{command}() {{ for a in \"$@\"; do printf '%s\\0' \"$a\"; done; }}\n{text}");
        let out = Command::new("sh")
            .arg("-c")
            .arg(script)
            .env_clear()
            .envs(env.iter().copied())
            .output()
            .expect("sh runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        text.split_terminator('\0').map(str::to_owned).collect()
    }

    fn after<'a>(words: &'a [String], flag: &str) -> Vec<&'a str> {
        words
            .windows(2)
            .filter(|w| w[0] == flag)
            .map(|w| w[1].as_str())
            .collect()
    }

    #[test]
    fn shell_quote_round_trips_every_character_through_sh() {
        let words = [NASTY, "", "plain", "a'b", "'", "\\", "$(id)", "tab\there"];
        let text = words.map(shell_quote).join(" ");
        assert_eq!(shell_words("w", &format!("w {text}"), &[]), words);
        assert_eq!(shell_quote("us-east-1"), "us-east-1");
    }

    #[test]
    fn cli_words_give_the_request_back_with_region_and_custom_endpoint() {
        let request = nasty_request();
        let endpoint = local("eu-west-1");
        let text = copy(CopyFormat::Cli, &request, &endpoint);
        let words = shell_words("aws", &text, &[]);
        assert_eq!(
            &words[..2],
            ["bedrock-agentcore-control", "update-agent-runtime"]
        );
        assert_eq!(after(&words, "--region"), ["eu-west-1"]);
        assert_eq!(after(&words, "--endpoint-url"), ["http://127.0.0.1:5000"]);
        let json: Value = serde_json::from_str(after(&words, "--cli-input-json")[0]).unwrap();
        assert_eq!(json, request);
    }

    #[test]
    fn cli_and_boto3_name_an_endpoint_only_when_it_is_not_the_standard_one() {
        let request = nasty_request();
        let standard = endpoint("us-east-1", EndpointVariant::Standard, None);
        let words = shell_words("aws", &copy(CopyFormat::Cli, &request, &standard), &[]);
        assert!(after(&words, "--endpoint-url").is_empty(), "{words:?}");
        assert!(!copy(CopyFormat::Boto3, &request, &standard).contains("endpoint_url"));
        let fips = endpoint("us-east-1", EndpointVariant::Fips, None);
        let words = shell_words("aws", &copy(CopyFormat::Cli, &request, &fips), &[]);
        assert_eq!(after(&words, "--endpoint-url"), [fips.url.as_str()]);
        let boto = copy(CopyFormat::Boto3, &request, &fips);
        assert!(
            boto.contains(&format!("endpoint_url=\"{}\"", fips.url)),
            "{boto}"
        );
    }

    #[test]
    fn curl_sends_build_requests_method_url_headers_and_body_byte_for_byte() {
        let mut request = nasty_request();
        request["agentRuntimeId"] = json!("a b/c'd");
        let endpoint = endpoint(
            "us-west-2",
            EndpointVariant::Standard,
            Some("http://127.0.0.1:5000/"),
        );
        let text = copy(CopyFormat::Curl, &request, &endpoint);
        let env = [
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET/+"),
            ("AWS_SESSION_TOKEN", "TOKEN=="),
        ];
        let words = shell_words("curl", &text, &env);
        let mut sent = request.clone();
        fill_idempotency_token(model(), UPDATE_AGENT_RUNTIME, &mut sent, [7; 16]);
        let http = build_request(model(), UPDATE_AGENT_RUNTIME, &endpoint.url, &sent).unwrap();
        assert_eq!(http.url, "http://127.0.0.1:5000/runtimes/a%20b%2Fc%27d/");
        assert_eq!(after(&words, "-X"), ["PUT"]);
        assert!(words.contains(&http.url), "{words:?}");
        assert_eq!(
            after(&words, "--aws-sigv4"),
            ["aws:amz:us-west-2:bedrock-agentcore"]
        );
        assert_eq!(after(&words, "--user"), ["AKID:SECRET/+"]);
        assert_eq!(
            after(&words, "-H"),
            [
                "x-amz-security-token: TOKEN==",
                "content-type: application/json"
            ]
        );
        assert_eq!(after(&words, "--data-binary"), [http.body.as_str()]);
        assert!(text.contains("--aws-sigv4 \"aws:amz:us-west-2:bedrock-agentcore\""));
        let body: Value = serde_json::from_str(&http.body).unwrap();
        assert_eq!(body["description"], json!(NASTY));
        assert_eq!(body["clientToken"].as_str().map(str::len), Some(36));
    }

    #[test]
    fn curl_keeps_the_users_client_token() {
        let mut request = nasty_request();
        request["clientToken"] = json!("mine-0123456789012345678901234567890");
        let endpoint = endpoint("us-east-1", EndpointVariant::Standard, None);
        let words = shell_words("curl", &copy(CopyFormat::Curl, &request, &endpoint), &[]);
        let body: Value = serde_json::from_str(after(&words, "--data-binary")[0]).unwrap();
        assert_eq!(
            body["clientToken"],
            json!("mine-0123456789012345678901234567890")
        );
    }

    #[test]
    fn boto3_script_holds_the_request_as_a_python_literal() {
        let request = nasty_request();
        let endpoint = local("us-east-1");
        let text = copy(CopyFormat::Boto3, &request, &endpoint);
        assert!(text.contains("boto3.client(\n    \"bedrock-agentcore-control\",\n    region_name=\"us-east-1\",\n    endpoint_url=\"http://127.0.0.1:5000\",\n)"), "{text}");
        assert!(
            text.contains("client.update_agent_runtime(**request)"),
            "{text}"
        );
        // The literal, read back as JSON after swapping Python's constants,
        // is the request (the e2e test runs the script itself).
        let literal = text
            .split_once("request = ")
            .and_then(|(_, rest)| rest.split_once("\nresponse = "))
            .map(|(literal, _)| literal)
            .unwrap();
        let as_json = without_trailing_commas(literal);
        let parsed: Value =
            serde_json::from_str(&as_json).unwrap_or_else(|e| panic!("{e}: {as_json}"));
        assert_eq!(parsed, request);
    }

    /// Our Python literals minus their trailing commas are JSON (when they
    /// hold no True/False/None): a raw newline never occurs inside a string.
    fn without_trailing_commas(literal: &str) -> String {
        let mut out = String::new();
        let mut rest = literal;
        while let Some(i) = rest.find(",\n") {
            let after = rest[i + 1..].trim_start();
            out.push_str(&rest[..i]);
            if !(after.starts_with('}') || after.starts_with(']')) {
                out.push(',');
            }
            rest = &rest[i + 1..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn python_literals_use_pythons_constants() {
        let mut out = String::new();
        python_literal(
            &json!({"t": true, "f": false, "n": null, "l": [1, 2.5], "e": {}, "a": []}),
            0,
            &mut out,
        );
        assert_eq!(
            out,
            "{\n    \"a\": [],\n    \"e\": {},\n    \"f\": False,\n    \"l\": [\n        1,\n        2.5,\n    ],\n    \"n\": None,\n    \"t\": True,\n}"
        );
    }

    #[test]
    fn no_copy_holds_a_credential_and_hidden_members_are_named() {
        let request = nasty_request();
        let endpoint = endpoint("us-east-1", EndpointVariant::Standard, None);
        let hidden = vec!["description".to_owned()];
        for format in CopyFormat::ALL {
            let text = try_copy(format, &request, &endpoint, &hidden).unwrap();
            assert!(text.starts_with("# Left out because hidden in the console: description."));
            // Credentials exist only as references the shell or SDK resolves.
            for word in ["AKIA", "ASIA", "aws_secret_access_key", "aws_session_token"] {
                assert!(!text.contains(word), "{format:?}: {text}");
            }
        }
        let curl = copy(CopyFormat::Curl, &request, &endpoint);
        assert!(curl.contains("--user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\""));
        assert!(curl.contains("-H \"x-amz-security-token: $AWS_SESSION_TOKEN\""));
    }

    #[test]
    fn shareable_request_leaves_out_hidden_sensitive_members() {
        let shape = model().input_of(UPDATE_AGENT_RUNTIME).unwrap();
        let (d, _) = from_request(model(), shape, &nasty_request());
        let (request, hidden) = shareable_request(model(), shape, &d, &BTreeSet::new());
        assert_eq!(hidden, ["description", "environmentVariables"]);
        assert!(request.get("description").is_none());
        assert!(request.get("environmentVariables").is_none());
        let revealed: BTreeSet<MemberPath> = [MemberPath::root().member("description")].into();
        let (request, hidden) = shareable_request(model(), shape, &d, &revealed);
        assert_eq!(hidden, ["environmentVariables"]);
        assert_eq!(request["description"], json!(NASTY));
    }

    #[test]
    fn a_missing_runtime_id_is_an_error_for_every_format() {
        let endpoint = endpoint("us-east-1", EndpointVariant::Standard, None);
        for format in CopyFormat::ALL {
            let err = try_copy(format, &json!({"roleArn": "r"}), &endpoint, &[]).unwrap_err();
            assert_eq!(err, BuildError::MissingLabel("agentRuntimeId".into()));
        }
    }

    mod invoke {
        use super::*;
        use crate::core::model::INVOKE_AGENT_RUNTIME;

        const ARN: &str = "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/agent-Ab12";
        const SESSION: &str = "5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f";

        fn data_plane_endpoint(custom: Option<&str>) -> ResolvedEndpoint {
            resolve_data_plane_endpoint(&EndpointParams {
                region: "us-east-1".into(),
                variant: EndpointVariant::Standard,
                custom_endpoint: custom.map(str::to_owned),
            })
            .unwrap()
        }

        fn request() -> Value {
            json!({
                "agentRuntimeArn": ARN,
                "qualifier": "DEFAULT",
                "runtimeSessionId": SESSION,
                "contentType": "application/json",
                "payload": format!("{{\"prompt\": \"{NASTY}\"}}"),
            })
        }

        fn copy_invoke(
            format: CopyFormat,
            request: &Value,
            hidden: &[String],
            custom: Option<&str>,
        ) -> String {
            let endpoint = data_plane_endpoint(custom);
            let source = CopySource {
                model: ServiceModel::data_plane(),
                operation: INVOKE_AGENT_RUNTIME,
                endpoint: &endpoint,
                request,
                hidden,
            };
            copy_payload_as(format, &source, [3; 16]).unwrap()
        }

        #[test]
        fn cli_sends_the_payload_raw_and_writes_the_stream_to_a_file() {
            let request = request();
            let text = copy_invoke(CopyFormat::Cli, &request, &[], None);
            let words = shell_words("aws", &text, &[]);
            assert_eq!(
                &words[..4],
                [
                    "bedrock-agentcore",
                    "invoke-agent-runtime",
                    "--region",
                    "us-east-1"
                ]
            );
            assert_eq!(after(&words, "--agent-runtime-arn"), [ARN]);
            assert_eq!(after(&words, "--qualifier"), ["DEFAULT"]);
            assert_eq!(after(&words, "--runtime-session-id"), [SESSION]);
            assert_eq!(after(&words, "--content-type"), ["application/json"]);
            assert_eq!(after(&words, "--cli-binary-format"), ["raw-in-base64-out"]);
            assert_eq!(
                after(&words, "--payload"),
                [request["payload"].as_str().unwrap()]
            );
            assert_eq!(words.last().map(String::as_str), Some(CLI_OUTFILE));
            assert!(!words.iter().any(|w| w == "--endpoint-url"));
            let custom = copy_invoke(
                CopyFormat::Cli,
                &request,
                &[],
                Some("http://localhost:4566"),
            );
            let words = shell_words("aws", &custom, &[]);
            assert_eq!(after(&words, "--endpoint-url"), ["http://localhost:4566"]);
        }

        #[test]
        fn curl_streams_with_no_buffer_and_sends_build_requests_bytes() {
            let request = request();
            let text = copy_invoke(CopyFormat::Curl, &request, &[], None);
            let env = [
                ("AWS_ACCESS_KEY_ID", "AK"),
                ("AWS_SECRET_ACCESS_KEY", "SK"),
                ("AWS_SESSION_TOKEN", "TOK"),
            ];
            let words = shell_words("curl", &text, &env);
            let endpoint = data_plane_endpoint(None);
            // curl signs the path as sent, so the copy names the runtime by
            // its id and account: a path with nothing percent-encoded.
            let mut by_id = request.clone();
            by_id["agentRuntimeArn"] = json!("agent-Ab12");
            by_id["accountId"] = json!("123456789012");
            let http = build_request(
                ServiceModel::data_plane(),
                INVOKE_AGENT_RUNTIME,
                &endpoint.url,
                &by_id,
            )
            .unwrap();
            assert_eq!(&words[..4], ["-N", "-X", "POST", http.url.as_str()]);
            assert!(
                http.url.ends_with(
                    "/runtimes/agent-Ab12/invocations?accountId=123456789012&qualifier=DEFAULT"
                ),
                "{}",
                http.url
            );
            assert_eq!(
                after(&words, "--aws-sigv4"),
                ["aws:amz:us-east-1:bedrock-agentcore"]
            );
            assert!(text.contains("--aws-sigv4 \"aws:amz:us-east-1:bedrock-agentcore\""));
            let headers: Vec<String> = http
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            let mut sent: Vec<&str> = after(&words, "-H");
            assert_eq!(sent.remove(0), "x-amz-security-token: TOK");
            assert_eq!(sent, headers.iter().map(String::as_str).collect::<Vec<_>>());
            assert_eq!(after(&words, "--data-binary"), [http.body.as_str()]);
        }

        #[test]
        fn a_hidden_payload_is_read_from_the_environment_not_copied() {
            let model = ServiceModel::data_plane();
            let shape = model.input_of(INVOKE_AGENT_RUNTIME).unwrap();
            let (draft, problems) = from_request(model, shape, &request());
            assert!(problems.is_empty(), "{problems:?}");
            let (shared, hidden) = shareable_request(model, shape, &draft, &BTreeSet::new());
            assert_eq!(hidden, ["payload"]);
            assert!(shared.get("payload").is_none());
            for format in CopyFormat::ALL {
                let text = copy_invoke(format, &shared, &hidden, None);
                assert!(!text.contains("prompt"), "{format:?}: {text}");
                assert!(text.starts_with("# The payload is hidden"), "{format:?}");
            }
            let cli = copy_invoke(CopyFormat::Cli, &shared, &hidden, None);
            let words = shell_words("aws", &cli, &[("PAYLOAD", "from env")]);
            assert_eq!(after(&words, "--payload"), ["from env"]);
            let curl = copy_invoke(CopyFormat::Curl, &shared, &hidden, None);
            let words = shell_words("curl", &curl, &[("PAYLOAD", "from env")]);
            assert_eq!(after(&words, "--data-binary"), ["from env"]);
        }

        /// Runs the boto3 script with a stand-in `boto3` module that prints
        /// the client's arguments and the call's, and streams two chunks.
        fn run_boto3(script: &str, payload_env: Option<&str>) -> (Value, String) {
            let dir = std::env::temp_dir().join(format!("invoke-boto3-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                dir.join("boto3.py"),
                "import json, sys\n\
                 class Stream:\n    def iter_chunks(self):\n        yield b'chunk-1 '\n        yield b'chunk-2'\n\
                 class Client:\n    def __init__(self, args):\n        self.args = args\n\
                 \x20   def invoke_agent_runtime(self, **kw):\n\
                 \x20       sys.stderr.write(json.dumps({'client': self.args, 'call': kw}))\n\
                 \x20       return {'runtimeSessionId': kw.get('runtimeSessionId'), 'response': Stream()}\n\
                 def client(*args, **kw):\n    return Client([list(args), kw])\n",
            )
            .unwrap();
            let mut command = Command::new("python3");
            command.arg("-c").arg(script).env("PYTHONPATH", &dir);
            if let Some(p) = payload_env {
                command.env("PAYLOAD", p);
            }
            let out = command.output().expect("python3 runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            (
                serde_json::from_slice(&out.stderr).unwrap(),
                String::from_utf8(out.stdout).unwrap(),
            )
        }

        #[test]
        fn boto3_calls_invoke_agent_runtime_and_prints_the_stream() {
            let request = request();
            let script = copy_invoke(CopyFormat::Boto3, &request, &[], None);
            let (seen, stdout) = run_boto3(&script, None);
            assert_eq!(
                seen["client"],
                json!([["bedrock-agentcore"], {"region_name": "us-east-1"}])
            );
            assert_eq!(seen["call"], request);
            assert_eq!(stdout, format!("session: {SESSION}\nchunk-1 chunk-2\n"));
            let mut shared = request.clone();
            shared.as_object_mut().unwrap().remove("payload");
            let hidden = copy_invoke(CopyFormat::Boto3, &shared, &["payload".into()], None);
            let (seen, _) = run_boto3(&hidden, Some("secret prompt"));
            assert_eq!(seen["call"]["payload"], json!("secret prompt"));
        }
    }

    #[test]
    fn operation_names_follow_botocore() {
        assert_eq!(
            operation_words(UPDATE_AGENT_RUNTIME, "_"),
            "update_agent_runtime"
        );
        assert_eq!(operation_words(GET_AGENT_RUNTIME, "-"), "get-agent-runtime");
        assert_eq!(operation_words("ListAPIKeys", "_"), "list_api_keys");
        assert_eq!(operation_words("GetV2Thing", "-"), "get-v2-thing");
    }
}
