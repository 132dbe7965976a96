//! The draft: a request as the user is writing it, shaped by the model.
//!
//! A draft is a JSON tree that mirrors the input structure but keeps raw user
//! input: every scalar is the string the user typed (`"8080"`, `"true"`, `""`),
//! a structure is an object, a union an object holding only the chosen member,
//! a list an array, and a map an array of `{"key": …, "value": …}` entries (so
//! that keys can be edited, duplicated or empty while typing). Addresses in
//! a draft are [`MemberPath`]s: the form controls name map entries by
//! position (`environmentVariables.0.key`), a request names them by key
//! ([`Segment::Key`]); [`get`], [`set`] and [`remove`] accept both.
//!
//! [`to_request`] turns a draft into the typed JSON document of the
//! operation's input (the AWS CLI `--cli-input-json` shape) and [`from_request`]
//! goes back, listing everything it could not keep as it was written.
//!
//! "Set" follows the form: in a structure, an empty string or an empty
//! structure, list or map is left out; inside a list or map an empty string
//! is a value. A structure, union, list or map written explicitly empty in
//! imported JSON (`"networkConfiguration": {}`, `"subnets": []`) is kept
//! anyway, as set but incomplete: its structure lists its name under a
//! private mark (`$explicit`), so the request still carries it and validation
//! names what it lacks, as AWS would. The mark never leaves this module:
//! callers ask [`is_explicit`], [`is_set_at`] or [`member_is_set`].

use serde_json::{Map, Value};

use super::member_path::{MemberPath, Segment};
use super::model::{ServiceModel, Shape, ShapeKind};

/// Key of a map entry in a draft.
pub const MAP_KEY: &str = "key";
/// Value of a map entry in a draft.
pub const MAP_VALUE: &str = "value";
/// In a draft structure, the names of the members given explicitly empty
/// (`{}` or `[]`) by imported JSON; no model member name starts with `$`.
const EXPLICIT: &str = "$explicit";

/// A problem met while turning imported JSON into a draft: something that
/// was not imported as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportProblem {
    /// A member the model does not define; it is not imported.
    #[error("`{0}` is not a member of this request; it was not imported")]
    UnknownMember(MemberPath),
    /// A value of the wrong JSON type (e.g. a string where an object belongs).
    #[error("`{path}` should be {expected}; it was not imported")]
    WrongType {
        /// Member path.
        path: MemberPath,
        /// What the model expects there.
        expected: &'static str,
    },
    /// `null`, which the form cannot hold.
    #[error("`{0}` is null; it was not imported (the member is left unset)")]
    Null(MemberPath),
    /// An empty string where the form reads empty text as "unset".
    #[error(
        "`{0}` is an empty string; it was not imported (the form leaves empty text unset, so it is not sent)"
    )]
    EmptyText(MemberPath),
    /// A scalar of another JSON type, converted to the model's type.
    #[error("`{path}` is {found} in the JSON; it was imported as {kept}")]
    Converted {
        /// Member path.
        path: MemberPath,
        /// The JSON type written (`a number`, `text`, `true or false`).
        found: &'static str,
        /// What the form holds and sends instead.
        kept: String,
    },
}

/// The empty draft of a shape.
pub fn empty(shape: &Shape) -> Value {
    match shape.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => Value::Object(Map::new()),
        ShapeKind::List(_) | ShapeKind::Map { .. } => Value::Array(Vec::new()),
        _ => Value::String(String::new()),
    }
}

/// Whether a draft map entry has this key.
fn has_key(entry: &Value, key: &str) -> bool {
    entry.get(MAP_KEY).and_then(Value::as_str) == Some(key)
}

/// The position of the entry with this key among a draft map's entries:
/// the last one when a key repeats (the one a request keeps).
pub fn entry_position(entries: &[Value], key: &str) -> Option<usize> {
    entries.iter().rposition(|e| has_key(e, key))
}

/// One step down a draft.
fn step<'a>(node: &'a Value, segment: &Segment) -> Option<&'a Value> {
    match (node, segment) {
        (Value::Object(map), Segment::Member(name)) => map.get(name),
        (Value::Array(items), Segment::Index(i)) => items.get(*i),
        (Value::Array(entries), Segment::Key(key)) => {
            entries.get(entry_position(entries, key)?)?.get(MAP_VALUE)
        }
        _ => None,
    }
}

