//! The AWS service model: operations, shapes and their traits, as botocore's
//! `service-2.json` writes the Smithy model of Bedrock AgentCore Control.
//!
//! The vendored subset (`model/bedrock-agentcore-control.json`, refreshed by
//! `scripts/refresh-model.py`) keeps the four operations the console uses and
//! every shape they reach, and botocore's `paginators-1.json` for those
//! operations (which members carry the page token, the page size and the
//! results). Everything else in the core (validation, the form
//! document, serialization, error parsing) is driven by these types: nothing
//! is written per request member. Shape kinds and traits follow the Smithy
//! 1.0 specification (<https://smithy.io/1.0/spec/core/model.html>) as
//! botocore encodes them.

use std::sync::OnceLock;

use super::endpoint::SsoService;
use super::member_path::{MemberPath, Segment};
use super::model_raw::{RawError, RawMember, RawModel, RawPaginators, RawShape, ShapeRef, Str};
use super::regex::{Mode, Regex};

// The vendored model and paginators (`model/*.json`) as static data
// (`data::BUNDLED_MODEL_DATA`, `data::BUNDLED_PAGINATORS_DATA`), written by
// build.rs.
include!(concat!(env!("OUT_DIR"), "/model_data.rs"));

/// The vendored service model's JSON, which the static data was made from.
#[cfg(test)]
const BUNDLED_MODEL: &str = include_str!("../../model/bedrock-agentcore-control.json");
/// The vendored data-plane model's JSON (InvokeAgentRuntime).
#[cfg(test)]
const DATA_PLANE_MODEL: &str = include_str!("../../model/bedrock-agentcore.json");

/// The name of the operation this console exists for.
pub const UPDATE_AGENT_RUNTIME: &str = "UpdateAgentRuntime";
/// Reads one runtime's current configuration.
pub const GET_AGENT_RUNTIME: &str = "GetAgentRuntime";
/// Lists runtimes, page by page.
pub const LIST_AGENT_RUNTIMES: &str = "ListAgentRuntimes";
/// Lists a runtime's versions, page by page.
pub const LIST_AGENT_RUNTIME_VERSIONS: &str = "ListAgentRuntimeVersions";
/// Lists a runtime's endpoints (`DEFAULT` and named ones), a page at a time.
pub const LIST_AGENT_RUNTIME_ENDPOINTS: &str = "ListAgentRuntimeEndpoints";
/// Reads one endpoint: its live and target versions and status.
pub const GET_AGENT_RUNTIME_ENDPOINT: &str = "GetAgentRuntimeEndpoint";
/// Points an endpoint at a version of its runtime.
pub const UPDATE_AGENT_RUNTIME_ENDPOINT: &str = "UpdateAgentRuntimeEndpoint";
/// Sends a payload to a runtime and streams its answer ("Try the agent"),
/// in the data-plane model ([`ServiceModel::data_plane`]).
pub const INVOKE_AGENT_RUNTIME: &str = "InvokeAgentRuntime";

/// A whole service model: metadata, operations and shapes.
#[derive(Debug)]
pub struct ServiceModel {
    /// Protocol, signing name and the like.
    pub metadata: Metadata,
    operations: ByName<Operation>,
    shapes: ByName<Shape>,
    paginators: ByName<Paginator>,
}

/// How a list operation pages (botocore's `paginators-1.json`): the caller
/// sends `input_token` with the previous page's `output_token` until the
/// output has none; `limit_key` sets the page size; `result_key` holds the
/// page's items. botocore also allows lists of keys and JMESPath expressions
/// here; this service uses plain member names only, and the loader checks
/// each one against the operation's input or output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginator {
    /// Input member that carries the page token, e.g. `nextToken`.
    pub input_token: String,
    /// Output member that holds the next page's token, e.g. `nextToken`.
    pub output_token: String,
    /// Input member that sets the page size, e.g. `maxResults`.
    pub limit_key: Option<String>,
    /// Output member that holds the page's items, e.g. `agentRuntimes`.
    pub result_key: String,
}

impl Paginator {
    /// The input for one page: `base` with the page size and, after the
    /// first page, the previous page's token.
    pub fn page_input(
        &self,
        base: &serde_json::Value,
        page_size: Option<i64>,
        token: Option<&str>,
    ) -> serde_json::Value {
        let mut input = match base {
            serde_json::Value::Object(members) => members.clone(),
            _ => serde_json::Map::new(),
        };
        if let (Some(key), Some(size)) = (&self.limit_key, page_size) {
            input.insert(key.clone(), size.into());
        }
        if let Some(token) = token {
            input.insert(self.input_token.clone(), token.into());
        }
        serde_json::Value::Object(input)
    }

    /// The items of one page's output (none when the member is absent).
    pub fn results<'a>(&self, output: &'a serde_json::Value) -> &'a [serde_json::Value] {
        output
            .get(&self.result_key)
            .and_then(serde_json::Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The token for the next page, or `None` on the last page.
    pub fn next_token<'a>(&self, output: &'a serde_json::Value) -> Option<&'a str> {
        output
            .get(&self.output_token)
            .and_then(serde_json::Value::as_str)
            .filter(|token| !token.is_empty())
    }
}

