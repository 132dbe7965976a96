//! The draft: a request as the user is writing it, shaped by the model.
//!
//! A draft is a JSON tree that mirrors the input structure but keeps raw user
//! input: every scalar is the string the user typed (`"8080"`, `"true"`, `""`),
//! a structure is an object, a union an object holding only the chosen member,
//! a list an array, and a map an array of `{"key": …, "value": …}` entries (so
//! that keys can be edited, duplicated or empty while typing). Addresses in
//! a draft are member paths (`environmentVariables.0.key`), the same names the
//! form controls carry.
//!
//! [`to_request`] turns a draft into the typed JSON document of the
//! operation's input (the AWS CLI `--cli-input-json` shape) and [`from_request`]
//! goes back, reporting members the model does not know.
//!
//! "Set" follows the AWS SDKs: in a structure, an empty string or an empty
//! structure is left out; inside a list or map an empty string is a value.

use serde_json::{Map, Value};

use super::model::{ServiceModel, Shape, ShapeKind};

/// Key of a map entry in a draft.
pub const MAP_KEY: &str = "key";
/// Value of a map entry in a draft.
pub const MAP_VALUE: &str = "value";

/// A problem met while turning imported JSON into a draft.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportProblem {
    /// A member the model does not define; it is not imported.
    #[error("`{0}` is not a member of this request; it was not imported")]
    UnknownMember(String),
    /// A value of the wrong JSON type (e.g. a string where an object belongs).
    #[error("`{path}` should be {expected}; it was not imported")]
    WrongType {
        /// Member path.
        path: String,
        /// What the model expects there.
        expected: &'static str,
    },
}

/// Joins a member path and one more segment.
pub fn child_path(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_owned()
    } else {
        format!("{path}.{segment}")
    }
}

/// The empty draft of a shape.
pub fn empty(shape: &Shape) -> Value {
    match shape.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => Value::Object(Map::new()),
        ShapeKind::List(_) | ShapeKind::Map { .. } => Value::Array(Vec::new()),
        _ => Value::String(String::new()),
    }
}

