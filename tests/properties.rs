#![cfg(not(target_arch = "wasm32"))]
//! Property tests of the pure core, driven by the service model.
//!
//! * Requests generated *from the model* (no per-member code) always
//!   validate, and survive the draft round trip unchanged.
//! * Every single-constraint mutation of such a request is rejected, at the
//!   path of the mutated member (in draft terms: list items and map entries
//!   by zero-based index, map keys and values as `<map>.<i>.key`/`.value`),
//!   and nowhere else.
//! * The parsers (credentials, responses, imported request JSON, stored
//!   drafts) never panic, whatever they are given.
//!
//! Case counts are kept modest so the whole file runs in a few seconds.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use agentcore_console::core::credentials::parse_credentials;
use agentcore_console::core::draft::{self, MAP_KEY, MAP_VALUE};
use agentcore_console::core::member_path::{MemberPath, Segment};
use agentcore_console::core::model::{
    GET_AGENT_RUNTIME, LIST_AGENT_RUNTIME_VERSIONS, LIST_AGENT_RUNTIMES, Pattern, ServiceModel,
    Shape, ShapeKind, UPDATE_AGENT_RUNTIME,
};
use agentcore_console::core::response::{self, HttpResponse, ResponseError, parse_response};
use agentcore_console::core::validate::{PATTERN_EXAMPLES, Problem, ValidationError, validate};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::Union;
use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value};

// --- The model ----------------------------------------------------------------

fn model() -> &'static ServiceModel {
    ServiceModel::bundled()
}

fn input() -> &'static Shape {
    model()
        .input_of(UPDATE_AGENT_RUNTIME)
        .expect("UpdateAgentRuntime has an input")
}

/// Shapes whose documentation reserves port 8443.
const PORT_SHAPES: &[&str] = &["Port", "ServerPort"];
const RESERVED_PORT: i64 = 8443;

/// Largest number of list items / map entries generated above the minimum.
const COLLECTION_SPAN: usize = 3;
/// Largest length generated above the minimum for free-text strings
/// (the maximum itself is also generated, as a boundary value).
const STRING_SPAN: usize = 24;
/// The model has no recursive shapes; this only guards against one appearing.
const MAX_DEPTH: usize = 24;
/// Candidates generated per pattern variant.
const CANDIDATES: usize = 2;

/// XorShift rather than the default ChaCha: in an unoptimized test build
/// ChaCha's SIMD rounds were most of the run time.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    }
}

/// A reproducible runner for the coverage checks.
fn deterministic_runner() -> TestRunner {
    TestRunner::new_with_rng(
        config(1),
        TestRng::deterministic_rng(RngAlgorithm::XorShift),
    )
}

// --- Generating valid requests from the model ---------------------------------

/// Where a value must be present: a required member or a union's chosen
/// member. There a draft the user edits cannot tell an empty value (`""`,
/// `[]`, `{}`) from an absent one (only an import marks `[]` and `{}` as
/// written: see `explicit_empty_required_list_is_kept`), so the generator
/// keeps such values non-empty.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    Present,
    Optional,
}

/// A strategy for valid typed JSON (the `--cli-input-json` shape) of `shape`.
fn valid_value(shape: &'static Shape, depth: usize, need: Need) -> BoxedStrategy<Value> {
    assert!(
        depth < MAX_DEPTH,
        "shape `{}` nests deeper than {MAX_DEPTH}",
        shape.name
    );
    let model = model();
    match &shape.kind {
        ShapeKind::Structure(members) => {
            let parts: Vec<BoxedStrategy<(String, bool, Value)>> = members
                .iter()
                .map(|m| {
                    let name = m.name.clone();
                    let member_need = if m.required {
                        Need::Present
                    } else {
                        Need::Optional
                    };
                    let value = valid_value(model.shape(&m.shape), depth + 1, member_need);
                    let keep_candidate = RULE_MEMBERS
                        .contains(&(shape.name.as_str(), m.name.as_str()))
                        || (need == Need::Present && !members.iter().any(|o| o.required));
                    if m.required || keep_candidate {
                        // Generated even when left out, for the post-passes.
                        let include = if m.required {
                            Just(true).boxed()
                        } else {
                            prop::bool::weighted(0.5).boxed()
                        };
                        (include, value)
                            .prop_map(move |(include, value)| (name.clone(), include, value))
                            .boxed()
                    } else {
                        prop::option::weighted(0.5, value)
                            .prop_map(move |value| {
                                (name.clone(), value.is_some(), value.unwrap_or(Value::Null))
                            })
                            .boxed()
                    }
                })
                .collect();
            // `tie`: the inclusive rules' boundary (`from == to`) is hit often.
            (parts, prop::bool::weighted(0.3))
                .prop_map(move |(mut parts, tie)| {
                    apply_documented_rules(&shape.name, &mut parts, tie);
                    if need == Need::Present {
                        keep_non_empty(&mut parts);
                    }
                    build_structure(shape, parts)
                })
                .boxed()
        }
        ShapeKind::Union(members) => {
            let choices: Vec<BoxedStrategy<Value>> = members
                .iter()
                .map(|m| {
                    let name = m.name.clone();
                    valid_value(model.shape(&m.shape), depth + 1, Need::Present)
                        .prop_map(move |v| {
                            let mut out = Map::new();
                            out.insert(name.clone(), v);
                            Value::Object(out)
                        })
                        .boxed()
                })
                .collect();
            Union::new(choices).boxed()
        }
        ShapeKind::List(item) => {
            let (lo, hi) = count_range(shape, need);
            prop::collection::vec(
                valid_value(model.shape(item), depth + 1, Need::Optional),
                lo..=hi,
            )
            .prop_map(Value::Array)
            .boxed()
        }
        ShapeKind::Map { key, value } => {
            let (lo, hi) = count_range(shape, need);
            let keys = valid_value(model.shape(key), depth + 1, Need::Optional)
                .prop_map(|k| k.as_str().expect("map keys are strings").to_owned());
            prop::collection::btree_map(
                keys,
                valid_value(model.shape(value), depth + 1, Need::Optional),
                lo..=hi,
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect()))
            .boxed()
        }
        ShapeKind::String => string_strategy(shape, need).prop_map(Value::String).boxed(),
        ShapeKind::Enum(values) => prop::sample::select(values.clone())
            .prop_map(Value::String)
            .boxed(),
        ShapeKind::Integer | ShapeKind::Long => {
            integer_strategy(shape).prop_map(Value::from).boxed()
        }
        ShapeKind::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        ShapeKind::Double => (-1e9f64..1e9).prop_map(Value::from).boxed(),
        ShapeKind::Timestamp => (0i64..4_000_000_000).prop_map(Value::from).boxed(),
        ShapeKind::Other(kind) => panic!("no generator for `{}` of kind {kind}", shape.name),
    }
}

/// Builds a structure from generated members. An optional member whose value
/// is empty (`""`, `{}`, `[]`) is left out: the draft, like the SDKs, treats
/// it as unset, so it would not survive the round trip.
fn build_structure(shape: &Shape, parts: Vec<(String, bool, Value)>) -> Value {
    let mut out = Map::new();
    for (member, (name, include, value)) in shape.members().iter().zip(parts) {
        if include && (member.required || !is_empty_value(&value)) {
            out.insert(name, value);
        }
    }
    Value::Object(out)
}

