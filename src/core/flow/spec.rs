//! What a flow needs to know about its operations, read from the service
//! model: the write and the read that checks and follows it (Smithy
//! `httpLabel` bindings tie them together), the members that name the
//! resource, its status, its version and why it failed.

use serde_json::{Map, Value};

use super::status::Status;
use crate::core::diff::current_request;
use crate::core::model::{
    GET_AGENT_RUNTIME, GET_AGENT_RUNTIME_ENDPOINT, Location, Member, ServiceModel, Shape,
    ShapeKind, UPDATE_AGENT_RUNTIME, UPDATE_AGENT_RUNTIME_ENDPOINT,
};
use crate::core::response::text_member;

/// The check output's member saying why an update failed (runtimes and
/// endpoints alike): no trait marks it, so it is named here and checked
/// against the model by a host test.
pub const FAILURE_REASON_MEMBER: &str = "failureReason";

/// The operations a flow uses, read from the model.
#[derive(Debug, Clone, Copy)]
pub struct FlowSpec<'a> {
    /// The service model.
    pub model: &'a ServiceModel,
    /// The write (e.g. UpdateAgentRuntime).
    pub write: &'a str,
    /// The read used for the pre-flight and for following (e.g.
    /// GetAgentRuntime); its input is the write's URI labels.
    pub check: &'a str,
    /// Confirm every write, naming the version move it makes
    /// (UpdateAgentRuntimeEndpoint), even when nothing else asks for it.
    pub always_confirm: bool,
    /// The member of the check's (and the write's) output holding the
    /// version the resource is on: `agentRuntimeVersion`, or an endpoint's
    /// `liveVersion` (the model gives `targetVersion` the same shape, so it
    /// cannot say which; a host test checks the name against it).
    pub version: &'a str,
}

impl<'a> FlowSpec<'a> {
    /// Updating a runtime: UpdateAgentRuntime, checked and followed with
    /// GetAgentRuntime.
    pub fn update_agent_runtime(model: &'a ServiceModel) -> Self {
        Self {
            model,
            write: UPDATE_AGENT_RUNTIME,
            check: GET_AGENT_RUNTIME,
            always_confirm: false,
            version: "agentRuntimeVersion",
        }
    }

    /// Pointing an endpoint: UpdateAgentRuntimeEndpoint, checked and followed
    /// with GetAgentRuntimeEndpoint, always confirmed.
    pub fn update_agent_runtime_endpoint(model: &'a ServiceModel) -> Self {
        Self {
            model,
            write: UPDATE_AGENT_RUNTIME_ENDPOINT,
            check: GET_AGENT_RUNTIME_ENDPOINT,
            always_confirm: true,
            version: "liveVersion",
        }
    }

    /// A form over `operation`'s input, with no check or follow: "Try the
    /// agent" edits InvokeAgentRuntime's input with the same form engine.
    pub fn form_of(model: &'a ServiceModel, operation: &'a str) -> Self {
        Self {
            model,
            write: operation,
            check: operation,
            always_confirm: false,
            version: "",
        }
    }

    /// The write's input structure (what its form edits).
    pub fn input(&self) -> &'a Shape {
        self.model.input_of(self.write).unwrap_or_else(|e| {
            panic!("{e} (a flow's write operation is in the model: checked by a host test)")
        })
    }

    fn write_members(&self) -> &'a [Member] {
        self.model
            .input_of(self.write)
            .map(Shape::members)
            .unwrap_or_default()
    }

    /// The check operation's input for a write input: the check input's URI
    /// labels, taken from the write input.
    pub fn check_input(&self, write_input: &Value) -> Value {
        let mut out = Map::new();
        if let Ok(shape) = self.model.input_of(self.check) {
            for m in shape.members() {
                if m.location == Location::Uri
                    && let Some(v) = write_input.get(&m.name)
                {
                    out.insert(m.name.clone(), v.clone());
                }
            }
        }
        Value::Object(out)
    }

    /// The write's first URI label: the member that names the resource
    /// (`agentRuntimeId`).
    pub fn id_member(&self) -> &'a str {
        self.write_members()
            .iter()
            .find(|m| m.location == Location::Uri)
            .map(|m| m.name.as_str())
            .unwrap_or_default()
    }

    /// The write input's body member naming the version to move to: the one
    /// of the same shape as [`Self::version_member`] (`agentRuntimeVersion`
    /// of UpdateAgentRuntimeEndpoint; none for UpdateAgentRuntime).
    pub fn write_version_member(&self) -> &'a str {
        let Some(version) = self
            .output_members()
            .iter()
            .find(|m| m.name == self.version)
        else {
            return "";
        };
        self.write_members()
            .iter()
            .find(|m| m.location == Location::Body && m.shape == version.shape)
            .map(|m| m.name.as_str())
            .unwrap_or_default()
    }

    /// The check output's member holding the resource's status: the one
    /// whose shape is an enum of the [`Status`] words (`status`).
    pub fn status_member(&self) -> &'a str {
        let model = self.model;
        self.output_members()
            .iter()
            .find(|m| match &model.shape(&m.shape).kind {
                ShapeKind::Enum(values) => Status::KNOWN
                    .iter()
                    .all(|s| values.iter().any(|v| v == s.as_str())),
                _ => false,
            })
            .map(|m| m.name.as_str())
            .unwrap_or_default()
    }

    /// The check output's member holding the version read (see
    /// [`Self::version`]).
    pub fn version_member(&self) -> &'a str {
        self.version
    }

    fn output_members(&self) -> &'a [Member] {
        let model = self.model;
        model
            .operation(self.check)
            .ok()
            .and_then(|op| op.output.as_deref())
            .and_then(|name| model.find_shape(name))
            .map(Shape::members)
            .unwrap_or_default()
    }

    /// The write's URI labels with their values in `input` (what a
    /// [`super::Target`] names).
    pub fn labels(&self, input: &Value) -> Vec<(String, String)> {
        self.write_members()
            .iter()
            .filter(|m| m.location == Location::Uri)
            .map(|m| (m.name.clone(), text_member(input, &m.name)))
            .collect()
    }
}