fn step_mut<'a>(node: &'a mut Value, segment: &Segment) -> Option<&'a mut Value> {
    match (node, segment) {
        (Value::Object(map), Segment::Member(name)) => map.get_mut(name),
        (Value::Array(items), Segment::Index(i)) => items.get_mut(*i),
        (Value::Array(entries), Segment::Key(key)) => {
            let at = entry_position(entries, key)?;
            entries.get_mut(at)?.get_mut(MAP_VALUE)
        }
        _ => None,
    }
}

/// The draft value at a member path, if present.
pub fn get<'a>(draft: &'a Value, path: &MemberPath) -> Option<&'a Value> {
    path.segments()
        .iter()
        .try_fold(draft, |node, segment| step(node, segment))
}

fn get_mut<'a>(draft: &'a mut Value, path: &MemberPath) -> Option<&'a mut Value> {
    path.segments()
        .iter()
        .try_fold(draft, |node, segment| step_mut(node, segment))
}

/// The string the user typed at a path (empty when absent).
pub fn get_text(draft: &Value, path: &MemberPath) -> String {
    match get(draft, path) {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// One step down a draft for writing: a missing member is created (as an
/// object, or an array when a position or key follows), a missing key as a
/// new entry; a missing list position is not.
fn step_or_create<'a>(
    node: &'a mut Value,
    segment: &Segment,
    next: Option<&Segment>,
) -> Option<&'a mut Value> {
    let placeholder = || match next {
        Some(Segment::Index(_) | Segment::Key(_)) => Value::Array(Vec::new()),
        _ => Value::Object(Map::new()),
    };
    match segment {
        Segment::Member(name) => {
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            let map = node.as_object_mut()?;
            Some(map.entry(name.clone()).or_insert_with(placeholder))
        }
        Segment::Index(i) => node.as_array_mut()?.get_mut(*i),
        Segment::Key(key) => {
            if !node.is_array() {
                *node = Value::Array(Vec::new());
            }
            let entries = node.as_array_mut()?;
            let at = match entry_position(entries, key) {
                Some(at) => at,
                None => {
                    entries.push(map_entry(key.clone(), placeholder()));
                    entries.len() - 1
                }
            };
            let entry = entries.get_mut(at)?.as_object_mut()?;
            Some(entry.entry(MAP_VALUE).or_insert_with(placeholder))
        }
    }
}

/// Sets the draft value at a member path, creating structures (and map
/// entries named by key) on the way. List positions must exist already; a
/// missing one is ignored.
pub fn set(draft: &mut Value, path: &MemberPath, value: Value) {
    let segments = path.segments();
    let mut node = draft;
    for (i, segment) in segments.iter().enumerate() {
        match step_or_create(node, segment, segments.get(i + 1)) {
            Some(next) => node = next,
            None => return,
        }
    }
    *node = value;
}