/// Service-wide facts from the model's `metadata`.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// API version, e.g. `2023-06-05`.
    pub api_version: String,
    /// Host prefix of the endpoint, `bedrock-agentcore-control`.
    pub endpoint_prefix: String,
    /// Wire protocol, `rest-json`.
    pub protocol: String,
    /// Human name of the service.
    pub service_full_name: String,
    /// Name used in the SigV4 credential scope, `bedrock-agentcore`.
    pub signing_name: String,
}

/// One operation with its HTTP binding.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Operation name, e.g. `UpdateAgentRuntime`.
    pub name: String,
    /// HTTP method.
    pub method: String,
    /// URI template with `{label}` placeholders, e.g. `/runtimes/{agentRuntimeId}/`.
    pub request_uri: String,
    /// Status code of a successful answer.
    pub response_code: u16,
    /// Input structure, if any.
    pub input: Option<String>,
    /// Output structure, if any.
    pub output: Option<String>,
    /// Modeled error shapes.
    pub errors: Vec<String>,
    /// Whether retrying with the same input is safe.
    pub idempotent: bool,
    /// Documentation (HTML).
    pub documentation: String,
}

/// A shape: its kind plus the constraint traits that apply to it.
#[derive(Debug)]
pub struct Shape {
    /// The shape's name in the model.
    pub name: String,
    /// What kind of value it is.
    pub kind: ShapeKind,
    /// `min` trait: length (strings, lists, maps) or value (numbers).
    pub min: Option<i64>,
    /// `max` trait: length (strings, lists, maps) or value (numbers).
    pub max: Option<i64>,
    /// `pattern` trait, matched against the whole value.
    pub pattern: Option<Pattern>,
    /// `sensitive` trait: the value must not be shown or stored casually.
    pub sensitive: bool,
    /// `box` trait: the value may be absent even for a number or boolean.
    pub boxed: bool,
    /// Error trait for exception shapes.
    pub error: Option<ErrorTrait>,
    /// `retryable` trait of an error shape: the SDKs retry it.
    pub retryable: bool,
    /// `streaming` trait of a blob: the body is read as it arrives.
    pub streaming: bool,
    /// Of a structure: the member that is the whole HTTP body
    /// (`httpPayload`), e.g. InvokeAgentRuntime's `payload`.
    pub payload: Option<String>,
    /// Documentation (HTML).
    pub documentation: String,
}

/// The kinds of shape this model uses (Smithy simple and aggregate types).
#[derive(Debug)]
pub enum ShapeKind {
    /// Named members; some required.
    Structure(Vec<Member>),
    /// Exactly one of the members is set.
    Union(Vec<Member>),
    /// Ordered values of one shape.
    List(String),
    /// Keys and values of one shape each.
    Map {
        /// Key shape (a string).
        key: String,
        /// Value shape.
        value: String,
    },
    /// Free text, maybe constrained by length and pattern.
    String,
    /// A string restricted to listed values.
    Enum(Vec<String>),
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    Long,
    /// `true` or `false`.
    Boolean,
    /// An instant; rest-json sends epoch seconds unless a format says otherwise.
    Timestamp,
    /// Floating point number.
    Double,
    /// Anything else the console does not edit (e.g. blobs).
    Other(String),
}

/// A member of a structure or union.
#[derive(Debug, Clone)]
pub struct Member {
    /// Member name as it appears in JSON.
    pub name: String,
    /// Target shape.
    pub shape: String,
    /// Whether the member must be present.
    pub required: bool,
    /// Where the member goes in an HTTP request.
    pub location: Location,
    /// Name on the wire when bound to the URI, query string or a header.
    pub location_name: Option<String>,
    /// Filled with a fresh UUID when the caller leaves it empty.
    pub idempotency_token: bool,
    /// Documentation (HTML) of the member, else of its target.
    pub documentation: String,
}

/// The HTTP binding of a member (Smithy `httpLabel`, `httpQuery`, `httpHeader`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A member of the JSON document.
    Body,
    /// A `{label}` in the URI path.
    Uri,
    /// A query-string parameter.
    Querystring,
    /// An HTTP header.
    Header,
}

/// The `error` trait of an exception shape.
#[derive(Debug, Clone)]
pub struct ErrorTrait {
    /// HTTP status the service answers with.
    pub http_status: u16,
    /// Whether the caller caused it (4xx) rather than the service (5xx).
    pub sender_fault: bool,
}

/// A `pattern` trait, compiled once, matched against the whole value with
/// ECMAScript semantics (Smithy's), by [`super::regex`].
#[derive(Debug)]
pub struct Pattern {
    /// The pattern as written in the model (no `^`/`$`).
    pub source: String,
    regex: Regex,
}