fn is_empty_value(value: &Value) -> bool {
    match value {
        Value::String(s) => s.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

/// Optional members a documented rule may have to include after the fact.
const RULE_MEMBERS: &[(&str, &str)] = &[("NetworkConfiguration", "networkModeConfig")];

/// The cross-field rules the service documents, keyed by shape name (a small
/// post-pass over the generated members; members listed in `RULE_MEMBERS`
/// are generated even when left out).
fn apply_documented_rules(shape_name: &str, parts: &mut [(String, bool, Value)], tie: bool) {
    let find = |parts: &[(String, bool, Value)], name: &str| {
        parts
            .iter()
            .position(|(n, _, _)| n == name)
            .unwrap_or_else(|| panic!("{shape_name} has no `{name}`"))
    };
    // Swaps two integer members, when both are included, so that a <= b
    // (or, on a tie, makes them equal).
    let order = |parts: &mut [(String, bool, Value)], a: &str, b: &str| {
        let (ia, ib) = (find(parts, a), find(parts, b));
        if tie {
            parts[ib].2 = parts[ia].2.clone();
        } else if parts[ia].1 && parts[ib].1 && parts[ia].2.as_i64() > parts[ib].2.as_i64() {
            let va = parts[ia].2.clone();
            parts[ia].2 = std::mem::replace(&mut parts[ib].2, va);
        }
    };
    match shape_name {
        // "The value of from must be less than or equal to the value of to."
        "PortRange" => order(parts, "from", "to"),
        // A session cannot idle longer than it may live.
        "LifecycleConfiguration" => order(parts, "idleRuntimeSessionTimeout", "maxLifetime"),
        // VPC mode needs its subnets and security groups.
        "NetworkConfiguration" => {
            let mode = find(parts, "networkMode");
            if parts[mode].2.as_str() == Some("VPC") {
                let config = find(parts, "networkModeConfig");
                parts[config].1 = true;
            }
        }
        _ => {}
    }
}

/// A structure that must be present but has no required member must set
/// at least one member: validation rejects it empty (see
/// `empty_union_choice_without_required_members_is_accepted`).
fn keep_non_empty(parts: &mut [(String, bool, Value)]) {
    let set = |(_, include, value): &(String, bool, Value)| *include && !is_empty_value(value);
    if !parts.iter().any(set)
        && let Some(part) = parts
            .iter_mut()
            .find(|(_, _, value)| !is_empty_value(value))
    {
        part.1 = true;
    }
}

fn count_range(shape: &Shape, need: Need) -> (usize, usize) {
    let floor = if need == Need::Present { 1 } else { 0 };
    let lo = (shape.min.unwrap_or(0).max(0) as usize).max(floor);
    let hi = shape
        .max
        .map_or(usize::MAX, |m| m.max(0) as usize)
        .min(lo + COLLECTION_SPAN);
    (lo, hi.max(lo))
}

fn integer_strategy(shape: &'static Shape) -> BoxedStrategy<i64> {
    let (type_lo, type_hi) = match shape.kind {
        ShapeKind::Integer => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    let lo = shape.min.unwrap_or(type_lo).max(type_lo);
    let hi = shape.max.unwrap_or(type_hi).min(type_hi);
    let reserved = PORT_SHAPES.contains(&shape.name.as_str());
    prop_oneof![
        1 => Just(lo),
        1 => Just(hi),
        1 => Just(if reserved { RESERVED_PORT } else { lo }),
        6 => lo..=hi,
    ]
    .prop_map(move |n| match n {
        RESERVED_PORT if reserved => {
            if n < hi {
                n + 1
            } else {
                n - 1
            }
        }
        n => n,
    })
    .boxed()
}

/// Mostly readable text, sometimes any Unicode scalar value.
fn text_char() -> BoxedStrategy<char> {
    prop_oneof![
        3 => proptest::char::range('a', 'z'),
        1 => prop::sample::select(vec!['é', '日', '𝄞', ' ', '-', '_', '/', '"', '\\', '\n']),
        2 => any::<char>(),
    ]
    .boxed()
}

fn text_of_length(lengths: std::ops::RangeInclusive<usize>) -> BoxedStrategy<String> {
    prop::collection::vec(text_char(), lengths)
        .prop_map(String::from_iter)
        .boxed()
}

fn code_points(s: &str) -> usize {
    s.chars().count()
}

fn string_strategy(shape: &'static Shape, need: Need) -> BoxedStrategy<String> {
    let floor = if need == Need::Present { 1 } else { 0 };
    let lo = (shape.min.unwrap_or(0).max(0) as usize).max(floor);
    let hi = shape.max.map(|m| m.max(0) as usize);
    let Some(pattern) = &shape.pattern else {
        let top = hi.unwrap_or(usize::MAX).min(lo + STRING_SPAN);
        let mut options = vec![(6, text_of_length(lo..=top)), (1, text_of_length(lo..=lo))];
        if let Some(hi) = hi {
            options.push((1, text_of_length(hi..=hi)));
        }
        return Union::new_weighted(options).boxed();
    };
    pattern_strategy(shape, pattern, lo, hi)
}

/// Strings matching a pattern: generated from the pattern itself (several
/// candidates, from the pattern as written and with its repetitions capped
/// so that length limits can be met), the first that matches the model's own
/// matcher and fits the length limits; else the shape's documented example.
fn pattern_strategy(
    shape: &'static Shape,
    pattern: &'static Pattern,
    lo: usize,
    hi: Option<usize>,
) -> BoxedStrategy<String> {
    let example = PATTERN_EXAMPLES
        .iter()
        .find(|(name, _)| *name == shape.name)
        .map(|(_, e)| *e);
    let generators: Vec<BoxedStrategy<Vec<String>>> = [Cap::None, Cap::Unbounded, Cap::All]
        .into_iter()
        .filter_map(|cap| {
            proptest::string::string_regex(&generation_regex(&pattern.source, cap)).ok()
        })
        .map(|s| prop::collection::vec(s, CANDIDATES).boxed())
        .collect();
    let name = shape.name.as_str();
    generators
        .prop_map(move |candidates| {
            let fits = |s: &str| {
                pattern.matches(s)
                    && code_points(s) >= lo
                    && hi.is_none_or(|hi| code_points(s) <= hi)
            };
            candidates
                .into_iter()
                .flatten()
                .find(|s| fits(s))
                .or_else(|| example.map(str::to_owned))
                .unwrap_or_else(|| {
                    panic!("cannot generate a value of `{name}` and it has no example")
                })
        })
        .boxed()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cap {
    /// The pattern as written.
    None,
    /// `*`, `+` and `{m,}` at most 4 repetitions.
    Unbounded,
    /// Also `{m,n}` at most `m + 6`.
    All,
}

/// Rewrites a model pattern for proptest's generator, which always produces
/// the whole string (anchors are implicit; proptest does not support them).
/// `\d`, `\s` and `\w` become their ASCII classes: `\d` and `\w` are ASCII
/// in the console's ECMAScript matcher, and generating ASCII `\s` keeps the
/// values valid under either reading, whereas regex-syntax would read them
/// as Unicode classes.
fn generation_regex(source: &str, cap: Cap) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::new();
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                let escaped = chars[i + 1];
                i += 2;
                let ascii = match (escaped, in_class) {
                    ('d', false) => Some("[0-9]"),
                    ('d', true) => Some("0-9"),
                    ('s', false) => Some(r"[\t\n\x0B\x0C\r ]"),
                    ('s', true) => Some(r"\t\n\x0B\x0C\r "),
                    ('w', false) => Some("[0-9A-Za-z_]"),
                    ('w', true) => Some("0-9A-Za-z_"),
                    ('D', false) => Some("[^0-9]"),
                    ('S', false) => Some(r"[^\t\n\x0B\x0C\r ]"),
                    ('W', false) => Some("[^0-9A-Za-z_]"),
                    _ => None,
                };
                match ascii {
                    Some(class) => out.push_str(class),
                    None => {
                        out.push('\\');
                        out.push(escaped);
                    }
                }
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push(']');
                    i += 1;
                }
                continue;
            }
            ']' if in_class => in_class = false,
            '*' if !in_class && cap != Cap::None => {
                out.push_str("{0,4}");
                i += 1;
                continue;
            }
            '+' if !in_class && cap != Cap::None => {
                out.push_str("{1,4}");
                i += 1;
                continue;
            }
            '{' if !in_class && cap != Cap::None => {
                let len = chars[i..].iter().position(|&x| x == '}').unwrap_or(0);
                let body: String = chars[i + 1..i + len.max(1)].iter().collect();
                if let Some((m, n)) = body.split_once(',')
                    && let Ok(m) = m.trim().parse::<usize>()
                {
                    let n = n.trim().parse::<usize>().ok();
                    let top = match (n, cap) {
                        (None, _) => m + 4,
                        (Some(n), Cap::All) => n.min(m + 6),
                        (Some(n), _) => n,
                    };
                    out.push_str(&format!("{{{m},{top}}}"));
                    i += len + 1;
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

fn valid_request() -> BoxedStrategy<Value> {
    valid_value(input(), 0, Need::Present)
}

/// The draft of a typed request, which must import without problems.
fn draft_of(request: &Value) -> Value {
    let (draft, problems) = draft::from_request(model(), input(), request);
    assert!(
        problems.is_empty(),
        "import problems {problems:?} for {request}"
    );
    draft
}

// --- 1. Generated valid requests always validate ----------------------------------

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn generated_valid_requests_validate(request in valid_request()) {
        let draft = draft_of(&request);
        let errors = validate(model(), input(), &draft);
        prop_assert!(errors.is_empty(), "valid request rejected: {errors:?}\nrequest: {request:#}");
    }

    // --- 4. The draft round trip is the identity on valid requests ----------------

    #[test]
    fn draft_round_trip_is_the_identity(request in valid_request()) {
        let draft = draft_of(&request);
        let back = draft::to_request(model(), input(), &draft).unwrap_or(Value::Null);
        prop_assert!(back == request, "round trip differs at {}", first_difference(&request, &back, &MemberPath::root()));
    }
}

/// A minimal valid request to build the regression examples on.
fn minimal_request() -> Value {
    serde_json::json!({
        "agentRuntimeId": "my_agent-a1b2c3d4e5",
        "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": "public.ecr.aws/a/b"}},
        "roleArn": "arn:aws:iam::123456789012:role/MyRole"
    })
}

fn validate_request(request: &Value) -> Vec<String> {
    validate(model(), input(), &draft_of(request))
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn minimal_request_is_valid() {
    assert_eq!(validate_request(&minimal_request()), Vec::<String>::new());
}

/// Regression, found by `generated_valid_requests_validate`: a union whose
/// chosen member is a structure without required members
/// (`LinuxOperatingSystemConfiguration`) may be chosen empty; Smithy and the
/// AWS SDKs accept `{"linux": {}}`, and validation used to report `Required`.
#[test]
fn empty_union_choice_without_required_members_is_accepted() {
    let mut request = minimal_request();
    request["capacityProviderConfiguration"] = serde_json::json!({
        "capacityProviderArn": "arn:aws:bedrock-agentcore:us-east-1:123456789012:capacity-provider/my_provider-a1b2c3d4e5",
        "operatingSystemConfiguration": {"linux": {}}
    });
    let draft = draft_of(&request);
    assert_eq!(
        draft::to_request(model(), input(), &draft).as_ref(),
        Some(&request)
    );
    assert_eq!(validate_request(&request), Vec::<String>::new());
}

/// Found by `draft_round_trip_is_the_identity`: `ManagedVpcResource.subnetIds`
/// is required with no length limit, so `[]` satisfies the model. The draft
/// used to treat an empty list in a structure as unset, so `to_request`
/// dropped the member and validation reported `Required`; a list written
/// explicitly empty is now kept (issue 11, hole 14).
#[test]
fn explicit_empty_required_list_is_kept() {
    let mut request = minimal_request();
    request["authorizerConfiguration"] = serde_json::json!({"customJWTAuthorizer": {
        "discoveryUrl": "https://example.com/.well-known/openid-configuration",
        "privateEndpoint": {"managedVpcResource": {
            "vpcIdentifier": "vpc-0123456789abcdef0", "subnetIds": [], "endpointIpAddressType": "IPV4"
        }}
    }});
    let draft = draft_of(&request);
    assert_eq!(
        draft::to_request(model(), input(), &draft).as_ref(),
        Some(&request)
    );
    assert_eq!(validate_request(&request), Vec::<String>::new());
}

/// Where two JSON values first differ, and how (for readable failures).
fn first_difference(expected: &Value, actual: &Value, path: &MemberPath) -> String {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) if x == y => {}
                    (Some(x), Some(y)) => {
                        return first_difference(x, y, &path.member(key));
                    }
                    (x, y) => {
                        return format!("`{}`: expected {x:?}, got {y:?}", path.member(key));
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                if x != y {
                    return first_difference(x, y, &path.index(i));
                }
            }
        }
        _ => {}
    }
    format!("`{path}`: expected {expected}, got {actual}")
}

