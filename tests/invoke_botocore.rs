//! InvokeAgentRuntime (data plane) requests, built and signed by the core,
//! byte for byte against botocore's rest-json serializer and `SigV4Auth`.
//!
//! `tests/fixtures/invoke_sigv4.json` is written by
//! `emulator/sigv4_fixtures.py` (botocore only, from the vendored
//! `model/bedrock-agentcore.json`); regenerate it with
//! `.venv/bin/python emulator/sigv4_fixtures.py`.
#![cfg(not(target_arch = "wasm32"))]

use std::time::SystemTime;

use agentcore_console::core::credentials::Credentials;
use agentcore_console::core::endpoint::{
    EndpointParams, EndpointVariant, resolve_data_plane_endpoint,
};
use agentcore_console::core::model::{INVOKE_AGENT_RUNTIME, ServiceModel};
use agentcore_console::core::request::build_request;
use agentcore_console::core::sign::sign;
use aws_smithy_types::date_time::{DateTime, Format};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Fixtures {
    generator: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    method: String,
    url: String,
    body: String,
    region: String,
    service: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    timestamp: String,
    input: Value,
    sent_headers: Vec<(String, String)>,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    canonical_request: String,
    string_to_sign: String,
    authorization: String,
}

fn instant(amz_date: &str) -> SystemTime {
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &amz_date[0..4],
        &amz_date[4..6],
        &amz_date[6..8],
        &amz_date[9..11],
        &amz_date[11..13],
        &amz_date[13..15]
    );
    SystemTime::try_from(DateTime::from_str(&iso, Format::DateTime).unwrap()).unwrap()
}

#[test]
fn invoke_requests_match_botocore_serialization_and_signature() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/invoke_sigv4.json"
    ))
    .unwrap();
    let fixtures: Fixtures = serde_json::from_str(&text).unwrap();
    assert!(fixtures.generator.starts_with("botocore"));
    assert!(fixtures.cases.len() >= 3);
    let model = ServiceModel::data_plane();
    for case in fixtures.cases {
        let endpoint = resolve_data_plane_endpoint(&EndpointParams {
            region: case.region.clone(),
            variant: EndpointVariant::default(),
            custom_endpoint: None,
        })
        .unwrap();
        assert_eq!(endpoint.signing_name, case.service, "{}", case.name);
        let request = build_request(model, INVOKE_AGENT_RUNTIME, &endpoint.url, &case.input)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(request.method, case.method, "{}", case.name);
        // The path byte for byte; the query as pairs: build_request sends
        // them in SigV4's canonical order (for curl), botocore in the
        // model's, and both sign the same canonical query.
        let (path, query) = request.url.split_once('?').unwrap_or((&request.url, ""));
        let (case_path, case_query) = case.url.split_once('?').unwrap_or((&case.url, ""));
        assert_eq!(path, case_path, "{}", case.name);
        let mut pairs: Vec<&str> = case_query.split('&').filter(|p| !p.is_empty()).collect();
        pairs.sort_by_key(|p| p.split_once('=').unwrap_or((p, "")));
        assert_eq!(query, pairs.join("&"), "{}", case.name);
        assert_eq!(request.body, case.body, "{}", case.name);
        let mut headers = request.headers.clone();
        headers.sort();
        assert_eq!(headers, case.sent_headers, "{}", case.name);
        let credentials = Credentials::new(
            case.access_key_id,
            case.secret_access_key,
            case.session_token.clone(),
            None,
        );
        let signed = sign(
            &request,
            &credentials,
            &endpoint.signing_region,
            &endpoint.signing_name,
            instant(&case.timestamp),
        )
        .unwrap();
        assert_eq!(
            signed.canonical_request, case.expected.canonical_request,
            "{}",
            case.name
        );
        assert_eq!(
            signed.string_to_sign, case.expected.string_to_sign,
            "{}",
            case.name
        );
        assert_eq!(
            signed.header("authorization"),
            Some(case.expected.authorization.as_str()),
            "{}",
            case.name
        );
    }
}