/// Removes the value at a path: a member from its structure (with its
/// explicit mark), an item from its list (later items move up by one), or
/// a map entry by key.
pub fn remove(draft: &mut Value, path: &MemberPath) {
    let Some(last) = path.last() else { return };
    match (get_mut(draft, &path.parent()), last) {
        (Some(Value::Object(map)), Segment::Member(name)) => {
            map.remove(name);
            unmark_explicit(map, name);
        }
        (Some(Value::Array(items)), Segment::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        (Some(Value::Array(entries)), Segment::Key(key)) => entries.retain(|e| !has_key(e, key)),
        _ => {}
    }
}

/// Appends an empty item (or map entry) to the list at `path`.
pub fn push_item(model: &ServiceModel, draft: &mut Value, path: &MemberPath, list_shape: &Shape) {
    let item = match &list_shape.kind {
        ShapeKind::List(item) => empty(model.shape(item)),
        ShapeKind::Map { value, .. } => map_entry(String::new(), empty(model.shape(value))),
        _ => return,
    };
    append(draft, path, item);
}

/// Appends an item (or map entry) to the list at `path`, creating the list.
pub fn append(draft: &mut Value, path: &MemberPath, item: Value) {
    match get_mut(draft, path) {
        Some(Value::Array(items)) => items.push(item),
        _ => set(draft, path, Value::Array(vec![item])),
    }
}

/// The part of a draft that the controls of one top-level member read: an
/// object holding only that member (and its explicit mark, see
/// [`is_explicit`]). Every path that starts at `name` reads the same in it as
/// in the whole draft ([`get`], [`get_text`], [`is_explicit`], [`is_set`]),
/// so a form can give each top-level member's controls its own slice and a
/// change elsewhere in the draft leaves them alone.
pub fn scope(draft: &Value, name: &str) -> Value {
    let mut map = Map::new();
    if let Some(value) = draft.get(name) {
        map.insert(name.to_owned(), value.clone());
    }
    if let Some(root) = draft.as_object()
        && is_explicit_member(root, name)
    {
        mark_explicit(&mut map, name);
    }
    Value::Object(map)
}

/// Whether `slice` is still [`scope`]`(draft, name)`, found without building
/// a new one (nothing is cloned).
pub fn is_scope_of(slice: &Value, draft: &Value, name: &str) -> bool {
    let explicit = |v: &Value| v.as_object().is_some_and(|m| is_explicit_member(m, name));
    slice.get(name) == draft.get(name) && explicit(slice) == explicit(draft)
}

/// Whether imported JSON gave the member at `path` explicitly empty (`{}`
/// or `[]`, kept as set); the form then shows it open, and offers to leave
/// it unset.
pub fn is_explicit(draft: &Value, path: &MemberPath) -> bool {
    match (get(draft, &path.parent()), path.last()) {
        (Some(Value::Object(map)), Some(Segment::Member(name))) => is_explicit_member(map, name),
        _ => false,
    }
}

/// Whether a structure's member is marked explicit and still there.
fn is_explicit_member(map: &Map<String, Value>, name: &str) -> bool {
    map.get(name).is_some_and(|v| !v.is_null())
        && map
            .get(EXPLICIT)
            .and_then(Value::as_array)
            .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(name)))
}

fn mark_explicit(map: &mut Map<String, Value>, name: &str) {
    let names = map
        .entry(EXPLICIT)
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(names) = names {
        names.push(Value::String(name.to_owned()));
    }
}

fn unmark_explicit(map: &mut Map<String, Value>, name: &str) {
    if let Some(Value::Array(names)) = map.get_mut(EXPLICIT) {
        names.retain(|n| n.as_str() != Some(name));
        if names.is_empty() {
            map.remove(EXPLICIT);
        }
    }
}

/// Parses `KEY=value` lines (as in a `.env` file) into map entries: blank
/// lines and `#` comments are skipped, an `export ` prefix is dropped, the
/// value is everything after the first `=`, and one pair of surrounding
/// quotes is removed. A line without `=` is an error naming its number.
pub fn parse_key_value_lines(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line
            .strip_prefix("export ")
            .map(str::trim_start)
            .unwrap_or(line);
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!(
                "Line {}: expected KEY=value, found “{}”.",
                number + 1,
                line.chars().take(60).collect::<String>()
            ));
        };
        let value = value.trim();
        let unquoted = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
            .unwrap_or(value);
        pairs.push((key.trim().to_owned(), unquoted.to_owned()));
    }
    Ok(pairs)
}

