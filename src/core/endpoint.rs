//! Endpoint resolution: region and options → the HTTPS endpoint of Bedrock
//! AgentCore Control, driven by the service's own endpoint rule set.
//!
//! This is a small, general interpreter of the Smithy endpoint rules language
//! (rule set version 1.0; Smithy "Rules engine" specification, with the AWS
//! `aws.partition` function of the Smithy AWS rules-engine library). It
//! evaluates `model/bedrock-agentcore-control-2023-06-05.endpoint-rule-set-1.json`
//! against `model/partitions.json`, both copied unchanged from botocore's
//! package data. Supported: parameters with defaults and built-ins
//! (`AWS::Region`, `AWS::UseFIPS`, `AWS::UseDualStack`, `SDK::Endpoint`);
//! `endpoint`, `error` and `tree` rules; conditions with `assign`; template
//! strings (`{Region}`, `{PartitionResult#dnsSuffix}`); and the functions
//! `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`,
//! `aws.partition`, `parseURL`, `isValidHostLabel`, `substring` and
//! `uriEncode`. Anything else is reported as an error, never guessed.
//!
//! Requests are signed with the service's SigV4 signing name
//! ([`SIGNING_NAME`], from the service model's `signingName`), which differs
//! from the endpoint prefix `bedrock-agentcore-control`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

/// The SigV4 signing name of Bedrock AgentCore Control (service model
/// metadata `signingName`; not the endpoint prefix).
pub const SIGNING_NAME: &str = "bedrock-agentcore";

/// The endpoint rule set, unchanged from botocore.
const RULE_SET_JSON: &str =
    include_str!("../../model/bedrock-agentcore-control-2023-06-05.endpoint-rule-set-1.json");

/// The partitions (DNS suffixes, region patterns, known regions), unchanged
/// from botocore.
const PARTITIONS_JSON: &str = include_str!("../../model/partitions.json");

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
    /// The embedded rule set or partitions could not be evaluated.
    #[error(
        "The endpoint rules built into this console cannot be evaluated ({problem}). This is a \
         bug in the console; please report it."
    )]
    InvalidRuleSet {
        /// What went wrong.
        problem: String,
    },
}

/// Resolves the endpoint for `params` by evaluating the service's endpoint
/// rule set.
pub fn resolve_endpoint(params: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
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
    let model = model()?;
    let mut scope = Scope::new();
    let parameters = model
        .rule_set
        .get("parameters")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid("the rule set has no `parameters`"))?;
    for (name, definition) in parameters {
        let given = match definition.get("builtIn").and_then(Value::as_str) {
            Some("AWS::Region") => Some(Val::Str(region.to_owned())),
            Some("AWS::UseFIPS") => Some(Val::Bool(params.variant.uses_fips())),
            Some("AWS::UseDualStack") => Some(Val::Bool(params.variant.uses_dual_stack())),
            Some("SDK::Endpoint") => custom_endpoint.clone().map(Val::Str),
            _ => None,
        };
        let value = match (given, definition.get("default")) {
            (Some(value), _) => Some(value),
            (None, Some(default)) => Some(Val::from_json(default)?),
            (None, None) => None,
        };
        if value.is_none() && definition.get("required").and_then(Value::as_bool) == Some(true) {
            return Err(invalid(&format!(
                "required parameter `{name}` has no value"
            )));
        }
        scope.insert(name.clone(), value);
    }
    let rules = model
        .rule_set
        .get("rules")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("the rule set has no `rules`"))?;
    let evaluator = Evaluator {
        partitions: &model.partitions,
    };
    let outcome = evaluator
        .rules(rules, &scope)?
        .ok_or(EndpointError::NoMatchingRule)?;
    let (url, properties) = match outcome {
        Outcome::Endpoint { url, properties } => (url, properties),
        Outcome::Error(message) => return Err(EndpointError::Rejected { message }),
    };
    let signing_region = properties
        .as_ref()
        .and_then(auth_scheme_signing_region)
        .unwrap_or_else(|| region.to_owned());
    let partition = evaluator
        .partition(region)
        .map(|p| p.id.clone())
        .ok_or_else(|| invalid("partitions.json has no `aws` partition"))?;
    Ok(ResolvedEndpoint {
        url: url.trim_end_matches('/').to_owned(),
        signing_region,
        signing_name: SIGNING_NAME.to_owned(),
        partition,
    })
}