/// The generator is not vacuous: every patterned string shape of the request
/// gets values other than its documented example, where regex generation can
/// produce them.
#[test]
fn pattern_generation_goes_beyond_the_examples() {
    let mut runner = deterministic_runner();
    let mut shapes = BTreeSet::new();
    reachable_shapes(input(), &mut shapes);
    let mut only_examples = Vec::new();
    for name in shapes {
        let shape = model().shape(name);
        let Some(pattern) = &shape.pattern else {
            continue;
        };
        let strategy = string_strategy(shape, Need::Optional);
        let example = PATTERN_EXAMPLES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, e)| *e);
        let mut distinct = BTreeSet::new();
        for _ in 0..64 {
            let value = strategy.new_tree(&mut runner).unwrap().current();
            assert!(pattern.matches(&value), "{name}: generated {value:?}");
            if Some(value.as_str()) != example {
                distinct.insert(value);
            }
        }
        if distinct.len() < 8 {
            only_examples.push(format!("{name} ({} generated)", distinct.len()));
        }
    }
    assert!(
        only_examples.is_empty(),
        "shapes generated (almost) only from their example: {only_examples:?}"
    );
}

fn reachable_shapes(shape: &'static Shape, out: &mut BTreeSet<&'static str>) {
    if !out.insert(shape.name.as_str()) {
        return;
    }
    let model = model();
    match &shape.kind {
        ShapeKind::Structure(members) | ShapeKind::Union(members) => {
            for m in members {
                reachable_shapes(model.shape(&m.shape), out);
            }
        }
        ShapeKind::List(item) => reachable_shapes(model.shape(item), out),
        ShapeKind::Map { key, value } => {
            reachable_shapes(model.shape(key), out);
            reachable_shapes(model.shape(value), out);
        }
        _ => {}
    }
}

// --- 2. Single-constraint mutations are rejected at the right path ------------------

/// Where a value sits in its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Root,
    Member { required: bool },
    Choice,
    Item,
    Key,
    EntryValue,
}

impl Slot {
    /// List items, map keys and values: there an empty string is a value.
    fn in_collection(self) -> bool {
        matches!(self, Slot::Item | Slot::Key | Slot::EntryValue)
    }
}

/// One value of a draft with its shape.
struct Site {
    path: MemberPath,
    shape: &'static Shape,
    slot: Slot,
    value: Value,
    /// Whether the parent is still validated when this value is removed or
    /// emptied: false for the last member of an optional structure, which
    /// then counts as unset (and unset optional members are valid).
    parent_stays: bool,
}

fn collect_sites(
    shape: &'static Shape,
    draft: &Value,
    path: &MemberPath,
    slot: Slot,
    parent_stays: bool,
    out: &mut Vec<Site>,
) {
    let model = model();
    out.push(Site {
        path: path.clone(),
        shape,
        slot,
        value: draft.clone(),
        parent_stays,
    });
    let collect =
        |shape: &'static Shape,
         draft: &Value,
         path: &MemberPath,
         slot: Slot,
         out: &mut Vec<Site>| { collect_sites(shape, draft, path, slot, true, out) };
    match (&shape.kind, draft) {
        (ShapeKind::Structure(members), Value::Object(map)) => {
            for m in members {
                if let Some(v) = map.get(&m.name) {
                    let member_slot = Slot::Member {
                        required: m.required,
                    };
                    // Valid drafts of generated requests hold no empty optional members.
                    let others = members
                        .iter()
                        .any(|o| o.name != m.name && map.contains_key(&o.name));
                    let stays = others || !matches!(slot, Slot::Member { required: false });
                    let child = path.member(&m.name);
                    collect_sites(model.shape(&m.shape), v, &child, member_slot, stays, out);
                }
            }
        }
        (ShapeKind::Union(members), Value::Object(map)) => {
            for m in members {
                if let Some(v) = map.get(&m.name) {
                    collect(
                        model.shape(&m.shape),
                        v,
                        &path.member(&m.name),
                        Slot::Choice,
                        out,
                    );
                }
            }
        }
        (ShapeKind::List(item), Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                collect(model.shape(item), v, &path.index(i), Slot::Item, out);
            }
        }
        (ShapeKind::Map { key, value }, Value::Array(entries)) => {
            for (i, entry) in entries.iter().enumerate() {
                let entry_path = path.index(i);
                let k = entry.get(MAP_KEY).cloned().unwrap_or(Value::Null);
                collect(
                    model.shape(key),
                    &k,
                    &entry_path.member(MAP_KEY),
                    Slot::Key,
                    out,
                );
                let v = entry.get(MAP_VALUE).cloned().unwrap_or(Value::Null);
                collect(
                    model.shape(value),
                    &v,
                    &entry_path.member(MAP_VALUE),
                    Slot::EntryValue,
                    out,
                );
            }
        }
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Edit {
    Set(Value),
    Remove,
}

/// What validation must report for a mutation.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Expect {
    /// The mutated draft is still valid (a boundary value).
    Valid,
    TooShort {
        min: i64,
        actual: usize,
    },
    TooLong {
        max: i64,
        actual: usize,
    },
    Pattern,
    NotInEnum,
    OutOfRange,
    NotAnInteger,
    NotABoolean,
    /// `TooFewItems`, or `Required` where an empty collection means unset.
    TooFew,
    TooMany {
        max: i64,
        actual: usize,
    },
    DuplicateKey,
    Required,
    ChooseOne,
    MoreThanOneChoice,
    /// A removed structure: its own required members are reported (the
    /// structure has no form control of its own).
    RequiredInside,
}

