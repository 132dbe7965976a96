//! Endpoint resolution: region and options → the HTTPS endpoint of Bedrock
//! AgentCore Control, driven by the service's own endpoint rule set.
//!
//! The rule set (`model/bedrock-agentcore-control-2023-06-05.endpoint-rule-set-1.json`)
//! and the partitions (`model/partitions.json`), both copied unchanged from
//! botocore's package data, are compiled into Rust by `build.rs`
//! (`build/endpoint_rules.rs`), as smithy-rs does for the AWS SDK for Rust:
//! the rules become nested `if`s in `evaluate_rules`, the partitions
//! `static` tables (`PARTITIONS`, `REGIONS`). Nothing is parsed or
//! interpreted at run time, and a rule set using a construct the generator
//! does not know fails the build. This file holds the types the generated
//! code builds and the rules-language functions it calls (`stdlib`).
//!
//! Requests are signed with the service's SigV4 signing name
//! ([`SIGNING_NAME`], from the service model's `signingName`), which differs
//! from the endpoint prefix `bedrock-agentcore-control`.
//!
//! The data plane (InvokeAgentRuntime, host `bedrock-agentcore.<region>…`)
//! has a rule set of its own
//! (`model/bedrock-agentcore-2024-02-28.endpoint-rule-set-1.json`), compiled
//! the same way (`data_plane`); [`resolve_data_plane_endpoint`] uses it.

use std::fmt;
use std::sync::OnceLock;

use super::regex::{Mode, Regex};

/// The SigV4 signing name of Bedrock AgentCore Control (service model
/// metadata `signingName`; not the endpoint prefix).
pub const SIGNING_NAME: &str = "bedrock-agentcore";

/// Which flavour of the regional endpoint to use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum EndpointVariant {
    /// The standard IPv4 endpoint.
    #[default]
    Standard,
    /// The FIPS 140 endpoint.
    Fips,
    /// The dual-stack (IPv4 and IPv6) endpoint.
    DualStack,
    /// The FIPS dual-stack endpoint.
    FipsDualStack,
}

impl EndpointVariant {
    /// All variants, in the order a picker shows them.
    pub const ALL: [EndpointVariant; 4] = [
        Self::Standard,
        Self::Fips,
        Self::DualStack,
        Self::FipsDualStack,
    ];

    /// The variant for the `UseFIPS` / `UseDualStack` flags.
    pub fn from_flags(use_fips: bool, use_dual_stack: bool) -> Self {
        match (use_fips, use_dual_stack) {
            (false, false) => Self::Standard,
            (true, false) => Self::Fips,
            (false, true) => Self::DualStack,
            (true, true) => Self::FipsDualStack,
        }
    }

    /// Whether the rule set's `UseFIPS` parameter is true.
    pub fn uses_fips(self) -> bool {
        matches!(self, Self::Fips | Self::FipsDualStack)
    }

    /// Whether the rule set's `UseDualStack` parameter is true.
    pub fn uses_dual_stack(self) -> bool {
        matches!(self, Self::DualStack | Self::FipsDualStack)
    }
}

impl fmt::Display for EndpointVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Standard => "standard",
            Self::Fips => "FIPS",
            Self::DualStack => "dual-stack",
            Self::FipsDualStack => "FIPS dual-stack",
        })
    }
}

/// What the user chose: region, variant and an optional custom endpoint
/// (e.g. a local proxy or emulator).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointParams {
    /// The AWS region, e.g. `us-east-1`; also the SigV4 signing region.
    pub region: String,
    /// Standard, FIPS and/or dual-stack.
    pub variant: EndpointVariant,
    /// An absolute `http(s)://` URL replacing the AWS endpoint; `None` or an
    /// empty string for the AWS endpoint.
    pub custom_endpoint: Option<String>,
}

/// Where to send requests and how to sign them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    /// The base URL, without a trailing slash, e.g.
    /// `https://bedrock-agentcore-control.us-east-1.amazonaws.com`.
    pub url: String,
    /// The SigV4 signing region.
    pub signing_region: String,
    /// The SigV4 signing name, always [`SIGNING_NAME`].
    pub signing_name: String,
    /// The partition of the region, e.g. `aws`, `aws-cn`, `aws-us-gov`.
    pub partition: String,
}

/// A region known to `partitions.json`, for a region picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionInfo {
    /// The region id, e.g. `eu-central-1`.
    pub id: String,
    /// Its description, e.g. `Europe (Frankfurt)`.
    pub description: String,
    /// Its partition, e.g. `aws`.
    pub partition: String,
}

/// Why no endpoint could be resolved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// No region was chosen.
    #[error("Choose a region, e.g. us-east-1.")]
    EmptyRegion,
    /// The region cannot be part of a host name.
    #[error(
        "`{region}` is not a valid region: a region is lowercase letters, digits and hyphens \
         (at most 63), such as us-east-1 or eu-central-1. Choose one from the list."
    )]
    InvalidRegion {
        /// The region as given (at most 80 characters of it).
        region: String,
    },
    /// The custom endpoint is not an absolute http(s) URL.
    #[error(
        "The custom endpoint `{endpoint}` {problem}. Enter an absolute http(s) URL such as \
         `https://proxy.example.com`, or leave the field empty to use the AWS endpoint."
    )]
    InvalidCustomEndpoint {
        /// The endpoint as given (at most 200 characters of it).
        endpoint: String,
        /// What is wrong with it.
        problem: String,
    },
    /// An `error` rule of the rule set matched (e.g. FIPS with a custom
    /// endpoint).
    #[error(
        "{message}. Change the endpoint options (FIPS, dual-stack, custom endpoint) and try again."
    )]
    Rejected {
        /// The rule set's message, e.g. `Invalid Configuration: FIPS and
        /// custom endpoint are not supported`.
        message: String,
    },
    /// The rule set had no rule for these parameters.
    #[error(
        "The endpoint rules give no endpoint for this region with these options. Choose another \
         region, or turn off FIPS / dual-stack."
    )]
    NoMatchingRule,
}