/// The regions listed in `partitions.json`, sorted by partition then id.
/// Pseudo-regions such as `aws-global` (no regional endpoint) are left out.
pub fn known_regions() -> Vec<RegionInfo> {
    let Ok(model) = model() else {
        return Vec::new();
    };
    let mut regions: Vec<RegionInfo> = model
        .partitions
        .iter()
        .flat_map(|partition| {
            partition
                .regions
                .iter()
                .filter(|(id, _)| !id.ends_with("-global"))
                .map(|(id, attributes)| RegionInfo {
                    id: id.clone(),
                    description: attributes
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or(id)
                        .to_owned(),
                    partition: partition.id.clone(),
                })
        })
        .collect();
    regions.sort_unstable_by(|a, b| (&a.partition, &a.id).cmp(&(&b.partition, &b.id)));
    regions
}

/// The parsed embedded data.
struct Model {
    rule_set: Value,
    partitions: Vec<Partition>,
}

/// One partition of `partitions.json`.
struct Partition {
    id: String,
    region_regex: Option<regex_lite::Regex>,
    outputs: Map<String, Value>,
    regions: BTreeMap<String, Map<String, Value>>,
}

/// Parses the embedded data once.
fn model() -> Result<&'static Model, EndpointError> {
    static MODEL: OnceLock<Result<Model, String>> = OnceLock::new();
    MODEL
        .get_or_init(load_model)
        .as_ref()
        .map_err(|problem| invalid(problem))
}

fn load_model() -> Result<Model, String> {
    let rule_set: Value = serde_json::from_str(RULE_SET_JSON)
        .map_err(|e| format!("the endpoint rule set is not valid JSON: {e}"))?;
    match rule_set.get("version").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.") => {}
        other => return Err(format!("unsupported rule set version {other:?}")),
    }
    let partitions: Value = serde_json::from_str(PARTITIONS_JSON)
        .map_err(|e| format!("partitions.json is not valid JSON: {e}"))?;
    let list = partitions
        .get("partitions")
        .and_then(Value::as_array)
        .ok_or("partitions.json has no `partitions` list")?;
    let partitions = list
        .iter()
        .map(|p| {
            let id = p
                .get("id")
                .and_then(Value::as_str)
                .ok_or("a partition has no `id`")?
                .to_owned();
            let region_regex = match p.get("regionRegex").and_then(Value::as_str) {
                Some(pattern) => Some(
                    regex_lite::Regex::new(pattern)
                        .map_err(|e| format!("partition {id} has a bad regionRegex: {e}"))?,
                ),
                None => None,
            };
            let outputs = p
                .get("outputs")
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| format!("partition {id} has no `outputs`"))?;
            let regions = p
                .get("regions")
                .and_then(Value::as_object)
                .map(|regions| {
                    regions
                        .iter()
                        .map(|(name, attributes)| {
                            let attributes = attributes.as_object().cloned().unwrap_or_default();
                            (name.clone(), attributes)
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok(Partition {
                id,
                region_regex,
                outputs,
                regions,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Model {
        rule_set,
        partitions,
    })
}

/// An `InvalidRuleSet` error.
fn invalid(problem: &str) -> EndpointError {
    EndpointError::InvalidRuleSet {
        problem: problem.to_owned(),
    }
}

/// A value of the rules language.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Str(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Val>),
    Record(BTreeMap<String, Val>),
}

impl Val {
    /// A literal from JSON data (partition outputs, defaults).
    fn from_json(value: &Value) -> Result<Val, EndpointError> {
        Ok(match value {
            Value::String(s) => Val::Str(s.clone()),
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Int(
                n.as_i64()
                    .ok_or_else(|| invalid(&format!("unsupported number {n}")))?,
            ),
            Value::Array(items) => {
                Val::Array(items.iter().map(Val::from_json).collect::<Result<_, _>>()?)
            }
            Value::Object(fields) => Val::Record(
                fields
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), Val::from_json(v)?)))
                    .collect::<Result<_, EndpointError>>()?,
            ),
            Value::Null => return Err(invalid("unexpected null")),
        })
    }

    fn kind(&self) -> &'static str {
        match self {
            Val::Str(_) => "string",
            Val::Bool(_) => "boolean",
            Val::Int(_) => "integer",
            Val::Array(_) => "array",
            Val::Record(_) => "record",
        }
    }
}

