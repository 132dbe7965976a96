//! Where a request is signed for, and where its bytes go.
//!
//! SigV4 signs the `Host` header and the path
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>).
//! A reverse proxy that forwards a request unchanged, with `Host` set to the
//! AWS host, keeps that signature valid without ever holding the secret key:
//! CloudFront with the managed origin request policy
//! `AllViewerExceptHostHeader`, or nginx with `proxy_pass https://<aws host>`.
//! Served on the console's own origin, such a *relay* makes every call a
//! same-origin request, so CORS never comes into it.
//!
//! A [`Route`] says both halves: the endpoint the request is signed for (the
//! one the region and variant resolve to, or the custom endpoint) and, in
//! relay mode, the [`Relay`] that receives `prefix + the operation's path and
//! query`. The signed path never includes the relay's prefix; the relay
//! strips it. A prefix with the segment [`HOST_PLACEHOLDER`] (`/aws/{host}`)
//! names the signed host in each request's path, so one relay serves every
//! region and variant (deploy/relay-function.js, deploy/nginx.conf). Every operation goes through [`Route::send_url`] in
//! [`crate::core::client::call`], so none can take another way.
//!
//! [`EndpointSettings`] is the region-and-endpoint panel's saved form: read
//! from and written as the `localStorage` text here (the shell does the
//! storing), never written when invalid, and able to tell which values came
//! back from a previous visit.

use serde_json::{Value, json};

use super::endpoint::{
    EndpointError, EndpointParams, EndpointVariant, ResolvedEndpoint, SsoService, check_base_url,
    resolve_data_plane_endpoint, resolve_endpoint, resolve_sso_endpoint,
};
use super::url::{self, host_without_port};

/// How requests reach the endpoint they are signed for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SendVia {
    /// Straight to the endpoint (it must answer CORS for the page's origin).
    #[default]
    Direct,
    /// Through a relay that forwards them unchanged with the endpoint's `Host`.
    Relay,
}

impl SendVia {
    /// Both choices, in the order the select shows them.
    pub const ALL: [SendVia; 2] = [Self::Direct, Self::Relay];

    /// The value in the `sendVia` select and in saved settings.
    pub fn value(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Relay => "relay",
        }
    }

    /// Parses a select or saved value; anything unknown is [`SendVia::Direct`].
    pub fn from_value(value: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|v| v.value() == value)
            .unwrap_or_default()
    }

    /// What the select shows.
    pub fn label(self) -> &'static str {
        match self {
            Self::Direct => "Directly to the endpoint",
            Self::Relay => "Through this site (relay)",
        }
    }
}

/// The origin the page was loaded from, when it is an http(s) origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageOrigin {
    /// `scheme://host[:port]`, as `location.origin` gives it.
    origin: String,
    /// The host name, lower case, without the port.
    host: String,
}

impl PageOrigin {
    /// Parses `location.origin`; `None` for anything but `http(s)://host[:port]`
    /// (a `file:` page has the origin `null`).
    pub fn parse(origin: &str) -> Option<Self> {
        let (scheme, authority) = origin.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let valid = (scheme == "http" || scheme == "https")
            && !authority.is_empty()
            && !authority.contains(['/', '?', '#', '@'])
            && !authority.chars().any(char::is_whitespace);
        valid.then(|| Self {
            origin: format!("{scheme}://{}", authority.to_ascii_lowercase()),
            host: host_without_port(authority),
        })
    }

    /// `scheme://host[:port]`.
    pub fn as_str(&self) -> &str {
        &self.origin
    }
}

/// The path segment of a relay URL that stands for the host each request is
/// signed for: `/aws/{host}` sends a request signed for
/// `bedrock-agentcore-control.eu-west-1.amazonaws.com` to
/// `/aws/bedrock-agentcore-control.eu-west-1.amazonaws.com/…`.
pub const HOST_PLACEHOLDER: &str = "{host}";

/// A relay: an origin and an optional path prefix (no trailing slash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relay {
    /// `scheme://authority`.
    origin: String,
    /// Empty, or `/segment…` without a trailing slash; at most one segment
    /// is [`HOST_PLACEHOLDER`].
    prefix: String,
}