/// The key of a draft map entry (empty when it has none).
pub fn entry_key(entry: &Value) -> &str {
    entry
        .get(MAP_KEY)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The value of a draft map entry, if it has one.
pub fn entry_value(entry: &Value) -> Option<&Value> {
    entry.get(MAP_VALUE)
}

/// A map entry of a draft.
pub fn map_entry(key: String, value: Value) -> Value {
    let mut entry = Map::new();
    entry.insert(MAP_KEY.to_owned(), Value::String(key));
    entry.insert(MAP_VALUE.to_owned(), value);
    Value::Object(entry)
}

/// Whether a draft value counts as set inside a structure or union.
pub fn is_set(model: &ServiceModel, shape: &Shape, draft: Option<&Value>) -> bool {
    let Some(value) = draft else { return false };
    match (&shape.kind, value) {
        (ShapeKind::Structure(members), Value::Object(map)) => {
            members.iter().any(|m| member_is_set(model, map, m))
        }
        (ShapeKind::Union(_), Value::Object(map)) => !map.is_empty(),
        (ShapeKind::List(_) | ShapeKind::Map { .. }, Value::Array(items)) => !items.is_empty(),
        (_, Value::String(s)) => !s.is_empty(),
        (_, Value::Null) => false,
        // A value of the wrong kind is "set" so that validation reports it.
        _ => true,
    }
}

/// Whether the value at `path` (of shape `shape`) counts as set: by its
/// value, or because imported JSON gave it explicitly empty.
pub fn is_set_at(model: &ServiceModel, shape: &Shape, draft: &Value, path: &MemberPath) -> bool {
    is_explicit(draft, path) || is_set(model, shape, get(draft, path))
}

/// Whether a structure's member is set: by its value, or because imported
/// JSON gave it explicitly empty.
pub fn member_is_set(
    model: &ServiceModel,
    map: &Map<String, Value>,
    member: &super::model::Member,
) -> bool {
    is_explicit_member(map, &member.name)
        || is_set(model, model.shape(&member.shape), map.get(&member.name))
}

/// The typed request document of a draft (the `--cli-input-json` shape), or
/// `None` when nothing is set. Numbers and booleans that do not parse stay
/// strings, so a half-typed draft still exports what the user wrote.
pub fn to_request(model: &ServiceModel, shape: &Shape, draft: &Value) -> Option<Value> {
    if !is_set(model, shape, Some(draft)) {
        return None;
    }
    Some(typed(model, shape, draft))
}

/// Converts a draft value known to be present (set, or an item of a list or
/// map) to its typed JSON.
fn typed(model: &ServiceModel, shape: &Shape, draft: &Value) -> Value {
    match (&shape.kind, draft) {
        (ShapeKind::Structure(members), Value::Object(map)) => {
            let mut out = Map::new();
            for member in members {
                if let Some(value) = map.get(&member.name)
                    && member_is_set(model, map, member)
                {
                    out.insert(
                        member.name.clone(),
                        typed(model, model.shape(&member.shape), value),
                    );
                }
            }
            Value::Object(out)
        }
        (ShapeKind::Union(members), Value::Object(map)) => {
            let mut out = Map::new();
            for member in members {
                if let Some(value) = map.get(&member.name) {
                    let member_shape = model.shape(&member.shape);
                    // The chosen member is sent even when empty, so the
                    // service (and our validation) can name what it lacks.
                    if member_shape.is_scalar() && !is_set(model, member_shape, Some(value)) {
                        continue;
                    }
                    out.insert(member.name.clone(), typed(model, member_shape, value));
                }
            }
            Value::Object(out)
        }
        (ShapeKind::List(item), Value::Array(items)) => {
            let item_shape = model.shape(item);
            Value::Array(items.iter().map(|v| typed(model, item_shape, v)).collect())
        }
        (ShapeKind::Map { value, .. }, Value::Array(entries)) => {
            let value_shape = model.shape(value);
            let mut out = Map::new();
            for entry in entries {
                let key = entry_key(entry).to_owned();
                let v = entry_value(entry)
                    .map(|v| typed(model, value_shape, v))
                    .unwrap_or(Value::String(String::new()));
                out.insert(key, v);
            }
            Value::Object(out)
        }
        (ShapeKind::Integer | ShapeKind::Long, Value::String(s)) => match s.parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(s.clone()),
        },
        (ShapeKind::Double, Value::String(s)) => match super::decimal::parse_f64(s) {
            Some(n) => {
                serde_json::Number::from_f64(n).map_or(Value::String(s.clone()), Value::Number)
            }
            None => Value::String(s.clone()),
        },
        (ShapeKind::Boolean, Value::String(s)) => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(s.clone()),
        },
        (_, other) => other.clone(),
    }
}

/// Builds a draft from a typed request document (imported JSON, or a
/// runtime's current configuration). Whatever is not kept as written is
/// listed: unknown members, values of the wrong type, `null`s, empty text,
/// and scalars converted to the model's type. Structures, lists and maps
/// written explicitly empty are kept (see [`is_explicit`]).
pub fn from_request(
    model: &ServiceModel,
    shape: &Shape,
    json: &Value,
) -> (Value, Vec<ImportProblem>) {
    let mut problems = Vec::new();
    let draft = untyped(model, shape, json, &MemberPath::root(), &mut problems)
        .unwrap_or_else(|| empty(shape));
    (draft, problems)
}

/// What a JSON scalar is, in words.
fn json_kind(json: &Value) -> &'static str {
    match json {
        Value::Number(_) => "a number",
        Value::Bool(_) => "true or false",
        _ => "text",
    }
}

