//! What an update changes. UpdateAgentRuntime replaces the runtime's whole
//! configuration, so every member set now and absent from the request is
//! **cleared**. The review compares the runtime's current configuration
//! (GetAgentRuntime's output, restricted to the request's members) with the
//! request about to be sent, member by member: structures are walked,
//! unions compared by chosen member, maps entry by entry (a row's path ends
//! in the entry's [`Segment::Key`](super::member_path::Segment::Key), rendered `environmentVariables.LOG_LEVEL`),
//! lists and scalars as whole values.

use serde_json::Value;

use super::draft::{self, from_request};
use super::member_path::MemberPath;
use super::model::{Location, ServiceModel, Shape, ShapeKind};

/// How one member differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Absent now, set by the request.
    Added,
    /// Set now, set to something else by the request.
    Changed,
    /// Same value.
    Unchanged,
    /// Set now, absent from the request: the update removes it.
    Cleared,
}

impl Change {
    /// The name used in `data-change`.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Unchanged => "unchanged",
            Change::Cleared => "cleared",
        }
    }
}

/// One row of the review.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffRow {
    /// Request path (a map entry by its key: [`MemberPath::map_key`]).
    pub path: MemberPath,
    /// What happens to it.
    pub change: Change,
    /// Value now.
    pub current: Option<Value>,
    /// Value after the update.
    pub proposed: Option<Value>,
    /// Whether the value is sensitive (masked unless revealed).
    pub sensitive: bool,
}