impl Expect {
    fn accepts(&self, problem: &Problem) -> bool {
        match (self, problem) {
            (Expect::TooShort { min, actual }, Problem::TooShort { min: m, actual: a }) => {
                min == m && actual == a
            }
            (Expect::TooLong { max, actual }, Problem::TooLong { max: m, actual: a }) => {
                max == m && actual == a
            }
            (Expect::TooMany { max, actual }, Problem::TooManyItems { max: m, actual: a }) => {
                max == m && actual == a
            }
            (Expect::Pattern, Problem::Pattern { .. })
            | (Expect::NotInEnum, Problem::NotInEnum(_))
            | (Expect::OutOfRange, Problem::OutOfRange { .. })
            | (Expect::NotAnInteger, Problem::NotAnInteger { .. })
            | (Expect::NotABoolean, Problem::NotABoolean)
            | (Expect::TooFew, Problem::TooFewItems { .. } | Problem::Required)
            | (Expect::DuplicateKey, Problem::DuplicateKey(_))
            | (Expect::Required, Problem::Required)
            | (Expect::ChooseOne, Problem::ChooseOne(_))
            | (Expect::MoreThanOneChoice, Problem::MoreThanOneChoice(_)) => true,
            (Expect::RequiredInside, Problem::Required | Problem::ChooseOne(_)) => true,
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
struct Mutation {
    kind: &'static str,
    /// Draft path of the edited value.
    at: MemberPath,
    edit: Edit,
    /// Draft path where the error must be reported.
    path: MemberPath,
    expect: Expect,
}

/// Text of exactly `n` code points, mostly outside ASCII (1 to 4 bytes each).
fn non_ascii(n: usize) -> String {
    ['é', '日', '𝄞', 'ß', 'a']
        .into_iter()
        .cycle()
        .take(n)
        .collect()
}

/// Edits of a valid value that break most patterns (a space, `#`, a control
/// or non-ASCII character, a newline at one end).
fn pattern_breakers(text: &str) -> [String; 6] {
    [
        format!("{text} "),
        format!(" {text}"),
        format!("{text}#"),
        format!("\u{7f}{text}"),
        format!("é{text}"),
        format!("{text}\n"),
    ]
}

fn mutations_of(site: &Site) -> Vec<Mutation> {
    let model = model();
    let shape = site.shape;
    let path = &site.path;
    let mut out = Vec::new();
    let mut push = |kind: &'static str,
                    at: &MemberPath,
                    edit: Edit,
                    error_path: &MemberPath,
                    expect: Expect| {
        out.push(Mutation {
            kind,
            at: at.clone(),
            edit,
            path: error_path.clone(),
            expect,
        });
    };
    let set = |text: String| Edit::Set(Value::String(text));
    // An empty string or collection in a structure or union means "unset".
    let empty_is_unset = !site.slot.in_collection();

    if let (Slot::Member { required: true }, true) = (site.slot, site.parent_stays) {
        let expect = match &shape.kind {
            ShapeKind::Union(_) => Expect::ChooseOne,
            ShapeKind::Structure(members) if members.iter().any(|m| m.required) => {
                Expect::RequiredInside
            }
            _ => Expect::Required,
        };
        push("remove required member", path, Edit::Remove, path, expect);
    }

    let text = site.value.as_str().unwrap_or_default();
    match &shape.kind {
        ShapeKind::String => {
            let min = shape.min.unwrap_or(0).max(0) as usize;
            let max = shape.max.map(|m| m as usize);
            let fits =
                |s: &str| code_points(s) >= min && max.is_none_or(|max| code_points(s) <= max);
            if min > 0 && !(empty_is_unset && min == 1) {
                let short = non_ascii(min - 1);
                let expect = Expect::TooShort {
                    min: min as i64,
                    actual: min - 1,
                };
                push("string too short", path, set(short), path, expect);
            }
            if let Some(max) = max.filter(|&m| m <= 10_000) {
                let expect = Expect::TooLong {
                    max: max as i64,
                    actual: max + 1,
                };
                push(
                    "string too long",
                    path,
                    set(non_ascii(max + 1)),
                    path,
                    expect,
                );
            }
            match &shape.pattern {
                Some(pattern) => {
                    if let Some(bad) = pattern_breakers(text)
                        .into_iter()
                        .find(|c| fits(c) && !pattern.matches(c))
                    {
                        push("pattern broken", path, set(bad), path, Expect::Pattern);
                    }
                }
                None => {
                    // Boundary values, counted in code points, are accepted.
                    if let Some(max) = max.filter(|&m| m <= 10_000 && m > 0) {
                        push(
                            "longest string",
                            path,
                            set(non_ascii(max)),
                            path,
                            Expect::Valid,
                        );
                    }
                    if min > 0 || !empty_is_unset {
                        push(
                            "shortest string",
                            path,
                            set(non_ascii(min)),
                            path,
                            Expect::Valid,
                        );
                    }
                }
            }
        }
        ShapeKind::Enum(values) => {
            for bad in [format!("{text}_X"), text.to_lowercase(), format!(" {text}")] {
                if !values.contains(&bad) && !bad.is_empty() {
                    push(
                        "enum value not listed",
                        path,
                        set(bad),
                        path,
                        Expect::NotInEnum,
                    );
                }
            }
        }
        ShapeKind::Integer | ShapeKind::Long => {
            let (type_lo, type_hi) = match shape.kind {
                ShapeKind::Integer => (i64::from(i32::MIN), i64::from(i32::MAX)),
                _ => (i64::MIN, i64::MAX),
            };
            let lo = shape.min.unwrap_or(type_lo);
            let hi = shape.max.unwrap_or(type_hi);
            if let Some(below) = lo.checked_sub(1) {
                push(
                    "integer below min",
                    path,
                    set(below.to_string()),
                    path,
                    Expect::OutOfRange,
                );
            }
            if let Some(above) = hi.checked_add(1) {
                push(
                    "integer above max",
                    path,
                    set(above.to_string()),
                    path,
                    Expect::OutOfRange,
                );
            }
            for bad in [
                format!("{text}a"),
                format!("{text}.5"),
                format!(" {text}"),
                "1e3".to_owned(),
                "x".to_owned(),
            ] {
                push(
                    "integer not numeric",
                    path,
                    set(bad),
                    path,
                    Expect::NotAnInteger,
                );
            }
        }
        ShapeKind::Boolean => {
            for bad in ["yes", "True", "1", "false "] {
                push(
                    "boolean not true/false",
                    path,
                    set(bad.to_owned()),
                    path,
                    Expect::NotABoolean,
                );
            }
        }
        ShapeKind::List(_) | ShapeKind::Map { .. } => {
            let items = site.value.as_array().cloned().unwrap_or_default();
            let is_map = matches!(shape.kind, ShapeKind::Map { .. });
            if let Some(max) = shape.max.filter(|&m| (0..=64).contains(&m)) {
                let count = max as usize + 1;
                let more: Vec<Value> = items.iter().cycle().take(count).cloned().collect();
                if more.len() == count {
                    let expect = Expect::TooMany { max, actual: count };
                    push(
                        "too many items",
                        path,
                        Edit::Set(Value::Array(more)),
                        path,
                        expect,
                    );
                }
            }
            if let Some(min) = shape.min.filter(|&m| m >= 1) {
                let fewer: Vec<Value> = items.iter().take(min as usize - 1).cloned().collect();
                let required = matches!(site.slot, Slot::Member { required: true } | Slot::Choice)
                    && site.parent_stays;
                if !(fewer.is_empty() && empty_is_unset && !required) {
                    push(
                        "too few items",
                        path,
                        Edit::Set(Value::Array(fewer)),
                        path,
                        Expect::TooFew,
                    );
                }
            }
            if is_map && !items.is_empty() {
                let first_key = items[0].get(MAP_KEY).cloned().unwrap_or(Value::Null);
                if items.len() >= 2 {
                    let last = items.len() - 1;
                    let key_path = path.index(last).member(MAP_KEY);
                    push(
                        "duplicate map key",
                        &key_path,
                        Edit::Set(first_key),
                        &key_path,
                        Expect::DuplicateKey,
                    );
                } else {
                    let mut twice = items.clone();
                    twice.push(items[0].clone());
                    let key_path = path.index(1).member(MAP_KEY);
                    push(
                        "duplicate map key",
                        path,
                        Edit::Set(Value::Array(twice)),
                        &key_path,
                        Expect::DuplicateKey,
                    );
                }
            }
        }
        ShapeKind::Union(members) if members.len() >= 2 => {
            let chosen = site
                .value
                .as_object()
                .and_then(|m| m.keys().next().cloned());
            if let Some(other) = members.iter().find(|m| Some(&m.name) != chosen.as_ref()) {
                let other_shape = model.shape(&other.shape);
                let value = match draft::empty(other_shape) {
                    Value::String(_) => Value::String("x".to_owned()),
                    empty => empty,
                };
                let mut two = site.value.as_object().cloned().unwrap_or_default();
                two.insert(other.name.clone(), value);
                push(
                    "two union members",
                    path,
                    Edit::Set(Value::Object(two)),
                    path,
                    Expect::MoreThanOneChoice,
                );
            }
        }
        _ => {}
    }
    out
}

fn all_mutations(draft: &Value) -> Vec<Mutation> {
    let mut sites = Vec::new();
    collect_sites(
        input(),
        draft,
        &MemberPath::root(),
        Slot::Root,
        true,
        &mut sites,
    );
    sites.iter().flat_map(mutations_of).collect()
}

fn apply(draft: &Value, m: &Mutation) -> Value {
    let mut mutated = draft.clone();
    match &m.edit {
        Edit::Set(value) => {
            draft::set(&mut mutated, &m.at, value.clone());
            assert_eq!(
                draft::get(&mutated, &m.at),
                Some(value),
                "set did not reach {}",
                m.at
            );
        }
        Edit::Remove => {
            draft::remove(&mut mutated, &m.at);
            assert!(
                draft::get(&mutated, &m.at).is_none(),
                "remove did not reach {}",
                m.at
            );
        }
    }
    mutated
}

/// Whether a mutated map key now equals another key of the same map (a
/// second, unintended constraint: keys must be unique).
fn collides_with_sibling_key(mutated: &Value, path: &MemberPath) -> bool {
    if path.last() != Some(&Segment::Member(MAP_KEY.to_owned())) {
        return false;
    }
    let entry_path = path.parent();
    let Some(&Segment::Index(index)) = entry_path.last() else {
        return false;
    };
    let key = draft::get_text(mutated, path);
    match draft::get(mutated, &entry_path.parent()) {
        Some(Value::Array(entries)) => entries.iter().enumerate().any(|(i, e)| {
            i != index && e.get(MAP_KEY).and_then(Value::as_str) == Some(key.as_str())
        }),
        _ => false,
    }
}

fn check_mutation(draft: &Value, m: &Mutation) -> Result<(), String> {
    let mutated = apply(draft, m);
    if m.expect == Expect::Valid && collides_with_sibling_key(&mutated, &m.at) {
        return Ok(());
    }
    let errors = validate(model(), input(), &mutated);
    let show =
        |errors: &[ValidationError]| errors.iter().map(ToString::to_string).collect::<Vec<_>>();
    if m.expect == Expect::Valid {
        return if errors.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{m:?}: boundary value rejected: {:?}",
                show(&errors)
            ))
        };
    }
    let found = errors.iter().any(|e| {
        let at_path = if m.expect == Expect::RequiredInside {
            e.path.is_within(&m.path) && e.path != m.path
        } else {
            e.path == m.path
        };
        at_path && m.expect.accepts(&e.problem)
    });
    if !found {
        return Err(format!(
            "{m:?}: expected {:?} at `{}`, got {:?}",
            m.expect,
            m.path,
            show(&errors)
        ));
    }
    // A single mutation must not produce errors elsewhere, except for the
    // documented cross-field rules (e.g. `from` above the range of `to`).
    let stray: Vec<_> = errors
        .iter()
        .filter(|e| {
            !e.path.is_within(&m.path)
                && !e.path.is_within(&m.at)
                && !matches!(e.problem, Problem::Rule(_))
        })
        .collect();
    if !stray.is_empty() {
        return Err(format!(
            "{m:?}: stray errors {:?}",
            stray.iter().map(|e| e.to_string()).collect::<Vec<_>>()
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    /// Every applicable mutation of every value of a generated request.
    #[test]
    fn single_constraint_mutations_are_rejected_at_their_path(request in valid_request()) {
        let draft = draft_of(&request);
        let failures: Vec<String> = all_mutations(&draft)
            .iter()
            .filter_map(|m| check_mutation(&draft, m).err())
            .collect();
        prop_assert!(failures.is_empty(), "{} failing mutation(s):\n{}", failures.len(), failures.join("\n"));
    }
}

/// The mutation test is not vacuous: over a few generated requests, every
/// kind of mutation applies somewhere.
#[test]
fn every_mutation_kind_is_exercised() {
    let mut runner = deterministic_runner();
    let strategy = valid_request();
    let mut kinds = BTreeSet::new();
    for _ in 0..64 {
        let request = strategy.new_tree(&mut runner).unwrap().current();
        kinds.extend(all_mutations(&draft_of(&request)).iter().map(|m| m.kind));
    }
    let expected = [
        "remove required member",
        "string too short",
        "string too long",
        "pattern broken",
        "longest string",
        "shortest string",
        "enum value not listed",
        "integer below min",
        "integer above max",
        "integer not numeric",
        "boolean not true/false",
        "too many items",
        "too few items",
        "duplicate map key",
        "two union members",
    ];
    let missing: Vec<_> = expected.iter().filter(|k| !kinds.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "mutation kinds never exercised: {missing:?}"
    );
}

// --- 3. Parsers never panic -------------------------------------------------------

/// Arbitrary text, biased towards characters that matter to the parsers.
fn arbitrary_text(max_chars: usize) -> BoxedStrategy<String> {
    let c = prop_oneof![
        3 => any::<char>(),
        4 => prop::sample::select(vec![
            '{', '}', '[', ']', '"', '\'', ':', '=', ',', ';', '\n', '\r', ' ', '\t', '#', '$', '\\', '-', '+', '.',
            '/', '0', '1', '9', 'A', 'Z', 'a', 'z', 'T', 'e', '(', ')', '\u{feff}', 'é', '\u{0}', '…',
        ]),
    ];
    prop::collection::vec(c, 0..max_chars)
        .prop_map(String::from_iter)
        .boxed()
}

/// A random edit: insert, delete, replace, or cut at a char position.
fn apply_edits(base: &str, edits: &[(u8, Index, char)]) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    for (op, at, c) in edits {
        match op {
            0 => chars.insert(at.index(chars.len() + 1), *c),
            1 if !chars.is_empty() => {
                chars.remove(at.index(chars.len()));
            }
            2 if !chars.is_empty() => {
                let i = at.index(chars.len());
                chars[i] = *c;
            }
            3 if !chars.is_empty() => chars.truncate(at.index(chars.len())),
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn mutated_text(bases: Vec<String>) -> BoxedStrategy<String> {
    let c = prop_oneof![
        any::<char>(),
        prop::sample::select(vec![
            '{', '}', '"', ':', '=', '\n', ' ', '[', ']', '0', '9', '-', 'Z', '\'', '\\'
        ]),
    ];
    (
        prop::sample::select(bases),
        prop::collection::vec((0u8..4, any::<Index>(), c), 1..8),
    )
        .prop_map(|(base, edits)| apply_edits(&base, &edits))
        .boxed()
}

const AKID: &str = "ASIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=abc";

fn valid_credentials_texts() -> Vec<String> {
    vec![
        format!(
            r#"{{"Credentials": {{"AccessKeyId": "{AKID}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "2026-11-28T22:31:42+00:00"}}, "AssumedRoleUser": {{"AssumedRoleId": "AROA3XFRBF535PLBIFPI4:s3", "Arn": "arn:aws:sts::123456789012:assumed-role/x/s3"}}}}"#
        ),
        format!(
            r#"{{"Version": 1, "AccessKeyId": "{AKID}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "2026-11-28T22:31:42Z"}}"#
        ),
        format!(
            r#"{{"AccessKeyId": "{AKID}", "SecretAccessKey": "{SECRET}", "Token": "{TOKEN}", "Expiration": "2026-11-28 22:31:42+01:00"}}"#
        ),
        format!(
            r#"{{"roleCredentials": {{"accessKeyId": "{AKID}", "secretAccessKey": "{SECRET}", "sessionToken": "{TOKEN}", "expiration": 1795905102000}}}}"#
        ),
        format!(
            "# export-credentials\r\nexport AWS_ACCESS_KEY_ID={AKID}\r\nexport AWS_SECRET_ACCESS_KEY='{SECRET}'\r\nexport AWS_SESSION_TOKEN=\"{TOKEN}\"\r\nexport AWS_CREDENTIAL_EXPIRATION=2026-11-28T22:31:42+00:00\r\n"
        ),
        format!(
            "SET AWS_ACCESS_KEY_ID={AKID}\nset AWS_SECRET_ACCESS_KEY={SECRET}\nset \"AWS_SESSION_TOKEN={TOKEN}\""
        ),
        format!(
            "$Env:AWS_ACCESS_KEY_ID=\"{AKID}\"\n$env:AWS_SECRET_ACCESS_KEY = \"{SECRET}\";\n$ENV:AWS_SESSION_TOKEN=\"{TOKEN}\""
        ),
        format!(
            "setx AWS_ACCESS_KEY_ID {AKID}\nsetx AWS_SECRET_ACCESS_KEY {SECRET}\nsetx AWS_SESSION_TOKEN \"{TOKEN}\""
        ),
        format!(
            "set -gx AWS_ACCESS_KEY_ID {AKID}\nset -x AWS_SECRET_ACCESS_KEY {SECRET}\nset -x AWS_SESSION_TOKEN {TOKEN}"
        ),
        format!(
            "[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\nregion = us-east-1\n[second]\naws_access_key_id=AKIAOTHEREXAMPLE0001\n"
        ),
    ]
}

/// Parses, then uses everything a caller would use; secrets never show.
fn exercise_credentials(text: &str) -> Result<(), TestCaseError> {
    match parse_credentials(text) {
        Ok(parsed) => {
            let creds = &parsed.credentials;
            let shown = format!("{parsed:?} {creds} {}", parsed.format);
            let warnings: Vec<String> = parsed
                .warnings
                .iter()
                .map(|w| format!("{w} {w:?}"))
                .collect();
            let secret = creds.secret_access_key();
            if code_points(secret) >= 12 {
                prop_assert!(!shown.contains(secret), "secret shown in {shown}");
                prop_assert!(
                    !warnings.iter().any(|w| w.contains(secret)),
                    "secret shown in {warnings:?}"
                );
            }
            if let Some(token) = creds.session_token().filter(|t| code_points(t) >= 12) {
                prop_assert!(!shown.contains(token), "session token shown in {shown}");
            }
            let _ = creds.masked_access_key_id();
            for now in [SystemTime::UNIX_EPOCH, SystemTime::now()] {
                let _ = creds.expires_in(now);
                let _ = creds.is_expired(now);
            }
            let _ = creds.to_aws_credentials();
        }
        Err(e) => {
            let _ = format!("{e} {e:?}");
        }
    }
    Ok(())
}

fn valid_bodies() -> Vec<String> {
    [
        r#"{"agentRuntimeArn":"arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/a-1234567890","agentRuntimeId":"a-1234567890","agentRuntimeVersion":"2","createdAt":1764365502.5,"lastUpdatedAt":"2026-11-28T21:31:42Z","status":"UPDATING","workloadIdentityDetails":{"workloadIdentityArn":"arn"}}"#,
        r#"{"message":"busy"}"#,
        r#"{"__type":"com.amazon#ResourceNotFoundException","Message":"nope"}"#,
        r#"{"code":"ExpiredTokenException","message":"x"}"#,
        r#"{"message":"bad","reason":"FieldValidationFailed","fieldList":[{"name":"roleArn","message":"bad role"},{"name":"environmentVariables.A","message":"?"}]}"#,
        r#"{"message":"Signature expired: 20261128T213000Z is now earlier than 20261128T214500Z (20261128T215000Z - 5 min.)"}"#,
        r#"{"agentRuntimes":[{"agentRuntimeId":"a","lastUpdatedAt":1764365502}],"nextToken":"t"}"#,
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
        "",
    ]
    .map(str::to_owned)
    .to_vec()
}

fn header_strategy() -> BoxedStrategy<(String, String)> {
    let name = prop_oneof![
        4 => prop::sample::select(vec![
            "x-amzn-ErrorType", "X-AMZN-ERRORTYPE", "x-amzn-RequestId", "x-amz-request-id", "content-type", "Date", "date",
        ])
        .prop_map(str::to_owned),
        1 => arbitrary_text(20),
    ];
    let value = prop_oneof![
        2 => arbitrary_text(60),
        1 => prop::sample::select(vec![
            "ConflictException:http://internal.amazon.com/coral/", "InvalidSignatureException", "ValidationException",
            "Sat, 28 Nov 2026 21:50:00 GMT", "ThrottlingException:", ":", "",
        ])
        .prop_map(str::to_owned),
        1 => mutated_text(vec!["Sat, 28 Nov 2026 21:50:00 GMT".to_owned(), "InvalidSignatureException:x".to_owned()]),
    ];
    (name, value).boxed()
}

fn body_strategy() -> BoxedStrategy<String> {
    prop_oneof![
        arbitrary_text(300),
        mutated_text(valid_bodies()),
        arbitrary_json().prop_map(|v| v.to_string()),
        error_body_json().prop_map(|v| v.to_string()),
    ]
    .boxed()
}

/// Error-shaped JSON with random contents in the members the parser reads.
fn error_body_json() -> BoxedStrategy<Value> {
    let text = || {
        prop_oneof![
            arbitrary_text(40).prop_map(Value::String),
            arbitrary_json(),
            prop::sample::select(vec![
                "InvalidSignatureException",
                "com.amazon#ValidationException:x",
                "#",
                "Signature expired: x (",
                "Signature not yet current: (20261128T215000Z",
                "roleArn",
                "environmentVariables.A.b",
            ])
            .prop_map(Value::from),
        ]
    };
    let field = (text(), text())
        .prop_map(|(name, message)| serde_json::json!({"name": name, "message": message}));
    (
        text(),
        text(),
        text(),
        text(),
        prop::collection::vec(field, 0..3),
        prop::collection::vec(member_timestamp(), 0..3),
    )
        .prop_map(|(ty, code, message, reason, fields, stamps)| {
            let mut out = serde_json::json!({
                "__type": ty, "code": code, "message": message, "Message": message, "reason": reason, "fieldList": fields
            });
            for (name, stamp) in stamps {
                out[name] = stamp;
            }
            out
        })
        .boxed()
}

/// A timestamp member of an output with a random value.
fn member_timestamp() -> BoxedStrategy<(String, Value)> {
    let name = prop::sample::select(vec!["createdAt", "lastUpdatedAt"]).prop_map(str::to_owned);
    let value = prop_oneof![
        any::<f64>()
            .prop_filter_map("finite", serde_json::Number::from_f64)
            .prop_map(Value::Number),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::sample::select(vec![
            "1e308",
            "NaN",
            "inf",
            "-1",
            "99999999999",
            "+10000-01-01T00:00:00Z"
        ])
        .prop_map(Value::from),
        mutated_text(vec![
            "2026-11-28T21:31:42Z".to_owned(),
            "1764365502.5".to_owned()
        ])
        .prop_map(Value::String),
    ];
    (name, value).boxed()
}

fn success_body_json() -> BoxedStrategy<String> {
    prop::collection::vec(member_timestamp(), 0..4)
        .prop_map(|stamps| Value::Object(stamps.into_iter().collect()).to_string())
        .boxed()
}

fn exercise_response(operation: &str, response: &HttpResponse) -> Result<(), TestCaseError> {
    let status = response.status;
    match parse_response(model(), operation, response) {
        Ok(output) => {
            prop_assert!(
                (200..300).contains(&status),
                "HTTP {status} parsed as a success"
            );
            prop_assert_eq!(output.status, status);
            for (path, _) in &output.timestamps {
                prop_assert!(output.timestamp(path).is_some());
            }
            for (_, t) in &output.timestamps {
                let _ = response::format_utc(*t);
            }
        }
        Err(e) => {
            prop_assert_eq!(e.status(), status);
            prop_assert_eq!(
                matches!(e, ResponseError::BadOutput { .. }),
                (200..300).contains(&status),
                "{:?}",
                e
            );
            let code = e.code();
            let _ = (
                e.to_string(),
                format!("{e:?}"),
                e.request_id(),
                response::advice(&code),
            );
            let _ = response::is_retryable(&e);
            if let ResponseError::Service(service) = &e {
                prop_assert!(!service.code.is_empty());
                if let Some(t) = service.skew_server_time() {
                    let _ = response::format_utc(t);
                }
            }
        }
    }
    Ok(())
}

/// Names the model uses (members, `key`/`value`), so that arbitrary JSON
/// reaches deep into the request shape.
fn member_names() -> &'static Vec<String> {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: BTreeSet<String> = model()
            .shapes()
            .flat_map(|s| s.members().iter().map(|m| m.name.clone()))
            .collect();
        names.extend([MAP_KEY, MAP_VALUE, "0", "1", ""].map(str::to_owned));
        names.into_iter().collect()
    })
}

/// Arbitrary JSON values, with object keys mostly taken from the model.
fn arbitrary_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter_map("finite", serde_json::Number::from_f64)
            .prop_map(Value::Number),
        arbitrary_text(24).prop_map(Value::String),
        prop::sample::select(vec![
            "VPC", "PUBLIC", "8443", "8000", "true", "false", "", "x"
        ])
        .prop_map(Value::from),
    ];
    let key =
        prop_oneof![3 => prop::sample::select(member_names().clone()), 1 => arbitrary_text(8)];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A valid request with one node (any depth) replaced by arbitrary JSON.
fn corrupted_request() -> BoxedStrategy<Value> {
    (valid_request(), any::<Index>(), arbitrary_json())
        .prop_map(|(mut request, at, replacement)| {
            let mut pointers = Vec::new();
            json_pointers(&request, String::new(), &mut pointers);
            let target = &pointers[at.index(pointers.len())];
            *request.pointer_mut(target).expect("pointer from the walk") = replacement;
            request
        })
        .boxed()
}

fn json_pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                json_pointers(
                    v,
                    format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                json_pointers(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(pointer);
}

/// Everything the console does with an imported request or a stored draft.
fn exercise_draft(json: &Value) {
    let (model, shape) = (model(), input());
    let (draft, problems) = draft::from_request(model, shape, json);
    for p in &problems {
        let _ = p.to_string();
    }
    // Both the imported draft and the raw JSON taken as a (corrupted, stored)
    // draft go through every draft operation.
    for d in [&draft, json] {
        for e in validate(model, shape, d) {
            let _ = e.to_string();
            let _ = response::control_path(model, shape, d, &e.path);
            let _ = response::field_path(model, shape, &e.path.to_string());
        }
        let _ = draft::to_request(model, shape, d);
        let _ = draft::without_sensitive(model, shape, d);
        let _ = draft::sensitive_paths(model, shape, d, &MemberPath::root());
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn parse_credentials_never_panics_on_arbitrary_text(text in arbitrary_text(400)) {
        exercise_credentials(&text)?;
    }

    #[test]
    fn parse_credentials_never_panics_on_mutated_valid_text(text in mutated_text(valid_credentials_texts())) {
        exercise_credentials(&text)?;
    }

    #[test]
    fn parse_credentials_never_panics_on_odd_expirations(
        expiration in prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_filter_map("finite", serde_json::Number::from_f64).prop_map(Value::Number),
            arbitrary_text(40).prop_map(Value::String),
            mutated_text(vec!["2026-11-28T22:31:42+00:00".to_owned(), "2026-11-28 22:31:42Z".to_owned()]).prop_map(Value::String),
            arbitrary_json(),
        ],
        form in 0..3usize,
    ) {
        let text = match form {
            0 => serde_json::json!({"roleCredentials": {"accessKeyId": AKID, "secretAccessKey": SECRET, "sessionToken": TOKEN, "expiration": expiration}}).to_string(),
            1 => serde_json::json!({"Credentials": {"AccessKeyId": AKID, "SecretAccessKey": SECRET, "SessionToken": TOKEN, "Expiration": expiration}}).to_string(),
            _ => format!("AWS_ACCESS_KEY_ID={AKID}\nAWS_SECRET_ACCESS_KEY={SECRET}\nAWS_SESSION_TOKEN={TOKEN}\nAWS_CREDENTIAL_EXPIRATION={}", expiration.as_str().map_or_else(|| expiration.to_string(), str::to_owned)),
        };
        exercise_credentials(&text)?;
    }

    #[test]
    fn parse_response_never_panics(
        status in 100u16..=599,
        headers in prop::collection::vec(header_strategy(), 0..5),
        body in prop_oneof![3 => body_strategy(), 1 => success_body_json()],
        operation in prop::sample::select(vec![
            UPDATE_AGENT_RUNTIME, GET_AGENT_RUNTIME, LIST_AGENT_RUNTIMES, LIST_AGENT_RUNTIME_VERSIONS, "NoSuchOperation",
        ]),
    ) {
        exercise_response(operation, &HttpResponse { status, headers, body })?;
    }

    #[test]
    fn drafts_never_panic_on_arbitrary_json(json in arbitrary_json()) {
        exercise_draft(&json);
    }

    #[test]
    fn drafts_never_panic_on_corrupted_requests(json in corrupted_request()) {
        exercise_draft(&json);
    }
}

// --- Both regex engines agree on the model's patterns --------------------------------

/// The fixture `tests/browser_patterns.rs` checks the browser's `RegExp`
/// against: every pattern of the vendored model, with values generated from
/// it (and its documented example) and the pattern-breaking mutations
/// `mutations_of` tries, each with the host engine's (regress) answer.
const PATTERN_CASES: &str = "tests/fixtures/pattern_cases.json";

fn pattern_cases() -> Value {
    let mut runner = deterministic_runner();
    // pattern -> (texts it matches, texts it rejects)
    let mut cases: std::collections::BTreeMap<&str, (BTreeSet<String>, BTreeSet<String>)> =
        Default::default();
    for shape in model().shapes() {
        let Some(pattern) = &shape.pattern else {
            continue;
        };
        let mut values: BTreeSet<String> = PATTERN_EXAMPLES
            .iter()
            .filter(|(name, _)| *name == shape.name)
            .map(|(_, e)| (*e).to_owned())
            .collect();
        for cap in [Cap::None, Cap::All] {
            if let Ok(strategy) =
                proptest::string::string_regex(&generation_regex(&pattern.source, cap))
            {
                for _ in 0..2 {
                    values.insert(proptest::strategy::ValueTree::current(
                        &strategy.new_tree(&mut runner).unwrap(),
                    ));
                }
            }
        }
        assert!(
            values.iter().any(|v| pattern.matches(v)),
            "{}: no generated value matches /{}/",
            shape.name,
            pattern.source
        );
        let (matched, rejected) = cases.entry(pattern.source.as_str()).or_default();
        for text in &values {
            let others = [
                text.clone(),
                format!("{text}𝄞"),
                text.to_uppercase(),
                text.to_lowercase(),
            ];
            for candidate in others.into_iter().chain(pattern_breakers(text)) {
                if pattern.matches(&candidate) {
                    matched.insert(candidate);
                } else {
                    rejected.insert(candidate);
                }
            }
        }
    }
    cases
        .into_iter()
        .map(|(pattern, (matches, rejects))| {
            serde_json::json!({"pattern": pattern, "matches": matches, "rejects": rejects})
        })
        .collect()
}

#[test]
fn pattern_cases_fixture_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PATTERN_CASES);
    let lines: Vec<String> = pattern_cases()
        .as_array()
        .unwrap()
        .iter()
        .map(|case| serde_json::to_string(case).unwrap())
        .collect();
    let expected = format!("[\n{}\n]\n", lines.join(",\n"));
    if std::env::var_os("UPDATE_PATTERN_CASES").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{PATTERN_CASES} is out of date with the model's patterns or the host regex \
         engine: run `UPDATE_PATTERN_CASES=1 cargo test --test properties \
         pattern_cases_fixture_is_current` and review the diff"
    );
}

