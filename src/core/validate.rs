//! Client-side validation of a draft against the model's constraint traits
//! (Smithy `required`, `length`/`range` as botocore's `min`/`max`, `pattern`,
//! `enum`, union "exactly one member"), at any depth, plus the few cross-field
//! rules the service documents. Like botocore's `ParamValidator`, but with the
//! messages written for a person at a form.
//!
//! Lengths are counted in Unicode code points, as Smithy's `length` trait
//! specifies for strings. Patterns are matched against the whole value.
//!
//! Built like botocore's `validate.py`: for every value, its JSON type and
//! `required` are decided in one place, then one rule per shape kind runs
//! (structure, union, list, map, string, enum, integer/long, boolean);
//! `min`/`max` are compared in one place for lengths and counts alike.
//! Whether a member is set is the draft's answer ([`draft::member_is_set`]).

use serde_json::{Map, Value};

use super::draft::{self, MAP_KEY, MAP_VALUE, is_set};
use super::member_path::MemberPath;
use super::model::{Member, ServiceModel, Shape, ShapeKind};
use super::text::plural;

/// One problem with one member of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Draft path of the offending value (map entries by position); its
    /// rendering names the form control.
    pub path: MemberPath,
    /// What is wrong, as a sentence.
    pub problem: Problem,
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

/// What is wrong with a value. Each message says what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// A required member has no value.
    #[error("Required: enter a value.")]
    Required,
    /// A required union has no member chosen.
    #[error("Required: choose one of {}.", .0.join(", "))]
    ChooseOne(Vec<String>),
    /// More than one member of a union is set.
    #[error("Only one of {} may be set; keep one.", .0.join(", "))]
    MoreThanOneChoice(Vec<String>),
    /// A string shorter than its minimum length.
    #[error("Too short: at least {min} {} (now {actual}).", plural(*.min, "character", "characters"))]
    TooShort {
        /// Minimum length.
        min: i64,
        /// Current length in code points.
        actual: usize,
    },
    /// A string longer than its maximum length.
    #[error("Too long: at most {max} {} (now {actual}).", plural(*.max, "character", "characters"))]
    TooLong {
        /// Maximum length.
        max: i64,
        /// Current length in code points.
        actual: usize,
    },
    /// A string that does not match its pattern.
    #[error("Not in the expected format{}.", example_suffix(.example, .pattern))]
    Pattern {
        /// The model's pattern.
        pattern: String,
        /// A valid example, when the pattern is hard to read.
        example: Option<&'static str>,
    },
    /// A value outside the enum's list.
    #[error("Must be one of {}.", .0.join(", "))]
    NotInEnum(Vec<String>),
    /// Text where a whole number belongs.
    #[error("Must be a whole number{}.", range_suffix(*.min, *.max))]
    NotAnInteger {
        /// Lowest allowed value.
        min: Option<i64>,
        /// Highest allowed value.
        max: Option<i64>,
    },
    /// A number outside its range.
    #[error("Out of range: must be{}.", range_suffix(*.min, *.max))]
    OutOfRange {
        /// Lowest allowed value.
        min: Option<i64>,
        /// Highest allowed value.
        max: Option<i64>,
    },
    /// Text where a boolean belongs.
    #[error("Must be true or false, or left unset.")]
    NotABoolean,
    /// Fewer list items or map entries than allowed.
    #[error("Add at least {min} {} (now {actual}).", plural(*.min, "entry", "entries"))]
    TooFewItems {
        /// Minimum count.
        min: i64,
        /// Current count.
        actual: usize,
    },
    /// More list items or map entries than allowed.
    #[error("At most {max} {} allowed (now {actual}); remove some.", plural(*.max, "entry", "entries"))]
    TooManyItems {
        /// Maximum count.
        max: i64,
        /// Current count.
        actual: usize,
    },
    /// The same key twice in a map.
    #[error("Duplicate key `{0}`: each key may appear once.")]
    DuplicateKey(String),
    /// A value of the wrong JSON type (only possible through imports).
    #[error("Expected {0}.")]
    WrongType(&'static str),
    /// A cross-field rule from the service documentation.
    #[error("{0}")]
    Rule(&'static str),
}

fn range_suffix(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!(" between {a} and {b}"),
        (Some(a), None) => format!(" of at least {a}"),
        (None, Some(b)) => format!(" of at most {b}"),
        (None, None) => String::new(),
    }
}

