//! AWS Signature Version 4 for a built request
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html>).
//!
//! The canonical request and string to sign are written here, and the page
//! shows them as they were signed. The signing key and the signature come
//! from `aws-sigv4` (`sign::v4`), with the signing time passed in (the
//! browser's clock, corrected for skew when the service said so).
//!
//! `aws-sigv4`'s whole-request signer (`http_request`) is not used in the
//! build: it parses the request again into `http` types (URI, header map,
//! header names) and carries a type-erased identity, about 31 KB of the
//! shipped .wasm (brotli, `scripts/bench-size.sh`). It stays the reference:
//! `tests/sigv4_oracle.rs` checks that both give the same headers on
//! generated requests, and the botocore fixtures (`tests/sigv4_botocore.rs`)
//! check the canonical request, string to sign and authorization byte for
//! byte against an independent implementation.

use std::time::SystemTime;

use aws_sigv4::sign::v4;
use percent_encoding::percent_decode_str;
use sha2::{Digest, Sha256};

use super::credentials::Credentials;
use super::request::{HttpRequest, percent_encode};
use super::timestamp::{epoch_parts, format_parts};
use super::url;

/// A request with its SigV4 headers, plus what was signed.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// HTTP method.
    pub method: String,
    /// Absolute URL.
    pub url: String,
    /// Every header to send, including `authorization`, `x-amz-date` and
    /// `x-amz-security-token`.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
    /// The SigV4 canonical request. With temporary credentials it holds the
    /// session token (the `x-amz-security-token` line): show it with
    /// [`SignedRequest::canonical_request_for_display`].
    pub canonical_request: String,
    /// The SigV4 string to sign (no secret in it).
    pub string_to_sign: String,
    /// The time the signature is for.
    pub signing_time: SystemTime,
}

impl std::fmt::Debug for SignedRequest {
    // The session token travels in a header: never print header values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .finish_non_exhaustive()
    }
}