proptest! {
    #![proptest_config(config(256))]

    /// `core::json` writes any JSON value byte for byte as serde_json does
    /// (on the host; `tests/browser_json.rs` checks the browser's number
    /// digits).
    #[test]
    fn the_json_writer_writes_what_serde_json_writes(value in arbitrary_json()) {
        use agentcore_console::core::json;
        prop_assert_eq!(json::to_string(&value), serde_json::to_string(&value).unwrap());
        prop_assert_eq!(json::to_string_pretty(&value), serde_json::to_string_pretty(&value).unwrap());
    }
}

// --- Timestamps ---------------------------------------------------------------

/// A text that is, or almost is, an RFC 3339 date-time: every component
/// in and out of range, any separator and zone, then maybe one byte
/// changed, inserted or removed.
fn rfc3339_like() -> impl Strategy<Value = String> {
    // mostly in range, sometimes anything of two digits
    let two = |lo: u32, hi: u32| {
        prop_oneof![6 => lo..=hi, 1 => 0..=99u32].prop_map(|n| format!("{n:02}"))
    };
    let fraction = prop::option::of("[0-9]{0,12}").prop_map(|f| f.map(|d| format!(".{d}")));
    let zone = prop_oneof![
        3 => Just("Z".to_owned()),
        1 => Just("z".to_owned()),
        1 => Just(String::new()),
        2 => (prop_oneof![Just('+'), Just('-')], two(0, 23), two(0, 59))
            .prop_map(|(s, h, m)| format!("{s}{h}:{m}")),
    ];
    (
        (0..=9999u32).prop_map(|y| format!("{y:04}")),
        two(1, 12),
        two(1, 28),
        prop_oneof![4 => Just('T'), 1 => Just('t'), 1 => Just(' '), 1 => Just('x')],
        (two(0, 23), two(0, 59), two(0, 60)),
        fraction,
        zone,
        text_edit(),
    )
        .prop_map(|(year, month, day, sep, (h, m, s), fraction, zone, edit)| {
            edit.apply(format!(
                "{year}-{month}-{day}{sep}{h}:{m}:{s}{}{zone}",
                fraction.unwrap_or_default()
            ))
        })
}