fn example_suffix(example: &Option<&'static str>, pattern: &str) -> String {
    match example {
        Some(e) => format!(", e.g. {e}"),
        None => format!(" (pattern {pattern})"),
    }
}

/// Valid examples for patterns that are hard to read, by shape name. Each is
/// checked against its pattern by a test, so they cannot drift from the model.
pub const PATTERN_EXAMPLES: &[(&str, &str)] = &[
    ("AgentRuntimeId", "my_agent-a1b2c3d4e5"),
    ("RoleArn", "arn:aws:iam::123456789012:role/MyRole"),
    (
        "RuntimeContainerUri",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-agent:latest",
    ),
    ("S3LocationBucketString", "my-agent-bucket"),
    ("SecurityGroupId", "sg-0123456789abcdef0"),
    ("SecurityGroupIdentifier", "sg-0123456789abcdef0"),
    ("SubnetId", "subnet-0123456789abcdef0"),
    ("VpcIdentifier", "vpc-0123456789abcdef0"),
    (
        "DiscoveryUrl",
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf/.well-known/openid-configuration",
    ),
    ("ResourceConfigurationIdentifier", "rcfg-0123456789abcdefg"),
    ("CertificateS3Uri", "s3://my-bucket/certs/ca.pem"),
    ("CertificateBucketOwnerAccountId", "123456789012"),
    (
        "CertificateSecretArn",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:my-ca-AbCdEf",
    ),
    (
        "HeaderName",
        "X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant",
    ),
    ("ServerPath", "/invocations"),
    ("LifecycleHookPath", "/warmup"),
    ("MountPath", "/mnt/data"),
    (
        "S3FilesAccessPointArn",
        "arn:aws:s3files:us-east-1:123456789012:file-system/fs-0123456789abcdef0/access-point/fsap-0123456789abcdef0",
    ),
    (
        "EfsAccessPointArn",
        "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123456789abcdef0",
    ),
    ("CapacityProviderVolumeName", "scratch"),
    ("S3BucketMountConfigurationPrefixString", "agents/data"),
    (
        "S3BucketMountConfigurationS3BucketOwnerString",
        "123456789012",
    ),
    (
        "S3BucketMountConfigurationS3BucketRegionString",
        "us-east-1",
    ),
    (
        "CapacityProviderArn",
        "arn:aws:bedrock-agentcore:us-east-1:123456789012:capacity-provider/my_provider-a1b2c3d4e5",
    ),
    ("PlatformVersion", "1.0"),
    ("ClientToken", "3f1c6a6e-5d7b-4c1e-9a0a-2b7f4c3d9e11"),
    ("AllowedScopeType", "read:agents"),
    ("InboundTokenClaimNameType", "department"),
    ("MatchValueString", "engineering"),
    ("WorkloadIdentityNameType", "my-workload"),
    ("TagKey", "team"),
    ("TagValue", "ml-platform"),
];

fn example_for(shape: &Shape) -> Option<&'static str> {
    PATTERN_EXAMPLES
        .iter()
        .find(|(name, _)| *name == shape.name)
        .map(|(_, e)| *e)
}

/// Validates a whole draft against its input shape. An empty result means
/// the request may be sent.
pub fn validate(model: &ServiceModel, shape: &Shape, draft: &Value) -> Vec<ValidationError> {
    let mut checker = Checker {
        model,
        errors: Vec::new(),
    };
    let root = Slot {
        required: true,
        set: is_set(model, shape, Some(draft)),
    };
    checker.check(shape, Some(draft), root, &MemberPath::root());
    checker.errors
}

/// The errors for one member path (what a form control shows beside itself).
pub fn errors_at<'a>(
    errors: &'a [ValidationError],
    path: &'a MemberPath,
) -> impl Iterator<Item = &'a ValidationError> {
    errors.iter().filter(move |e| &e.path == path)
}