fn untyped(
    model: &ServiceModel,
    shape: &Shape,
    json: &Value,
    path: &MemberPath,
    problems: &mut Vec<ImportProblem>,
) -> Option<Value> {
    let wrong = |expected: &'static str, problems: &mut Vec<ImportProblem>| {
        problems.push(ImportProblem::WrongType {
            path: path.clone(),
            expected,
        });
        None
    };
    if json.is_null() {
        problems.push(ImportProblem::Null(path.clone()));
        return None;
    }
    match &shape.kind {
        ShapeKind::Structure(members) | ShapeKind::Union(members) => {
            let Value::Object(map) = json else {
                return wrong("an object", problems);
            };
            let is_structure = matches!(shape.kind, ShapeKind::Structure(_));
            let mut out = Map::new();
            for (name, value) in map {
                let member_path = path.member(name);
                let Some(member) = members.iter().find(|m| &m.name == name) else {
                    problems.push(ImportProblem::UnknownMember(member_path));
                    continue;
                };
                let member_shape = model.shape(&member.shape);
                if value.as_str() == Some("") {
                    problems.push(ImportProblem::EmptyText(member_path));
                    continue;
                }
                if let Some(v) = untyped(model, member_shape, value, &member_path, problems) {
                    // Written empty on purpose: kept, so that it is sent and
                    // validated rather than silently dropped.
                    if is_structure
                        && !member_shape.is_scalar()
                        && !is_set(model, member_shape, Some(&v))
                    {
                        mark_explicit(&mut out, name);
                    }
                    out.insert(name.clone(), v);
                }
            }
            Some(Value::Object(out))
        }
        ShapeKind::List(item) => {
            let Value::Array(items) = json else {
                return wrong("a list", problems);
            };
            let item_shape = model.shape(item);
            let converted = items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| untyped(model, item_shape, v, &path.index(i), problems))
                .collect();
            Some(Value::Array(converted))
        }
        ShapeKind::Map { value, .. } => {
            let Value::Object(map) = json else {
                return wrong("an object of keys and values", problems);
            };
            let value_shape = model.shape(value);
            let entries = map
                .iter()
                .filter_map(|(k, v)| {
                    untyped(model, value_shape, v, &path.key(k), problems)
                        .map(|v| map_entry(k.clone(), v))
                })
                .collect();
            Some(Value::Array(entries))
        }
        _ => {
            let text = match json {
                Value::String(s) => s.clone(),
                Value::Number(n) => super::json::number_text(n),
                Value::Bool(b) => b.to_string(),
                _ => return wrong("a single value", problems),
            };
            let converted = typed(model, shape, &Value::String(text.clone()));
            let changed = match (json, &converted) {
                (Value::String(_), Value::String(_)) => false,
                // Text the model's number or boolean cannot read stays text,
                // and validation names the member.
                (_, Value::String(_)) => shape_is_text(shape),
                (Value::Number(_), Value::Number(_)) | (Value::Bool(_), Value::Bool(_)) => false,
                _ => true,
            };
            if changed {
                problems.push(ImportProblem::Converted {
                    path: path.clone(),
                    found: json_kind(json),
                    kept: match &converted {
                        Value::String(s) => format!("the text “{s}”"),
                        other => {
                            format!("{} ({})", json_kind(other), super::json::to_string(other))
                        }
                    },
                });
            }
            Some(Value::String(text))
        }
    }
}

/// Whether a scalar shape is sent as a JSON string.
fn shape_is_text(shape: &Shape) -> bool {
    !matches!(
        shape.kind,
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::Double | ShapeKind::Boolean
    )
}

/// A copy of the draft with every `sensitive` value removed (for storage
/// and for exports where the user has not revealed them). Explicit marks
/// of the members kept stay.
pub fn without_sensitive(model: &ServiceModel, shape: &Shape, draft: &Value) -> Value {
    match (&shape.kind, draft) {
        (ShapeKind::Structure(members) | ShapeKind::Union(members), Value::Object(map)) => {
            let mut out = Map::new();
            for member in members {
                let member_shape = model.shape(&member.shape);
                if member_shape.sensitive {
                    continue;
                }
                if let Some(v) = map.get(&member.name) {
                    if is_explicit_member(map, &member.name) {
                        mark_explicit(&mut out, &member.name);
                    }
                    out.insert(
                        member.name.clone(),
                        without_sensitive(model, member_shape, v),
                    );
                }
            }
            Value::Object(out)
        }
        (ShapeKind::List(item), Value::Array(items)) => {
            let item_shape = model.shape(item);
            Value::Array(
                items
                    .iter()
                    .map(|v| without_sensitive(model, item_shape, v))
                    .collect(),
            )
        }
        (ShapeKind::Map { value, .. }, Value::Array(entries)) => {
            let value_shape = model.shape(value);
            Value::Array(
                entries
                    .iter()
                    .map(|e| {
                        let v = entry_value(e).cloned().unwrap_or(Value::Null);
                        map_entry(
                            entry_key(e).to_owned(),
                            without_sensitive(model, value_shape, &v),
                        )
                    })
                    .collect(),
            )
        }
        (_, other) => other.clone(),
    }
}