/// A text that is, or almost is, an IMF-fixdate (`Sun, 06 Nov 1994
/// 08:49:37 GMT`), including the fields `str::parse` reads with a sign.
fn http_date_like() -> impl Strategy<Value = String> {
    let two = |lo: u32, hi: u32| {
        prop_oneof![
            12 => (lo..=hi).prop_map(|n| format!("{n:02}")),
            1 => (0..=99u32).prop_map(|n| format!("{n:02}")),
            1 => (0..=9u32).prop_map(|n| format!("+{n}")),
            1 => Just("-1".to_owned()),
        ]
    };
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    (
        "[A-Za-z]{3}",
        two(1, 28),
        prop_oneof![
            8 => prop::sample::select(months.to_vec()),
            1 => prop::sample::select(vec!["jan", "Foo", "DEC"]),
        ],
        prop_oneof![
            8 => (0..=9999u32).prop_map(|y| format!("{y:04}")),
            1 => (0..=999u32).prop_map(|y| format!("-{y:03}")),
            1 => (0..=999u32).prop_map(|y| format!("+{y:03}")),
            1 => Just("-+99".to_owned()),
        ],
        (two(0, 23), two(0, 59), two(0, 59)),
        prop_oneof![
            4 => Just(String::new()),
            2 => "[0-9]{1,3}".prop_map(|d| format!(".{d}")),
            1 => "[0-9+]{0,4}".prop_map(|d| format!(".{d}")),
        ],
        prop_oneof![6 => Just(" GMT"), 1 => Just(" UTC"), 1 => Just(" gmt"), 1 => Just(" GMT ")],
        prop_oneof![4 => Just(""), 1 => Just(" "), 1 => Just("\t"), 1 => Just("\r\n")],
        text_edit(),
    )
        .prop_map(
            |(weekday, day, month, year, (h, m, s), fraction, zone, pad, edit)| {
                edit.apply(format!(
                    "{pad}{weekday}, {day} {month} {year} {h}:{m}:{s}{fraction}{zone}{pad}"
                ))
            },
        )
}