impl Pattern {
    /// Compiles a model pattern anchored at both ends, as the CloudFormation
    /// schema writes the same patterns (`^...$`), with the `u` flag; the
    /// error is the regex engine's message.
    pub fn new(source: &str) -> Result<Self, String> {
        let regex = Regex::new(&format!("^(?:{source})$"), Mode::Unicode)?;
        Ok(Self {
            source: source.to_owned(),
            regex,
        })
    }

    /// Whether the whole value matches.
    pub fn matches(&self, value: &str) -> bool {
        self.regex.is_match(value)
    }
}

/// Why the bundled (or a refreshed) model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The JSON itself is broken.
    #[error("the service model is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A shape names a target that does not exist.
    #[error("shape `{from}` refers to `{to}`, which the model does not define")]
    DanglingReference {
        /// Shape holding the reference.
        from: String,
        /// Missing target.
        to: String,
    },
    /// A pattern does not compile in the regex engine.
    #[error("pattern of shape `{shape}` does not compile: {error}")]
    Pattern {
        /// Shape holding the pattern.
        shape: String,
        /// Compiler message.
        error: String,
    },
    /// A required operation is missing.
    #[error("the model has no operation `{0}`")]
    MissingOperation(String),
    /// A paginator names an operation or member the model does not have.
    #[error("the paginator of `{operation}` names `{member}`, which is not a member of its {side}")]
    Paginator {
        /// Operation the paginator is for.
        operation: String,
        /// The key it names.
        member: String,
        /// `input` or `output`.
        side: &'static str,
    },
}

/// Values by name, kept sorted by name and found by binary search: the
/// lookups of a `BTreeMap` without its node code, which the .wasm would
/// carry once per value type.
#[derive(Debug)]
struct ByName<T>(Vec<(String, T)>);

impl<T> Default for ByName<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> ByName<T> {
    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    /// Adds or replaces the value for `name`.
    fn insert(&mut self, name: String, value: T) {
        match self.position(&name) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    fn get(&self, name: &str) -> Option<&T> {
        self.position(name).ok().map(|i| &self.0[i].1)
    }

    fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// The values in name order.
    fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter().map(|(_, v)| v)
    }
}