/// The draft value at a member path, if present.
pub fn get<'a>(draft: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = draft;
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        node = match node {
            Value::Object(map) => map.get(segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The string the user typed at a path (empty when absent).
pub fn get_text(draft: &Value, path: &str) -> String {
    match get(draft, path) {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Sets the draft value at a member path, creating objects on the way.
/// List and map positions must exist already; a missing one is ignored.
pub fn set(draft: &mut Value, path: &str, value: Value) {
    let segments: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
    let Some((last, parents)) = segments.split_last() else {
        *draft = value;
        return;
    };
    let mut node = draft;
    for segment in parents {
        node = match node {
            Value::Object(map) => map
                .entry((*segment).to_owned())
                .or_insert_with(|| Value::Object(Map::new())),
            Value::Array(items) => {
                match segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(item) => item,
                    None => return,
                }
            }
            other => {
                *other = Value::Object(Map::new());
                match other {
                    Value::Object(map) => map
                        .entry((*segment).to_owned())
                        .or_insert_with(|| Value::Object(Map::new())),
                    _ => return,
                }
            }
        };
    }
    match node {
        Value::Object(map) => {
            map.insert((*last).to_owned(), value);
        }
        Value::Array(items) => {
            if let Some(slot) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *slot = value;
            }
        }
        other => {
            let mut map = Map::new();
            map.insert((*last).to_owned(), value);
            *other = Value::Object(map);
        }
    }
}

/// Removes the value at a path: a member from its structure, or an item
/// from its list (later items move up by one).
pub fn remove(draft: &mut Value, path: &str) {
    let (parent_path, last) = match path.rsplit_once('.') {
        Some((parent, last)) => (parent, last),
        None => ("", path),
    };
    let parent = if parent_path.is_empty() {
        Some(draft)
    } else {
        get_mut(draft, parent_path)
    };
    match parent {
        Some(Value::Object(map)) => {
            map.remove(last);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = last.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(draft: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut node = draft;
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        node = match node {
            Value::Object(map) => map.get_mut(segment)?,
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Appends an empty item (or map entry) to the list at `path`.
pub fn push_item(model: &ServiceModel, draft: &mut Value, path: &str, list_shape: &Shape) {
    let item = match &list_shape.kind {
        ShapeKind::List(item) => empty(model.shape(item)),
        ShapeKind::Map { value, .. } => map_entry(String::new(), empty(model.shape(value))),
        _ => return,
    };
    append(draft, path, item);
}

/// Appends an item (or map entry) to the list at `path`, creating the list.
pub fn append(draft: &mut Value, path: &str, item: Value) {
    match get_mut(draft, path) {
        Some(Value::Array(items)) => items.push(item),
        _ => set(draft, path, Value::Array(vec![item])),
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
        (ShapeKind::Structure(members), Value::Object(map)) => members
            .iter()
            .any(|m| is_set(model, model.shape(&m.shape), map.get(&m.name))),
        (ShapeKind::Union(_), Value::Object(map)) => !map.is_empty(),
        (ShapeKind::List(_) | ShapeKind::Map { .. }, Value::Array(items)) => !items.is_empty(),
        (_, Value::String(s)) => !s.is_empty(),
        (_, Value::Null) => false,
        // A value of the wrong kind is "set" so that validation reports it.
        _ => true,
    }
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
                let member_shape = model.shape(&member.shape);
                if let Some(value) = map.get(&member.name)
                    && is_set(model, member_shape, Some(value))
                {
                    out.insert(member.name.clone(), typed(model, member_shape, value));
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
                let key = get_text(entry, MAP_KEY);
                let v = entry
                    .get(MAP_VALUE)
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
        (ShapeKind::Double, Value::String(s)) => match s.parse::<f64>() {
            Ok(n) => {
                serde_json::Number::from_f64(n).map_or(Value::String(s.clone()), Value::Number)
            }
            Err(_) => Value::String(s.clone()),
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
/// runtime's current configuration). Unknown members and values of the wrong
/// type are reported, never silently dropped.
pub fn from_request(
    model: &ServiceModel,
    shape: &Shape,
    json: &Value,
) -> (Value, Vec<ImportProblem>) {
    let mut problems = Vec::new();
    let draft = untyped(model, shape, json, "", &mut problems).unwrap_or_else(|| empty(shape));
    (draft, problems)
}

fn untyped(
    model: &ServiceModel,
    shape: &Shape,
    json: &Value,
    path: &str,
    problems: &mut Vec<ImportProblem>,
) -> Option<Value> {
    let wrong = |expected: &'static str, problems: &mut Vec<ImportProblem>| {
        problems.push(ImportProblem::WrongType {
            path: path.to_owned(),
            expected,
        });
        None
    };
    match &shape.kind {
        ShapeKind::Structure(members) | ShapeKind::Union(members) => {
            let Value::Object(map) = json else {
                return wrong("an object", problems);
            };
            let mut out = Map::new();
            for (name, value) in map {
                let member_path = child_path(path, name);
                match members.iter().find(|m| &m.name == name) {
                    Some(member) if !value.is_null() => {
                        if let Some(v) = untyped(
                            model,
                            model.shape(&member.shape),
                            value,
                            &member_path,
                            problems,
                        ) {
                            out.insert(name.clone(), v);
                        }
                    }
                    Some(_) => {}
                    None => problems.push(ImportProblem::UnknownMember(member_path)),
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
                .filter_map(|(i, v)| {
                    untyped(
                        model,
                        item_shape,
                        v,
                        &child_path(path, &i.to_string()),
                        problems,
                    )
                })
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
                .enumerate()
                .filter_map(|(i, (k, v))| {
                    let entry_path = child_path(path, &format!("{i}.{MAP_VALUE}"));
                    untyped(model, value_shape, v, &entry_path, problems)
                        .map(|v| map_entry(k.clone(), v))
                })
                .collect();
            Some(Value::Array(entries))
        }
        _ => match json {
            Value::String(s) => Some(Value::String(s.clone())),
            Value::Number(n) => Some(Value::String(n.to_string())),
            Value::Bool(b) => Some(Value::String(b.to_string())),
            Value::Null => None,
            _ => wrong("a single value", problems),
        },
    }
}

/// A copy of the draft with every `sensitive` value removed (for storage
/// and for exports where the user has not revealed them).
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
                        let v = e.get(MAP_VALUE).cloned().unwrap_or(Value::Null);
                        map_entry(
                            get_text(e, MAP_KEY),
                            without_sensitive(model, value_shape, &v),
                        )
                    })
                    .collect(),
            )
        }
        (_, other) => other.clone(),
    }
}

/// Member paths of every sensitive member a draft sets (e.g. `description`).
pub fn sensitive_paths(
    model: &ServiceModel,
    shape: &Shape,
    draft: &Value,
    path: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    if let (ShapeKind::Structure(members) | ShapeKind::Union(members), Value::Object(map)) =
        (&shape.kind, draft)
    {
        for member in members {
            let member_shape = model.shape(&member.shape);
            let Some(v) = map.get(&member.name) else {
                continue;
            };
            let member_path = child_path(path, &member.name);
            if member_shape.sensitive {
                if is_set(model, member_shape, Some(v)) {
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
        assert_eq!(get_text(&draft, "environmentVariables.1.key"), "EMPTY");
        assert_eq!(get_text(&draft, "protocolConfiguration.port"), "8080");
        assert_eq!(
            get_text(
                &draft,
                "networkConfiguration.networkModeConfig.requireServiceS3Endpoint"
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
        assert_eq!(get_text(&draft, "roleArn"), "x");
        assert!(problems.contains(&ImportProblem::UnknownMember("bogus".into())));
        assert!(problems.contains(&ImportProblem::UnknownMember(
            "lifecycleConfiguration.extra".into()
        )));
        assert!(problems.iter().any(
            |p| matches!(p, ImportProblem::WrongType { path, .. } if path == "environmentVariables")
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
            "agentRuntimeArtifact.containerConfiguration.containerUri",
            json!("u"),
        );
        assert_eq!(
            get_text(
                &draft,
                "agentRuntimeArtifact.containerConfiguration.containerUri"
            ),
            "u"
        );
        let env = model.shape_at_path(shape, "environmentVariables").unwrap();
        push_item(model, &mut draft, "environmentVariables", env);
        push_item(model, &mut draft, "environmentVariables", env);
        set(&mut draft, "environmentVariables.1.key", json!("B"));
        remove(&mut draft, "environmentVariables.0");
        assert_eq!(get_text(&draft, "environmentVariables.0.key"), "B");
        assert!(get(&draft, "environmentVariables.1").is_none());
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
            sensitive_paths(model, shape, &draft, ""),
            vec!["description", "environmentVariables"]
        );
    }
}