/// The errors inside the top-level member `name` (what the controls of
/// that member show beside themselves), in order.
pub fn errors_within<'a>(
    errors: &'a [ValidationError],
    name: &'a str,
) -> impl Iterator<Item = &'a ValidationError> {
    errors
        .iter()
        .filter(move |e| e.path.top_member() == Some(name))
}

/// What a value's parent says about it: whether a value is needed there,
/// and whether there is one.
#[derive(Clone, Copy)]
struct Slot {
    /// A required member, a union's chosen member, a list item, a map key
    /// or value.
    required: bool,
    /// Set as the draft counts it (see [`draft::member_is_set`]).
    set: bool,
}

impl Slot {
    /// A member of a structure (`None` when the structure itself is absent).
    fn member(model: &ServiceModel, map: Option<&Map<String, Value>>, member: &Member) -> Self {
        Slot {
            required: member.required,
            set: map.is_some_and(|m| draft::member_is_set(model, m, member)),
        }
    }

    /// A list item, a map key or value, or a union's chosen aggregate
    /// member (`"linux": {}` is a valid choice): there is a value unless
    /// it is missing, and an empty string is a value.
    fn item(value: Option<&Value>) -> Self {
        Slot {
            required: true,
            set: value.is_some_and(|v| !v.is_null()),
        }
    }
}

/// Walks a draft along its shapes, one rule per shape kind, like botocore's
/// `ParamValidator`.
struct Checker<'a> {
    model: &'a ServiceModel,
    errors: Vec<ValidationError>,
}