/// Names in scope: parameters (`None` when unset) and assigned results.
type Scope = HashMap<String, Option<Val>>;

/// What a matching `endpoint` or `error` rule produced.
enum Outcome {
    Endpoint {
        url: String,
        properties: Option<Val>,
    },
    Error(String),
}

/// Evaluates rules against the partitions.
struct Evaluator<'a> {
    partitions: &'a [Partition],
}

impl Evaluator<'_> {
    /// The first matching rule's outcome; `None` when no rule matches.
    fn rules(&self, rules: &[Value], scope: &Scope) -> Result<Option<Outcome>, EndpointError> {
        for rule in rules {
            let mut local = scope.clone();
            if !self.conditions(rule, &mut local)? {
                continue;
            }
            let kind = rule
                .get("type")
                .and_then(Value::as_str)
                .ok_or_else(|| invalid("a rule has no `type`"))?;
            return match kind {
                "endpoint" => {
                    let endpoint = rule
                        .get("endpoint")
                        .ok_or_else(|| invalid("an endpoint rule has no `endpoint`"))?;
                    let url = endpoint
                        .get("url")
                        .ok_or_else(|| invalid("an endpoint has no `url`"))?;
                    let url = self.string(url, &local)?;
                    let properties = match endpoint.get("properties") {
                        Some(p) => self.expr(p, &local)?,
                        None => None,
                    };
                    Ok(Some(Outcome::Endpoint { url, properties }))
                }
                "error" => {
                    let message = rule
                        .get("error")
                        .ok_or_else(|| invalid("an error rule has no `error`"))?;
                    Ok(Some(Outcome::Error(self.string(message, &local)?)))
                }
                "tree" => {
                    let sub = rule
                        .get("rules")
                        .and_then(Value::as_array)
                        .ok_or_else(|| invalid("a tree rule has no `rules`"))?;
                    // A tree whose conditions match must end in one of its rules.
                    match self.rules(sub, &local)? {
                        Some(outcome) => Ok(Some(outcome)),
                        None => Err(EndpointError::NoMatchingRule),
                    }
                }
                other => Err(invalid(&format!("unknown rule type `{other}`"))),
            };
        }
        Ok(None)
    }

    /// Whether all conditions of `rule` hold, binding `assign`ed results.
    fn conditions(&self, rule: &Value, scope: &mut Scope) -> Result<bool, EndpointError> {
        let Some(conditions) = rule.get("conditions") else {
            return Ok(true);
        };
        let conditions = conditions
            .as_array()
            .ok_or_else(|| invalid("`conditions` is not a list"))?;
        for condition in conditions {
            if condition.get("fn").is_none() {
                return Err(invalid("a condition is not a function call"));
            }
            let result = self.expr(condition, scope)?;
            let holds = match &result {
                None | Some(Val::Bool(false)) => false,
                Some(_) => true,
            };
            if !holds {
                return Ok(false);
            }
            if let Some(name) = condition.get("assign") {
                let name = name
                    .as_str()
                    .ok_or_else(|| invalid("`assign` is not a string"))?;
                scope.insert(name.to_owned(), result);
            }
        }
        Ok(true)
    }

    /// Evaluates an expression to a string (error if unset or not a string).
    fn string(&self, expr: &Value, scope: &Scope) -> Result<String, EndpointError> {
        match self.expr(expr, scope)? {
            Some(Val::Str(s)) => Ok(s),
            Some(other) => Err(invalid(&format!(
                "expected a string, got a {}",
                other.kind()
            ))),
            None => Err(invalid("expected a string, got an unset value")),
        }
    }

    /// Evaluates an expression; `None` is an unset (optional) value.
    fn expr(&self, expr: &Value, scope: &Scope) -> Result<Option<Val>, EndpointError> {
        match expr {
            Value::String(template) => self.template(template, scope).map(|s| Some(Val::Str(s))),
            Value::Object(object) => {
                if let Some(name) = object.get("ref") {
                    let name = name
                        .as_str()
                        .ok_or_else(|| invalid("`ref` is not a string"))?;
                    return scope
                        .get(name)
                        .cloned()
                        .ok_or_else(|| invalid(&format!("unknown reference `{name}`")));
                }
                if let Some(function) = object.get("fn") {
                    let function = function
                        .as_str()
                        .ok_or_else(|| invalid("`fn` is not a string"))?;
                    let argv = match object.get("argv") {
                        Some(Value::Array(argv)) => argv.as_slice(),
                        None => &[],
                        Some(_) => return Err(invalid("`argv` is not a list")),
                    };
                    return self.call(function, argv, scope);
                }
                let mut record = BTreeMap::new();
                for (key, value) in object {
                    if let Some(value) = self.expr(value, scope)? {
                        record.insert(key.clone(), value);
                    }
                }
                Ok(Some(Val::Record(record)))
            }
            Value::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    match self.expr(item, scope)? {
                        Some(value) => values.push(value),
                        None => return Err(invalid("an array holds an unset value")),
                    }
                }
                Ok(Some(Val::Array(values)))
            }
            other => Val::from_json(other).map(Some),
        }
    }

    /// Expands `{Name}` and `{Name#path}` in a template; `{{`/`}}` escape.
    fn template(&self, template: &str, scope: &Scope) -> Result<String, EndpointError> {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(position) = rest.find(['{', '}']) {
            out.push_str(&rest[..position]);
            let tail = &rest[position..];
            if let Some(after) = tail.strip_prefix("{{") {
                out.push('{');
                rest = after;
            } else if let Some(after) = tail.strip_prefix("}}") {
                out.push('}');
                rest = after;
            } else if let Some(after) = tail.strip_prefix('{') {
                let end = after
                    .find('}')
                    .ok_or_else(|| invalid(&format!("unclosed `{{` in template `{template}`")))?;
                let reference = &after[..end];
                let (name, path) = match reference.split_once('#') {
                    Some((name, path)) => (name, Some(path)),
                    None => (reference, None),
                };
                let value = scope
                    .get(name)
                    .ok_or_else(|| invalid(&format!("unknown reference `{name}` in a template")))?;
                let value = match (value, path) {
                    (Some(value), Some(path)) => get_attr(value, path)?,
                    (value, None) => value.clone(),
                    (None, Some(_)) => None,
                };
                match value {
                    Some(Val::Str(s)) => out.push_str(&s),
                    _ => {
                        return Err(invalid(&format!(
                            "template reference `{reference}` is not a set string"
                        )));
                    }
                }
                rest = &after[end + 1..];
            } else {
                return Err(invalid(&format!("lone `}}` in template `{template}`")));
            }
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Calls a rules-language function.
    fn call(
        &self,
        function: &str,
        argv: &[Value],
        scope: &Scope,
    ) -> Result<Option<Val>, EndpointError> {
        let args = argv
            .iter()
            .map(|arg| self.expr(arg, scope))
            .collect::<Result<Vec<_>, _>>()?;
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(invalid(&format!(
                    "`{function}` takes {n} arguments, got {}",
                    args.len()
                )))
            }
        };
        let result = match function {
            "isSet" => {
                arity(1)?;
                Some(Val::Bool(args[0].is_some()))
            }
            "not" => {
                arity(1)?;
                match &args[0] {
                    Some(Val::Bool(b)) => Some(Val::Bool(!b)),
                    None => None,
                    Some(other) => return Err(type_error(function, "boolean", other)),
                }
            }
            "booleanEquals" => {
                arity(2)?;
                match (&args[0], &args[1]) {
                    (Some(Val::Bool(a)), Some(Val::Bool(b))) => Some(Val::Bool(a == b)),
                    (Some(Val::Bool(_)) | None, Some(Val::Bool(_)) | None) => None,
                    (Some(other), _) | (_, Some(other)) => {
                        return Err(type_error(function, "boolean", other));
                    }
                }
            }
            "stringEquals" => {
                arity(2)?;
                match (&args[0], &args[1]) {
                    (Some(Val::Str(a)), Some(Val::Str(b))) => Some(Val::Bool(a == b)),
                    (Some(Val::Str(_)) | None, Some(Val::Str(_)) | None) => None,
                    (Some(other), _) | (_, Some(other)) => {
                        return Err(type_error(function, "string", other));
                    }
                }
            }
            "getAttr" => {
                arity(2)?;
                match (&args[0], &args[1]) {
                    (Some(value), Some(Val::Str(path))) => get_attr(value, path)?,
                    (None, _) => None,
                    (_, _) => return Err(invalid("`getAttr` needs a string path")),
                }
            }
            "aws.partition" => {
                arity(1)?;
                match &args[0] {
                    Some(Val::Str(region)) => self.partition_result(region)?,
                    None => None,
                    Some(other) => return Err(type_error(function, "string", other)),
                }
            }
            "parseURL" => {
                arity(1)?;
                match &args[0] {
                    Some(Val::Str(url)) => parse_url(url).map(|parts| parts.into_record()),
                    None => None,
                    Some(other) => return Err(type_error(function, "string", other)),
                }
            }
            "isValidHostLabel" => {
                arity(2)?;
                match (&args[0], &args[1]) {
                    (Some(Val::Str(value)), Some(Val::Bool(sub_domains))) => {
                        Some(Val::Bool(is_valid_host_label(value, *sub_domains)))
                    }
                    (None, _) => None,
                    _ => return Err(invalid("`isValidHostLabel` takes a string and a boolean")),
                }
            }
            "substring" => {
                arity(4)?;
                match (&args[0], &args[1], &args[2], &args[3]) {
                    (
                        Some(Val::Str(input)),
                        Some(Val::Int(start)),
                        Some(Val::Int(stop)),
                        Some(Val::Bool(reverse)),
                    ) => substring(input, *start, *stop, *reverse).map(Val::Str),
                    (None, ..) => None,
                    _ => {
                        return Err(invalid(
                            "`substring` takes a string, two integers and a boolean",
                        ));
                    }
                }
            }
            "uriEncode" => {
                arity(1)?;
                match &args[0] {
                    Some(Val::Str(value)) => Some(Val::Str(uri_encode(value))),
                    None => None,
                    Some(other) => return Err(type_error(function, "string", other)),
                }
            }
            other => {
                return Err(invalid(&format!(
                    "the rules use the function `{other}`, which this console does not implement"
                )));
            }
        };
        Ok(result)
    }

    /// The partition of a region: listed explicitly, else matching a
    /// partition's `regionRegex`, else `aws` (the rules-engine fallback).
    fn partition(&self, region: &str) -> Option<&Partition> {
        self.partitions
            .iter()
            .find(|p| p.regions.contains_key(region))
            .or_else(|| {
                self.partitions
                    .iter()
                    .find(|p| p.region_regex.as_ref().is_some_and(|r| r.is_match(region)))
            })
            .or_else(|| self.partitions.iter().find(|p| p.id == "aws"))
    }

    /// The `aws.partition` result record: the partition's outputs, with any
    /// per-region overrides, and its `name`.
    fn partition_result(&self, region: &str) -> Result<Option<Val>, EndpointError> {
        let Some(partition) = self.partition(region) else {
            return Ok(None);
        };
        let mut record = BTreeMap::new();
        for (key, value) in &partition.outputs {
            record.insert(key.clone(), Val::from_json(value)?);
        }
        if let Some(overrides) = partition.regions.get(region) {
            for (key, value) in overrides {
                if key != "description" {
                    record.insert(key.clone(), Val::from_json(value)?);
                }
            }
        }
        record
            .entry("name".to_owned())
            .or_insert_with(|| Val::Str(partition.id.clone()));
        Ok(Some(Val::Record(record)))
    }
}