/// A resource's configuration as the check operation returned it.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentConfig {
    /// The write's URI label values (e.g. the runtime id), in model order.
    pub labels: Vec<(String, String)>,
    /// Version read.
    pub version: String,
    /// Status when read.
    pub status: Status,
    /// The write's members of that configuration (typed request document).
    pub request: Value,
    /// The runtime's ARN (`agentRuntimeArn`), when the output has one: what
    /// "Try the agent" invokes.
    pub arn: String,
}

impl CurrentConfig {
    /// From the check operation's output document.
    pub fn from_output(spec: &FlowSpec, output: &Value) -> Self {
        let shape = spec.input();
        Self {
            labels: spec.labels(output),
            version: text_member(output, spec.version_member()),
            status: Status::parse(&text_member(output, spec.status_member())),
            request: current_request(spec.model, shape, output),
            arn: text_member(output, "agentRuntimeArn"),
        }
    }

    /// The value of the first URI label (the runtime id).
    pub fn id(&self) -> &str {
        self.labels.first().map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::request::fill_idempotency_token;
    use serde_json::json;

    const ID: &str = "a-1234567890";

    fn model() -> &'static ServiceModel {
        ServiceModel::bundled()
    }

    #[test]
    fn the_named_flows_read_their_operations_from_the_model() {
        let model = model();
        for spec in [
            FlowSpec::update_agent_runtime(model),
            FlowSpec::update_agent_runtime_endpoint(model),
        ] {
            assert!(model.operation(spec.check).is_ok(), "{}", spec.check);
            assert!(!spec.input().members().is_empty(), "{}", spec.write);
            assert!(!spec.id_member().is_empty(), "{}", spec.write);
        }
    }

    #[test]
    fn member_names_come_from_the_model() {
        let spec = FlowSpec::update_agent_runtime(model());
        assert_eq!(spec.id_member(), "agentRuntimeId");
        assert_eq!(spec.status_member(), "status");
        assert_eq!(spec.version_member(), "agentRuntimeVersion");
        assert_eq!(spec.write_version_member(), "");
        assert_eq!(
            spec.check_input(&json!({"agentRuntimeId": ID, "roleArn": "r"})),
            json!({"agentRuntimeId": ID})
        );
    }

    #[test]
    fn endpoint_member_names_come_from_the_model() {
        let spec = FlowSpec::update_agent_runtime_endpoint(model());
        assert_eq!(spec.id_member(), "agentRuntimeId");
        assert_eq!(spec.status_member(), "status");
        assert_eq!(spec.version_member(), "liveVersion");
        assert_eq!(spec.write_version_member(), "agentRuntimeVersion");
        let input =
            json!({"agentRuntimeId": ID, "endpointName": "prod", "agentRuntimeVersion": "2"});
        assert_eq!(
            spec.check_input(&input),
            json!({"agentRuntimeId": ID, "endpointName": "prod"})
        );
    }

    fn output_member<'a>(model: &'a ServiceModel, operation: &str, name: &str) -> &'a Member {
        let op = model.operation(operation).unwrap();
        let shape = model.shape(op.output.as_deref().unwrap());
        shape
            .members()
            .iter()
            .find(|m| m.name == name)
            .unwrap_or_else(|| panic!("{operation}'s output has no member {name}"))
    }

    /// Every member name a flow reads or writes is one the vendored model
    /// has, with the binding or shape the flow relies on.
    #[test]
    fn every_member_name_a_flow_uses_is_in_the_model_with_its_binding() {
        let model = model();
        for spec in [
            FlowSpec::update_agent_runtime(model),
            FlowSpec::update_agent_runtime_endpoint(model),
        ] {
            let write = spec.input().members();
            let id = write.iter().find(|m| m.name == spec.id_member()).unwrap();
            assert_eq!(id.location, Location::Uri, "{}: an HTTP label", spec.write);
            for (label, _) in spec.labels(&json!({})) {
                let m = write.iter().find(|m| m.name == label).unwrap();
                assert_eq!(m.location, Location::Uri);
            }
            // The idempotency token is the member with the trait.
            let mut input = json!({});
            let token = fill_idempotency_token(model, spec.write, &mut input, [7; 16]).unwrap();
            let (name, value) = input.as_object().unwrap().iter().next().unwrap();
            assert_eq!((name.as_str(), value), ("clientToken", &json!(token)));
            // Status, version and failure reason are read from the check's
            // output; status and version also from the write's answer.
            for op in [spec.check, spec.write] {
                let status = output_member(model, op, spec.status_member());
                assert!(matches!(
                    model.shape(&status.shape).kind,
                    ShapeKind::Enum(_)
                ));
                let version = output_member(model, op, spec.version_member());
                assert!(matches!(
                    model.shape(&version.shape).kind,
                    ShapeKind::String
                ));
            }
            let reason = output_member(model, spec.check, FAILURE_REASON_MEMBER);
            assert!(matches!(model.shape(&reason.shape).kind, ShapeKind::String));
            if spec.always_confirm {
                let target = spec.write_version_member();
                let m = write.iter().find(|m| m.name == target).unwrap();
                assert_eq!(m.location, Location::Body);
            }
        }
    }
}
