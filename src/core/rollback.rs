//! After an update: a runtime's endpoints and versions, and the two ways
//! back.
//!
//! Each UpdateAgentRuntime makes a new version. AgentCore moves the
//! `DEFAULT` endpoint to it; named endpoints stay on the version they were
//! pointed at until UpdateAgentRuntimeEndpoint moves them
//! (`PUT /runtimes/{agentRuntimeId}/runtime-endpoints/{endpointName}/`).
//! So there are two ways back from a version that misbehaves:
//!
//! - point an endpoint at an older version (instant: the version exists);
//! - restore an older version's configuration (GetAgentRuntime
//!   `?version=N`) and send it as an ordinary update, which makes a new
//!   version with that configuration.
//!
//! This module reads ListAgentRuntimeEndpoints' summaries into rows, says
//! which endpoints are behind the latest version, builds the
//! UpdateAgentRuntimeEndpoint input, and compares two versions with the
//! review's diff ([`super::diff`]).

use serde_json::{Map, Value};

use super::diff::{DiffRow, current_request, diff};
use super::flow::{FlowSpec, Status};
use super::model::{ServiceModel, Shape};
use super::response::text_member;

/// The endpoint AgentCore creates with every runtime and moves to each new
/// version by itself.
pub const DEFAULT_ENDPOINT: &str = "DEFAULT";
/// The endpoint's description, in its summary and in
/// UpdateAgentRuntimeEndpoint's input.
pub const DESCRIPTION_MEMBER: &str = "description";

/// One endpoint of a runtime, as the Endpoints panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRow {
    /// `name`.
    pub name: String,
    /// `liveVersion`: the version serving requests.
    pub live_version: String,
    /// `targetVersion`: the version it is moving to (the live one when still).
    pub target_version: String,
    /// `status`.
    pub status: Status,
    /// `description` (empty when none).
    pub description: String,
    /// Not on the runtime's latest version.
    pub behind: bool,
}

impl EndpointRow {
    /// Whether AgentCore moves this endpoint by itself (`DEFAULT`): it has
    /// no version to choose.
    pub fn follows_latest(&self) -> bool {
        self.name == DEFAULT_ENDPOINT
    }
}

/// The highest version number among `versions` (versions are counters:
/// "10" is after "9"); `None` when there is none.
pub fn latest_version<'a>(versions: impl IntoIterator<Item = &'a str>) -> Option<String> {
    versions
        .into_iter()
        .filter(|v| !v.is_empty())
        .max_by_key(|v| (v.parse::<u64>().unwrap_or(0), v.len(), v.to_string()))
        .map(str::to_owned)
}

/// ListAgentRuntimeEndpoints' summaries as rows, marking those not on
/// `latest` as behind (none when the latest version is unknown).
pub fn endpoint_rows(summaries: &[Value], latest: Option<&str>) -> Vec<EndpointRow> {
    summaries
        .iter()
        .map(|s| {
            let live_version = text_member(s, "liveVersion");
            EndpointRow {
                name: text_member(s, "name"),
                behind: latest.is_some_and(|l| live_version != l),
                live_version,
                target_version: text_member(s, "targetVersion"),
                status: Status::parse(&text_member(s, "status")),
                description: text_member(s, DESCRIPTION_MEMBER),
            }
        })
        .collect()
}

/// What the result offers after an update reached READY: each named
/// endpoint that is behind, with the version to point it to.
pub fn point_offers(rows: &[EndpointRow], latest: &str) -> Vec<(String, String)> {
    rows.iter()
        .filter(|r| r.behind && !r.follows_latest())
        .map(|r| (r.name.clone(), latest.to_owned()))
        .collect()
}

/// UpdateAgentRuntimeEndpoint's input pointing `endpoint` of `runtime_id`
/// at `version` (member names from the model). The description goes only
/// when the user edited it (`edited`, even back to the same text: that is
/// how to keep it if the service clears what the request leaves out).
pub fn point_input(
    spec: &FlowSpec,
    runtime_id: &str,
    endpoint: &str,
    version: &str,
    edited: Option<&str>,
) -> Value {
    let mut out = Map::new();
    let labels = spec.labels(&Value::Null);
    for (i, (name, _)) in labels.iter().enumerate() {
        let value = if i == 0 { runtime_id } else { endpoint };
        out.insert(name.clone(), Value::String(value.to_owned()));
    }
    out.insert(
        spec.write_version_member().to_owned(),
        Value::String(version.to_owned()),
    );
    if let Some(text) = edited {
        out.insert(
            DESCRIPTION_MEMBER.to_owned(),
            Value::String(text.to_owned()),
        );
    }
    Value::Object(out)
}