/// A type error in a function call.
fn type_error(function: &str, expected: &str, got: &Val) -> EndpointError {
    invalid(&format!(
        "`{function}` expects a {expected}, got a {}",
        got.kind()
    ))
}

/// `getAttr`: follows a path like `name`, `a.b` or `list[0]`; `None` when
/// an attribute or index is missing.
fn get_attr(value: &Val, path: &str) -> Result<Option<Val>, EndpointError> {
    let mut current = value.clone();
    for segment in path.split('.') {
        let (name, indexes) = match segment.find('[') {
            Some(at) => (&segment[..at], &segment[at..]),
            None => (segment, ""),
        };
        if !name.is_empty() {
            current = match current {
                Val::Record(mut record) => match record.remove(name) {
                    Some(value) => value,
                    None => return Ok(None),
                },
                other => {
                    return Err(invalid(&format!(
                        "`getAttr` path `{path}` reads `{name}` of a {}",
                        other.kind()
                    )));
                }
            };
        }
        let mut indexes = indexes;
        while !indexes.is_empty() {
            let inner = indexes
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .ok_or_else(|| invalid(&format!("bad `getAttr` path `{path}`")))?;
            let index: usize = inner
                .0
                .parse()
                .map_err(|_| invalid(&format!("bad index in `getAttr` path `{path}`")))?;
            current = match current {
                Val::Array(mut items) if index < items.len() => items.swap_remove(index),
                Val::Array(_) => return Ok(None),
                other => {
                    return Err(invalid(&format!(
                        "`getAttr` path `{path}` indexes a {}",
                        other.kind()
                    )));
                }
            };
            indexes = inner.1;
        }
    }
    Ok(Some(current))
}