/// Nothing, or one character replaced, inserted or removed.
#[derive(Debug, Clone)]
enum TextEdit {
    None,
    Replace(Index, char),
    Insert(Index, char),
    Remove(Index),
}

impl TextEdit {
    fn apply(&self, s: String) -> String {
        let mut chars: Vec<char> = s.chars().collect();
        match self {
            TextEdit::None => return s,
            TextEdit::Replace(i, c) => {
                let at = i.index(chars.len());
                chars[at] = *c;
            }
            TextEdit::Insert(i, c) => chars.insert(i.index(chars.len() + 1), *c),
            TextEdit::Remove(i) => {
                chars.remove(i.index(chars.len()));
            }
        }
        chars.into_iter().collect()
    }
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    let char = prop::sample::select(vec!['0', '9', '-', ':', '.', ' ', 'T', 'Z', '+', 'é']);
    prop_oneof![
        3 => Just(TextEdit::None),
        1 => (any::<Index>(), char.clone()).prop_map(|(i, c)| TextEdit::Replace(i, c)),
        1 => (any::<Index>(), char).prop_map(|(i, c)| TextEdit::Insert(i, c)),
        1 => any::<Index>().prop_map(TextEdit::Remove),
    ]
}

/// `secs` whole seconds after 1970 (before it when negative), plus `nanos`.
fn instant(secs: i64, nanos: u32) -> SystemTime {
    let whole = Duration::from_secs(secs.unsigned_abs());
    let at = if secs >= 0 {
        UNIX_EPOCH + whole
    } else {
        UNIX_EPOCH - whole
    };
    at + Duration::new(0, nanos)
}