impl ServiceModel {
    /// The model shipped with the console. Loaded and checked once.
    pub fn bundled() -> &'static ServiceModel {
        static MODEL: OnceLock<ServiceModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            // The bundled files are checked by host tests (`bundled_model_loads`,
            // `bundled_paginators_load`); failing here would mean the build
            // shipped a broken model.
            ServiceModel::from_raw(&data::BUNDLED_MODEL_DATA)
                .and_then(|model| model.with_raw_paginators(&data::BUNDLED_PAGINATORS_DATA))
                .unwrap_or_else(|e| panic!("the bundled service model is invalid: {e}"))
        })
    }

    /// The data-plane model (service `bedrock-agentcore`, host
    /// `bedrock-agentcore.<region>…`): InvokeAgentRuntime and the shapes it
    /// reaches. Its static data is only linked into builds that call this.
    pub fn data_plane() -> &'static ServiceModel {
        static MODEL: OnceLock<ServiceModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            // Checked by the host test `data_plane_model_loads`.
            ServiceModel::from_raw(&data::DATA_PLANE_MODEL_DATA)
                .unwrap_or_else(|e| panic!("the bundled data-plane model is invalid: {e}"))
        })
    }

    /// IAM Identity Center's model for `service` (its sign-in, `sso-oidc`, or
    /// its access portal, `sso`), without documentation: the sign-in's
    /// unsigned calls are built and read with it. Its static data is only
    /// linked into builds that call this.
    pub fn sso(service: SsoService) -> &'static ServiceModel {
        static OIDC: OnceLock<ServiceModel> = OnceLock::new();
        static PORTAL: OnceLock<ServiceModel> = OnceLock::new();
        let (cell, data) = match service {
            SsoService::Oidc => (&OIDC, &data::SSO_OIDC_MODEL_DATA),
            SsoService::Portal => (&PORTAL, &data::SSO_PORTAL_MODEL_DATA),
        };
        // Checked by the host test `sso_models_load_and_equal_their_json`.
        cell.get_or_init(|| {
            ServiceModel::from_raw(data)
                .unwrap_or_else(|e| panic!("the bundled IAM Identity Center model is invalid: {e}"))
        })
    }

    /// Adds botocore's paginators (`paginators-1.json`) for this model's
    /// operations, checking that every key names a member of the operation's
    /// input (`input_token`, `limit_key`) or output (`output_token`,
    /// `result_key`). Paginators of operations the model does not keep are
    /// left out.
    pub fn with_paginators(self, text: &str) -> Result<Self, ModelError> {
        self.with_raw_paginators(&serde_json::from_str(text)?)
    }

    /// [`Self::with_paginators`] for paginators already read.
    fn with_raw_paginators(mut self, raw: &RawPaginators) -> Result<Self, ModelError> {
        for (operation, paginator) in raw.pagination.iter() {
            let Some(op) = self.operations.get(operation.as_ref()) else {
                continue;
            };
            let paginator = Paginator {
                input_token: paginator.input_token.to_string(),
                output_token: paginator.output_token.to_string(),
                limit_key: paginator.limit_key.as_ref().map(|k| k.to_string()),
                result_key: paginator.result_key.to_string(),
            };
            let members_of = |shape: &Option<String>| -> Vec<&str> {
                shape
                    .as_deref()
                    .and_then(|name| self.find_shape(name))
                    .map(|s| s.members().iter().map(|m| m.name.as_str()).collect())
                    .unwrap_or_default()
            };
            let (input, output) = (members_of(&op.input), members_of(&op.output));
            let keys = [
                (Some(&paginator.input_token), &input, "input"),
                (paginator.limit_key.as_ref(), &input, "input"),
                (Some(&paginator.output_token), &output, "output"),
                (Some(&paginator.result_key), &output, "output"),
            ];
            for (key, members, side) in keys {
                if let Some(key) = key.filter(|k| !members.contains(&k.as_str())) {
                    return Err(ModelError::Paginator {
                        operation: operation.to_string(),
                        member: key.clone(),
                        side,
                    });
                }
            }
            self.paginators.insert(operation.to_string(), paginator);
        }
        Ok(self)
    }

    /// How a list operation pages, if it does.
    pub fn paginator(&self, operation: &str) -> Option<&Paginator> {
        self.paginators.get(operation)
    }

    /// The largest page a paginated operation allows: the `max` trait of
    /// its `limit_key` member (100 for ListAgentRuntimes).
    pub fn max_page_size(&self, operation: &str) -> Option<i64> {
        let limit = self.paginator(operation)?.limit_key.as_deref()?;
        let input = self.input_of(operation).ok()?;
        let member = input.members().iter().find(|m| m.name == limit)?;
        self.shape(&member.shape).max
    }

    /// Parses a botocore `service-2.json` document and checks it: every
    /// reference resolves and every pattern compiles.
    pub fn from_json(text: &str) -> Result<Self, ModelError> {
        Self::from_raw(&serde_json::from_str(text)?)
    }

    /// [`Self::from_json`] for a model already read (the bundled one is
    /// static data written by build.rs).
    fn from_raw(raw: &RawModel) -> Result<Self, ModelError> {
        let mut shapes = ByName::default();
        for (name, raw_shape) in raw.shapes.iter() {
            shapes.insert(name.to_string(), raw_shape.to_shape(name)?);
        }
        let shape_name = |r: &ShapeRef| r.shape.to_string();
        let mut operations = ByName::default();
        for (name, op) in raw.operations.iter() {
            let operation = Operation {
                name: name.to_string(),
                method: op.http.method.to_string(),
                request_uri: op.http.request_uri.to_string(),
                response_code: op.http.response_code.unwrap_or(200),
                input: op.input.as_ref().map(shape_name),
                output: op.output.as_ref().map(shape_name),
                errors: op.errors.iter().map(shape_name).collect(),
                idempotent: op.idempotent,
                documentation: op.documentation.to_string(),
            };
            operations.insert(name.to_string(), operation);
        }
        let meta = &raw.metadata;
        let model = ServiceModel {
            metadata: Metadata {
                api_version: meta.api_version.to_string(),
                endpoint_prefix: meta.endpoint_prefix.to_string(),
                protocol: meta.protocol.to_string(),
                service_full_name: meta.service_full_name.to_string(),
                signing_name: meta.signing_name.to_string(),
            },
            operations,
            shapes,
            paginators: ByName::default(),
        };
        model.check_references()?;
        Ok(model)
    }

    fn check_references(&self) -> Result<(), ModelError> {
        let dangling = |from: &str, to: &str| ModelError::DanglingReference {
            from: from.to_owned(),
            to: to.to_owned(),
        };
        for shape in self.shapes.values() {
            for target in shape.targets() {
                if !self.shapes.contains_key(target) {
                    return Err(dangling(&shape.name, target));
                }
            }
        }
        for op in self.operations.values() {
            let refs = op.input.iter().chain(op.output.iter()).chain(&op.errors);
            for target in refs {
                if !self.shapes.contains_key(target) {
                    return Err(dangling(&op.name, target));
                }
            }
        }
        Ok(())
    }

    /// The named operation.
    pub fn operation(&self, name: &str) -> Result<&Operation, ModelError> {
        self.operations
            .get(name)
            .ok_or_else(|| ModelError::MissingOperation(name.to_owned()))
    }

    /// Every operation, by name.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.operations.values()
    }

    /// The named shape. Every reference was checked when the model loaded, so
    /// a name taken from the model always resolves.
    pub fn shape(&self, name: &str) -> &Shape {
        self.shapes
            .get(name)
            .unwrap_or_else(|| panic!("shape `{name}` was checked at load time"))
    }

    /// Looks a shape up by a name that may not exist.
    pub fn find_shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    /// Every shape, by name.
    pub fn shapes(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values()
    }

    /// The input structure of an operation.
    pub fn input_of(&self, operation: &str) -> Result<&Shape, ModelError> {
        let op = self.operation(operation)?;
        op.input
            .as_deref()
            .map(|name| self.shape(name))
            .ok_or_else(|| ModelError::MissingOperation(format!("{operation} input")))
    }

    /// Resolves a request's member path (members by name, list items by
    /// index, map entries by key) from `root` to the shape it names, or
    /// `None` if the path names no member.
    pub fn shape_at_path<'a>(&'a self, root: &'a Shape, path: &MemberPath) -> Option<&'a Shape> {
        let mut shape = root;
        for segment in path.segments() {
            shape = match (&shape.kind, segment) {
                (
                    ShapeKind::Structure(members) | ShapeKind::Union(members),
                    Segment::Member(name),
                ) => {
                    let member = members.iter().find(|m| &m.name == name)?;
                    self.shape(&member.shape)
                }
                (ShapeKind::List(item), Segment::Index(_)) => self.shape(item),
                (ShapeKind::Map { value, .. }, Segment::Key(_)) => self.shape(value),
                _ => return None,
            };
        }
        Some(shape)
    }
}