/// Resolves the endpoint for `params` by evaluating the service's endpoint
/// rule set.
pub fn resolve_endpoint(params: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
    resolve_with(params, evaluate_rules)
}

/// IAM Identity Center's two services a sign-in calls, unsigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SsoService {
    /// The device-code sign-in (service `sso-oidc`, host
    /// `oidc.<region>…`): RegisterClient, StartDeviceAuthorization,
    /// CreateToken.
    Oidc,
    /// The access portal (service `sso`, host `portal.sso.<region>…`):
    /// ListAccounts, ListAccountRoles, GetRoleCredentials, Logout.
    Portal,
}

impl SsoService {
    /// The model's `signingName` (its operations are `noAuth`: nothing is
    /// signed with it).
    pub fn signing_name(self) -> &'static str {
        match self {
            Self::Oidc => "sso-oauth",
            Self::Portal => "awsssoportal",
        }
    }
}

/// Resolves `service`'s endpoint for `params` (the IAM Identity Center
/// region, variant and custom endpoint) by its own rule set:
/// `https://oidc.<region>.amazonaws.com`,
/// `https://portal.sso.<region>.amazonaws.com`, their FIPS and dual-stack
/// variants.
pub fn resolve_sso_endpoint(
    service: SsoService,
    params: &EndpointParams,
) -> Result<ResolvedEndpoint, EndpointError> {
    let mut resolved = match service {
        SsoService::Oidc => resolve_with(params, sso_oidc::evaluate),
        SsoService::Portal => resolve_with(params, sso_portal::evaluate),
    }?;
    resolved.signing_name = service.signing_name().to_owned();
    Ok(resolved)
}

/// Resolves the data plane's endpoint (InvokeAgentRuntime) for `params` by
/// its own rule set: `https://bedrock-agentcore.<region>.amazonaws.com`,
/// with the same FIPS, dual-stack and custom-endpoint rules. Signed with the
/// same [`SIGNING_NAME`].
pub fn resolve_data_plane_endpoint(
    params: &EndpointParams,
) -> Result<ResolvedEndpoint, EndpointError> {
    resolve_with(params, data_plane::evaluate)
}

fn resolve_with(
    params: &EndpointParams,
    evaluate_rules: fn(&Builtins<'_>) -> Result<RuleEndpoint, EndpointError>,
) -> Result<ResolvedEndpoint, EndpointError> {
    let region = params.region.trim();
    if region.is_empty() {
        return Err(EndpointError::EmptyRegion);
    }
    if !is_valid_region(region) {
        return Err(EndpointError::InvalidRegion {
            region: region.chars().take(80).collect(),
        });
    }
    let custom_endpoint = match params.custom_endpoint.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(normalize_custom_endpoint(raw)?),
    };
    let endpoint = evaluate_rules(&Builtins {
        region,
        use_fips: params.variant.uses_fips(),
        use_dual_stack: params.variant.uses_dual_stack(),
        endpoint: custom_endpoint.as_deref(),
    })?;
    Ok(ResolvedEndpoint {
        url: endpoint.url.trim_end_matches('/').to_owned(),
        signing_region: endpoint.signing_region.unwrap_or_else(|| region.to_owned()),
        signing_name: SIGNING_NAME.to_owned(),
        partition: partition_of(region).0.id.to_owned(),
    })
}

/// The regions listed in `partitions.json`, sorted by partition then id.
/// Pseudo-regions such as `aws-global` (no regional endpoint) are left out.
pub fn known_regions() -> Vec<RegionInfo> {
    // REGIONS is sorted by the generator.
    REGIONS
        .iter()
        .filter(|region| !region.id.ends_with("-global"))
        .map(|region| RegionInfo {
            id: region.id.to_owned(),
            description: region.description.to_owned(),
            partition: PARTITIONS[region.partition].id.to_owned(),
        })
        .collect()
}

// The generated code: `PARTITIONS`, `FALLBACK_PARTITION`, `REGIONS` and
// `evaluate_rules`.
include!(concat!(env!("OUT_DIR"), "/endpoint_rules.rs"));

/// The data plane's rule set, compiled by `build.rs`: its own
/// `evaluate_rules`. Its copy of the partition tables is unused (`stdlib`
/// reads the one above), so the linker leaves it out.
mod data_plane {
    #![allow(dead_code)]

    use super::*;

    include!(concat!(env!("OUT_DIR"), "/endpoint_rules_data_plane.rs"));

    pub(super) fn evaluate(builtins: &Builtins<'_>) -> Result<RuleEndpoint, EndpointError> {
        evaluate_rules(builtins)
    }
}

/// IAM Identity Center's rule sets, compiled by `build.rs` like the data
/// plane's.
mod sso_oidc {
    #![allow(dead_code)]

    use super::*;

    include!(concat!(env!("OUT_DIR"), "/endpoint_rules_sso_oidc.rs"));

    pub(super) fn evaluate(builtins: &Builtins<'_>) -> Result<RuleEndpoint, EndpointError> {
        evaluate_rules(builtins)
    }
}

mod sso_portal {
    #![allow(dead_code)]

    use super::*;

    include!(concat!(env!("OUT_DIR"), "/endpoint_rules_sso_portal.rs"));