impl Checker<'_> {
    fn push(&mut self, path: &MemberPath, problem: Problem) {
        self.errors.push(ValidationError {
            path: path.clone(),
            problem,
        });
    }

    fn has_error_at(&self, path: &MemberPath) -> bool {
        errors_at(&self.errors, path).next().is_some()
    }

    /// One value: its JSON type and `required` are decided here for every
    /// kind, then the rule of its kind runs.
    fn check(&mut self, shape: &Shape, value: Option<&Value>, slot: Slot, path: &MemberPath) {
        let value = value.filter(|v| !v.is_null());
        if let Some(v) = value
            && !fits(shape, v)
        {
            // Empty text where an optional structure belongs reads as
            // unset (see `draft::is_set`).
            if slot.set || slot.required || !matches!(shape.kind, ShapeKind::Structure(_)) {
                self.push(path, Problem::WrongType(json_type(shape)));
            }
            return;
        }
        if !slot.set {
            if !slot.required {
                return;
            }
            // A structure with required members goes on: they say what
            // is missing.
            if let Some(problem) = missing(shape) {
                return self.push(path, problem);
            }
        }
        match (&shape.kind, value) {
            (ShapeKind::Structure(members), _) => {
                self.structure(shape, members, value.and_then(Value::as_object), path);
            }
            (ShapeKind::Union(members), Some(Value::Object(map))) => {
                self.union(shape, members, map, path);
            }
            (ShapeKind::List(item), Some(Value::Array(items))) => {
                self.list(shape, item, items, path)
            }
            (ShapeKind::Map { key, value: entry }, Some(Value::Array(entries))) => {
                self.map(shape, (key, entry), entries, path);
            }
            (_, Some(Value::String(text))) => self.scalar(shape, text, path),
            _ => {}
        }
    }

    fn structure(
        &mut self,
        shape: &Shape,
        members: &[Member],
        map: Option<&Map<String, Value>>,
        path: &MemberPath,
    ) {
        for member in members {
            self.check(
                self.model.shape(&member.shape),
                map.and_then(|m| m.get(&member.name)),
                Slot::member(self.model, map, member),
                &path.member(&member.name),
            );
        }
        if let Some(map) = map {
            self.rules(shape, map, path);
        }
    }

    /// Exactly one member chosen, and that member valid.
    fn union(
        &mut self,
        shape: &Shape,
        members: &[Member],
        map: &Map<String, Value>,
        path: &MemberPath,
    ) {
        let chosen: Vec<_> = members
            .iter()
            .filter(|m| map.contains_key(&m.name))
            .collect();
        match chosen.as_slice() {
            [] => self.push(path, Problem::ChooseOne(names(members))),
            [member] => {
                let member_shape = self.model.shape(&member.shape);
                let member_value = map.get(&member.name);
                // An empty scalar is no choice; an empty aggregate is one.
                let slot = if member_shape.is_scalar() {
                    Slot {
                        required: true,
                        set: is_set(self.model, member_shape, member_value),
                    }
                } else {
                    Slot::item(member_value)
                };
                self.check(member_shape, member_value, slot, &path.member(&member.name));
                self.rules(shape, map, path);
            }
            several => self.push(
                path,
                Problem::MoreThanOneChoice(several.iter().map(|m| m.name.clone()).collect()),
            ),
        }
    }

    fn list(&mut self, shape: &Shape, item: &str, items: &[Value], path: &MemberPath) {
        self.count(shape, items.len(), path);
        let item_shape = self.model.shape(item);
        for (i, v) in items.iter().enumerate() {
            self.check(item_shape, Some(v), Slot::item(Some(v)), &path.index(i));
        }
    }

    /// Entries by position: each key valid and unique, each value valid.
    fn map(
        &mut self,
        shape: &Shape,
        (key, value): (&str, &str),
        entries: &[Value],
        path: &MemberPath,
    ) {
        self.count(shape, entries.len(), path);
        let (key_shape, value_shape) = (self.model.shape(key), self.model.shape(value));
        // Owned keys: the set's code is shared with the other `BTreeSet<String>`s.
        let mut seen = std::collections::BTreeSet::<String>::new();
        for (i, entry) in entries.iter().enumerate() {
            let entry_path = path.index(i);
            let key_path = entry_path.member(MAP_KEY);
            let key_text = draft::entry_key(entry);
            let key_value = Value::String(key_text.to_owned());
            let before = self.errors.len();
            self.check(
                key_shape,
                Some(&key_value),
                Slot::item(Some(&key_value)),
                &key_path,
            );
            if self.errors.len() == before && !seen.insert(key_text.to_owned()) {
                self.push(&key_path, Problem::DuplicateKey(key_text.to_owned()));
            }
            let v = draft::entry_value(entry);
            self.check(value_shape, v, Slot::item(v), &entry_path.member(MAP_VALUE));
        }
    }

    /// The number of list items or map entries against `min`/`max`.
    fn count(&mut self, shape: &Shape, actual: usize, path: &MemberPath) {
        let problem = match breach(shape, actual) {
            Some(Breach::Below(min)) => Problem::TooFewItems { min, actual },
            Some(Breach::Above(max)) => Problem::TooManyItems { max, actual },
            None => return,
        };
        self.push(path, problem);
    }

    /// A scalar's text, by the rule of its kind.
    fn scalar(&mut self, shape: &Shape, text: &str, path: &MemberPath) {
        let problem = match &shape.kind {
            ShapeKind::String => string_problem(shape, text),
            ShapeKind::Enum(values) => enum_problem(values, text),
            ShapeKind::Integer | ShapeKind::Long => integer_problem(shape, text),
            ShapeKind::Boolean => boolean_problem(text),
            // Doubles, timestamps and blobs: any text; the service checks it.
            _ => None,
        };
        if let Some(problem) = problem {
            self.push(path, problem);
        }
    }
}

/// Whether a draft value has the JSON type of its shape: an object for a
/// structure or union, an array for a list or map (entries), else a string.
fn fits(shape: &Shape, value: &Value) -> bool {
    match shape.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => value.is_object(),
        ShapeKind::List(_) | ShapeKind::Map { .. } => value.is_array(),
        _ => value.is_string(),
    }
}

/// The JSON type of a shape's draft value, for [`Problem::WrongType`].
fn json_type(shape: &Shape) -> &'static str {
    match shape.kind {
        ShapeKind::Structure(_) => "an object",
        ShapeKind::Union(_) => "an object with one member",
        ShapeKind::List(_) => "a list",
        ShapeKind::Map { .. } => "a list of key/value entries",
        _ => "a single value",
    }
}