/// Member paths of every sensitive member a draft sets (e.g. `description`),
/// below `path`.
pub fn sensitive_paths(
    model: &ServiceModel,
    shape: &Shape,
    draft: &Value,
    path: &MemberPath,
) -> Vec<MemberPath> {
    let mut out = Vec::new();
    if let (ShapeKind::Structure(members) | ShapeKind::Union(members), Value::Object(map)) =
        (&shape.kind, draft)
    {
        for member in members {
            let member_shape = model.shape(&member.shape);
            let Some(v) = map.get(&member.name) else {
                continue;
            };
            let member_path = path.member(&member.name);
            if member_shape.sensitive {
                if member_is_set(model, map, member) {
                    out.push(member_path);
                }
            } else {
                out.extend(sensitive_paths(model, member_shape, v, &member_path));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::UPDATE_AGENT_RUNTIME;
    use serde_json::json;

    fn input() -> (&'static ServiceModel, &'static Shape) {
        let model = ServiceModel::bundled();
        (model, model.input_of(UPDATE_AGENT_RUNTIME).unwrap())
    }

    fn p(name: &str) -> MemberPath {
        MemberPath::from_control_name(name)
    }

    #[test]
    fn a_scope_reads_like_the_whole_draft_under_its_member() {
        let (model, shape) = input();
        let (mut draft, _) = from_request(
            model,
            shape,
            &json!({"description": "d", "environmentVariables": {"A": "1"},
                    "networkConfiguration": {}, "tags": {}}),
        );
        for name in [
            "description",
            "environmentVariables",
            "networkConfiguration",
            "roleArn",
        ] {
            let slice = scope(&draft, name);
            assert!(is_scope_of(&slice, &draft, name), "{name}");
            for path in [
                p(name),
                p(&format!("{name}.0.key")),
                p(&format!("{name}.networkMode")),
            ] {
                assert_eq!(get(&slice, &path), get(&draft, &path), "{path}");
                assert_eq!(
                    is_explicit(&slice, &path),
                    is_explicit(&draft, &path),
                    "{path}"
                );
            }
            let member = shape.members().iter().find(|m| m.name == name).unwrap();
            let member_shape = model.shape(&member.shape);
            assert_eq!(
                is_set(model, member_shape, get(&slice, &p(name))),
                is_set(model, member_shape, get(&draft, &p(name)))
            );
        }
        assert!(is_explicit(
            &scope(&draft, "networkConfiguration"),
            &p("networkConfiguration")
        ));
        assert_eq!(scope(&draft, "roleArn"), json!({}));
        // a change elsewhere keeps a scope; a change inside it (or to its
        // explicit mark) does not
        let slice = scope(&draft, "environmentVariables");
        let net = scope(&draft, "networkConfiguration");
        set(&mut draft, &p("description"), Value::String("e".into()));
        assert!(is_scope_of(&slice, &draft, "environmentVariables"));
        set(
            &mut draft,
            &p("environmentVariables.0.value"),
            Value::String("2".into()),
        );
        assert!(!is_scope_of(&slice, &draft, "environmentVariables"));
        remove(&mut draft, &p("networkConfiguration"));
        assert!(!is_scope_of(&net, &draft, "networkConfiguration"));
    }

    #[test]
    fn round_trip_keeps_every_kind_of_value() {
        let (model, shape) = input();
        let request = json!({
            "agentRuntimeId": "sample_agent-abcdefghij",
            "agentRuntimeArtifact": {"codeConfiguration": {
                "code": {"s3": {"bucket": "my-bucket", "prefix": "agent.zip"}},
                "runtime": "PYTHON_3_12", "entryPoint": ["main.py", "--fast"]}},
            "roleArn": "arn:aws:iam::123456789012:role/MyRole",
            "networkConfiguration": {"networkMode": "VPC", "networkModeConfig": {
                "securityGroups": ["sg-0123456789abcdef0"], "subnets": ["subnet-01234567"],
                "requireServiceS3Endpoint": false}},
            "environmentVariables": {"A": "1", "EMPTY": ""},
            "protocolConfiguration": {"serverProtocol": "HTTP", "port": 8080},
            "allowedPorts": [{"port": 9000}, {"portRange": {"from": 9100, "to": 9200}}]
        });
        let (draft, problems) = from_request(model, shape, &request);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(get_text(&draft, &p("environmentVariables.1.key")), "EMPTY");
        assert_eq!(get_text(&draft, &p("protocolConfiguration.port")), "8080");
        assert_eq!(
            get_text(
                &draft,
                &p("networkConfiguration.networkModeConfig.requireServiceS3Endpoint")
            ),
            "false"
        );
        assert_eq!(to_request(model, shape, &draft).unwrap(), request);
    }

    #[test]
    fn unknown_members_and_wrong_types_are_reported_not_dropped_silently() {
        let (model, shape) = input();
        let (draft, problems) = from_request(
            model,
            shape,
            &json!({"roleArn": "x", "bogus": 1, "lifecycleConfiguration": {"maxLifetime": 60, "extra": true},
                    "environmentVariables": "A=1"}),
        );
        assert_eq!(get_text(&draft, &p("roleArn")), "x");
        assert!(problems.contains(&ImportProblem::UnknownMember(p("bogus"))));
        assert!(problems.contains(&ImportProblem::UnknownMember(p(
            "lifecycleConfiguration.extra"
        ))));
        assert!(problems.iter().any(
            |e| matches!(e, ImportProblem::WrongType { path, .. } if *path == p("environmentVariables"))
        ));
    }

    #[test]
    fn empty_strings_and_empty_structures_are_left_out() {
        let (model, shape) = input();
        let draft = json!({"roleArn": "", "description": "d", "networkConfiguration": {"networkMode": ""},
                           "lifecycleConfiguration": {}, "allowedPorts": []});
        assert_eq!(
            to_request(model, shape, &draft).unwrap(),
            json!({"description": "d"})
        );
    }

    #[test]
    fn a_chosen_union_member_is_sent_even_when_empty() {
        let (model, shape) = input();
        let draft = json!({"agentRuntimeArtifact": {"containerConfiguration": {}}});
        assert_eq!(
            to_request(model, shape, &draft).unwrap(),
            json!({"agentRuntimeArtifact": {"containerConfiguration": {}}})
        );
    }

    #[test]
    fn set_get_remove_and_push_follow_member_paths() {
        let (model, shape) = input();
        let mut draft = empty(shape);
        set(
            &mut draft,
            &p("agentRuntimeArtifact.containerConfiguration.containerUri"),
            json!("u"),
        );
        assert_eq!(
            get_text(
                &draft,
                &p("agentRuntimeArtifact.containerConfiguration.containerUri")
            ),
            "u"
        );
        let env = model
            .shape_at_path(shape, &p("environmentVariables"))
            .unwrap();
        push_item(model, &mut draft, &p("environmentVariables"), env);
        push_item(model, &mut draft, &p("environmentVariables"), env);
        set(&mut draft, &p("environmentVariables.1.key"), json!("B"));
        remove(&mut draft, &p("environmentVariables.0"));
        assert_eq!(get_text(&draft, &p("environmentVariables.0.key")), "B");
        assert!(get(&draft, &p("environmentVariables.1")).is_none());
    }

    #[test]
    fn key_value_lines_parse_like_env_files() {
        let pairs = parse_key_value_lines("# c\nexport A=1\n\nB = \"x=y\"\nC=").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("A".into(), "1".into()),
                ("B".into(), "x=y".into()),
                ("C".into(), "".into())
            ]
        );
        assert!(
            parse_key_value_lines("A=1\nnot a pair")
                .unwrap_err()
                .starts_with("Line 2")
        );
    }

    #[test]
    fn sensitive_members_are_stripped_for_storage() {
        let (model, shape) = input();
        let draft = json!({"roleArn": "r", "description": "secret", "environmentVariables": [{"key": "K", "value": "V"}]});
        assert_eq!(
            without_sensitive(model, shape, &draft),
            json!({"roleArn": "r"})
        );
        assert_eq!(
            sensitive_paths(model, shape, &draft, &MemberPath::root()),
            vec![p("description"), p("environmentVariables")]
        );
    }

    fn env(key: &str) -> MemberPath {
        MemberPath::root().member("environmentVariables").key(key)
    }

    #[test]
    fn map_keys_with_dots_and_spaces_are_addressed_whole() {
        let (model, shape) = input();
        let (mut draft, problems) = from_request(
            model,
            shape,
            &json!({"environmentVariables": {"A": "1", "A.B": "2", "my key": "3"}}),
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(get_text(&draft, &env("A.B")), "2");
        assert_eq!(get_text(&draft, &env("my key")), "3");
        assert_eq!(get_text(&draft, &env("A")), "1");
        set(&mut draft, &env("A.B"), json!("20"));
        set(&mut draft, &env("new.key"), json!("4"));
        remove(&mut draft, &env("my key"));
        assert_eq!(
            to_request(model, shape, &draft).unwrap(),
            json!({"environmentVariables": {"A": "1", "A.B": "20", "new.key": "4"}})
        );
    }

    #[test]
    fn explicit_empty_structures_lists_and_maps_are_kept_as_set() {
        let (model, shape) = input();
        let request = json!({"networkConfiguration": {}, "allowedPorts": [],
                             "environmentVariables": {}, "authorizerConfiguration": {},
                             "lifecycleConfiguration": {"maxLifetime": 600}});
        let (draft, problems) = from_request(model, shape, &request);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(is_explicit(&draft, &p("networkConfiguration")));
        assert!(is_explicit(&draft, &p("allowedPorts")));
        assert!(!is_explicit(&draft, &p("lifecycleConfiguration")));
        // Set although empty, as the form reads it; set by value alike.
        let set_at = |d: &Value, name: &str| {
            let member_shape = model.shape_at_path(shape, &p(name)).unwrap();
            is_set_at(model, member_shape, d, &p(name))
        };
        assert!(set_at(&draft, "networkConfiguration"));
        assert!(set_at(&draft, "lifecycleConfiguration"));
        assert!(!set_at(&draft, "protocolConfiguration"));
        assert_eq!(to_request(model, shape, &draft).unwrap(), request);
        // The stored draft keeps them too (what a reload restores).
        let stored = without_sensitive(model, shape, &draft);
        let restored = from_request(model, shape, &to_request(model, shape, &stored).unwrap()).0;
        assert!(is_explicit(&restored, &p("networkConfiguration")));
        // "Leave unset" removes the member and its mark.
        let mut d = draft.clone();
        remove(&mut d, &p("networkConfiguration"));
        remove(&mut d, &p("allowedPorts"));
        assert!(!set_at(&d, "networkConfiguration"));
        assert_eq!(
            to_request(model, shape, &d).unwrap(),
            json!({"environmentVariables": {}, "authorizerConfiguration": {},
                   "lifecycleConfiguration": {"maxLifetime": 600}})
        );
    }

    #[test]
    fn nothing_imported_is_dropped_or_converted_without_a_problem() {
        let (model, shape) = input();
        let (draft, problems) = from_request(
            model,
            shape,
            &json!({"roleArn": "", "description": null, "platformVersion": 5,
                    "protocolConfiguration": {"serverProtocol": "HTTP", "port": "8080"},
                    "environmentVariables": {"A": null, "B": "2"},
                    "agentRuntimeArtifact": {"codeConfiguration": {"entryPoint": ["a", null]}}}),
        );
        assert_eq!(
            problems,
            vec![
                ImportProblem::Null(p("agentRuntimeArtifact.codeConfiguration.entryPoint.1")),
                ImportProblem::Null(p("description")),
                ImportProblem::Null(env("A")),
                ImportProblem::Converted {
                    path: p("platformVersion"),
                    found: "a number",
                    kept: "the text “5”".into()
                },
                ImportProblem::Converted {
                    path: p("protocolConfiguration.port"),
                    found: "text",
                    kept: "a number (8080)".into()
                },
                ImportProblem::EmptyText(p("roleArn")),
            ]
        );
        assert_eq!(get_text(&draft, &env("B")), "2");
        assert_eq!(
            ImportProblem::Null(env("A")).to_string(),
            "`environmentVariables.A` is null; it was not imported (the member is left unset)"
        );
    }
}