/// The request members of a runtime's current configuration (from
/// GetAgentRuntime's output): output-only members (ARN, status, …) and the
/// URI label are dropped.
pub fn current_request(model: &ServiceModel, input: &Shape, output: &Value) -> Value {
    let Value::Object(map) = output else {
        return Value::Object(Default::default());
    };
    let body: serde_json::Map<String, Value> = map
        .iter()
        .filter(|(k, _)| {
            input
                .members()
                .iter()
                .any(|m| &m.name == *k && m.location == Location::Body && !m.idempotency_token)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let (d, _) = from_request(model, input, &Value::Object(body));
    draft::to_request(model, input, &d).unwrap_or(Value::Object(Default::default()))
}

/// Compares the current configuration with the request (both typed
/// request documents). URI labels and idempotency tokens are not compared.
pub fn diff(
    model: &ServiceModel,
    input: &Shape,
    current: &Value,
    proposed: &Value,
) -> Vec<DiffRow> {
    let mut rows = Vec::new();
    for member in input.members() {
        if member.location != Location::Body || member.idempotency_token {
            continue;
        }
        let shape = model.shape(&member.shape);
        compare(
            model,
            shape,
            &MemberPath::root().member(&member.name),
            current.get(&member.name),
            proposed.get(&member.name),
            shape.sensitive,
            &mut rows,
        );
    }
    rows
}

fn compare(
    model: &ServiceModel,
    shape: &Shape,
    path: &MemberPath,
    current: Option<&Value>,
    proposed: Option<&Value>,
    sensitive: bool,
    rows: &mut Vec<DiffRow>,
) {
    let (current, proposed) = (
        current.filter(|v| !v.is_null()),
        proposed.filter(|v| !v.is_null()),
    );
    if current.is_none() && proposed.is_none() {
        return;
    }
    match (&shape.kind, current, proposed) {
        // Structures are walked; a union only when the same member is chosen
        // on both sides (otherwise the whole union is one changed row).
        (
            ShapeKind::Structure(members) | ShapeKind::Union(members),
            Some(Value::Object(a)),
            Some(Value::Object(b)),
        ) if matches!(shape.kind, ShapeKind::Structure(_))
            || (a.len() == 1 && a.keys().eq(b.keys())) =>
        {
            for m in members {
                let s = model.shape(&m.shape);
                compare(
                    model,
                    s,
                    &path.member(&m.name),
                    a.get(&m.name),
                    b.get(&m.name),
                    sensitive || s.sensitive,
                    rows,
                );
            }
        }
        (ShapeKind::Map { value, .. }, a, b)
            if a.is_none_or(Value::is_object) && b.is_none_or(Value::is_object) =>
        {
            let empty = serde_json::Map::new();
            let a = a.and_then(Value::as_object).unwrap_or(&empty);
            let b = b.and_then(Value::as_object).unwrap_or(&empty);
            let value_shape = model.shape(value);
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                compare(
                    model,
                    value_shape,
                    &path.key(key),
                    a.get(key),
                    b.get(key),
                    sensitive,
                    rows,
                );
            }
        }
        _ => {
            let change = match (current, proposed) {
                (None, Some(_)) => Change::Added,
                (Some(_), None) => Change::Cleared,
                (Some(a), Some(b)) if a == b => Change::Unchanged,
                _ => Change::Changed,
            };
            rows.push(DiffRow {
                path: path.clone(),
                change,
                current: current.cloned(),
                proposed: proposed.cloned(),
                sensitive,
            });
        }
    }
}

/// How many members the update clears.
pub fn cleared_count(rows: &[DiffRow]) -> usize {
    rows.iter().filter(|r| r.change == Change::Cleared).count()
}

/// Puts a member's current value back into the draft ("keep current
/// value"): a map entry is added back under its key; anything else is set
/// at its path.
pub fn keep_current(model: &ServiceModel, input: &Shape, draft_value: &mut Value, row: &DiffRow) {
    let Some(current) = &row.current else { return };
    if let Some(shape) = model.shape_at_path(input, &row.path) {
        let (value, _) = from_request(model, shape, current);
        draft::set(draft_value, &row.path, value);
    }
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

    fn row<'a>(rows: &'a [DiffRow], path: &str) -> &'a DiffRow {
        rows.iter()
            .find(|r| r.path.to_string() == path)
            .unwrap_or_else(|| panic!("no row {path}: {rows:?}"))
    }

    #[test]
    fn current_configuration_keeps_only_request_members() {
        let (model, shape) = input();
        let output = json!({"agentRuntimeArn": "arn", "status": "READY", "agentRuntimeId": "a-1", "roleArn": "r",
                            "environmentVariables": {"A": "1"}, "createdAt": "2026-01-01T00:00:00Z"});
        assert_eq!(
            current_request(model, shape, &output),
            json!({"roleArn": "r", "environmentVariables": {"A": "1"}})
        );
    }

    #[test]
    fn rows_say_added_changed_unchanged_and_cleared() {
        let (model, shape) = input();
        let current = json!({"roleArn": "r1", "description": "d", "environmentVariables": {"A": "1", "B": "2"},
                             "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": "u1"}},
                             "lifecycleConfiguration": {"maxLifetime": 600}});
        let proposed = json!({"roleArn": "r1", "environmentVariables": {"A": "9", "C": "3"},
                              "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": "u2"}},
                              "protocolConfiguration": {"serverProtocol": "HTTP"}});
        let rows = diff(model, shape, &current, &proposed);
        assert_eq!(row(&rows, "roleArn").change, Change::Unchanged);
        assert_eq!(row(&rows, "description").change, Change::Cleared);
        assert!(row(&rows, "description").sensitive);
        assert_eq!(row(&rows, "environmentVariables.A").change, Change::Changed);
        assert_eq!(row(&rows, "environmentVariables.B").change, Change::Cleared);
        assert_eq!(row(&rows, "environmentVariables.C").change, Change::Added);
        assert_eq!(
            row(
                &rows,
                "agentRuntimeArtifact.containerConfiguration.containerUri"
            )
            .change,
            Change::Changed
        );
        assert_eq!(row(&rows, "lifecycleConfiguration").change, Change::Cleared);
        assert_eq!(row(&rows, "protocolConfiguration").change, Change::Added);
        assert_eq!(cleared_count(&rows), 3);
    }

    #[test]
    fn a_different_union_member_is_one_changed_row() {
        let (model, shape) = input();
        let rows = diff(
            model,
            shape,
            &json!({"agentRuntimeArtifact": {"containerConfiguration": {"containerUri": "u"}}}),
            &json!({"agentRuntimeArtifact": {"codeConfiguration": {"runtime": "PYTHON_3_12"}}}),
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].path.to_string(), "agentRuntimeArtifact");
        assert_eq!(rows[0].change, Change::Changed);
    }

    #[test]
    fn keep_current_puts_map_entries_and_members_back() {
        let (model, shape) = input();
        let current = json!({"environmentVariables": {"A": "1", "B": "2"}, "description": "d", "lifecycleConfiguration": {"maxLifetime": 600}});
        let (mut d, _) = from_request(model, shape, &json!({"environmentVariables": {"A": "1"}}));
        let rows = diff(
            model,
            shape,
            &current,
            &draft::to_request(model, shape, &d).unwrap(),
        );
        for r in rows.iter().filter(|r| r.change == Change::Cleared) {
            keep_current(model, shape, &mut d, r);
        }
        assert_eq!(draft::to_request(model, shape, &d).unwrap(), current);
    }

    #[test]
    fn keys_with_dots_and_spaces_are_one_row_each_and_can_be_kept() {
        let (model, shape) = input();
        let current = json!({"environmentVariables": {"A.B": "1", "my key": "2", "A": "3"}});
        let (mut d, _) = from_request(model, shape, &json!({"environmentVariables": {"A": "3"}}));
        let rows = diff(
            model,
            shape,
            &current,
            &draft::to_request(model, shape, &d).unwrap(),
        );
        let env = MemberPath::root().member("environmentVariables");
        let dotted = rows.iter().find(|r| r.path == env.key("A.B")).unwrap();
        assert_eq!(dotted.change, Change::Cleared);
        assert_eq!(dotted.path.to_string(), "environmentVariables.A.B");
        assert_eq!(dotted.path.map_key(), Some("A.B"));
        let spaced = rows.iter().find(|r| r.path == env.key("my key")).unwrap();
        assert_eq!(spaced.change, Change::Cleared);
        keep_current(model, shape, &mut d, dotted);
        keep_current(model, shape, &mut d, spaced);
        assert_eq!(draft::to_request(model, shape, &d).unwrap(), current);
    }
}