/// What a required value that is not set lacks; `None` for a structure
/// with required members, which name what is missing themselves.
fn missing(shape: &Shape) -> Option<Problem> {
    match &shape.kind {
        ShapeKind::Union(members) => Some(Problem::ChooseOne(names(members))),
        ShapeKind::Structure(members) if members.iter().any(|m| m.required) => None,
        _ => Some(Problem::Required),
    }
}

fn names(members: &[Member]) -> Vec<String> {
    members.iter().map(|m| m.name.clone()).collect()
}

/// Which of the model's `min`/`max` a length or count breaks.
enum Breach {
    Below(i64),
    Above(i64),
}

fn breach(shape: &Shape, n: usize) -> Option<Breach> {
    match (shape.min, shape.max) {
        (Some(min), _) if (n as i64) < min => Some(Breach::Below(min)),
        (_, Some(max)) if n as i64 > max => Some(Breach::Above(max)),
        _ => None,
    }
}

/// Length in code points, then the pattern against the whole value.
fn string_problem(shape: &Shape, text: &str) -> Option<Problem> {
    let actual = text.chars().count();
    match breach(shape, actual) {
        Some(Breach::Below(min)) => return Some(Problem::TooShort { min, actual }),
        Some(Breach::Above(max)) => return Some(Problem::TooLong { max, actual }),
        None => {}
    }
    let pattern = shape.pattern.as_ref().filter(|p| !p.matches(text))?;
    Some(Problem::Pattern {
        pattern: pattern.source.clone(),
        example: example_for(shape),
    })
}

fn enum_problem(values: &[String], text: &str) -> Option<Problem> {
    (!values.iter().any(|v| v == text)).then(|| Problem::NotInEnum(values.to_vec()))
}

fn integer_problem(shape: &Shape, text: &str) -> Option<Problem> {
    let (lo, hi) = integer_bounds(shape);
    match text.parse::<i64>() {
        Ok(n) if n < lo || n > hi => Some(Problem::OutOfRange {
            min: Some(lo),
            max: Some(hi),
        }),
        Ok(_) => None,
        Err(_) => Some(Problem::NotAnInteger {
            min: shape.min,
            max: shape.max,
        }),
    }
}

fn boolean_problem(text: &str) -> Option<Problem> {
    (text != "true" && text != "false").then_some(Problem::NotABoolean)
}

/// The range a number may take: the model's `min`/`max`, else the type's.
pub fn integer_bounds(shape: &Shape) -> (i64, i64) {
    let (lo, hi) = match shape.kind {
        ShapeKind::Integer => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    };
    (shape.min.unwrap_or(lo), shape.max.unwrap_or(hi))
}

// --- Documented cross-field rules -------------------------------------------
//
// Only rules the service itself documents (shape documentation or error
// messages). Each is keyed by shape name, so it applies wherever the shape
// appears. Adding an undocumented rule would block requests AWS accepts.

/// "Port 8443 is reserved and cannot be used." (documentation of `Port` and `ServerPort`)
const RESERVED_PORT: i64 = 8443;
/// Shapes whose documentation reserves port 8443.
const PORT_SHAPES: &[&str] = &["Port", "ServerPort"];

