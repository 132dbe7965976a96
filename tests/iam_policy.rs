//! deploy/iam-policy.json grants exactly the operations the console signs
//! (the control plane's and, for "Try the agent", the data plane's):
//! those of the vendored service model (model/bedrock-agentcore-control.json
//! holds only the operations the console uses, see scripts/refresh-model.py),
//! plus `iam:PassRole` for UpdateAgentRuntime's `roleArn`, and only towards
//! AgentCore.

use std::collections::BTreeSet;

use serde_json::Value;

/// The vendored data-plane model (InvokeAgentRuntime).
const DATA_PLANE: &str = "model/bedrock-agentcore.json";

fn read(path: &str) -> Value {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// A statement's `Action` (a string or a list) as a list.
fn actions(statement: &Value) -> Vec<String> {
    match &statement["Action"] {
        Value::String(a) => vec![a.clone()],
        Value::Array(list) => list
            .iter()
            .map(|a| a.as_str().expect("an action is a string").to_owned())
            .collect(),
        other => panic!("Action must be a string or a list: {other}"),
    }
}

/// `bedrock-agentcore:<Operation>` for every operation of the vendored
/// signed models: the control plane's and the data plane's
/// (InvokeAgentRuntime). IAM Identity Center's are unsigned: no action.
fn signed_actions() -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for path in ["model/bedrock-agentcore-control.json", DATA_PLANE] {
        let model = read(path);
        // IAM's service prefix is the SigV4 signing name
        let prefix = model["metadata"]["signingName"].as_str().unwrap();
        assert_eq!(prefix, "bedrock-agentcore");
        let operations = model["operations"].as_object().unwrap();
        assert!(!operations.is_empty());
        all.extend(operations.keys().map(|op| format!("{prefix}:{op}")));
    }
    all
}

fn policy() -> Value {
    read("deploy/iam-policy.json")
}

#[test]
fn the_policy_grants_exactly_the_operations_the_console_signs() {
    let policy = policy();
    assert_eq!(policy["Version"], "2012-10-17");
    let mut granted = BTreeSet::new();
    for statement in policy["Statement"].as_array().unwrap() {
        assert_eq!(statement["Effect"], "Allow", "{statement}");
        assert!(statement.get("NotAction").is_none() && statement.get("NotResource").is_none());
        for action in actions(statement) {
            assert!(!action.contains('*'), "no wildcard actions: {action}");
            if action != "iam:PassRole" {
                assert!(granted.insert(action.clone()), "{action} granted twice");
            }
        }
    }
    let signed = signed_actions();
    let missing: Vec<_> = signed.difference(&granted).collect();
    let extra: Vec<_> = granted.difference(&signed).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "deploy/iam-policy.json lacks {missing:?} and grants more than the console signs: {extra:?}"
    );
}

#[test]
fn pass_role_is_granted_only_towards_agentcore() {
    let policy = policy();
    let pass: Vec<&Value> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| actions(s).iter().any(|a| a == "iam:PassRole"))
        .collect();
    assert_eq!(pass.len(), 1, "one statement grants iam:PassRole");
    let statement = pass[0];
    assert_eq!(
        actions(statement),
        ["iam:PassRole"],
        "PassRole stands alone"
    );
    assert_eq!(
        statement["Condition"],
        serde_json::json!({"StringEquals": {"iam:PassedToService": "bedrock-agentcore.amazonaws.com"}})
    );
    // the update operation is the one that passes a role
    let model = read("model/bedrock-agentcore-control.json");
    let input = model["operations"]["UpdateAgentRuntime"]["input"]["shape"]
        .as_str()
        .unwrap();
    assert!(model["shapes"][input]["members"].get("roleArn").is_some());
}

#[test]
fn runtime_operations_are_limited_to_runtime_resources() {
    for statement in policy()["Statement"].as_array().unwrap() {
        let acts = actions(statement);
        let resource = statement["Resource"].as_str().unwrap();
        if acts
            .iter()
            .all(|a| a == "bedrock-agentcore:ListAgentRuntimes")
        {
            // listing has no resource to name
            assert_eq!(resource, "*");
        } else if acts.iter().all(|a| a.starts_with("bedrock-agentcore:")) {
            assert_eq!(resource, "arn:aws:bedrock-agentcore:*:*:runtime/*");
        } else {
            assert_eq!(resource, "arn:aws:iam::*:role/*");
        }
    }
}
