//! Client-side validation of a draft against the model's constraint traits
//! (Smithy `required`, `length`/`range` as botocore's `min`/`max`, `pattern`,
//! `enum`, union "exactly one member"), at any depth, plus the few cross-field
//! rules the service documents. Like botocore's `ParamValidator`, but with the
//! messages written for a person at a form.
//!
//! Lengths are counted in Unicode code points, as Smithy's `length` trait
//! specifies for strings. Patterns are matched against the whole value.

use serde_json::Value;

use super::draft::{MAP_KEY, MAP_VALUE, is_set, member_is_set};
use super::member_path::MemberPath;
use super::model::{ServiceModel, Shape, ShapeKind};

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
    #[error("Too short: at least {min} character{} (now {actual}).", plural(*.min))]
    TooShort {
        /// Minimum length.
        min: i64,
        /// Current length in code points.
        actual: usize,
    },
    /// A string longer than its maximum length.
    #[error("Too long: at most {max} character{} (now {actual}).", plural(*.max))]
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
    #[error("Add at least {min} entr{} (now {actual}).", if *.min == 1 { "y" } else { "ies" })]
    TooFewItems {
        /// Minimum count.
        min: i64,
        /// Current count.
        actual: usize,
    },
    /// More list items or map entries than allowed.
    #[error("At most {max} entr{} allowed (now {actual}); remove some.", if *.max == 1 { "y" } else { "ies" })]
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

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
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
    let mut errors = Vec::new();
    check_node(
        model,
        shape,
        Some(draft),
        &MemberPath::root(),
        Presence::Required,
        &mut errors,
    );
    errors
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

fn push(errors: &mut Vec<ValidationError>, path: &MemberPath, problem: Problem) {
    errors.push(ValidationError {
        path: path.clone(),
        problem,
    });
}

/// How a value's parent holds it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Presence {
    /// An optional member: absent or empty means unset.
    Optional,
    /// A required member (or a union's chosen member).
    Required,
    /// A member given explicitly empty by imported JSON: set, so validated.
    Explicit {
        /// Whether the member is also required.
        required: bool,
    },
    /// A list item or map key/value, where an empty string is a value
    /// rather than "unset".
    InCollection,
}

impl Presence {
    fn of_member(required: bool, explicit: bool) -> Self {
        match (required, explicit) {
            (required, true) => Presence::Explicit { required },
            (true, false) => Presence::Required,
            (false, false) => Presence::Optional,
        }
    }
}

fn check_node(
    model: &ServiceModel,
    shape: &Shape,
    value: Option<&Value>,
    path: &MemberPath,
    presence: Presence,
    errors: &mut Vec<ValidationError>,
) {
    let required = matches!(
        presence,
        Presence::Required | Presence::InCollection | Presence::Explicit { required: true }
    );
    let present = match presence {
        Presence::InCollection => value.is_some_and(|v| !v.is_null()),
        Presence::Explicit { .. } => true,
        _ => is_set(model, shape, value),
    };
    match &shape.kind {
        ShapeKind::Structure(members) => {
            if !present && !required {
                return;
            }
            let map = match value {
                Some(Value::Object(map)) => Some(map),
                None | Some(Value::Null) => None,
                Some(_) => return push(errors, path, Problem::WrongType("an object")),
            };
            if !present && !members.iter().any(|m| m.required) {
                return push(errors, path, Problem::Required);
            }
            for member in members {
                let member_shape = model.shape(&member.shape);
                let member_value = map.and_then(|m| m.get(&member.name));
                // Explicit: set although empty (see `draft::EXPLICIT`).
                let explicit = map.is_some_and(|m| {
                    member_is_set(model, m, member) && !is_set(model, member_shape, member_value)
                });
                check_node(
                    model,
                    member_shape,
                    member_value,
                    &path.member(&member.name),
                    Presence::of_member(member.required, explicit),
                    errors,
                );
            }
            if let Some(map) = map {
                check_rules(model, shape, map, path, errors);
            }
        }
        ShapeKind::Union(members) => {
            let names = || members.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
            let map = match value {
                Some(Value::Object(map)) => map,
                None | Some(Value::Null) => {
                    if required {
                        push(errors, path, Problem::ChooseOne(names()));
                    }
                    return;
                }
                Some(_) => {
                    return push(
                        errors,
                        path,
                        Problem::WrongType("an object with one member"),
                    );
                }
            };
            let chosen: Vec<_> = members
                .iter()
                .filter(|m| map.contains_key(&m.name))
                .collect();
            match chosen.as_slice() {
                [] if required || present => push(errors, path, Problem::ChooseOne(names())),
                [] => {}
                [member] => {
                    let member_shape = model.shape(&member.shape);
                    // Choosing an aggregate member is a value even when empty
                    // (`"linux": {}` is a valid choice); an empty scalar is not.
                    let presence = if member_shape.is_scalar() {
                        Presence::Required
                    } else {
                        Presence::InCollection
                    };
                    check_node(
                        model,
                        member_shape,
                        map.get(&member.name),
                        &path.member(&member.name),
                        presence,
                        errors,
                    );
                    check_rules(model, shape, map, path, errors);
                }
                several => push(
                    errors,
                    path,
                    Problem::MoreThanOneChoice(several.iter().map(|m| m.name.clone()).collect()),
                ),
            }
        }
        ShapeKind::List(item) => {
            let items = match value {
                Some(Value::Array(items)) => items.as_slice(),
                None | Some(Value::Null) => &[],
                Some(_) => return push(errors, path, Problem::WrongType("a list")),
            };
            if !present {
                if required {
                    push(errors, path, Problem::Required);
                }
                return;
            }
            check_count(shape, items.len(), path, errors);
            let item_shape = model.shape(item);
            for (i, v) in items.iter().enumerate() {
                check_node(
                    model,
                    item_shape,
                    Some(v),
                    &path.index(i),
                    Presence::InCollection,
                    errors,
                );
            }
        }
        ShapeKind::Map {
            key,
            value: value_shape,
        } => {
            let entries = match value {
                Some(Value::Array(items)) => items.as_slice(),
                None | Some(Value::Null) => &[],
                Some(_) => {
                    return push(
                        errors,
                        path,
                        Problem::WrongType("a list of key/value entries"),
                    );
                }
            };
            if !present {
                if required {
                    push(errors, path, Problem::Required);
                }
                return;
            }
            check_count(shape, entries.len(), path, errors);
            let key_shape = model.shape(key);
            let value_shape = model.shape(value_shape);
            let mut seen = std::collections::BTreeSet::new();
            for (i, entry) in entries.iter().enumerate() {
                let entry_path = path.index(i);
                let key_path = entry_path.member(MAP_KEY);
                let key_text = entry
                    .get(MAP_KEY)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let before = errors.len();
                check_node(
                    model,
                    key_shape,
                    Some(&Value::String(key_text.clone())),
                    &key_path,
                    Presence::InCollection,
                    errors,
                );
                if errors.len() == before && !seen.insert(key_text.clone()) {
                    push(errors, &key_path, Problem::DuplicateKey(key_text));
                }
                let v = entry.get(MAP_VALUE);
                check_node(
                    model,
                    value_shape,
                    v,
                    &entry_path.member(MAP_VALUE),
                    Presence::InCollection,
                    errors,
                );
            }
        }
        _ => {
            if !present {
                if required {
                    push(errors, path, Problem::Required);
                }
                return;
            }
            match value {
                Some(Value::String(text)) => check_scalar(shape, text, path, errors),
                _ => push(errors, path, Problem::WrongType("a single value")),
            }
        }
    }
}