impl Relay {
    /// The relay's base URL: origin and prefix, e.g. `https://console.example.com/aws`
    /// (with `{host}` as written).
    pub fn base(&self) -> String {
        format!("{}{}", self.origin, self.prefix)
    }

    /// The base URL for a request signed for `signed_authority`
    /// (`host[:port]`): [`HOST_PLACEHOLDER`] replaced by it.
    pub fn base_for(&self, signed_authority: &str) -> String {
        format!(
            "{}{}",
            self.origin,
            self.prefix.replace(HOST_PLACEHOLDER, signed_authority)
        )
    }

    /// Whether the relay is told the signed host in each path (`{host}`),
    /// rather than forwarding to a host of its own choosing.
    pub fn names_host(&self) -> bool {
        self.prefix.contains(HOST_PLACEHOLDER)
    }

    /// The path prefix the relay strips (empty for none).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

/// Why the route cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// The endpoint to sign for cannot be resolved.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The relay URL is not a path or an absolute http(s) URL.
    #[error(
        "The relay URL `{relay}` {problem}. Enter a path on this site such as `/aws/{{host}}` \
         or `/aws`, an absolute URL such as `https://console.example.com/aws/{{host}}`, or \
         leave it empty for this site's own origin."
    )]
    InvalidRelayUrl {
        /// The relay URL as given (at most 200 characters of it).
        relay: String,
        /// What is wrong with it.
        problem: String,
    },
    /// Invoking or signing in through a relay with a fixed upstream: it
    /// forwards to the control plane's host, never to the other hosts.
    #[error(
        "{} goes to {}, which this relay with a fixed upstream does not forward to: it \
         needs the relay URL's {{host}} form, such as /aws/{{host}}, whose relay forwards \
         each request to the host it was signed for.",
        .0.what(),
        .0.hosts()
    )]
    NeedsHostRelay(Reach),
    /// Relay mode with a path (or nothing) needs a page served over http(s).
    #[error(
        "This page is not served over http(s), so it has no origin to relay through. Enter \
         the relay's absolute URL (https://…), or choose “Directly to the endpoint”."
    )]
    NoPageOrigin,
}

/// Calls that go to other hosts than the control plane's, so that only a
/// `{host}` relay forwards them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// InvokeAgentRuntime, on the data plane.
    DataPlane,
    /// IAM Identity Center's OIDC and portal calls.
    SignIn,
}

impl Reach {
    fn what(self) -> &'static str {
        match self {
            Self::DataPlane => "Invoking the agent",
            Self::SignIn => "Signing in with IAM Identity Center",
        }
    }

    fn hosts(self) -> &'static str {
        match self {
            Self::DataPlane => "the data-plane host (bedrock-agentcore.<region>…)",
            Self::SignIn => "its hosts (oidc.<region>… and portal.sso.<region>…)",
        }
    }
}

/// Parses the `relayUrl` setting against the page's origin:
/// - empty: the page's origin, no prefix;
/// - a path starting with `/`: the page's origin plus that prefix;
/// - an absolute `http(s)` URL with an optional path prefix (plain `http`
///   only for a loopback host, never with a user name or password).
///
/// The prefix may hold one [`HOST_PLACEHOLDER`] segment.
pub fn parse_relay_url(raw: &str, page: Option<&PageOrigin>) -> Result<Relay, RouteError> {
    let raw = raw.trim();
    let invalid = |problem: &str| RouteError::InvalidRelayUrl {
        relay: raw.chars().take(200).collect(),
        problem: problem.to_owned(),
    };
    if raw.is_empty() || raw.starts_with('/') {
        if raw.starts_with("//") {
            return Err(invalid(
                "starts with `//`, which browsers read as another host; write the absolute \
                 URL with `https://`, or a path with a single `/`",
            ));
        }
        let prefix = check_prefix(raw).map_err(|p| invalid(&p))?;
        let page = page.ok_or(RouteError::NoPageOrigin)?;
        return Ok(Relay {
            origin: page.origin.clone(),
            prefix,
        });
    }
    let (origin, path) = check_base_url(raw).map_err(|p| invalid(&p))?;
    let prefix = check_prefix(&path).map_err(|p| invalid(&p))?;
    Ok(Relay { origin, prefix })
}