impl Shape {
    /// Names of the shapes this one refers to.
    fn targets(&self) -> Vec<&str> {
        match &self.kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => {
                members.iter().map(|m| m.shape.as_str()).collect()
            }
            ShapeKind::List(item) => vec![item.as_str()],
            ShapeKind::Map { key, value } => vec![key.as_str(), value.as_str()],
            _ => Vec::new(),
        }
    }

    /// Members of a structure or union (empty for other kinds).
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => members,
            _ => &[],
        }
    }

    /// Whether values of this shape are scalars (edited in one control).
    pub fn is_scalar(&self) -> bool {
        !matches!(
            self.kind,
            ShapeKind::Structure(_)
                | ShapeKind::Union(_)
                | ShapeKind::List(_)
                | ShapeKind::Map { .. }
        )
    }
}

/// Turns the model's HTML documentation into plain text: tags dropped,
/// entities decoded, paragraphs separated by a blank line. The UI shows this
/// as text, never as HTML.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after[1..end].trim_start_matches('/').to_ascii_lowercase();
        let name = tag.split_whitespace().next().unwrap_or("");
        if matches!(name, "p" | "ul" | "ol" | "br" | "br/") {
            if !out.ends_with("• ") {
                out.push_str("\n\n");
            }
        } else if name == "li" && !after[1..].starts_with('/') {
            out.push_str("\n\n• ");
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let paragraphs: Vec<String> = decoded
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty() && p != "•")
        .collect();
    paragraphs.join("\n\n")
}