fn check_count(shape: &Shape, count: usize, path: &MemberPath, errors: &mut Vec<ValidationError>) {
    if let Some(min) = shape.min
        && (count as i64) < min
    {
        return push(errors, path, Problem::TooFewItems { min, actual: count });
    }
    if let Some(max) = shape.max
        && count as i64 > max
    {
        push(errors, path, Problem::TooManyItems { max, actual: count });
    }
}

fn check_scalar(shape: &Shape, text: &str, path: &MemberPath, errors: &mut Vec<ValidationError>) {
    match &shape.kind {
        ShapeKind::String => {
            let len = text.chars().count();
            if let Some(min) = shape.min
                && (len as i64) < min
            {
                return push(errors, path, Problem::TooShort { min, actual: len });
            }
            if let Some(max) = shape.max
                && len as i64 > max
            {
                return push(errors, path, Problem::TooLong { max, actual: len });
            }
            if let Some(pattern) = &shape.pattern
                && !pattern.matches(text)
            {
                push(
                    errors,
                    path,
                    Problem::Pattern {
                        pattern: pattern.source.clone(),
                        example: example_for(shape),
                    },
                );
            }
        }
        ShapeKind::Enum(values) if !values.iter().any(|v| v == text) => {
            push(errors, path, Problem::NotInEnum(values.clone()));
        }
        ShapeKind::Integer | ShapeKind::Long => {
            let (lo, hi) = integer_bounds(shape);
            match text.parse::<i64>() {
                Ok(n) if n < lo || n > hi => push(
                    errors,
                    path,
                    Problem::OutOfRange {
                        min: Some(lo),
                        max: Some(hi),
                    },
                ),
                Ok(_) => {}
                Err(_) => push(
                    errors,
                    path,
                    Problem::NotAnInteger {
                        min: shape.min,
                        max: shape.max,
                    },
                ),
            }
        }
        ShapeKind::Boolean if text != "true" && text != "false" => {
            push(errors, path, Problem::NotABoolean);
        }
        _ => {}
    }
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

fn check_rules(
    model: &ServiceModel,
    shape: &Shape,
    map: &serde_json::Map<String, Value>,
    path: &MemberPath,
    errors: &mut Vec<ValidationError>,
) {
    let number = |name: &str| {
        map.get(name)
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<i64>().ok())
    };
    let has_error_at =
        |errors: &Vec<ValidationError>, p: &MemberPath| errors.iter().any(|e| &e.path == p);
    // Reserved port, on every member whose target is a port shape.
    for member in shape.members() {
        if PORT_SHAPES.contains(&member.shape.as_str())
            && number(&member.name) == Some(RESERVED_PORT)
        {
            let p = path.member(&member.name);
            if !has_error_at(errors, &p) {
                push(
                    errors,
                    &p,
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
                push(
                    errors,
                    &path.member("to"),
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
                && !member_is_set(model, map, config)
            {
                push(
                    errors,
                    &path.member("networkModeConfig"),
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
                push(
                    errors,
                    &path.member("idleRuntimeSessionTimeout"),
                    Problem::Rule(
                        "Must not exceed maxLifetime: a session cannot idle longer than it may live.",
                    ),
                );
            }
        }
        _ => {}
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
