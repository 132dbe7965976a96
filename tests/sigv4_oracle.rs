//! Our SigV4 signer against `aws-sigv4`'s whole-request signer
//! (`http_request::sign`, default settings), on generated requests.
//!
//! The console writes the canonical request itself (the page shows it) and
//! takes only the signing key and signature from `aws-sigv4`; see
//! `src/core/sign.rs`. Here the full signer is the reference: for every
//! generated request both must add the same headers with the same values,
//! so the canonical requests hash alike.
//!
//! Generated values stay within what both define the same way: header values
//! without tabs (both collapse runs of spaces; botocore, which the fixtures
//! in `tests/sigv4_botocore.rs` follow, also collapses tabs, and
//! `aws-sigv4` does not) and paths without empty, `.` or `..` segments
//! (which `aws-sigv4` normalizes, and which the console refuses in a custom
//! endpoint's path prefix: `core::endpoint`), hosts in lower
//! case (the browser sends the host of a URL in lower case, and the console
//! signs that one; `aws-sigv4` would sign it as written).
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use agentcore_console::core::credentials::Credentials;
use agentcore_console::core::request::HttpRequest;
use agentcore_console::core::sign::{SignError, sign};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use proptest::prelude::*;
use proptest::test_runner::RngAlgorithm;

/// A request to sign, and for whom, where and when.
struct Signing<'a> {
    request: &'a HttpRequest,
    credentials: &'a Credentials,
    region: &'a str,
    service: &'a str,
    now: SystemTime,
}

impl Signing<'_> {
    /// What `aws-sigv4`'s request signer adds: (name, value) in its order.
    fn reference(&self) -> Result<Vec<(String, String)>, String> {
        let identity = self.credentials.to_aws_credentials().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(self.region)
            .name(self.service)
            .time(self.now)
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let signable = SignableRequest::new(
            &self.request.method,
            &self.request.url,
            self.request
                .headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
            SignableBody::Bytes(self.request.body.as_bytes()),
        )
        .unwrap();
        let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
            .map_err(|e| e.to_string())?
            .into_parts();
        Ok(instructions
            .into_parts()
            .0
            .into_iter()
            .map(|h| (h.name().to_ascii_lowercase(), h.value().to_owned()))
            .collect())
    }

    /// What our signer added to the request's own headers.
    fn ours(&self) -> Result<Vec<(String, String)>, SignError> {
        let signed = sign(
            self.request,
            self.credentials,
            self.region,
            self.service,
            self.now,
        )?;
        assert_eq!(
            signed.headers[..self.request.headers.len()],
            self.request.headers[..],
            "the request's own headers are sent first, unchanged"
        );
        Ok(signed.headers[self.request.headers.len()..].to_vec())
    }
}

