//! Our SigV4 signatures, byte for byte against botocore's `SigV4Auth`.
//!
//! `tests/fixtures/sigv4.json` is written by `emulator/sigv4_fixtures.py`,
//! which uses botocore only; regenerate it with
//! `.venv/bin/python emulator/sigv4_fixtures.py`.
#![cfg(not(target_arch = "wasm32"))]

use std::time::SystemTime;

use agentcore_console::core::credentials::Credentials;
use agentcore_console::core::request::HttpRequest;
use agentcore_console::core::sign::sign;
use aws_smithy_types::date_time::{DateTime, Format};
use serde::Deserialize;

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
    headers: Vec<(String, String)>,
    body: String,
    region: String,
    service: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    timestamp: String,
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
fn signatures_match_botocore_byte_for_byte() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sigv4.json"
    ))
    .unwrap();
    let fixtures: Fixtures = serde_json::from_str(&text).unwrap();
    assert!(fixtures.generator.starts_with("botocore"));
    assert!(fixtures.cases.len() >= 10);
    for case in fixtures.cases {
        let request = HttpRequest {
            method: case.method,
            url: case.url,
            headers: case.headers,
            body: case.body,
        };
        let credentials = Credentials::new(
            case.access_key_id,
            case.secret_access_key,
            case.session_token.clone(),
            None,
        );
        let signed = sign(
            &request,
            &credentials,
            &case.region,
            &case.service,
            instant(&case.timestamp),
        )
        .unwrap();
        assert_eq!(
            signed.canonical_request, case.expected.canonical_request,
            "canonical request of {}",
            case.name
        );
        assert_eq!(
            signed.string_to_sign, case.expected.string_to_sign,
            "string to sign of {}",
            case.name
        );
        assert_eq!(
            signed.header("authorization"),
            Some(case.expected.authorization.as_str()),
            "authorization of {}",
            case.name
        );
        assert_eq!(
            signed.header("x-amz-security-token"),
            case.session_token.as_deref(),
            "token of {}",
            case.name
        );
    }
}