/// Checks a relay's path prefix and drops its trailing slashes.
fn check_prefix(path: &str) -> Result<String, String> {
    if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains spaces or line breaks".to_owned());
    }
    if path.contains(['?', '#', '\\']) {
        return Err("has a `?`, `#` or `\\`, which a path prefix cannot have".to_owned());
    }
    let trimmed = path.trim_end_matches('/');
    let segments = || trimmed.split('/').skip(1);
    if segments().any(|segment| segment.is_empty() || segment == "." || segment == "..") {
        return Err("has an empty, `.` or `..` path segment".to_owned());
    }
    if segments().any(|segment| segment != HOST_PLACEHOLDER && segment.contains(['{', '}'])) {
        return Err(format!(
            "has `{{` or `}}` outside `{HOST_PLACEHOLDER}`, which must be a whole path segment"
        ));
    }
    if segments()
        .filter(|segment| *segment == HOST_PLACEHOLDER)
        .count()
        > 1
    {
        return Err(format!("has `{HOST_PLACEHOLDER}` more than once"));
    }
    Ok(trimmed.to_owned())
}

/// Whether the page can offer "Send through this site": it is served over
/// http(s) from a host that is not the endpoint it would sign for.
pub fn relay_offered(page: Option<&PageOrigin>, endpoint: &ResolvedEndpoint) -> bool {
    page.is_some_and(|page| host_without_port(url::split(&endpoint.url).authority) != page.host)
}

/// What a request is signed for, and where it is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The endpoint the request is signed for: its URL gives the signed
    /// `Host` and the path, its region and name the credential scope.
    pub endpoint: ResolvedEndpoint,
    /// The relay the bytes go through, or `None` to send them straight to
    /// [`Route::endpoint`].
    pub relay: Option<Relay>,
}

impl Route {
    /// Sends straight to `endpoint`.
    pub fn direct(endpoint: ResolvedEndpoint) -> Self {
        Self {
            endpoint,
            relay: None,
        }
    }

    /// The URL to send a request signed for `signed_url` to: unchanged when
    /// direct; through a relay, its base (with `{host}` replaced by
    /// `signed_url`'s host) plus `signed_url`'s path and query.
    pub fn send_url(&self, signed_url: &str) -> String {
        let Some(relay) = &self.relay else {
            return signed_url.to_owned();
        };
        let signed = url::split(signed_url);
        let base = relay.base_for(signed.authority);
        if signed.rest.starts_with('/') {
            format!("{base}{}", signed.rest)
        } else {
            format!("{base}/{}", signed.rest)
        }
    }

    /// The panel's one sentence, e.g. "Signed for
    /// https://bedrock-agentcore-control.eu-west-1.amazonaws.com (eu-west-1),
    /// sent through https://console.example.com/aws".
    pub fn summary(&self) -> String {
        let signed = format!(
            "Signed for {} ({})",
            self.endpoint.url, self.endpoint.signing_region
        );
        match &self.relay {
            Some(relay) => format!(
                "{signed}, sent through {}",
                relay.base_for(url::split(&self.endpoint.url).authority)
            ),
            None => format!("{signed}, sent directly to it"),
        }
    }
}

/// The region and endpoint panel's settings, as typed (raw text), and as
/// saved in `localStorage` under [`EndpointSettings::STORAGE_KEY`]. Nothing
/// here is secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointSettings {
    /// Region id.
    pub region: String,
    /// Standard, FIPS, dual-stack or both.
    pub variant: EndpointVariant,
    /// Custom endpoint URL (empty: the AWS endpoint).
    pub custom_endpoint: String,
    /// Direct or through a relay.
    pub send_via: SendVia,
    /// The relay URL (empty: this page's origin).
    pub relay_url: String,
}

impl Default for EndpointSettings {
    fn default() -> Self {
        Self {
            region: DEFAULT_REGION.to_owned(),
            variant: EndpointVariant::default(),
            custom_endpoint: String::new(),
            send_via: SendVia::default(),
            relay_url: String::new(),
        }
    }
}