/// The parts `parseURL` returns.
struct UrlParts {
    scheme: String,
    authority: String,
    path: String,
    is_ip: bool,
}

impl UrlParts {
    fn into_record(self) -> Val {
        let normalized_path = if self.path.ends_with('/') {
            self.path.clone()
        } else {
            format!("{}/", self.path)
        };
        let normalized_path = if normalized_path.starts_with('/') {
            normalized_path
        } else {
            format!("/{normalized_path}")
        };
        Val::Record(BTreeMap::from([
            ("scheme".to_owned(), Val::Str(self.scheme)),
            ("authority".to_owned(), Val::Str(self.authority)),
            ("path".to_owned(), Val::Str(self.path)),
            ("normalizedPath".to_owned(), Val::Str(normalized_path)),
            ("isIp".to_owned(), Val::Bool(self.is_ip)),
        ]))
    }
}

/// `parseURL`: splits an absolute http(s) URL without query or fragment;
/// `None` for anything else.
fn parse_url(url: &str) -> Option<UrlParts> {
    check_url(url).ok()
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

/// `substring`: `input[start..stop]` (counted from the end when `reverse`);
/// `None` for non-ASCII input or indexes out of range.
fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
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
fn uri_encode(value: &str) -> String {
    utf8_percent_encode(value, URI_UNRESERVED).to_string()
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
    let (origin, path) =
        check_base_url(raw).map_err(|problem| EndpointError::InvalidCustomEndpoint {
            endpoint: raw.chars().take(200).collect(),
            problem,
        })?;
    Ok(format!("{origin}{path}"))
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

/// `signingRegion` of the first auth scheme in endpoint properties, if any.
fn auth_scheme_signing_region(properties: &Val) -> Option<String> {
    match get_attr(properties, "authSchemes[0].signingRegion") {
        Ok(Some(Val::Str(region))) => Some(region),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn evaluator() -> Evaluator<'static> {
        Evaluator {
            partitions: &model().unwrap().partitions,
        }
    }

    fn scope_with(name: &str, value: Val) -> Scope {
        Scope::from([(name.to_owned(), Some(value))])
    }

    #[test]
    fn templates_expand_refs_attributes_and_escapes() {
        let partition = evaluator()
            .partition_result("us-gov-west-1")
            .unwrap()
            .unwrap();
        let scope = scope_with("P", partition);
        let out = evaluator()
            .template("{{x}} {P#name}.{P#dnsSuffix}", &scope)
            .unwrap();
        assert_eq!(out, "{x} aws-us-gov.amazonaws.com");
        assert!(evaluator().template("{Nope}", &scope).is_err());
        assert!(evaluator().template("{P", &scope).is_err());
        assert!(evaluator().template("{P#supportsFIPS}", &scope).is_err());
    }

    #[test]
    fn functions_behave_as_the_spec_says() {
        let e = evaluator();
        let scope = Scope::from([("Unset".to_owned(), None)]);
        let call = |function: &str, argv: Value| {
            e.call(function, argv.as_array().unwrap(), &scope).unwrap()
        };
        assert_eq!(
            call("isSet", serde_json::json!([{"ref": "Unset"}])),
            Some(Val::Bool(false))
        );
        assert_eq!(
            call("not", serde_json::json!([true])),
            Some(Val::Bool(false))
        );
        assert_eq!(
            call("stringEquals", serde_json::json!(["a", "a"])),
            Some(Val::Bool(true))
        );
        assert_eq!(
            call("stringEquals", serde_json::json!(["a", "b"])),
            Some(Val::Bool(false))
        );
        assert_eq!(
            call("isValidHostLabel", serde_json::json!(["a.b-c", true])),
            Some(Val::Bool(true))
        );
        assert_eq!(
            call("isValidHostLabel", serde_json::json!(["a.b-c", false])),
            Some(Val::Bool(false))
        );
        assert_eq!(
            call("substring", serde_json::json!(["abcdef", 0, 4, false])),
            Some(Val::Str("abcd".to_owned()))
        );
        assert_eq!(
            call("substring", serde_json::json!(["abcdef", 0, 2, true])),
            Some(Val::Str("ef".to_owned()))
        );
        assert_eq!(
            call("substring", serde_json::json!(["abc", 0, 4, false])),
            None
        );
        assert_eq!(
            call("uriEncode", serde_json::json!(["a b/c~"])),
            Some(Val::Str("a%20b%2Fc~".to_owned()))
        );
        let parsed = call("parseURL", serde_json::json!(["https://10.0.0.1:80/p"])).unwrap();
        assert_eq!(get_attr(&parsed, "isIp").unwrap(), Some(Val::Bool(true)));
        assert_eq!(
            get_attr(&parsed, "normalizedPath").unwrap(),
            Some(Val::Str("/p/".to_owned()))
        );
        assert_eq!(
            call("parseURL", serde_json::json!(["https://a.com?x"])),
            None
        );
        let partition = call("aws.partition", serde_json::json!(["cn-north-1"])).unwrap();
        assert_eq!(
            get_attr(&partition, "name").unwrap(),
            Some(Val::Str("aws-cn".to_owned()))
        );
        assert_eq!(
            get_attr(&partition, "supportsFIPS").unwrap(),
            Some(Val::Bool(true))
        );
        let array = Val::Record(BTreeMap::from([(
            "list".to_owned(),
            Val::Array(vec![Val::Int(7)]),
        )]));
        assert_eq!(get_attr(&array, "list[0]").unwrap(), Some(Val::Int(7)));
        assert_eq!(get_attr(&array, "list[1]").unwrap(), None);
        let unknown = e.call("aws.parseArn", &[], &scope).unwrap_err();
        assert!(unknown.to_string().contains("aws.parseArn"), "{unknown}");
    }

    #[test]
    fn tree_without_matching_subrule_is_an_error() {
        let rules = serde_json::json!([{
            "type": "tree",
            "conditions": [],
            "rules": [{
                "type": "error",
                "conditions": [{"fn": "isSet", "argv": [{"ref": "Unset"}]}],
                "error": "never"
            }]
        }]);
        let scope = Scope::from([("Unset".to_owned(), None)]);
        let result = evaluator().rules(rules.as_array().unwrap(), &scope);
        assert!(matches!(result, Err(EndpointError::NoMatchingRule)));
    }
}