impl RawShape<'_> {
    fn to_shape(&self, name: &str) -> Result<Shape, ModelError> {
        let members = |raw: &[(Str, RawMember)]| -> Vec<Member> {
            raw.iter()
                .map(|(member_name, m)| Member {
                    required: self.required.contains(member_name),
                    location: match m.location.as_deref() {
                        Some("uri") => Location::Uri,
                        Some("querystring") => Location::Querystring,
                        Some("header") | Some("headers") => Location::Header,
                        _ => Location::Body,
                    },
                    name: member_name.to_string(),
                    shape: m.shape.to_string(),
                    location_name: m.location_name.as_ref().map(|n| n.to_string()),
                    idempotency_token: m.idempotency_token,
                    documentation: m.documentation.to_string(),
                })
                .collect()
        };
        let missing = |what: &str| ModelError::DanglingReference {
            from: name.to_owned(),
            to: format!("<{what}>"),
        };
        let target = |r: &Option<ShapeRef>, what: &str| {
            r.as_ref()
                .map(|r| r.shape.to_string())
                .ok_or_else(|| missing(what))
        };
        let kind = match self.kind.as_ref() {
            "structure" if self.union => ShapeKind::Union(members(&self.members)),
            "structure" => ShapeKind::Structure(members(&self.members)),
            "list" => ShapeKind::List(target(&self.member, "member")?),
            "map" => ShapeKind::Map {
                key: target(&self.key, "key")?,
                value: target(&self.value, "value")?,
            },
            "string" => match &self.enum_values {
                Some(values) => ShapeKind::Enum(values.iter().map(|v| v.to_string()).collect()),
                None => ShapeKind::String,
            },
            "integer" => ShapeKind::Integer,
            "long" => ShapeKind::Long,
            "boolean" => ShapeKind::Boolean,
            "timestamp" => ShapeKind::Timestamp,
            "double" | "float" => ShapeKind::Double,
            other => ShapeKind::Other(other.to_owned()),
        };
        let pattern = match &self.pattern {
            Some(source) => Some(Pattern::new(source).map_err(|e| ModelError::Pattern {
                shape: name.to_owned(),
                error: e,
            })?),
            None => None,
        };
        let error = (self.exception || self.error.is_some()).then(|| {
            let raw = self.error.unwrap_or(RawError {
                http_status_code: None,
                sender_fault: false,
            });
            ErrorTrait {
                http_status: raw
                    .http_status_code
                    .unwrap_or(if self.fault { 500 } else { 400 }),
                sender_fault: raw.sender_fault,
            }
        });
        Ok(Shape {
            name: name.to_owned(),
            kind,
            min: self.min.map(|v| v as i64),
            max: self.max.map(|v| v as i64),
            pattern,
            sensitive: self.sensitive,
            boxed: self.boxed,
            error,
            retryable: self.retryable.is_some(),
            streaming: self.streaming,
            payload: self.payload.as_ref().map(|p| p.to_string()),
            documentation: self.documentation.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_name_keeps_values_sorted_and_finds_them() {
        let mut map = ByName::default();
        for (name, v) in [("b", 2), ("a", 1), ("c", 3), ("b", 20)] {
            map.insert(name.to_owned(), v);
        }
        assert_eq!(map.values().copied().collect::<Vec<_>>(), [1, 20, 3]);
        assert_eq!(map.get("b"), Some(&20));
        assert_eq!(map.get("d"), None);
        assert!(map.contains_key("a") && !map.contains_key(""));
    }

    #[test]
    fn bundled_model_loads_with_every_pattern_compiled() {
        let model = ServiceModel::from_json(BUNDLED_MODEL).expect("bundled model loads");
        let patterns = model.shapes().filter(|s| s.pattern.is_some()).count();
        assert!(
            patterns > 20,
            "expected the model's patterns, got {patterns}"
        );
        for op in [
            UPDATE_AGENT_RUNTIME,
            GET_AGENT_RUNTIME,
            LIST_AGENT_RUNTIMES,
            LIST_AGENT_RUNTIME_VERSIONS,
        ] {
            model.operation(op).expect("operation present");
        }
        assert_eq!(model.metadata.signing_name, "bedrock-agentcore");
    }

    #[test]
    fn static_model_data_equals_the_vendored_json() {
        // build.rs writes the bundled model as static data; read the same
        // files as JSON and check that nothing (member order, documentation,
        // traits, paginators) was lost on the way.
        // (but the documentation the page never shows: see the next test).
        let from_json = as_shipped(BUNDLED_MODEL)
            .and_then(|model| {
                model.with_paginators(include_str!(
                    "../../model/bedrock-agentcore-control-2023-06-05.paginators-1.json"
                ))
            })
            .expect("vendored JSON loads");
        assert_eq!(
            format!("{from_json:#?}"),
            format!("{:#?}", ServiceModel::bundled())
        );
        assert!(from_json.operations().count() >= 4);
    }

    /// A vendored JSON model with only the documentation the build ships.
    fn as_shipped(text: &str) -> Result<ServiceModel, ModelError> {
        let mut raw: RawModel = serde_json::from_str(text)?;
        raw.keep_shown_documentation();
        ServiceModel::from_raw(&raw)
    }

    /// The help text a field shows for `member` (`ui::field`): its own
    /// documentation, else its target shape's.
    fn shown_help<'m>(model: &'m ServiceModel, member: &'m Member) -> &'m str {
        if member.documentation.is_empty() {
            &model.shape(&member.shape).documentation
        } else {
            &member.documentation
        }
    }

    #[test]
    fn the_build_ships_every_help_text_the_form_shows_and_no_other_text() {
        for (json, shipped) in [
            (BUNDLED_MODEL, ServiceModel::bundled()),
            (DATA_PLANE_MODEL, ServiceModel::data_plane()),
        ] {
            let full = ServiceModel::from_json(json).unwrap();
            // Every member of every shape an operation's input reaches
            // keeps its help text.
            let mut reached: Vec<&str> = full
                .operations()
                .filter_map(|op| op.input.as_deref())
                .collect();
            let mut seen = std::collections::BTreeSet::new();
            let mut helps = 0;
            while let Some(name) = reached.pop() {
                if !seen.insert(name) {
                    continue;
                }
                let shape = full.shape(name);
                reached.extend(shape.targets());
                for member in shape.members() {
                    let kept = shipped
                        .shape(name)
                        .members()
                        .iter()
                        .find(|m| m.name == member.name)
                        .unwrap();
                    assert_eq!(
                        shown_help(shipped, kept),
                        shown_help(&full, member),
                        "{name}.{}",
                        member.name
                    );
                    helps += usize::from(!shown_help(&full, member).is_empty());
                }
            }
            assert!(helps > 0);
            // What no field shows is not shipped.
            assert!(shipped.operations().all(|op| op.documentation.is_empty()));
            let output_only = full
                .shapes()
                .filter(|s| !seen.contains(s.name.as_str()) && !s.documentation.is_empty())
                .count();
            assert!(output_only > 0);
            assert!(
                shipped
                    .shapes()
                    .filter(|s| !seen.contains(s.name.as_str()))
                    .all(|s| s.documentation.is_empty()
                        && s.members().iter().all(|m| m.documentation.is_empty()))
            );
        }
    }

    #[test]
    fn sso_models_load_and_equal_their_json() {
        for (service, json) in [
            (SsoService::Oidc, include_str!("../../model/sso-oidc.json")),
            (SsoService::Portal, include_str!("../../model/sso.json")),
        ] {
            let mut raw: RawModel = serde_json::from_str(json).unwrap();
            raw.drop_documentation();
            let from_json = ServiceModel::from_raw(&raw).unwrap();
            let shipped = ServiceModel::sso(service);
            assert_eq!(format!("{from_json:#?}"), format!("{shipped:#?}"));
            assert!(shipped.shapes().all(|s| s.documentation.is_empty()));
        }
        let portal = ServiceModel::sso(SsoService::Portal);
        assert!(portal.operation("GetRoleCredentials").is_ok());
        assert!(
            ServiceModel::sso(SsoService::Oidc)
                .operation("CreateToken")
                .is_ok()
        );
    }

    #[test]
    fn data_plane_model_loads_and_equals_its_json() {
        let from_json = as_shipped(DATA_PLANE_MODEL).expect("data-plane JSON loads");
        let model = ServiceModel::data_plane();
        assert_eq!(format!("{from_json:#?}"), format!("{model:#?}"));
        assert_eq!(model.metadata.signing_name, "bedrock-agentcore");
        assert_eq!(model.metadata.endpoint_prefix, "bedrock-agentcore");
        let op = model.operation(INVOKE_AGENT_RUNTIME).unwrap();
        assert_eq!(
            (op.method.as_str(), op.request_uri.as_str()),
            ("POST", "/runtimes/{agentRuntimeArn}/invocations")
        );
        let input = model.input_of(INVOKE_AGENT_RUNTIME).unwrap();
        assert_eq!(input.payload.as_deref(), Some("payload"));
        let payload = input
            .members()
            .iter()
            .find(|m| m.name == "payload")
            .unwrap();
        let body = model.shape(&payload.shape);
        assert!(matches!(&body.kind, ShapeKind::Other(k) if k == "blob") && body.sensitive);
        let session = input
            .members()
            .iter()
            .find(|m| m.idempotency_token)
            .unwrap();
        assert_eq!(
            session.location_name.as_deref(),
            Some("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id")
        );
        assert_eq!(model.shape(&session.shape).min, Some(33));
        let output = model.shape(op.output.as_deref().unwrap());
        let stream = output
            .members()
            .iter()
            .find(|m| m.name == "response")
            .unwrap();
        assert!(model.shape(&stream.shape).streaming);
        let retryable: Vec<&str> = op
            .errors
            .iter()
            .filter(|e| model.shape(e).retryable)
            .map(String::as_str)
            .collect();
        assert_eq!(retryable, ["RetryableConflictException"]);
        // The control plane stays as it was.
        assert!(
            ServiceModel::bundled()
                .operation(INVOKE_AGENT_RUNTIME)
                .is_err()
        );
    }

    #[test]
    fn bundled_paginators_load_for_both_list_operations() {
        let model = ServiceModel::bundled();
        let expected = |result_key: &str| Paginator {
            input_token: "nextToken".into(),
            output_token: "nextToken".into(),
            limit_key: Some("maxResults".into()),
            result_key: result_key.into(),
        };
        assert_eq!(
            model.paginator(LIST_AGENT_RUNTIMES),
            Some(&expected("agentRuntimes"))
        );
        assert_eq!(
            model.paginator(LIST_AGENT_RUNTIME_VERSIONS),
            Some(&expected("agentRuntimes"))
        );
        assert_eq!(model.paginator(UPDATE_AGENT_RUNTIME), None);
        assert_eq!(model.paginator(GET_AGENT_RUNTIME), None);
        assert_eq!(model.max_page_size(LIST_AGENT_RUNTIMES), Some(100));
        assert_eq!(model.max_page_size(GET_AGENT_RUNTIME), None);
    }

    #[test]
    fn paginator_naming_a_missing_member_is_refused() {
        let with = |paginator: &str| {
            ServiceModel::from_json(BUNDLED_MODEL)
                .unwrap()
                .with_paginators(&format!(
                    r#"{{"pagination": {{"ListAgentRuntimes": {paginator}}}}}"#
                ))
        };
        let err = with(r#"{"input_token": "pageToken", "output_token": "nextToken", "limit_key": "maxResults", "result_key": "agentRuntimes"}"#)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the paginator of `ListAgentRuntimes` names `pageToken`, which is not a member of its input"
        );
        let err = with(r#"{"input_token": "nextToken", "output_token": "nextToken", "limit_key": "maxResults", "result_key": "runtimes"}"#)
            .unwrap_err();
        assert!(
            matches!(err, ModelError::Paginator { side: "output", .. }),
            "{err}"
        );
        let err = with(r#"{"input_token": "nextToken", "output_token": "nextToken", "limit_key": "pageSize", "result_key": "agentRuntimes"}"#)
            .unwrap_err();
        assert!(
            matches!(err, ModelError::Paginator { side: "input", .. }),
            "{err}"
        );
        // an operation the vendored model does not keep is left out
        let model = ServiceModel::from_json(BUNDLED_MODEL)
            .unwrap()
            .with_paginators(r#"{"pagination": {"ListGateways": {"input_token": "nextToken", "output_token": "nextToken", "result_key": "items"}}}"#)
            .unwrap();
        assert_eq!(model.paginator("ListGateways"), None);
    }

    #[test]
    fn paginator_builds_page_inputs_and_reads_pages() {
        let paginator = ServiceModel::bundled()
            .paginator(LIST_AGENT_RUNTIME_VERSIONS)
            .unwrap();
        let base = serde_json::json!({"agentRuntimeId": "rt-1"});
        assert_eq!(
            paginator.page_input(&base, Some(100), None),
            serde_json::json!({"agentRuntimeId": "rt-1", "maxResults": 100})
        );
        assert_eq!(
            paginator.page_input(&base, None, Some("t+2")),
            serde_json::json!({"agentRuntimeId": "rt-1", "nextToken": "t+2"})
        );
        let page =
            serde_json::json!({"agentRuntimes": [{"agentRuntimeVersion": "1"}], "nextToken": "t2"});
        assert_eq!(paginator.results(&page).len(), 1);
        assert_eq!(paginator.next_token(&page), Some("t2"));
        let last = serde_json::json!({"agentRuntimes": [], "nextToken": ""});
        assert_eq!(paginator.next_token(&last), None);
        assert!(paginator.results(&serde_json::json!({})).is_empty());
        assert_eq!(
            paginator.next_token(&serde_json::json!({"nextToken": 7})),
            None
        );
    }

    #[test]
    fn patterns_match_the_whole_value_only() {
        let p = Pattern::new("sg-[0-9a-zA-Z]{8,17}").unwrap();
        assert!(p.matches("sg-0123456789abcdef0"));
        assert!(!p.matches("xsg-0123456789abcdef0"));
        assert!(!p.matches("sg-0123456789abcdef0 "));
    }

    #[test]
    fn update_request_members_keep_model_order_and_traits() {
        let model = ServiceModel::bundled();
        let input = model.input_of(UPDATE_AGENT_RUNTIME).unwrap();
        let names: Vec<&str> = input.members().iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names.len(), 18);
        assert_eq!(names[0], "agentRuntimeId");
        assert_eq!(names[1], "agentRuntimeArtifact");
        let id = &input.members()[0];
        assert_eq!(id.location, Location::Uri);
        assert!(id.required);
        let token = input
            .members()
            .iter()
            .find(|m| m.name == "clientToken")
            .unwrap();
        assert!(token.idempotency_token);
        assert!(matches!(
            model.shape("AgentRuntimeArtifact").kind,
            ShapeKind::Union(_)
        ));
        assert!(model.shape("EnvironmentVariablesMap").sensitive);
    }

    /// Leaf fields under a shape (map keys and values count one each), and
    /// whether every one is of a kind the form renders.
    fn leaves(model: &ServiceModel, shape: &Shape) -> (usize, bool) {
        match &shape.kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => members
                .iter()
                .map(|m| leaves(model, model.shape(&m.shape)))
                .fold((0, true), |a, b| (a.0 + b.0, a.1 && b.1)),
            ShapeKind::List(item) => leaves(model, model.shape(item)),
            ShapeKind::Map { key, value } => {
                let (k, v) = (
                    leaves(model, model.shape(key)),
                    leaves(model, model.shape(value)),
                );
                (k.0 + v.0, k.1 && v.1)
            }
            ShapeKind::Other(_) | ShapeKind::Timestamp | ShapeKind::Double => (1, false),
            _ => (1, true),
        }
    }

    #[test]
    fn update_request_has_18_members_and_77_editable_leaf_fields() {
        let model = ServiceModel::bundled();
        let input = model.input_of(UPDATE_AGENT_RUNTIME).unwrap();
        assert_eq!(input.members().len(), 18);
        assert_eq!(leaves(model, input), (77, true));
    }

    #[test]
    fn shape_at_path_walks_structures_unions_lists_and_maps() {
        let model = ServiceModel::bundled();
        let input = model.input_of(UPDATE_AGENT_RUNTIME).unwrap();
        let entry = model
            .shape_at_path(
                input,
                &MemberPath::from_control_name(
                    "agentRuntimeArtifact.codeConfiguration.entryPoint.1",
                ),
            )
            .unwrap();
        assert!(matches!(entry.kind, ShapeKind::String));
        assert!(
            model
                .shape_at_path(
                    input,
                    &MemberPath::root().member("environmentVariables").key("A.B")
                )
                .is_some()
        );
        assert!(
            model
                .shape_at_path(input, &MemberPath::root().member("noSuchMember"))
                .is_none()
        );
        assert!(
            model
                .shape_at_path(input, &MemberPath::from_control_name("roleArn.deeper"))
                .is_none()
        );
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        let text = plain_text(
            "<p>The <code>a &amp; b</code> value.</p><ul><li><p>one</p></li><li>two &lt;x&gt;</li></ul>",
        );
        assert_eq!(text, "The a & b value.\n\n• one\n\n• two <x>");
    }
}