/// What changes from one version of a runtime to another: both
/// GetAgentRuntime outputs (`?version=`) compared as the review compares
/// the loaded configuration with the form (`older` is "now").
pub fn version_diff(
    model: &ServiceModel,
    input: &Shape,
    older: &Value,
    newer: &Value,
) -> Vec<DiffRow> {
    diff(
        model,
        input,
        &current_request(model, input, older),
        &current_request(model, input, newer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diff::Change;
    use crate::core::model::UPDATE_AGENT_RUNTIME;
    use serde_json::json;

    fn spec() -> FlowSpec<'static> {
        FlowSpec::update_agent_runtime_endpoint(ServiceModel::bundled())
    }

    fn summaries() -> Vec<Value> {
        vec![
            json!({"name": "DEFAULT", "liveVersion": "2", "targetVersion": "3", "status": "UPDATING"}),
            json!({"name": "prod", "liveVersion": "1", "targetVersion": "1", "status": "READY", "description": "production"}),
            json!({"name": "canary", "liveVersion": "3", "targetVersion": "3", "status": "READY"}),
        ]
    }

    #[test]
    fn the_latest_version_is_the_highest_number() {
        assert_eq!(latest_version(["1", "10", "9", "2"]).as_deref(), Some("10"));
        assert_eq!(latest_version([]), None);
    }

    #[test]
    fn endpoints_not_on_the_latest_version_are_behind() {
        let rows = endpoint_rows(&summaries(), Some("3"));
        let behind: Vec<_> = rows.iter().map(|r| (r.name.as_str(), r.behind)).collect();
        assert_eq!(
            behind,
            [("DEFAULT", true), ("prod", true), ("canary", false)]
        );
        assert!(rows[0].follows_latest() && !rows[1].follows_latest());
        assert_eq!(rows[0].status, Status::Updating);
        assert_eq!(rows[1].description, "production");
        assert!(endpoint_rows(&summaries(), None).iter().all(|r| !r.behind));
    }

    #[test]
    fn only_named_endpoints_behind_are_offered_a_move() {
        let rows = endpoint_rows(&summaries(), Some("3"));
        assert_eq!(
            point_offers(&rows, "3"),
            [("prod".to_owned(), "3".to_owned())]
        );
    }

    #[test]
    fn the_description_is_sent_only_when_edited() {
        let id = "a-1234567890";
        assert_eq!(
            point_input(&spec(), id, "prod", "2", None),
            json!({"agentRuntimeId": id, "endpointName": "prod", "agentRuntimeVersion": "2"})
        );
        assert_eq!(
            point_input(&spec(), id, "prod", "2", Some("prod v2")),
            json!({"agentRuntimeId": id, "endpointName": "prod", "agentRuntimeVersion": "2", "description": "prod v2"})
        );
    }

    #[test]
    fn two_versions_compare_like_the_review() {
        let model = ServiceModel::bundled();
        let input = model.input_of(UPDATE_AGENT_RUNTIME).unwrap();
        let base = json!({
            "agentRuntimeId": "a-1", "agentRuntimeVersion": "1", "status": "READY",
            "roleArn": "arn:aws:iam::123456789012:role/r",
            "networkConfiguration": {"networkMode": "PUBLIC"},
            "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"}},
            "description": "first",
            "environmentVariables": {"LOG_LEVEL": "info", "MODEL": "m"}
        });
        let mut newer = base.clone();
        newer["agentRuntimeVersion"] = json!("2");
        newer["agentRuntimeArtifact"]["containerConfiguration"]["containerUri"] =
            json!("123456789012.dkr.ecr.us-east-1.amazonaws.com/a:2");
        newer["environmentVariables"] = json!({"LOG_LEVEL": "debug"});
        newer.as_object_mut().unwrap().remove("description");
        let rows = version_diff(model, input, &base, &newer);
        let change = |p: &str| {
            rows.iter()
                .find(|r| r.path.to_string() == p)
                .map(|r| r.change)
        };
        assert_eq!(
            change("agentRuntimeArtifact.containerConfiguration.containerUri"),
            Some(Change::Changed)
        );
        assert_eq!(
            change("environmentVariables.LOG_LEVEL"),
            Some(Change::Changed)
        );
        assert_eq!(change("environmentVariables.MODEL"), Some(Change::Cleared));
        assert_eq!(change("description"), Some(Change::Cleared));
        assert_eq!(change("roleArn"), Some(Change::Unchanged));
        assert!(
            rows.iter()
                .all(|r| !r.path.to_string().starts_with("agentRuntimeVersion"))
        );
    }
}