impl SignedRequest {
    /// The canonical request as the page shows it: the session token's value
    /// replaced by a placeholder, every other line exactly as signed (so it
    /// can be compared with the one quoted in an InvalidSignatureException).
    pub fn canonical_request_for_display(&self) -> String {
        self.canonical_request
            .split('\n')
            .map(|line| match line.split_once(':') {
                Some((SECURITY_TOKEN, _)) => format!("{SECURITY_TOKEN}:{HIDDEN_SESSION_TOKEN}"),
                _ => line.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A request sent without a signature (IAM Identity Center's `noAuth`
    /// operations), as built. Its canonical request is only the `host`
    /// line of the URL it is for, so that [`Self::signed_host`] and
    /// [`Self::is_relayed`] still say where it goes; there is no string to
    /// sign.
    pub fn unsigned(request: HttpRequest, now: SystemTime) -> Self {
        let host = host_of(&request.url).unwrap_or_default();
        Self {
            method: request.method,
            url: request.url,
            headers: request.headers,
            body: request.body,
            canonical_request: format!("host:{host}"),
            string_to_sign: String::new(),
            signing_time: now,
        }
    }

    /// The same signed request, sent to `url` instead (a relay that
    /// forwards it unchanged with the signed `Host`).
    pub fn sent_to(mut self, url: String) -> Self {
        self.url = url;
        self
    }

    /// The `Host` the request is signed for (from the canonical request).
    pub fn signed_host(&self) -> Option<&str> {
        self.canonical_request
            .split('\n')
            .find_map(|line| line.strip_prefix("host:"))
    }

    /// Whether the request is sent to another host than the one it is
    /// signed for (through a relay).
    pub fn is_relayed(&self) -> bool {
        host_of(&self.url).as_deref() != self.signed_host()
    }

    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

const SECURITY_TOKEN: &str = "x-amz-security-token";
/// Shown in place of the session token (in the canonical request and in
/// service messages that quote it).
pub const HIDDEN_SESSION_TOKEN: &str = "(the session token, not shown)";

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The URL or a header cannot be signed.
    #[error("The request cannot be signed: {0}")]
    Invalid(String),
}

/// The only headers ever signed: `host` (the endpoint's), `x-amz-date`,
/// `x-amz-security-token` (with temporary credentials) and `content-type`
/// (requests with a body). A relay (CloudFront with
/// `AllViewerExceptHostHeader`, nginx) passes each of them through
/// unchanged and sets `Host` to the endpoint's, so the signature stays valid
/// there. Other headers of a request are sent unsigned; the payload hash is
/// part of the canonical request, not a header (`x-amz-content-sha256` is
/// not used).
pub const SIGNED_HEADERS: [&str; 4] = ["content-type", "host", "x-amz-date", SECURITY_TOKEN];

/// Signs `request` for `region` and `service` (signing name) at `now`.
/// Only [`SIGNED_HEADERS`] are signed.
pub fn sign(
    request: &HttpRequest,
    credentials: &Credentials,
    region: &str,
    service: &str,
    now: SystemTime,
) -> Result<SignedRequest, SignError> {
    let host = host_of(&request.url)
        .ok_or_else(|| SignError::Invalid(format!("no host in {}", request.url)))?;
    let amz_date = amz_date(now)?;
    let token = credentials.session_token();
    // What is signed: the request's signable headers, then the ones signing
    // adds, then the endpoint's host.
    let mut signed_view: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(k, _)| SIGNED_HEADERS.contains(&k.to_ascii_lowercase().as_str()))
        .cloned()
        .collect();
    signed_view.push(("x-amz-date".to_owned(), amz_date.clone()));
    if let Some(token) = token {
        signed_view.push((SECURITY_TOKEN.to_owned(), token.to_owned()));
    }
    signed_view.push(("host".to_owned(), host));
    // Signed values are visible ASCII, space or tab: anything else a browser
    // would refuse or re-encode (`aws-sigv4` also refuses control
    // characters). The character itself is not named: it may be part of the
    // session token.
    for (name, value) in &signed_view {
        if !value.chars().all(|c| c == '\t' || (' '..='~').contains(&c)) {
            return Err(SignError::Invalid(format!(
                "the `{name}` header holds a character a header cannot carry (a line break, a control character or a non-ASCII letter)"
            )));
        }
    }
    let Canonical {
        request: canonical_request,
        signed_headers,
    } = canonical(
        &request.method,
        &request.url,
        &signed_view,
        request.body.as_bytes(),
    );
    let string_to_sign = string_to_sign(&amz_date, region, service, &canonical_request);
    let key = v4::generate_signing_key(credentials.secret_access_key(), now, region, service);
    let signature = v4::calculate_signature(key, string_to_sign.as_bytes());
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{}/{region}/{service}/aws4_request, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key_id(),
        amz_date.get(..8).unwrap_or(&amz_date),
    );
    let mut headers = request.headers.clone();
    headers.push(("x-amz-date".to_owned(), amz_date));
    headers.push(("authorization".to_owned(), authorization));
    if let Some(token) = token {
        headers.push((SECURITY_TOKEN.to_owned(), token.to_owned()));
    }
    Ok(SignedRequest {
        method: request.method.clone(),
        url: request.url.clone(),
        headers,
        body: request.body.clone(),
        canonical_request,
        string_to_sign,
        signing_time: now,
    })
}

/// SigV4's `X-Amz-Date` for a time: `20261128T213000Z` (whole seconds, UTC).
fn amz_date(t: SystemTime) -> Result<String, SignError> {
    let iso = format_parts(epoch_parts(t).0, 0).ok_or_else(|| {
        SignError::Invalid("the clock is not between the years 1 and 9999".to_owned())
    })?;
    Ok(iso.chars().filter(|c| *c != '-' && *c != ':').collect())
}

fn host_of(url: &str) -> Option<String> {
    let parts = url::split(url);
    if parts.scheme.is_empty() {
        return None;
    }
    let host = parts.authority.rsplit('@').next()?;
    // Default ports are not part of the host header.
    let host = host
        .strip_suffix(":443")
        .filter(|_| url.starts_with("https:"))
        .or_else(|| {
            host.strip_suffix(":80")
                .filter(|_| url.starts_with("http:"))
        })
        .unwrap_or(host);
    Some(host.to_ascii_lowercase())
}

fn hex_sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// A SigV4 canonical request and its signed-headers line.
struct Canonical {
    request: String,
    signed_headers: String,
}

/// The canonical request of a request whose `headers` are exactly the
/// signed ones (any case).
fn canonical(method: &str, url: &str, headers: &[(String, String)], body: &[u8]) -> Canonical {
    let rest = url::split(url).rest;
    let path_and_query = if rest.starts_with('/') { rest } else { "/" };
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    // Non-S3 services encode the (already encoded) path once more.
    let canonical_path: String = path
        .split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/");
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            (percent_encode(&decode(k)), percent_encode(&decode(v)))
        })
        .collect();
    params.sort_unstable();
    let canonical_query = params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut sorted: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| {
            (
                k.to_ascii_lowercase(),
                v.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    sorted.sort_unstable();
    let canonical_headers: String = sorted.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = sorted
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let request = format!(
        "{method}\n{canonical_path}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{}",
        hex_sha256(body)
    );
    Canonical {
        request,
        signed_headers,
    }
}

/// The SigV4 string to sign for a canonical request.
pub fn string_to_sign(
    amz_date: &str,
    region: &str,
    service: &str,
    canonical_request: &str,
) -> String {
    let date = amz_date.get(..8).unwrap_or(amz_date);
    format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{date}/{region}/{service}/aws4_request\n{}",
        hex_sha256(canonical_request.as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};
    use std::time::{Duration, UNIX_EPOCH};

    /// The SigV4 signature of a string to sign, by a second, hand-written
    /// HMAC chain (to check the displayed string to sign against the
    /// signature `aws-sigv4` made).
    fn signature_of(
        secret: &str,
        amz_date: &str,
        region: &str,
        service: &str,
        string_to_sign: &str,
    ) -> String {
        let hmac = |key: &[u8], data: &[u8]| -> Vec<u8> {
            let mut mac =
                <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        };
        let date = amz_date.get(..8).unwrap_or(amz_date);
        let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
        let k_region = hmac(&k_date, region.as_bytes());
        let k_service = hmac(&k_region, service.as_bytes());
        let k_signing = hmac(&k_service, b"aws4_request");
        hex::encode(hmac(&k_signing, string_to_sign.as_bytes()))
    }

    fn creds(token: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            token.map(str::to_owned),
            None,
        )
    }

    #[test]
    fn the_displayed_string_to_sign_yields_the_signers_signature() {
        let request = HttpRequest {
            method: "PUT".into(),
            url: "https://bedrock-agentcore-control.us-east-1.amazonaws.com/runtimes/a%20b-1234567890/?x=1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: "{\"description\":\"Café ☕\"}".into(),
        };
        let now = UNIX_EPOCH + Duration::from_secs(1_795_000_000);
        let signed = sign(
            &request,
            &creds(Some("TOKEN")),
            "us-east-1",
            "bedrock-agentcore",
            now,
        )
        .unwrap();
        let auth = signed.header("authorization").unwrap();
        let signature = auth.rsplit("Signature=").next().unwrap();
        let amz_date = signed.header("x-amz-date").unwrap();
        assert_eq!(signed.header("x-amz-security-token"), Some("TOKEN"));
        let ours = signature_of(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            amz_date,
            "us-east-1",
            "bedrock-agentcore",
            &signed.string_to_sign,
        );
        assert_eq!(ours, signature);
        assert!(
            signed
                .canonical_request
                .contains("/runtimes/a%2520b-1234567890/")
        );
    }

    #[test]
    fn the_displayed_canonical_request_hides_only_the_session_token() {
        let request = HttpRequest {
            method: "PUT".into(),
            url: "https://h.example/runtimes/r-1/".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: "{}".into(),
        };
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let with_token =
            sign(&request, &creds(Some("SECRET-TOKEN")), "us-east-1", "s", at).unwrap();
        let shown = with_token.canonical_request_for_display();
        assert!(with_token.canonical_request.contains("SECRET-TOKEN"));
        assert!(!shown.contains("SECRET-TOKEN"));
        let (signed_lines, shown_lines): (Vec<&str>, Vec<&str>) = (
            with_token.canonical_request.split('\n').collect(),
            shown.split('\n').collect(),
        );
        assert_eq!(signed_lines.len(), shown_lines.len());
        for (signed, shown) in signed_lines.iter().zip(&shown_lines) {
            if signed.starts_with("x-amz-security-token:") {
                assert_eq!(
                    *shown,
                    format!("x-amz-security-token:{HIDDEN_SESSION_TOKEN}")
                );
            } else {
                assert_eq!(signed, shown, "other lines are shown as signed");
            }
        }
        // the signed-headers line still names the token header
        assert!(shown.contains(";x-amz-security-token\n"));
        // without a token, nothing changes
        let without = sign(&request, &creds(None), "us-east-1", "s", at).unwrap();
        assert_eq!(
            without.canonical_request_for_display(),
            without.canonical_request
        );
    }

    #[test]
    fn debug_output_hides_header_values() {
        let request = HttpRequest {
            method: "GET".into(),
            url: "https://h/".into(),
            headers: vec![],
            body: String::new(),
        };
        let signed = sign(
            &request,
            &creds(Some("SECRET-TOKEN")),
            "us-east-1",
            "s",
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )
        .unwrap();
        let shown = format!("{signed:?}");
        assert!(!shown.contains("SECRET-TOKEN"));
        assert!(!shown.contains("Signature="));
    }

    #[test]
    fn only_headers_a_relay_passes_unchanged_are_signed() {
        let request = HttpRequest {
            method: "PUT".into(),
            url: "https://bedrock-agentcore-control.us-east-1.amazonaws.com/runtimes/r-1/".into(),
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-forwarded-for".into(), "10.0.0.1".into()),
            ],
            body: "{}".into(),
        };
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let signed = sign(&request, &creds(Some("TOKEN")), "us-east-1", "s", at).unwrap();
        let signed_line = signed.canonical_request.split('\n').nth_back(1).unwrap();
        assert_eq!(
            signed_line,
            "content-type;host;x-amz-date;x-amz-security-token"
        );
        for name in signed_line.split(';') {
            assert!(SIGNED_HEADERS.contains(&name), "{name}");
        }
        let auth = signed.header("authorization").unwrap();
        assert!(auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"));
        // the unsigned header is still sent
        assert_eq!(signed.header("x-forwarded-for"), Some("10.0.0.1"));
        assert_eq!(
            signed.signed_host(),
            Some("bedrock-agentcore-control.us-east-1.amazonaws.com")
        );
        assert!(!signed.is_relayed());
        let relayed = signed.sent_to("https://console.example.com/aws/runtimes/r-1/".into());
        assert!(relayed.is_relayed());
        assert_eq!(
            relayed.signed_host(),
            Some("bedrock-agentcore-control.us-east-1.amazonaws.com")
        );
    }

    #[test]
    fn host_drops_default_ports_only() {
        assert_eq!(
            host_of("https://a.example.com:443/x").as_deref(),
            Some("a.example.com")
        );
        assert_eq!(
            host_of("http://127.0.0.1:4566/x").as_deref(),
            Some("127.0.0.1:4566")
        );
    }
}