    pub(super) fn evaluate(builtins: &Builtins<'_>) -> Result<RuleEndpoint, EndpointError> {
        evaluate_rules(builtins)
    }
}

/// The rule set's built-in parameters, as the console sets them.
struct Builtins<'a> {
    /// `AWS::Region` (always set: the console requires a region).
    region: &'a str,
    /// `AWS::UseFIPS`.
    use_fips: bool,
    /// `AWS::UseDualStack`.
    use_dual_stack: bool,
    /// `SDK::Endpoint`, the normalized custom endpoint.
    endpoint: Option<&'a str>,
}

/// What a matching `endpoint` rule gives.
struct RuleEndpoint {
    url: String,
    /// `authSchemes[0].signingRegion` of the endpoint's properties.
    signing_region: Option<String>,
}

/// One partition of `partitions.json`.
struct Partition {
    id: &'static str,
    region_regex: Option<&'static str>,
    outputs: PartitionOutputs,
}

/// A partition's `outputs`: the result of the rules' `aws.partition`.
/// Fields the rule set does not read are never read.
#[allow(dead_code)]
struct PartitionOutputs {
    name: &'static str,
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
    implicit_global_region: &'static str,
    supports_fips: bool,
    supports_dual_stack: bool,
}

/// A region listed in `partitions.json`.
struct RegionEntry {
    /// Index in [`PARTITIONS`].
    partition: usize,
    id: &'static str,
    description: &'static str,
    /// The partition's outputs with this region's own values, if it has any.
    overrides: Option<&'static PartitionOutputs>,
}

/// The partition of a region and its `aws.partition` outputs: the
/// partition listing it, else the first whose `regionRegex` matches, else
/// `aws` (the rules-engine fallback).
fn partition_of(region: &str) -> (&'static Partition, &'static PartitionOutputs) {
    if let Some(entry) = REGIONS.iter().find(|entry| entry.id == region) {
        let partition = &PARTITIONS[entry.partition];
        return (partition, entry.overrides.unwrap_or(&partition.outputs));
    }
    let partition = region_regexes()
        .iter()
        .position(|regex| regex.as_ref().is_some_and(|r| r.is_match(region)))
        .unwrap_or(FALLBACK_PARTITION);
    let partition = &PARTITIONS[partition];
    (partition, &partition.outputs)
}

/// Each partition's compiled `regionRegex` (in [`PARTITIONS`] order), once.
/// `None` for a partition without one; a pattern that does not compile is
/// left out too (a host test checks that all compile).
fn region_regexes() -> &'static [Option<Regex>] {
    static COMPILED: OnceLock<Vec<Option<Regex>>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        PARTITIONS
            .iter()
            .map(|p| p.region_regex.and_then(|r| Regex::new(r, Mode::Plain).ok()))
            .collect()
    })
}

/// The rules-language functions the generated code calls. Only those the
/// rule set uses end up called; the others are kept so the generator
/// supports them.
#[allow(dead_code)]
mod stdlib {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

    use super::{PartitionOutputs, UrlParts, check_url, partition_of};

    /// `aws.partition`: never unset, as a region no partition claims is
    /// `aws`'s.
    pub(super) fn aws_partition(region: &str) -> &'static PartitionOutputs {
        partition_of(region).1
    }

    /// `isValidHostLabel`.
    pub(super) fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
        super::is_valid_host_label(value, allow_sub_domains)
    }

    /// `parseURL`: splits an absolute http(s) URL without query or
    /// fragment; `None` for anything else.
    pub(super) fn parse_url(url: &str) -> Option<UrlParts> {
        check_url(url).ok()
    }

    /// `substring`: `input[start..stop]` (counted from the end when `reverse`);
    /// `None` for non-ASCII input or indexes out of range.
    pub(super) fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
        if !input.is_ascii() {
            return None;
        }
        let start = usize::try_from(start).ok()?;
        let stop = usize::try_from(stop).ok()?;
        let length = input.len();
        if start >= stop || stop > length {
            return None;
        }
        let (from, to) = if reverse {
            (length - stop, length - start)
        } else {
            (start, stop)
        };
        input.get(from..to).map(str::to_owned)
    }

    /// Characters `uriEncode` leaves alone: RFC 3986 unreserved.
    const URI_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');

    /// `uriEncode`: percent-encodes all but RFC 3986 unreserved characters.
    pub(super) fn uri_encode(value: &str) -> String {
        utf8_percent_encode(value, URI_UNRESERVED).to_string()
    }
}

/// The parts `parseURL` returns (the generated code reads those the rule
/// set uses).
#[allow(dead_code)]
struct UrlParts {
    scheme: String,
    authority: String,
    path: String,
    is_ip: bool,
}

#[allow(dead_code)]
impl UrlParts {
    /// `normalizedPath`: the path with a leading and a trailing `/`.
    fn normalized_path(&self) -> String {
        let mut path = String::with_capacity(self.path.len() + 2);
        if !self.path.starts_with('/') {
            path.push('/');
        }
        path.push_str(&self.path);
        if !path.ends_with('/') {
            path.push('/');
        }
        path
    }
}