/// Up to `count` pieces, each plain text of `plain` or one of `escapes`.
fn pieces(
    plain: &'static str,
    escapes: &[&'static str],
    count: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    let escape = prop::sample::select(escapes.to_vec()).prop_map(str::to_owned);
    prop::collection::vec(prop_oneof![plain, escape], count).prop_map(|parts| parts.concat())
}

fn segment() -> impl Strategy<Value = String> {
    // unreserved, sub-delims, already-encoded bytes and non-ASCII letters
    pieces(
        "[A-Za-z0-9_~-]{1,6}",
        &["%20", "%2F", "a.b", "é", "+", "="],
        1..4,
    )
}

fn query() -> impl Strategy<Value = String> {
    let value = pieces(
        "[a-zA-Z0-9._~-]{1,3}",
        &["%20", "%2C", "%2b", "%C3%A9"],
        0..3,
    );
    prop::collection::vec(("[a-zA-Z]{1,5}", value), 0..4).prop_map(|params| {
        params
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    })
}

fn request() -> impl Strategy<Value = HttpRequest> {
    (
        prop_oneof![Just("GET"), Just("PUT"), Just("POST"), Just("DELETE")],
        prop_oneof![
            Just("https://bedrock-agentcore-control.us-east-1.amazonaws.com".to_owned()),
            Just("https://bedrock-agentcore-control-fips.us-gov-west-1.api.aws".to_owned()),
            Just("http://127.0.0.1:4566".to_owned()),
            Just("https://example.com:8443".to_owned()),
            Just("https://proxy.example.com/aws/a%2Fb!$&'()*+,;=:c".to_owned()),
        ],
        prop::collection::vec(segment(), 0..4),
        any::<bool>(),
        query(),
        prop::option::of("[ ]{0,2}application/[a-z]{1,8}( [ ]?charset=utf-8)?[ ]{0,2}"),
        any::<bool>(),
        "\\PC{0,40}",
    )
        .prop_map(
            |(method, base, segments, trailing, query, content_type, unsigned, body)| {
                let mut url = format!("{base}/{}", segments.join("/"));
                if trailing && !segments.is_empty() {
                    url.push('/');
                }
                if !query.is_empty() {
                    url = format!("{url}?{query}");
                }
                let mut headers = Vec::new();
                if let Some(ct) = content_type {
                    headers.push(("Content-Type".to_owned(), ct));
                }
                if unsigned {
                    // sent, but neither signer would sign it: the console
                    // signs only SIGNED_HEADERS, so it is left out of the
                    // reference's input
                    headers.push(("x-amz-user-agent".to_owned(), "console".to_owned()));
                }
                HttpRequest {
                    method: method.to_owned(),
                    url,
                    headers,
                    body,
                }
            },
        )
}

fn credentials() -> impl Strategy<Value = Credentials> {
    (
        "A[A-Z0-9]{15,19}",
        "[A-Za-z0-9/+]{40}",
        prop::option::of("[A-Za-z0-9/+=]{20,120}"),
    )
        .prop_map(|(akid, secret, token)| Credentials::new(akid, secret, token, None))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    })]

    #[test]
    fn our_signature_is_aws_sigv4s(
        request in request(),
        credentials in credentials(),
        region in prop_oneof![Just("us-east-1"), Just("eu-central-2"), Just("cn-north-1")],
        service in prop_oneof![Just("bedrock-agentcore"), Just("s3-like_name")],
        // 2000-01-01 .. 2100-01-01, with sub-second parts
        millis in 946_684_800_000u64..4_102_444_800_000u64,
    ) {
        let now = UNIX_EPOCH + Duration::from_millis(millis);
        let mut signable = request.clone();
        signable.headers.retain(|(k, _)| k != "x-amz-user-agent");
        let ours = Signing { request: &request, credentials: &credentials, region, service, now };
        let reference = Signing { request: &signable, ..ours };
        prop_assert_eq!(ours.ours().unwrap(), reference.reference().unwrap());
    }
}

#[test]
fn a_header_value_no_header_can_carry_is_refused_without_showing_it() {
    let request = HttpRequest {
        method: "GET".into(),
        url: "https://h.example/".into(),
        headers: vec![],
        body: String::new(),
    };
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "secret",
        Some("TOKEN\nSECRET-PART".into()),
        None,
    );
    let signing = Signing {
        request: &request,
        credentials: &credentials,
        region: "us-east-1",
        service: "s",
        now: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    };
    let Err(SignError::Invalid(message)) = signing.ours() else {
        panic!("a session token with a line break was signed");
    };
    assert!(
        message.contains("`x-amz-security-token` header"),
        "{message}"
    );
    assert!(!message.contains("SECRET"), "{message}");
    // aws-sigv4 refuses it too
    assert!(signing.reference().is_err());
}

#[test]
fn the_host_is_signed_as_the_browser_sends_it_in_lower_case() {
    let request = |host: &str| HttpRequest {
        method: "GET".into(),
        url: format!("https://{host}/runtimes/"),
        headers: vec![],
        body: String::new(),
    };
    let credentials = Credentials::new("AKIDEXAMPLE", "secret", None, None);
    let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mixed = sign(
        &request("Relay.Example.COM"),
        &credentials,
        "us-east-1",
        "s",
        at,
    )
    .unwrap();
    let lower = sign(
        &request("relay.example.com"),
        &credentials,
        "us-east-1",
        "s",
        at,
    )
    .unwrap();
    assert_eq!(mixed.signed_host(), Some("relay.example.com"));
    assert_eq!(mixed.header("authorization"), lower.header("authorization"));
}