/// What aws-smithy-types reads from `s` in `format`, as a `SystemTime`.
fn smithy(s: &str, format: aws_smithy_types::date_time::Format) -> Option<SystemTime> {
    aws_smithy_types::DateTime::from_str(s, format)
        .ok()
        .and_then(|d| SystemTime::try_from(d).ok())
}

proptest! {
    #![proptest_config(config(4096))]

    /// `core::timestamp` reads RFC 3339 exactly as aws-smithy-types does
    /// (with and without offsets), valid or not.
    #[test]
    fn rfc3339_is_read_as_aws_smithy_types_reads_it(s in rfc3339_like()) {
        use agentcore_console::core::timestamp::{Offsets, parse_rfc3339};
        use aws_smithy_types::date_time::Format;
        prop_assert_eq!(parse_rfc3339(&s, Offsets::Forbidden).ok(), smithy(&s, Format::DateTime));
        prop_assert_eq!(parse_rfc3339(&s, Offsets::Allowed).ok(), smithy(&s, Format::DateTimeWithOffset));
    }

    /// … and HTTP dates.
    #[test]
    fn http_dates_are_read_as_aws_smithy_types_reads_them(s in http_date_like()) {
        use agentcore_console::core::timestamp::parse_http_date;
        prop_assert_eq!(parse_http_date(&s), smithy(&s, aws_smithy_types::date_time::Format::HttpDate));
    }
}

proptest! {
    #![proptest_config(config(4096))]

    /// … and writes instants in RFC 3339 UTC as aws-smithy-types does,
    /// from before year 1 to after year 9999.
    #[test]
    fn instants_are_written_as_aws_smithy_types_writes_them(
        secs in -63_000_000_000i64..254_000_000_000i64,
        nanos in prop_oneof![Just(0u32), 0..1_000u32, (0..1_000_000u32).prop_map(|n| n * 1000), 0..1_000_000_000u32],
    ) {
        use agentcore_console::core::timestamp::format_rfc3339;
        use aws_smithy_types::date_time::Format;
        let t = instant(secs, nanos);
        prop_assert_eq!(
            format_rfc3339(t),
            aws_smithy_types::DateTime::from(t).fmt(Format::DateTime).ok()
        );
    }
}

/// Texts the generators (almost) never make: valid leap seconds, century
/// leap years, signed years, short and empty texts.
#[test]
fn timestamp_edge_cases_are_read_as_aws_smithy_types_reads_them() {
    use agentcore_console::core::timestamp::{Offsets, parse_http_date, parse_rfc3339};
    use aws_smithy_types::date_time::Format;
    let rfc3339 = [
        "1900-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "0000-01-01T00:59:60+01:00",
        "0000-02-29T00:00:00Z",
        "9999-12-31T23:59:60Z",
        "9999-12-31T23:59:60-01:00",
        "2016-12-31T23:59:60.5Z",
        "2016-06-30T23:59:60Z",
        "2016-06-30T23:59:60.000000000001Z",
        "2016-12-31T23:59:60+00:01",
        "1969-12-31T23:59:59.5Z",
        "1969-12-31T23:59:59.999999999Z",
        "1970-01-01T00:00:00-00:00",
        "",
        "2026-11-28",
        "2026-11-28T",
        "2026-11-28T21:31",
        "2026-11-28T21:31:42",
        "2026-11-28T21:31:42.Z",
        "2026-11-28T21:31:42+01",
        "2026-11-28T21:31:42+0100",
        "2026-11-28T21:31:42ZZ",
        "2026-11-28\u{e9}21:31:42Z",
        "+026-11-28T21:31:42Z",
        "2026-+1-28T21:31:42Z",
    ];
    for s in rfc3339 {
        assert_eq!(
            parse_rfc3339(s, Offsets::Forbidden).ok(),
            smithy(s, Format::DateTime),
            "{s}"
        );
        assert_eq!(
            parse_rfc3339(s, Offsets::Allowed).ok(),
            smithy(s, Format::DateTimeWithOffset),
            "{s}"
        );
    }
    let http = [
        "Sun, 29 Feb -004 00:00:00 GMT",
        "Sun, 29 Feb 1900 00:00:00 GMT",
        "Sun, 29 Feb 2000 00:00:00 GMT",
        "Sun, 29 Feb -100 00:00:00 GMT",
        "Sun, 01 Jan -000 00:00:00 GMT",
        "Sun, 31 Dec 1969 23:59:59.5 GMT",
        "Sun, 06 Nov 1994 08:49:60 GMT",
        "Sun, 06 Nov 1994 08:49:37. GMT",
        "Sun, 06 Nov 1994 08:49:37 abc GMT",
        "Sun, 06 Nov 1994 08:49:37",
        "",
        "\u{e9}un, 06 Nov 1994 08:49:37 GMT",
    ];
    for s in http {
        assert_eq!(parse_http_date(s), smithy(s, Format::HttpDate), "{s}");
    }
    // the first and last instants RFC 3339 can write, and their neighbours
    let edges = [
        (-62_135_596_800i64, 0u32),
        (-62_135_596_801, 0),
        (-62_135_596_801, 999_999_999),
        (253_402_300_799, 999_999_999),
        (253_402_300_800, 0),
        (-1, 500_000_000),
    ];
    for (secs, nanos) in edges {
        let t = instant(secs, nanos);
        assert_eq!(
            agentcore_console::core::timestamp::format_rfc3339(t),
            aws_smithy_types::DateTime::from(t)
                .fmt(Format::DateTime)
                .ok(),
            "{secs} s {nanos} ns"
        );
    }
}

/// The generators reach both answers often enough to mean something.
#[test]
fn timestamp_generators_reach_valid_and_invalid_texts() {
    use agentcore_console::core::timestamp::{Offsets, parse_http_date, parse_rfc3339};
    use proptest::strategy::ValueTree;
    let mut runner = deterministic_runner();
    let (mut rfc_ok, mut http_ok) = (0, 0);
    for _ in 0..2000 {
        let s = rfc3339_like().new_tree(&mut runner).unwrap().current();
        rfc_ok += usize::from(parse_rfc3339(&s, Offsets::Allowed).is_ok());
        let s = http_date_like().new_tree(&mut runner).unwrap().current();
        http_ok += usize::from(parse_http_date(&s).is_some());
    }
    assert!(
        (100..1900).contains(&rfc_ok),
        "{rfc_ok} of 2000 RFC 3339 texts valid"
    );
    assert!(
        (100..1900).contains(&http_ok),
        "{http_ok} of 2000 HTTP dates valid"
    );
}