/// Parses an absolute http(s) URL, saying what is wrong when it is not one.
fn check_url(url: &str) -> Result<UrlParts, String> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains spaces or line breaks".to_owned());
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err("has no scheme: it must start with `https://` or `http://`".to_owned());
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "uses the scheme `{scheme}`, but only `https://` and `http://` are supported"
        ));
    }
    if rest.contains(['?', '#']) {
        return Err(
            "has a query string or fragment (`?` or `#`), which an endpoint cannot have".to_owned(),
        );
    }
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return Err("has no host name after `://`".to_owned());
    }
    if authority.contains('@') {
        return Err(
            "contains a user name or password (`@`); enter credentials in the \
                    credentials form instead"
                .to_owned(),
        );
    }
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() {
        return Err("has no host name after `://`".to_owned());
    }
    if let Some(port) = port
        && !(port.chars().all(|c| c.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p > 0))
    {
        return Err(format!("has an invalid port `{port}` (use 1 to 65535)"));
    }
    let is_ip = host.starts_with('[') || is_ipv4(host);
    if !is_ip && !is_valid_host_label(host, true) {
        return Err(format!(
            "has an invalid host name `{host}` (use letters, digits, hyphens and dots)"
        ));
    }
    Ok(UrlParts {
        scheme,
        authority: authority.to_owned(),
        path: path.to_owned(),
        is_ip,
    })
}

/// Splits `host[:port]`, `[v6][:port]`.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), String> {
    if authority.starts_with('[') {
        let end = authority
            .find(']')
            .ok_or_else(|| "has an IPv6 address without the closing `]`".to_owned())?;
        let (host, rest) = authority.split_at(end + 1);
        return match rest.strip_prefix(':') {
            Some(port) => Ok((host, Some(port))),
            None if rest.is_empty() => Ok((host, None)),
            None => Err(format!(
                "has unexpected text `{rest}` after the IPv6 address"
            )),
        };
    }
    Ok(match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

/// Whether `host` is a dotted-quad IPv4 address.
fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|part| {
            !part.is_empty()
                && part.len() <= 3
                && part.chars().all(|c| c.is_ascii_digit())
                && part.parse::<u8>().is_ok()
        })
}

/// `isValidHostLabel`: 1–63 letters, digits or hyphens, not starting with
/// a hyphen; with `allow_sub_domains`, dot-separated labels of that kind.
fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    let label = |label: &str| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if allow_sub_domains {
        value.split('.').all(label)
    } else {
        label(value)
    }
}