/// The region a first visit starts with.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The saved value of an endpoint variant (also the `endpointVariant`
/// select's value).
pub fn variant_value(v: EndpointVariant) -> &'static str {
    match v {
        EndpointVariant::Standard => "standard",
        EndpointVariant::Fips => "fips",
        EndpointVariant::DualStack => "dualstack",
        EndpointVariant::FipsDualStack => "fips-dualstack",
    }
}

/// Parses a saved or selected variant value; anything unknown is standard.
pub fn variant_from_value(v: &str) -> EndpointVariant {
    EndpointVariant::ALL
        .into_iter()
        .find(|x| variant_value(*x) == v)
        .unwrap_or_default()
}

impl EndpointSettings {
    /// The `localStorage` key.
    pub const STORAGE_KEY: &'static str = "agentcore-console.settings";

    /// Reads saved settings; anything missing or unreadable takes its
    /// default. The values come back as they were saved, for the panel to
    /// show (and mark as restored); [`EndpointSettings::route`] checks them
    /// before anything is sent.
    pub fn from_saved(saved: Option<&str>) -> Self {
        let json: Value = saved
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(Value::Null);
        let text = |key: &str| {
            json.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let region = text("region");
        Self {
            region: if region.trim().is_empty() {
                DEFAULT_REGION.to_owned()
            } else {
                region
            },
            variant: variant_from_value(&text("variant")),
            custom_endpoint: text("endpointUrl"),
            send_via: SendVia::from_value(&text("sendVia")),
            relay_url: text("relayUrl"),
        }
    }

    /// The endpoint to sign for.
    pub fn endpoint(&self) -> Result<ResolvedEndpoint, EndpointError> {
        let custom = self.custom_endpoint.trim();
        resolve_endpoint(&EndpointParams {
            region: self.region.clone(),
            variant: self.variant,
            custom_endpoint: (!custom.is_empty()).then(|| custom.to_owned()),
        })
    }

    /// The route these settings describe, for a page served from `page`.
    pub fn route(&self, page: Option<&PageOrigin>) -> Result<Route, RouteError> {
        self.route_to(self.endpoint()?, page)
    }

    /// The route of IAM Identity Center's `service` in `region` (the
    /// sign-in's, not the console's): its endpoint with these settings'
    /// variant (or custom endpoint), through the same relay.
    pub fn sso_route(
        &self,
        service: SsoService,
        region: &str,
        page: Option<&PageOrigin>,
    ) -> Result<Route, RouteError> {
        let custom = self.custom_endpoint.trim();
        let endpoint = resolve_sso_endpoint(
            service,
            &EndpointParams {
                region: region.to_owned(),
                variant: self.variant,
                custom_endpoint: (!custom.is_empty()).then(|| custom.to_owned()),
            },
        )?;
        self.host_route_to(endpoint, page, Reach::SignIn)
    }

    /// The route to `endpoint` on another host than the control plane's:
    /// a relay must name the signed host (`{host}`).
    fn host_route_to(
        &self,
        endpoint: ResolvedEndpoint,
        page: Option<&PageOrigin>,
        reach: Reach,
    ) -> Result<Route, RouteError> {
        let route = self.route_to(endpoint, page)?;
        if route.relay.as_ref().is_some_and(|r| !r.names_host()) {
            return Err(RouteError::NeedsHostRelay(reach));
        }
        Ok(route)
    }

    fn route_to(
        &self,
        endpoint: ResolvedEndpoint,
        page: Option<&PageOrigin>,
    ) -> Result<Route, RouteError> {
        let relay = match self.send_via {
            SendVia::Direct => None,
            SendVia::Relay => Some(parse_relay_url(&self.relay_url, page)?),
        };
        Ok(Route { endpoint, relay })
    }

    /// The route of the data plane (InvokeAgentRuntime): the same region,
    /// variant, custom endpoint and relay, resolved by the data plane's
    /// rules. A relay must name the signed host (`{host}`).
    pub fn data_plane_route(&self, page: Option<&PageOrigin>) -> Result<Route, RouteError> {
        let custom = self.custom_endpoint.trim();
        let endpoint = resolve_data_plane_endpoint(&EndpointParams {
            region: self.region.clone(),
            variant: self.variant,
            custom_endpoint: (!custom.is_empty()).then(|| custom.to_owned()),
        })?;
        self.host_route_to(endpoint, page, Reach::DataPlane)
    }

    /// The text to save, or `None` when any value is invalid (an invalid
    /// value is never saved, so the last valid settings stay stored). The
    /// relay URL is checked even in direct mode, since it is saved too.
    pub fn to_saved(&self, page: Option<&PageOrigin>) -> Option<String> {
        self.route(page).ok()?;
        if !self.relay_url.trim().is_empty() {
            parse_relay_url(&self.relay_url, page).ok()?;
        }
        Some(super::json::to_string(&json!({
            "region": self.region.trim(),
            "variant": variant_value(self.variant),
            "endpointUrl": self.custom_endpoint.trim(),
            "sendVia": self.send_via.value(),
            "relayUrl": self.relay_url.trim(),
        })))
    }

    /// Whether the custom endpoint in use is the one restored from the last
    /// visit (`restored`), so the panel can say so: a planted value shows.
    pub fn custom_endpoint_restored(&self, restored: &EndpointSettings) -> bool {
        let current = self.custom_endpoint.trim();
        !current.is_empty() && current == restored.custom_endpoint.trim()
    }

    /// Whether relay mode and its URL are the ones restored from the last
    /// visit.
    pub fn relay_restored(&self, restored: &EndpointSettings) -> bool {
        self.send_via == SendVia::Relay
            && restored.send_via == SendVia::Relay
            && self.relay_url.trim() == restored.relay_url.trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(origin: &str) -> PageOrigin {
        PageOrigin::parse(origin).unwrap()
    }

    fn aws(region: &str) -> ResolvedEndpoint {
        EndpointSettings {
            region: region.into(),
            ..Default::default()
        }
        .endpoint()
        .unwrap()
    }

    fn relay(raw: &str, origin: Option<&str>) -> Result<Relay, RouteError> {
        let page = origin.map(page);
        parse_relay_url(raw, page.as_ref())
    }

    #[test]
    fn the_data_plane_route_goes_to_its_own_host_and_only_through_a_host_relay() {
        let site = page("https://console.example.com");
        let mut settings = EndpointSettings {
            region: "eu-west-1".into(),
            send_via: SendVia::Relay,
            relay_url: "/aws/{host}".into(),
            ..Default::default()
        };
        let route = settings.data_plane_route(Some(&site)).unwrap();
        assert_eq!(
            route.send_url(&format!("{}/runtimes/x/invocations", route.endpoint.url)),
            "https://console.example.com/aws/bedrock-agentcore.eu-west-1.amazonaws.com/runtimes/x/invocations"
        );
        assert_eq!(route.endpoint.signing_name, "bedrock-agentcore");
        settings.relay_url = "/aws".into();
        assert!(
            settings.route(Some(&site)).is_ok(),
            "the control plane's relay is fine"
        );
        let refused = settings.data_plane_route(Some(&site)).unwrap_err();
        assert_eq!(refused, RouteError::NeedsHostRelay(Reach::DataPlane));
        assert!(refused.to_string().contains("{host}"), "{refused}");
        assert!(
            refused
                .to_string()
                .starts_with("Invoking the agent goes to the data-plane host"),
            "{refused}"
        );
        let sign_in = settings
            .sso_route(SsoService::Oidc, "eu-west-1", Some(&site))
            .unwrap_err();
        assert!(
            sign_in
                .to_string()
                .starts_with("Signing in with IAM Identity Center goes to its hosts"),
            "{sign_in}"
        );
        settings.relay_url = "/aws/{host}".into();
        assert!(
            settings
                .sso_route(SsoService::Oidc, "eu-west-1", Some(&site))
                .is_ok()
        );
        settings.relay_url = "/aws".into();
        settings.send_via = SendVia::Direct;
        assert!(settings.data_plane_route(Some(&site)).is_ok());
    }

    #[test]
    fn relay_url_forms_resolve_against_the_page_origin() {
        let site = Some("https://console.example.com");
        assert_eq!(
            relay("", site).unwrap().base(),
            "https://console.example.com"
        );
        assert_eq!(
            relay("/aws", site).unwrap().base(),
            "https://console.example.com/aws"
        );
        assert_eq!(
            relay(" /aws/eu/ ", site).unwrap().base(),
            "https://console.example.com/aws/eu"
        );
        assert_eq!(relay("/", site).unwrap().prefix(), "");
        let absolute = relay("https://relay.example.com/aws/", None).unwrap();
        assert_eq!(absolute.base(), "https://relay.example.com/aws");
        assert_eq!(absolute.prefix(), "/aws");
        assert_eq!(
            relay("HTTPS://Relay.example.com", None).unwrap().base(),
            "https://Relay.example.com"
        );
        assert_eq!(
            relay("/aws", Some("http://127.0.0.1:8080")).unwrap().base(),
            "http://127.0.0.1:8080/aws"
        );
    }

    #[test]
    fn bad_relay_urls_say_what_is_wrong() {
        let site = Some("https://console.example.com");
        let cases = [
            ("//evil.example.com/aws", "starts with `//`"),
            ("/a b", "spaces"),
            ("/aws?x=1", "`?`"),
            ("/aws#top", "`#`"),
            ("/aws//eu", "empty"),
            ("/aws/../x", "`..`"),
            ("relay.example.com", "has no scheme"),
            ("ftp://relay.example.com", "only `https://`"),
            ("https://user:pw@relay.example.com", "user name or password"),
            ("http://relay.example.com/aws", "plain `http://`"),
            ("https://relay.example.com/a/./b", "`.`"),
            ("/aws/{host}/{host}", "more than once"),
            ("/aws/{hostname}", "outside `{host}`"),
            ("/aws/x{host}", "outside `{host}`"),
            ("/aws/{region}", "outside `{host}`"),
            ("https://relay.example.com/{host}{host}", "outside `{host}`"),
        ];
        for (raw, part) in cases {
            match relay(raw, site) {
                Err(RouteError::InvalidRelayUrl { problem, .. }) => {
                    assert!(problem.contains(part), "{raw}: {problem}")
                }
                other => panic!("{raw}: {other:?}"),
            }
        }
        assert!(relay("http://localhost:8080/aws", site).is_ok());
    }

    #[test]
    fn a_path_relay_needs_a_page_served_over_http() {
        assert_eq!(relay("/aws", None), Err(RouteError::NoPageOrigin));
        assert_eq!(relay("", None), Err(RouteError::NoPageOrigin));
        assert_eq!(PageOrigin::parse("null"), None);
        assert_eq!(PageOrigin::parse("file:///home/me/index.html"), None);
        assert_eq!(PageOrigin::parse("chrome-extension://abc"), None);
        assert!(relay("https://relay.example.com", None).is_ok());
    }

    #[test]
    fn the_relay_gets_its_prefix_plus_the_signed_path_and_query() {
        let endpoint = aws("eu-west-1");
        let signed = "https://bedrock-agentcore-control.eu-west-1.amazonaws.com/runtimes/a-1234567890/?version=3";
        let direct = Route::direct(endpoint.clone());
        assert_eq!(direct.send_url(signed), signed);
        let site = page("https://console.example.com");
        let via = |raw: &str| Route {
            endpoint: endpoint.clone(),
            relay: Some(parse_relay_url(raw, Some(&site)).unwrap()),
        };
        let aws_path = "/runtimes/a-1234567890/?version=3";
        let cases = [
            (
                "/aws",
                signed,
                format!("https://console.example.com/aws{aws_path}"),
            ),
            ("", signed, format!("https://console.example.com{aws_path}")),
            (
                "https://relay.example.com/x/y",
                "https://h.example.com/runtimes/",
                "https://relay.example.com/x/y/runtimes/".to_owned(),
            ),
            // a custom endpoint's own path is part of what is signed, so it
            // is kept after the relay's prefix
            (
                "/aws",
                "https://proxy.example.com/base/runtimes/?maxResults=5",
                "https://console.example.com/aws/base/runtimes/?maxResults=5".to_owned(),
            ),
            (
                "/aws",
                "https://h.example.com?x=1",
                "https://console.example.com/aws/?x=1".to_owned(),
            ),
            (
                "/aws",
                "https://h.example.com",
                "https://console.example.com/aws/".to_owned(),
            ),
        ];
        for (relay, signed_url, sent) in cases {
            assert_eq!(
                via(relay).send_url(signed_url),
                sent,
                "{relay} {signed_url}"
            );
        }
    }

    #[test]
    fn a_host_relay_gets_the_signed_host_in_its_path_for_every_region_and_variant() {
        let site = page("https://console.example.com");
        let signed_for = |region: &str, variant| {
            EndpointSettings {
                region: region.into(),
                variant,
                send_via: SendVia::Relay,
                relay_url: "/aws/{host}".into(),
                ..Default::default()
            }
            .route(Some(&site))
            .unwrap()
        };
        let cases = [
            (
                "eu-west-1",
                EndpointVariant::Standard,
                "bedrock-agentcore-control.eu-west-1.amazonaws.com",
            ),
            (
                "us-east-1",
                EndpointVariant::Fips,
                "bedrock-agentcore-control-fips.us-east-1.amazonaws.com",
            ),
            (
                "ap-southeast-2",
                EndpointVariant::DualStack,
                "bedrock-agentcore-control.ap-southeast-2.api.aws",
            ),
        ];
        for (region, variant, host) in cases {
            let route = signed_for(region, variant);
            assert!(route.relay.as_ref().unwrap().names_host());
            let signed = format!("{}/runtimes/a-1/?version=3", route.endpoint.url);
            assert_eq!(
                route.send_url(&signed),
                format!("https://console.example.com/aws/{host}/runtimes/a-1/?version=3")
            );
            assert!(route.summary().ends_with(&format!(
                "sent through https://console.example.com/aws/{host}"
            )));
        }
        // absolute, with a segment after the placeholder; a custom endpoint's port is part of the host
        let relay = parse_relay_url("https://relay.example.com/x/{host}/y/", None).unwrap();
        assert_eq!(relay.base(), "https://relay.example.com/x/{host}/y");
        let route = Route {
            endpoint: aws("us-east-1"),
            relay: Some(relay),
        };
        assert_eq!(
            route.send_url("https://h.example.com:8443/runtimes/"),
            "https://relay.example.com/x/h.example.com:8443/y/runtimes/"
        );
        // a fixed prefix names no host
        assert!(!relay_of("/aws").names_host());
    }

    fn relay_of(raw: &str) -> Relay {
        relay(raw, Some("https://console.example.com")).unwrap()
    }

    #[test]
    fn the_summary_names_what_is_signed_for_and_where_it_goes() {
        let site = page("https://console.example.com");
        let settings = EndpointSettings {
            region: "eu-west-1".into(),
            send_via: SendVia::Relay,
            relay_url: "/aws".into(),
            ..Default::default()
        };
        assert_eq!(
            settings.route(Some(&site)).unwrap().summary(),
            "Signed for https://bedrock-agentcore-control.eu-west-1.amazonaws.com (eu-west-1), \
             sent through https://console.example.com/aws"
        );
        let direct = EndpointSettings {
            send_via: SendVia::Direct,
            ..settings
        };
        assert_eq!(
            direct.route(Some(&site)).unwrap().summary(),
            "Signed for https://bedrock-agentcore-control.eu-west-1.amazonaws.com (eu-west-1), \
             sent directly to it"
        );
    }

    #[test]
    fn relay_is_offered_only_from_an_http_page_on_another_host() {
        let endpoint = aws("us-east-1");
        assert!(relay_offered(
            Some(&page("https://console.example.com")),
            &endpoint
        ));
        assert!(relay_offered(
            Some(&page("http://127.0.0.1:8080")),
            &endpoint
        ));
        assert!(!relay_offered(None, &endpoint));
        assert!(!relay_offered(
            Some(&page(
                "https://bedrock-agentcore-control.us-east-1.amazonaws.com"
            )),
            &endpoint
        ));
        let custom = EndpointSettings {
            custom_endpoint: "http://127.0.0.1:4566".into(),
            ..Default::default()
        }
        .endpoint()
        .unwrap();
        assert!(!relay_offered(
            Some(&page("http://127.0.0.1:8080")),
            &custom
        ));
        assert!(relay_offered(Some(&page("http://localhost:8080")), &custom));
    }

    #[test]
    fn settings_round_trip_and_default() {
        let site = page("https://console.example.com");
        let settings = EndpointSettings {
            region: "eu-central-1".into(),
            variant: EndpointVariant::Fips,
            custom_endpoint: String::new(),
            send_via: SendVia::Relay,
            relay_url: "/aws".into(),
        };
        let saved = settings.to_saved(Some(&site)).unwrap();
        assert_eq!(EndpointSettings::from_saved(Some(&saved)), settings);
        assert_eq!(
            EndpointSettings::from_saved(None),
            EndpointSettings::default()
        );
        assert_eq!(
            EndpointSettings::from_saved(Some("not json")),
            EndpointSettings::default()
        );
        let old = r#"{"region":"eu-west-1","variant":"dualstack","endpointUrl":""}"#;
        let read = EndpointSettings::from_saved(Some(old));
        assert_eq!(read.region, "eu-west-1");
        assert_eq!(read.variant, EndpointVariant::DualStack);
        assert_eq!(read.send_via, SendVia::Direct);
    }

    #[test]
    fn invalid_settings_are_never_saved() {
        let site = page("https://console.example.com");
        let valid = EndpointSettings::default();
        assert!(valid.to_saved(Some(&site)).is_some());
        let invalid = [
            EndpointSettings {
                custom_endpoint: "http://proxy.example.com".into(),
                ..Default::default()
            },
            EndpointSettings {
                custom_endpoint: "https://user:pw@proxy.example.com".into(),
                ..Default::default()
            },
            EndpointSettings {
                region: "not a region".into(),
                ..Default::default()
            },
            EndpointSettings {
                send_via: SendVia::Relay,
                relay_url: "//evil.example.com".into(),
                ..Default::default()
            },
            // saved even in direct mode, so checked there too
            EndpointSettings {
                relay_url: "http://relay.example.com".into(),
                ..Default::default()
            },
        ];
        for settings in invalid {
            assert_eq!(settings.to_saved(Some(&site)), None, "{settings:?}");
        }
        // relay through the page's origin cannot be saved from a page without one
        let relay_here = EndpointSettings {
            send_via: SendVia::Relay,
            ..Default::default()
        };
        assert_eq!(relay_here.to_saved(None), None);
        assert!(relay_here.to_saved(Some(&site)).is_some());
    }

    #[test]
    fn restored_values_are_recognized_until_changed() {
        let restored = EndpointSettings::from_saved(Some(
            r#"{"region":"us-east-1","endpointUrl":"https://planted.example.com","sendVia":"relay","relayUrl":"/aws"}"#,
        ));
        let mut now = restored.clone();
        assert!(now.custom_endpoint_restored(&restored));
        assert!(now.relay_restored(&restored));
        now.custom_endpoint = "https://mine.example.com".into();
        now.relay_url = "/other".into();
        assert!(!now.custom_endpoint_restored(&restored));
        assert!(!now.relay_restored(&restored));
        let fresh = EndpointSettings::default();
        assert!(!fresh.custom_endpoint_restored(&EndpointSettings::default()));
        assert!(!fresh.relay_restored(&EndpointSettings::default()));
    }

    #[test]
    fn identity_center_goes_to_its_own_host_in_its_region_through_the_same_relay() {
        let relayed = EndpointSettings {
            region: "eu-west-1".into(),
            variant: EndpointVariant::Fips,
            send_via: SendVia::Relay,
            relay_url: "/aws/{host}".into(),
            ..Default::default()
        };
        let page = page("https://console.example.com");
        let route = relayed
            .sso_route(SsoService::Portal, "us-west-2", Some(&page))
            .unwrap();
        assert_eq!(
            route.send_url(&format!("{}/logout", route.endpoint.url)),
            "https://console.example.com/aws/portal.sso-fips.us-west-2.amazonaws.com/logout"
        );
        let custom = EndpointSettings {
            custom_endpoint: "http://127.0.0.1:4566".into(),
            ..Default::default()
        };
        let route = custom
            .sso_route(SsoService::Oidc, "us-east-1", None)
            .unwrap();
        assert_eq!(
            (route.endpoint.url.as_str(), route.relay),
            ("http://127.0.0.1:4566", None)
        );
        assert!(
            custom
                .sso_route(SsoService::Oidc, "not a region", None)
                .is_err()
        );
    }
}