impl Checker<'_> {
    /// The documented rules of `shape`, whose value is `map`.
    fn rules(&mut self, shape: &Shape, map: &Map<String, Value>, path: &MemberPath) {
        let number = |name: &str| {
            map.get(name)
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<i64>().ok())
        };
        // Reserved port, on every member whose target is a port shape.
        for member in shape.members() {
            if PORT_SHAPES.contains(&member.shape.as_str())
                && number(&member.name) == Some(RESERVED_PORT)
            {
                let p = path.member(&member.name);
                if !self.has_error_at(&p) {
                    self.push(&p,
                    Problem::Rule(
                        "Port 8443 is reserved by AgentCore; choose another port between 8000 and 12000.",
                    ),
                );
                }
            }
        }
        match shape.name.as_str() {
            // "The value of from must be less than or equal to the value of to." (PortRange)
            "PortRange" => {
                if let (Some(from), Some(to)) = (number("from"), number("to"))
                    && from > to
                {
                    self.push(&path.member("to"),
                    Problem::Rule(
                        "Must be greater than or equal to `from`: the range is inclusive, low to high.",
                    ),
                );
                }
            }
            "NetworkConfiguration" => {
                let vpc = map.get("networkMode").and_then(Value::as_str) == Some("VPC");
                let config = shape
                    .members()
                    .iter()
                    .find(|m| m.name == "networkModeConfig");
                if let Some(config) = config
                    && vpc
                    && !draft::member_is_set(self.model, map, config)
                {
                    self.push(&path.member("networkModeConfig"),
                    Problem::Rule(
                        "Required when networkMode is VPC: give the subnets and security groups.",
                    ),
                );
                }
            }
            "LifecycleConfiguration" => {
                if let (Some(idle), Some(max)) =
                    (number("idleRuntimeSessionTimeout"), number("maxLifetime"))
                    && idle > max
                {
                    self.push(&path.member("idleRuntimeSessionTimeout"),
                    Problem::Rule(
                        "Must not exceed maxLifetime: a session cannot idle longer than it may live.",
                    ),
                );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::draft::from_request;
    use crate::core::model::UPDATE_AGENT_RUNTIME;
    use serde_json::json;

    fn check(request: Value) -> Vec<ValidationError> {
        let model = ServiceModel::bundled();
        let shape = model.input_of(UPDATE_AGENT_RUNTIME).unwrap();
        let (draft, problems) = from_request(model, shape, &request);
        assert!(problems.is_empty(), "{problems:?}");
        validate(model, shape, &draft)
    }

    fn minimal() -> Value {
        json!({
            "agentRuntimeId": "sample_agent-abcdefghij",
            "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"}},
            "roleArn": "arn:aws:iam::123456789012:role/MyRole",
            "networkConfiguration": {"networkMode": "PUBLIC"}
        })
    }

    fn paths(errors: &[ValidationError]) -> Vec<String> {
        errors.iter().map(|e| e.path.to_string()).collect()
    }

    #[test]
    fn errors_within_a_member_are_its_own_in_order() {
        let a = MemberPath::root().member("a");
        let ab = a.member("b");
        let b = MemberPath::root().member("b");
        let errors = vec![
            ValidationError {
                path: ab.clone(),
                problem: Problem::Required,
            },
            ValidationError {
                path: b.clone(),
                problem: Problem::NotABoolean,
            },
            ValidationError {
                path: a.clone(),
                problem: Problem::Rule("second"),
            },
        ];
        let paths = |name| {
            errors_within(&errors, name)
                .map(|e| e.path.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(paths("a"), vec![ab, a.clone()]);
        assert_eq!(paths("b"), vec![b]);
        assert!(paths("ab").is_empty());
        assert!(errors_within(&[], "a").next().is_none());
        assert_eq!(
            errors_at(&errors, &a).count(),
            errors_at(
                &errors_within(&errors, "a").cloned().collect::<Vec<_>>(),
                &a
            )
            .count(),
        );
    }

    #[test]
    fn a_minimal_request_is_valid() {
        assert_eq!(check(minimal()), vec![]);
    }

    #[test]
    fn missing_required_members_are_named_by_path() {
        let errors = check(
            json!({"agentRuntimeArtifact": {"codeConfiguration": {"entryPoint": ["", "b"]}}}),
        );
        let p = paths(&errors);
        let p: Vec<&str> = p.iter().map(String::as_str).collect();
        assert!(p.contains(&"agentRuntimeId"));
        assert!(p.contains(&"roleArn"));
        assert!(
            !p.contains(&"networkConfiguration"),
            "networkConfiguration is optional"
        );
        assert!(p.contains(&"agentRuntimeArtifact.codeConfiguration.code"));
        assert!(p.contains(&"agentRuntimeArtifact.codeConfiguration.runtime"));
        assert!(p.contains(&"agentRuntimeArtifact.codeConfiguration.entryPoint.0"));
        assert!(!p.contains(&"agentRuntimeArtifact.codeConfiguration.entryPoint.1"));
    }

    #[test]
    fn lengths_count_code_points_not_bytes() {
        let mut r = minimal();
        r["description"] = json!("é".repeat(4096));
        assert_eq!(check(r.clone()), vec![]);
        r["description"] = json!("é".repeat(4097));
        assert_eq!(
            check(r)[0].problem,
            Problem::TooLong {
                max: 4096,
                actual: 4097
            }
        );
    }

    #[test]
    fn pattern_errors_carry_an_example() {
        let mut r = minimal();
        r["roleArn"] = json!("MyRole");
        let errors = check(r);
        assert_eq!(paths(&errors), vec!["roleArn"]);
        assert!(
            errors[0]
                .problem
                .to_string()
                .contains("arn:aws:iam::123456789012:role/MyRole")
        );
    }

    #[test]
    fn every_pattern_example_matches_its_pattern() {
        let model = ServiceModel::bundled();
        for (name, example) in PATTERN_EXAMPLES {
            let shape = model
                .find_shape(name)
                .unwrap_or_else(|| panic!("no shape {name}"));
            let pattern = shape
                .pattern
                .as_ref()
                .unwrap_or_else(|| panic!("{name} has no pattern"));
            assert!(pattern.matches(example), "{name}: {example}");
        }
    }

    #[test]
    fn enums_integers_booleans_and_counts() {
        let mut r = minimal();
        r["networkConfiguration"] = json!({"networkMode": "PRIVATE"});
        r["protocolConfiguration"] = json!({"serverProtocol": "HTTP", "port": "80a"});
        r["lifecycleConfiguration"] = json!({"maxLifetime": 59});
        r["metadataConfiguration"] = json!({"requireMMDSV2": "yes"});
        r["allowedPorts"] = json!([{"port": 9000}, {"port": 9001}, {"port": 9002}, {"port": 9003}, {"port": 9004}, {"port": 9005}]);
        let errors = check(r);
        let p = paths(&errors);
        assert_eq!(
            p,
            vec![
                "networkConfiguration.networkMode",
                "protocolConfiguration.port",
                "lifecycleConfiguration.maxLifetime",
                "metadataConfiguration.requireMMDSV2",
                "allowedPorts"
            ]
        );
        assert!(matches!(errors[0].problem, Problem::NotInEnum(_)));
        assert!(matches!(errors[1].problem, Problem::NotAnInteger { .. }));
        assert!(matches!(errors[2].problem, Problem::OutOfRange { .. }));
        assert_eq!(errors[3].problem, Problem::NotABoolean);
        assert_eq!(
            errors[4].problem,
            Problem::TooManyItems { max: 5, actual: 6 }
        );
    }

    #[test]
    fn unions_need_exactly_one_member() {
        let mut r = minimal();
        r["agentRuntimeArtifact"] = json!({"containerConfiguration": {"containerUri": "public.ecr.aws/a/b"}, "codeConfiguration": {}});
        assert!(matches!(
            check(r.clone())[0].problem,
            Problem::MoreThanOneChoice(_)
        ));
        r["agentRuntimeArtifact"] = json!({});
        let errors = check(r);
        assert_eq!(paths(&errors), vec!["agentRuntimeArtifact"]);
        assert!(matches!(errors[0].problem, Problem::ChooseOne(_)));
    }

    #[test]
    fn map_keys_are_checked_and_unique() {
        let model = ServiceModel::bundled();
        let shape = model.input_of(UPDATE_AGENT_RUNTIME).unwrap();
        let (mut draft, _) = from_request(model, shape, &minimal());
        draft["environmentVariables"] = json!([
            {"key": "A", "value": ""}, {"key": "A", "value": "x"}, {"key": "", "value": "y"}
        ]);
        let errors = validate(model, shape, &draft);
        assert_eq!(
            paths(&errors),
            vec!["environmentVariables.1.key", "environmentVariables.2.key"]
        );
        assert_eq!(errors[0].problem, Problem::DuplicateKey("A".into()));
    }

    #[test]
    fn documented_cross_field_rules() {
        let mut r = minimal();
        r["allowedPorts"] = json!([{"portRange": {"from": 9200, "to": 9100}}, {"port": 8443}]);
        r["protocolConfiguration"] = json!({"serverProtocol": "HTTP", "port": 8443});
        r["networkConfiguration"] = json!({"networkMode": "VPC"});
        r["lifecycleConfiguration"] =
            json!({"idleRuntimeSessionTimeout": 3600, "maxLifetime": 600});
        let errors = check(r);
        assert_eq!(
            paths(&errors),
            vec![
                "networkConfiguration.networkModeConfig",
                "protocolConfiguration.port",
                "lifecycleConfiguration.idleRuntimeSessionTimeout",
                "allowedPorts.0.portRange.to",
                "allowedPorts.1.port"
            ]
        );
    }

    #[test]
    fn equal_port_range_and_equal_lifetimes_are_allowed() {
        let mut r = minimal();
        r["allowedPorts"] = json!([{"portRange": {"from": 9100, "to": 9100}}]);
        r["lifecycleConfiguration"] = json!({"idleRuntimeSessionTimeout": 600, "maxLifetime": 600});
        assert_eq!(check(r), vec![]);
    }

    #[test]
    fn wrong_json_types_are_named_but_empty_text_leaves_an_optional_structure_unset() {
        let model = ServiceModel::bundled();
        let shape = model.input_of(UPDATE_AGENT_RUNTIME).unwrap();
        let (mut draft, _) = from_request(model, shape, &minimal());
        draft["networkConfiguration"] = json!("");
        draft["agentRuntimeArtifact"] = json!("");
        draft["protocolConfiguration"] = json!({"serverProtocol": "HTTP", "port": 8080});
        draft["lifecycleConfiguration"] = json!([]);
        draft["environmentVariables"] = json!({});
        draft["allowedPorts"] = json!("x");
        let errors: Vec<_> = validate(model, shape, &draft)
            .into_iter()
            .map(|e| (e.path.to_string(), e.problem))
            .collect();
        let wrong = |path: &str, expected| (path.to_owned(), Problem::WrongType(expected));
        assert_eq!(
            errors,
            vec![
                wrong("agentRuntimeArtifact", "an object with one member"),
                wrong("protocolConfiguration.port", "a single value"),
                wrong("lifecycleConfiguration", "an object"),
                wrong("environmentVariables", "a list of key/value entries"),
                wrong("allowedPorts", "a list"),
            ]
        );
    }

    #[test]
    fn counts_in_messages_agree_with_their_nouns() {
        let says = |p: Problem| p.to_string();
        assert_eq!(
            says(Problem::TooShort { min: 1, actual: 0 }),
            "Too short: at least 1 character (now 0)."
        );
        assert_eq!(
            says(Problem::TooLong {
                max: 48,
                actual: 50
            }),
            "Too long: at most 48 characters (now 50)."
        );
        assert_eq!(
            says(Problem::TooFewItems { min: 1, actual: 0 }),
            "Add at least 1 entry (now 0)."
        );
        assert_eq!(
            says(Problem::TooManyItems { max: 5, actual: 6 }),
            "At most 5 entries allowed (now 6); remove some."
        );
    }

    #[test]
    fn explicit_empty_structures_and_lists_are_validated() {
        let mut r = minimal();
        r["networkConfiguration"] = json!({});
        r["allowedPorts"] = json!([]);
        r["authorizerConfiguration"] = json!({});
        assert_eq!(
            paths(&check(r)),
            vec![
                "networkConfiguration.networkMode",
                "authorizerConfiguration",
                "allowedPorts"
            ]
        );
        let mut r = minimal();
        r["networkConfiguration"] = json!({"networkMode": "VPC", "networkModeConfig": {"securityGroups": ["sg-0123456789abcdef0"], "subnets": []}});
        let errors = check(r);
        assert_eq!(
            paths(&errors),
            vec!["networkConfiguration.networkModeConfig.subnets"]
        );
        assert_eq!(
            errors[0].problem,
            Problem::TooFewItems { min: 1, actual: 0 }
        );
    }
}