/// Whether a region id can be a DNS label: lowercase letters, digits and
/// hyphens, 1–63 characters, starting and ending with a letter or digit.
fn is_valid_region(region: &str) -> bool {
    (1..=63).contains(&region.len())
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

/// Checks a custom endpoint and strips trailing slashes (a path prefix is
/// kept).
fn normalize_custom_endpoint(raw: &str) -> Result<String, EndpointError> {
    let (origin, path) = check_base_url(raw)
        .and_then(|(origin, path)| check_signed_path(&path).map(|()| (origin, path)))
        .map_err(|problem| EndpointError::InvalidCustomEndpoint {
            endpoint: raw.chars().take(200).collect(),
            problem,
        })?;
    Ok(format!("{origin}{path}"))
}

/// Checks a custom endpoint's path prefix, which is part of what is
/// signed: it must reach the service exactly as written. The browser
/// rewrites `.` and `..` segments and `\`, and percent-encodes characters a
/// URL path cannot hold; an empty segment (`//`) is read differently by
/// different signers. So the prefix may only hold non-empty segments of
/// RFC 3986 path characters and `%XX` escapes.
fn check_signed_path(path: &str) -> Result<(), String> {
    for segment in path.split('/').skip(1) {
        let dots = segment.replace("%2e", ".").replace("%2E", ".");
        if segment.is_empty() || dots == "." || dots == ".." {
            return Err(
                "has an empty, `.` or `..` segment in its path, which the browser would not \
                 send as written"
                    .to_owned(),
            );
        }
        let bytes = segment.as_bytes();
        for (i, c) in segment.char_indices() {
            let escape = c == '%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
            let path_char = c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:".contains(c);
            if !(escape || path_char) {
                return Err(format!(
                    "has `{c}` in its path, which a URL path cannot hold as written \
                     (percent-encode it)"
                ));
            }
        }
    }
    Ok(())
}

/// Checks a URL that signed requests will be sent to (a custom endpoint or
/// a relay) and splits it into its origin (`scheme://authority`, scheme in
/// lower case) and its path without trailing slashes. On top of
/// [`check_url`]'s rules, plain `http://` is accepted only for a loopback
/// host: the request carries the session token, which must not cross a
/// network unencrypted.
pub(crate) fn check_base_url(raw: &str) -> Result<(String, String), String> {
    let parts = check_url(raw)?;
    let (host, _port) = split_host_port(&parts.authority)?;
    if parts.scheme == "http" && !is_loopback_host(host) {
        return Err(format!(
            "uses plain `http://` for `{host}`, which is not this computer: the signed \
             request and the session token would cross the network unencrypted. Use \
             `https://` (plain `http://` is only for localhost, 127.0.0.1 or [::1])"
        ));
    }
    Ok((
        format!("{}://{}", parts.scheme, parts.authority),
        parts.path.trim_end_matches('/').to_owned(),
    ))
}

/// Whether `host` (as written in a URL's authority, without the port) names
/// this computer: `localhost`, a `*.localhost` name, an address in
/// 127.0.0.0/8, or `[::1]`.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host == "[0:0:0:0:0:0:0:1]"
        || (is_ipv4(host) && host.starts_with("127."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_plane_endpoints_follow_their_own_rule_set() {
        let params = |region: &str, fips, dual| EndpointParams {
            region: region.to_owned(),
            variant: EndpointVariant::from_flags(fips, dual),
            custom_endpoint: None,
        };
        let url = |p: &EndpointParams| resolve_data_plane_endpoint(p).map(|e| e.url);
        assert_eq!(
            url(&params("us-east-1", false, false)).unwrap(),
            "https://bedrock-agentcore.us-east-1.amazonaws.com"
        );
        assert_eq!(
            url(&params("us-east-1", true, false)).unwrap(),
            "https://bedrock-agentcore-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(
            url(&params("eu-west-1", false, true)).unwrap(),
            "https://bedrock-agentcore.eu-west-1.api.aws"
        );
        assert_eq!(
            url(&params("cn-north-1", false, false)).unwrap(),
            "https://bedrock-agentcore.cn-north-1.amazonaws.com.cn"
        );
        let resolved = resolve_data_plane_endpoint(&params("us-west-2", false, false)).unwrap();
        assert_eq!(resolved.signing_name, "bedrock-agentcore");
        assert_eq!(resolved.signing_region, "us-west-2");
        // The control plane is unchanged.
        assert_eq!(
            resolve_endpoint(&params("us-east-1", false, false))
                .unwrap()
                .url,
            "https://bedrock-agentcore-control.us-east-1.amazonaws.com"
        );
        let custom = EndpointParams {
            custom_endpoint: Some("http://localhost:4566".into()),
            ..params("us-east-1", false, false)
        };
        assert_eq!(url(&custom).unwrap(), "http://localhost:4566");
        assert!(resolve_data_plane_endpoint(&params("", false, false)).is_err());
    }

    #[test]
    fn identity_center_endpoints_follow_their_own_rule_sets() {
        let params = |region: &str, variant| EndpointParams {
            region: region.to_owned(),
            variant,
            custom_endpoint: None,
        };
        let url = |service, p: &EndpointParams| resolve_sso_endpoint(service, p).map(|e| e.url);
        let cases = [
            (
                SsoService::Oidc,
                "us-east-1",
                EndpointVariant::Standard,
                "https://oidc.us-east-1.amazonaws.com",
            ),
            (
                SsoService::Oidc,
                "eu-west-1",
                EndpointVariant::Fips,
                "https://oidc-fips.eu-west-1.amazonaws.com",
            ),
            (
                SsoService::Oidc,
                "eu-west-1",
                EndpointVariant::DualStack,
                "https://oidc.eu-west-1.api.aws",
            ),
            (
                SsoService::Oidc,
                "cn-north-1",
                EndpointVariant::Standard,
                "https://oidc.cn-north-1.amazonaws.com.cn",
            ),
            (
                SsoService::Portal,
                "us-east-1",
                EndpointVariant::Standard,
                "https://portal.sso.us-east-1.amazonaws.com",
            ),
            (
                SsoService::Portal,
                "us-west-2",
                EndpointVariant::FipsDualStack,
                "https://portal.sso-fips.us-west-2.api.aws",
            ),
        ];
        for (service, region, variant, expected) in cases {
            assert_eq!(
                url(service, &params(region, variant)).unwrap(),
                expected,
                "{service:?} {region} {variant}"
            );
        }
        let resolved = resolve_sso_endpoint(
            SsoService::Portal,
            &params("ap-southeast-2", EndpointVariant::Standard),
        )
        .unwrap();
        assert_eq!(
            (
                resolved.signing_name.as_str(),
                resolved.signing_region.as_str()
            ),
            ("awsssoportal", "ap-southeast-2")
        );
        let custom = EndpointParams {
            custom_endpoint: Some("http://127.0.0.1:4566".into()),
            ..params("us-east-1", EndpointVariant::Standard)
        };
        assert_eq!(
            url(SsoService::Oidc, &custom).unwrap(),
            "http://127.0.0.1:4566"
        );
        assert_eq!(
            url(SsoService::Portal, &custom).unwrap(),
            "http://127.0.0.1:4566"
        );
        assert_eq!(
            url(SsoService::Oidc, &params("", EndpointVariant::Standard)),
            Err(EndpointError::EmptyRegion)
        );
    }

    fn resolve(region: &str, variant: EndpointVariant) -> Result<ResolvedEndpoint, EndpointError> {
        resolve_endpoint(&EndpointParams {
            region: region.to_owned(),
            variant,
            custom_endpoint: None,
        })
    }

    fn url(region: &str, variant: EndpointVariant) -> String {
        match resolve(region, variant) {
            Ok(endpoint) => endpoint.url,
            Err(e) => panic!("{region} {variant}: {e}"),
        }
    }

    fn custom(
        region: &str,
        variant: EndpointVariant,
        endpoint: &str,
    ) -> Result<ResolvedEndpoint, EndpointError> {
        resolve_endpoint(&EndpointParams {
            region: region.to_owned(),
            variant,
            custom_endpoint: Some(endpoint.to_owned()),
        })
    }

    use EndpointVariant::{DualStack, Fips, FipsDualStack, Standard};

    #[test]
    fn us_east_1_standard() {
        let endpoint = resolve("us-east-1", Standard).unwrap();
        assert_eq!(
            endpoint,
            ResolvedEndpoint {
                url: "https://bedrock-agentcore-control.us-east-1.amazonaws.com".to_owned(),
                signing_region: "us-east-1".to_owned(),
                signing_name: "bedrock-agentcore".to_owned(),
                partition: "aws".to_owned(),
            }
        );
    }

    /// Expected URLs computed by hand from the rule set and partitions.json,
    /// in the style of botocore's endpoint-tests-1.json.
    #[test]
    fn botocore_style_expectations() {
        let cases = [
            (
                "us-east-1",
                Fips,
                "https://bedrock-agentcore-control-fips.us-east-1.amazonaws.com",
            ),
            (
                "us-east-1",
                DualStack,
                "https://bedrock-agentcore-control.us-east-1.api.aws",
            ),
            (
                "us-east-1",
                FipsDualStack,
                "https://bedrock-agentcore-control-fips.us-east-1.api.aws",
            ),
            (
                "eu-central-1",
                Standard,
                "https://bedrock-agentcore-control.eu-central-1.amazonaws.com",
            ),
            (
                "cn-north-1",
                Standard,
                "https://bedrock-agentcore-control.cn-north-1.amazonaws.com.cn",
            ),
            (
                "cn-northwest-1",
                DualStack,
                "https://bedrock-agentcore-control.cn-northwest-1.api.amazonwebservices.com.cn",
            ),
            (
                "cn-north-1",
                FipsDualStack,
                "https://bedrock-agentcore-control-fips.cn-north-1.api.amazonwebservices.com.cn",
            ),
            (
                "us-gov-west-1",
                Standard,
                "https://bedrock-agentcore-control.us-gov-west-1.amazonaws.com",
            ),
            (
                "us-gov-east-1",
                Fips,
                "https://bedrock-agentcore-control-fips.us-gov-east-1.amazonaws.com",
            ),
            (
                "us-gov-west-1",
                DualStack,
                "https://bedrock-agentcore-control.us-gov-west-1.api.aws",
            ),
            (
                "us-iso-east-1",
                Standard,
                "https://bedrock-agentcore-control.us-iso-east-1.c2s.ic.gov",
            ),
            (
                "us-isob-east-1",
                Fips,
                "https://bedrock-agentcore-control-fips.us-isob-east-1.sc2s.sgov.gov",
            ),
            (
                "eu-isoe-west-1",
                Standard,
                "https://bedrock-agentcore-control.eu-isoe-west-1.cloud.adc-e.uk",
            ),
            (
                "us-isof-south-1",
                DualStack,
                "https://bedrock-agentcore-control.us-isof-south-1.api.aws.hci.ic.gov",
            ),
            (
                "eusc-de-east-1",
                Standard,
                "https://bedrock-agentcore-control.eusc-de-east-1.amazonaws.eu",
            ),
        ];
        for (region, variant, expected) in cases {
            assert_eq!(url(region, variant), expected, "{region} {variant}");
        }
    }

    #[test]
    fn partitions_are_reported() {
        assert_eq!(resolve("cn-north-1", Standard).unwrap().partition, "aws-cn");
        assert_eq!(
            resolve("us-gov-west-1", Standard).unwrap().partition,
            "aws-us-gov"
        );
        let gov = resolve("us-gov-west-1", Fips).unwrap();
        assert_eq!(gov.signing_region, "us-gov-west-1");
        assert_eq!(gov.signing_name, SIGNING_NAME);
    }

    #[test]
    fn unknown_well_formed_regions_resolve_by_regex_or_fallback() {
        let endpoint = resolve("us-east-9", Standard).unwrap();
        assert_eq!(
            endpoint.url,
            "https://bedrock-agentcore-control.us-east-9.amazonaws.com"
        );
        assert_eq!(endpoint.partition, "aws");
        let endpoint = resolve("cn-south-7", DualStack).unwrap();
        assert_eq!(
            endpoint.url,
            "https://bedrock-agentcore-control.cn-south-7.api.amazonwebservices.com.cn"
        );
        assert_eq!(endpoint.partition, "aws-cn");
        // Matches no regex: the rules engine falls back to the aws partition.
        let endpoint = resolve("moon-base-1", Standard).unwrap();
        assert_eq!(endpoint.partition, "aws");
        assert_eq!(
            endpoint.url,
            "https://bedrock-agentcore-control.moon-base-1.amazonaws.com"
        );
    }

    #[test]
    fn custom_endpoint_strips_trailing_slash_and_keeps_path() {
        let endpoint = custom("us-east-1", Standard, "http://127.0.0.1:4566/").unwrap();
        assert_eq!(endpoint.url, "http://127.0.0.1:4566");
        assert_eq!(endpoint.signing_region, "us-east-1");
        assert_eq!(endpoint.signing_name, "bedrock-agentcore");
        assert_eq!(endpoint.partition, "aws");
        let endpoint = custom("eu-west-1", Standard, " https://proxy.example.com/aws/// ").unwrap();
        assert_eq!(endpoint.url, "https://proxy.example.com/aws");
        let endpoint = custom(
            "eu-west-1",
            Standard,
            "https://proxy.example.com/a-b_c~d/%2Fe!$&'()*+,;=:f.g/",
        )
        .unwrap();
        assert_eq!(
            endpoint.url,
            "https://proxy.example.com/a-b_c~d/%2Fe!$&'()*+,;=:f.g"
        );
        let endpoint = custom("eu-west-1", Standard, "HTTPS://[::1]:8443").unwrap();
        assert_eq!(endpoint.url, "https://[::1]:8443");
        // An empty custom endpoint means the AWS endpoint.
        let endpoint = custom("us-east-1", Standard, "  ").unwrap();
        assert_eq!(
            endpoint.url,
            "https://bedrock-agentcore-control.us-east-1.amazonaws.com"
        );
    }

    #[test]
    fn fips_or_dual_stack_with_custom_endpoint_are_the_rule_sets_errors() {
        let err = custom("us-east-1", Fips, "https://proxy.example.com").unwrap_err();
        assert_eq!(
            err,
            EndpointError::Rejected {
                message: "Invalid Configuration: FIPS and custom endpoint are not supported"
                    .to_owned()
            }
        );
        assert!(
            err.to_string()
                .starts_with("Invalid Configuration: FIPS and custom endpoint are not supported")
        );
        let err = custom("us-east-1", DualStack, "https://proxy.example.com").unwrap_err();
        assert_eq!(
            err,
            EndpointError::Rejected {
                message: "Invalid Configuration: Dualstack and custom endpoint are not supported"
                    .to_owned()
            }
        );
    }

    #[test]
    fn bad_custom_endpoints_say_what_is_wrong() {
        let cases = [
            ("proxy.example.com", "has no scheme"),
            ("ftp://proxy.example.com", "only `https://` and `http://`"),
            ("https://", "no host name"),
            ("https:///path", "no host name"),
            ("https://proxy.example.com/?x=1", "query string"),
            ("https://proxy.example.com#top", "query string or fragment"),
            ("https://proxy example.com", "spaces"),
            ("https://user:pw@proxy.example.com", "user name or password"),
            ("https://proxy.example.com:99999", "invalid port"),
            ("https://proxy.example.com:", "invalid port"),
            ("https://proxy.example.com:0", "invalid port"),
            ("https://proxy.example.com:+80", "invalid port"),
            ("https://proxy_host.example.com", "invalid host name"),
            ("https://[::1", "closing `]`"),
            ("https://proxy.example.com/x/../aws", "`..` segment"),
            ("https://proxy.example.com/./aws", "`.` or"),
            ("https://proxy.example.com/%2E%2e/aws", "`..` segment"),
            ("https://proxy.example.com/a//aws", "empty"),
            ("https://proxy.example.com/a\\b", "`\\` in its path"),
            ("https://proxy.example.com/a<b", "`<` in its path"),
            (
                "https://proxy.example.com/caf\u{e9}",
                "`\u{e9}` in its path",
            ),
            ("https://proxy.example.com/50%", "`%` in its path"),
            ("https://proxy.example.com/%zz", "`%` in its path"),
        ];
        for (endpoint, problem_part) in cases {
            match custom("us-east-1", Standard, endpoint) {
                Err(EndpointError::InvalidCustomEndpoint { problem, .. }) => {
                    assert!(problem.contains(problem_part), "{endpoint}: {problem}");
                }
                other => panic!("{endpoint}: {other:?}"),
            }
        }
        let message = custom("us-east-1", Standard, "example.com")
            .unwrap_err()
            .to_string();
        assert!(message.contains("https://proxy.example.com"), "{message}");
    }

    #[test]
    fn plain_http_is_only_for_loopback_hosts() {
        for ok in [
            "http://127.0.0.1:4566",
            "http://127.1.2.3",
            "http://localhost:8080/aws",
            "http://LOCALHOST",
            "http://emulator.localhost:4566",
            "http://[::1]:4566",
            "https://proxy.example.com",
            "https://10.0.0.5",
        ] {
            assert!(
                custom("us-east-1", Standard, ok).is_ok(),
                "{ok} should be accepted"
            );
        }
        for bad in [
            "http://proxy.example.com",
            "http://10.0.0.5:4566",
            "http://128.0.0.1",
            "http://localhost.example.com",
            "http://[::2]",
            "HTTP://bedrock-agentcore-control.us-east-1.amazonaws.com",
        ] {
            match custom("us-east-1", Standard, bad) {
                Err(EndpointError::InvalidCustomEndpoint { problem, .. }) => {
                    assert!(problem.contains("plain `http://`"), "{bad}: {problem}");
                    assert!(problem.contains("https://"), "{bad}: {problem}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn custom_endpoints_with_user_info_are_refused() {
        for bad in [
            "https://user@proxy.example.com",
            "https://user:pw@proxy.example.com/aws",
            "https://proxy.example.com@evil.example.com",
            "http://user@127.0.0.1:4566",
            "https://evil.example.com\\@proxy.example.com",
        ] {
            match custom("us-east-1", Standard, bad) {
                Err(EndpointError::InvalidCustomEndpoint { problem, .. }) => {
                    assert!(
                        problem.contains("user name or password"),
                        "{bad}: {problem}"
                    );
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn empty_and_invalid_regions_are_refused() {
        assert_eq!(resolve("", Standard), Err(EndpointError::EmptyRegion));
        assert_eq!(resolve("   ", Standard), Err(EndpointError::EmptyRegion));
        assert_eq!(
            EndpointError::EmptyRegion.to_string(),
            "Choose a region, e.g. us-east-1."
        );
        for bad in [
            "us east 1",
            "US-EAST-1",
            "-us-east-1",
            "us-east-1-",
            "us.east.1",
            "us-east-1/evil",
            "ré-gion-1",
            &"a".repeat(64),
        ] {
            assert!(
                matches!(
                    resolve(bad, Standard),
                    Err(EndpointError::InvalidRegion { .. })
                ),
                "{bad}"
            );
        }
        // A custom endpoint still needs a region to sign with.
        assert_eq!(
            custom("", Standard, "http://localhost:4566"),
            Err(EndpointError::EmptyRegion)
        );
        // Surrounding whitespace is forgiven.
        assert_eq!(
            url(" us-west-2 ", Standard),
            "https://bedrock-agentcore-control.us-west-2.amazonaws.com"
        );
    }

    #[test]
    fn every_known_region_resolves_in_every_variant() {
        let regions = known_regions();
        assert!(regions.len() > 30, "{}", regions.len());
        for region in &regions {
            for variant in EndpointVariant::ALL {
                let endpoint = resolve(&region.id, variant)
                    .unwrap_or_else(|e| panic!("{} {variant}: {e}", region.id));
                assert_eq!(endpoint.partition, region.partition, "{}", region.id);
                assert!(
                    endpoint
                        .url
                        .starts_with("https://bedrock-agentcore-control")
                );
                assert!(endpoint.url.contains(&region.id));
            }
        }
    }

    #[test]
    fn known_regions_are_sorted_and_exclude_pseudo_regions() {
        let regions = known_regions();
        let keys: Vec<(&str, &str)> = regions
            .iter()
            .map(|r| (r.partition.as_str(), r.id.as_str()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(regions[0].partition, "aws");
        assert!(regions.iter().all(|r| !r.id.ends_with("-global")));
        let frankfurt = regions.iter().find(|r| r.id == "eu-central-1").unwrap();
        assert_eq!(frankfurt.description, "Europe (Frankfurt)");
        assert_eq!(frankfurt.partition, "aws");
        let beijing = regions.iter().find(|r| r.id == "cn-north-1").unwrap();
        assert_eq!(beijing.partition, "aws-cn");
    }

    #[test]
    fn variant_flags_round_trip() {
        for variant in EndpointVariant::ALL {
            assert_eq!(
                EndpointVariant::from_flags(variant.uses_fips(), variant.uses_dual_stack()),
                variant
            );
        }
        assert!(FipsDualStack.uses_fips() && FipsDualStack.uses_dual_stack());
        assert!(!Standard.uses_fips() && !Standard.uses_dual_stack());
    }

    #[test]
    fn every_partition_region_regex_compiles() {
        for (partition, regex) in PARTITIONS.iter().zip(region_regexes()) {
            assert_eq!(
                regex.is_some(),
                partition.region_regex.is_some(),
                "{}",
                partition.id
            );
        }
    }

    #[test]
    fn rules_functions_behave_as_the_spec_says() {
        assert!(stdlib::is_valid_host_label("a.b-c", true));
        assert!(!stdlib::is_valid_host_label("a.b-c", false));
        assert_eq!(
            stdlib::substring("abcdef", 0, 4, false).as_deref(),
            Some("abcd")
        );
        assert_eq!(
            stdlib::substring("abcdef", 0, 2, true).as_deref(),
            Some("ef")
        );
        assert_eq!(stdlib::substring("abc", 0, 4, false), None);
        assert_eq!(stdlib::uri_encode("a b/c~"), "a%20b%2Fc~");
        let parsed = stdlib::parse_url("https://10.0.0.1:80/p").unwrap();
        assert!(parsed.is_ip);
        assert_eq!(parsed.normalized_path(), "/p/");
        assert_eq!(
            stdlib::parse_url("https://a.com")
                .unwrap()
                .normalized_path(),
            "/"
        );
        assert!(stdlib::parse_url("https://a.com?x").is_none());
        let partition = stdlib::aws_partition("cn-north-1");
        assert_eq!(partition.name, "aws-cn");
        assert!(partition.supports_fips);
        assert_eq!(stdlib::aws_partition("moon-base-1").name, "aws");
    }
}

/// The code `build.rs` generates from
/// `tests/fixtures/endpoint-rules-all-functions.json`, a rule set using
/// every construct and function the generator compiles.
#[cfg(test)]
mod all_functions {
    // Its copy of the partition tables is unused: `stdlib` reads the real one.
    #![allow(dead_code)]

    use super::*;

    include!(concat!(env!("OUT_DIR"), "/endpoint_rules_all_functions.rs"));

    fn run(region: &str, fips: bool, dual_stack: bool, endpoint: Option<&str>) -> String {
        let builtins = Builtins {
            region,
            use_fips: fips,
            use_dual_stack: dual_stack,
            endpoint,
        };
        match evaluate_rules(&builtins) {
            Ok(RuleEndpoint {
                url,
                signing_region,
            }) => format!("{url} {}", signing_region.as_deref().unwrap_or("-")),
            Err(EndpointError::Rejected { message }) => format!("error: {message}"),
            Err(other) => format!("{other:?}"),
        }
    }

    #[test]
    fn unset_values_make_functions_unset_and_defaults_apply() {
        // stringEquals of the unset Endpoint is unset: the rule does not
        // match; set, it does, and the default of Flavour fills the template.
        assert_eq!(
            run("us-east-1", false, false, Some("https://exact.example.com")),
            "https://matched-plain.example.com -"
        );
    }

    #[test]
    fn parse_url_attributes_and_template_escapes() {
        assert_eq!(
            run("us-east-1", false, false, Some("https://10.0.0.1:80/p")),
            "error: IP https 10.0.0.1:80 /p /p/ {literal}"
        );
        assert_eq!(
            run("us-east-1", false, false, Some("https://proxy.example.com")),
            "https://proxy.example.com -"
        );
        // `not(stringEquals(scheme, "http"))` fails for http.
        assert_eq!(
            run("us-east-1", false, false, Some("http://localhost")),
            "error: not a usable endpoint: http://localhost"
        );
        // parseURL of something that is no URL is unset.
        assert_eq!(
            run("us-east-1", false, false, Some("nope")),
            "error: not a usable endpoint: nope"
        );
    }

    #[test]
    fn substring_uri_encode_and_signing_region() {
        assert_eq!(
            run("eu-west-1", false, false, None),
            "https://encoded.example.com/eu-west-1%20eu-%2F~ eu-west-9"
        );
    }

    #[test]
    fn a_tree_whose_rules_all_fail_gives_no_endpoint() {
        assert_eq!(run("nowhere-1", true, false, None), "error: FIPS nowhere");
        assert_eq!(run("nowhere-1", false, false, None), "NoMatchingRule");
    }

    #[test]
    fn partition_results_and_reverse_substring() {
        assert_eq!(
            run("cn-north-1", false, true, None),
            "https://-1.aws-cn.cn-northwest-1.api.amazonwebservices.com.cn -"
        );
        // The last rule's condition fails: no rule matches at the top level.
        assert_eq!(run("cn-north-1", false, false, None), "NoMatchingRule");
    }
}
