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
//! review's diff ([`super::diff`]). [`Rollback`] is the state machine of the
//! Endpoints and Versions panels: listing a runtime's versions and
//! endpoints (every page), comparing two versions, restoring one. Pointing
//! an endpoint is a [`super::flow::Flow`] of its own.
//!
//! Member names come from the model where a trait names them (URI labels,
//! the check operations' version and status members, the paginators); the
//! others ([`NAME_MEMBER`], [`TARGET_VERSION_MEMBER`],
//! [`DESCRIPTION_MEMBER`]) are checked against the model by a test.

use serde_json::{Map, Value};

use super::client::CallReport;
use super::diff::{DiffRow, current_request, diff};
use super::flow::{CurrentConfig, FlowSpec, Status};
use super::model::{
    LIST_AGENT_RUNTIME_ENDPOINTS, LIST_AGENT_RUNTIME_VERSIONS, ServiceModel, Shape,
};
use super::notice::Notice;
use super::picker::{Loaded, loaded_draft, read_input};
use super::response::text_member;
use super::workflow::{Effect, PageStep, Pages, Tickets, Workflow, label_input, output_of};
use crate::core::text::plural;

/// The endpoint AgentCore creates with every runtime and moves to each new
/// version by itself.
pub const DEFAULT_ENDPOINT: &str = "DEFAULT";
/// The endpoint's description, in its summary and in
/// UpdateAgentRuntimeEndpoint's input.
pub const DESCRIPTION_MEMBER: &str = "description";
/// An endpoint summary's name (`AgentRuntimeEndpoint.name`).
pub const NAME_MEMBER: &str = "name";
/// The version an endpoint summary is moving to
/// (`AgentRuntimeEndpoint.targetVersion`).
pub const TARGET_VERSION_MEMBER: &str = "targetVersion";

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
/// `latest` as behind (none when the latest version is unknown). `spec` is
/// the endpoint flow's: its check's version member is the live version
/// (`liveVersion`), its status member the status.
pub fn endpoint_rows(
    spec: &FlowSpec,
    summaries: &[Value],
    latest: Option<&str>,
) -> Vec<EndpointRow> {
    summaries
        .iter()
        .map(|s| {
            let live_version = text_member(s, spec.version_member());
            EndpointRow {
                name: text_member(s, NAME_MEMBER),
                behind: latest.is_some_and(|l| live_version != l),
                live_version,
                target_version: text_member(s, TARGET_VERSION_MEMBER),
                status: Status::parse(&text_member(s, spec.status_member())),
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

/// The flows the panels read: the update's (GetAgentRuntime for versions)
/// and the endpoint's (UpdateAgentRuntimeEndpoint, GetAgentRuntimeEndpoint).
#[derive(Debug, Clone, Copy)]
pub struct RollbackSpec<'a> {
    /// Updating a runtime.
    pub update: FlowSpec<'a>,
    /// Pointing an endpoint.
    pub endpoint: FlowSpec<'a>,
}

impl<'a> RollbackSpec<'a> {
    /// The two flows of `model`.
    pub fn new(model: &'a ServiceModel) -> Self {
        Self {
            update: FlowSpec::update_agent_runtime(model),
            endpoint: FlowSpec::update_agent_runtime_endpoint(model),
        }
    }
}

/// Listing a runtime's versions and endpoints.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Listing {
    /// Nothing in flight.
    #[default]
    Idle,
    /// Its versions first (ListAgentRuntimeVersions), page by page.
    Versions(Pages),
    /// Then its endpoints (ListAgentRuntimeEndpoints).
    Endpoints {
        /// The listing.
        pages: Pages,
        /// The versions listed before, if they were.
        versions: Option<Vec<Value>>,
    },
}

/// Reading versions' configurations (GetAgentRuntime `?version=`).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Reading {
    /// Nothing in flight.
    #[default]
    Idle,
    /// Comparing two versions: the older is read first.
    Comparing {
        /// The call in flight.
        ticket: u64,
        /// The runtime.
        id: String,
        /// Version compared from.
        from: String,
        /// Version compared with.
        to: String,
        /// `from`'s output, once read.
        older: Option<Value>,
    },
    /// Restoring a version: it is read, then the latest one.
    Restoring {
        /// The call in flight.
        ticket: u64,
        /// The runtime.
        id: String,
        /// The version restored.
        version: String,
        /// Its output, once read.
        old: Option<Value>,
    },
}

/// Two versions compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// The older version.
    pub from: String,
    /// The newer version.
    pub to: String,
    /// What changes from one to the other.
    pub rows: Vec<DiffRow>,
}

/// The Endpoints and Versions panels' state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rollback {
    /// The runtime whose versions and endpoints are listed.
    pub runtime_id: String,
    /// Its versions (ListAgentRuntimeVersions items).
    pub versions: Vec<Value>,
    /// Its endpoints (ListAgentRuntimeEndpoints items).
    pub endpoints: Vec<Value>,
    /// The listing in flight.
    pub listing: Listing,
    /// What the Endpoints panel says.
    pub endpoints_notice: Option<Notice>,
    /// The reading in flight.
    pub reading: Reading,
    /// The last comparison.
    pub compared: Option<Compared>,
    /// What the Versions panel says.
    pub versions_notice: Option<Notice>,
    tickets: Tickets,
}

/// What happens to the panels.
#[derive(Debug, Clone)]
// An event is handed over once, never stored: a call's report stays inline.
#[allow(clippy::large_enum_variant)]
pub enum Event {
    /// A runtime was chosen in the picker: list its versions and endpoints.
    Picked {
        /// Its id.
        id: String,
        /// No credentials or no usable endpoint, in words.
        not_ready: Option<String>,
    },
    /// List the endpoints (and the versions, when `versions`) of the
    /// runtime the form names, else of the one listed last.
    List {
        /// The runtime id in the form.
        form_id: String,
        /// List the versions too.
        versions: bool,
        /// No credentials or no usable endpoint, in words.
        not_ready: Option<String>,
    },
    /// "Compare versions".
    Compare {
        /// Older version.
        from: String,
        /// Newer version.
        to: String,
    },
    /// "Restore version N".
    Restore {
        /// The version.
        version: String,
    },
    /// A call finished.
    Answered {
        /// The call's ticket.
        ticket: u64,
        /// Its report; `None` when it could not be made.
        report: Option<CallReport>,
    },
    /// The credentials were forgotten: what was in flight is abandoned.
    CredentialsForgotten,
}

/// What the panels ask for; [`Effect::Show`] is a restored version's
/// configuration, compared with the latest one.
pub type Command = Effect<Loaded>;

impl Rollback {
    /// The version numbers listed.
    pub fn numbers(&self, spec: &RollbackSpec) -> Vec<String> {
        let member = spec.update.version_member();
        self.versions
            .iter()
            .map(|v| text_member(v, member))
            .collect()
    }

    /// The runtime's latest version, once its versions are listed.
    pub fn latest(&self, spec: &RollbackSpec) -> Option<String> {
        latest_version(self.numbers(spec).iter().map(String::as_str))
    }

    /// The endpoints as rows, behind or not.
    pub fn rows(&self, spec: &RollbackSpec) -> Vec<EndpointRow> {
        endpoint_rows(
            &spec.endpoint,
            &self.endpoints,
            self.latest(spec).as_deref(),
        )
    }

    fn list(
        &mut self,
        spec: &RollbackSpec,
        form_id: String,
        versions: bool,
        not_ready: Option<String>,
    ) -> Vec<Command> {
        if !form_id.is_empty() {
            self.runtime_id = form_id;
        }
        if self.runtime_id.is_empty() {
            self.endpoints_notice = Some(Notice::error("Choose a runtime first."));
            return Vec::new();
        }
        if let Some(why) = not_ready {
            self.endpoints_notice = Some(Notice::error(why));
            return Vec::new();
        }
        let model = spec.update.model;
        let operation = if versions {
            LIST_AGENT_RUNTIME_VERSIONS
        } else {
            LIST_AGENT_RUNTIME_ENDPOINTS
        };
        let base = label_input(model, operation, &self.runtime_id);
        match Pages::start(model, operation, base, &mut self.tickets) {
            Ok((pages, call)) => {
                self.listing = if versions {
                    Listing::Versions(pages)
                } else {
                    Listing::Endpoints {
                        pages,
                        versions: None,
                    }
                };
                vec![call]
            }
            Err(e) => self.listed(Err(e)),
        }
    }

    fn list_answered(
        &mut self,
        spec: &RollbackSpec,
        listing: Listing,
        report: Option<CallReport>,
    ) -> Vec<Command> {
        let model = spec.update.model;
        match listing {
            Listing::Versions(pages) => match pages.answered(model, report, &mut self.tickets) {
                PageStep::Next(pages, call) => {
                    self.listing = Listing::Versions(pages);
                    vec![call]
                }
                PageStep::Done(versions) => {
                    let base = label_input(model, LIST_AGENT_RUNTIME_ENDPOINTS, &self.runtime_id);
                    match Pages::start(model, LIST_AGENT_RUNTIME_ENDPOINTS, base, &mut self.tickets)
                    {
                        Ok((pages, call)) => {
                            self.listing = Listing::Endpoints {
                                pages,
                                versions: Some(versions),
                            };
                            vec![call]
                        }
                        Err(e) => self.listed(Err(e)),
                    }
                }
                PageStep::Failed(e) => self.listed(Err(e)),
            },
            Listing::Endpoints { pages, versions } => {
                match pages.answered(model, report, &mut self.tickets) {
                    PageStep::Next(pages, call) => {
                        self.listing = Listing::Endpoints { pages, versions };
                        vec![call]
                    }
                    PageStep::Done(endpoints) => self.listed(Ok((versions, endpoints))),
                    PageStep::Failed(e) => self.listed(Err(e)),
                }
            }
            Listing::Idle => Vec::new(),
        }
    }

    #[allow(clippy::type_complexity)]
    fn listed(&mut self, listed: Result<(Option<Vec<Value>>, Vec<Value>), String>) -> Vec<Command> {
        self.listing = Listing::Idle;
        match listed {
            Ok((versions, endpoints)) => {
                if let Some(versions) = versions {
                    self.versions = versions;
                }
                let n = endpoints.len();
                self.endpoints_notice = Some(Notice::ok(format!(
                    "{n} {}.",
                    plural(n, "endpoint", "endpoints")
                )));
                self.endpoints = endpoints;
            }
            Err(e) => {
                self.endpoints_notice =
                    Some(Notice::error(format!("Could not list endpoints: {e}")))
            }
        }
        Vec::new()
    }

    fn read(&mut self, spec: &RollbackSpec, id: &str, version: &str) -> (u64, Command) {
        let ticket = self.tickets.fresh();
        let call = Effect::Call {
            ticket,
            operation: spec.update.check.to_owned(),
            input: read_input(&spec.update, id, version),
        };
        (ticket, call)
    }

    fn compare(&mut self, spec: &RollbackSpec, from: String, to: String) -> Vec<Command> {
        let id = self.runtime_id.clone();
        if id.is_empty() || from.is_empty() || to.is_empty() {
            self.versions_notice = Some(Notice::error("Choose a runtime and two versions first."));
            return Vec::new();
        }
        let (ticket, call) = self.read(spec, &id, &from);
        self.reading = Reading::Comparing {
            ticket,
            id,
            from,
            to,
            older: None,
        };
        vec![call]
    }

    fn restore(&mut self, spec: &RollbackSpec, version: String) -> Vec<Command> {
        let id = self.runtime_id.clone();
        let (ticket, call) = self.read(spec, &id, &version);
        self.reading = Reading::Restoring {
            ticket,
            id,
            version,
            old: None,
        };
        vec![call]
    }

    fn read_answered(
        &mut self,
        spec: &RollbackSpec,
        reading: Reading,
        report: Option<CallReport>,
    ) -> Vec<Command> {
        let output = output_of(report);
        match reading {
            Reading::Comparing {
                id,
                from,
                to,
                older,
                ..
            } => match (older, output) {
                (None, Ok(older)) => {
                    let (ticket, call) = self.read(spec, &id, &to);
                    self.reading = Reading::Comparing {
                        ticket,
                        id,
                        from,
                        to,
                        older: Some(older),
                    };
                    vec![call]
                }
                (Some(older), Ok(newer)) => {
                    self.versions_notice = None;
                    let rows = version_diff(spec.update.model, spec.update.input(), &older, &newer);
                    self.compared = Some(Compared { from, to, rows });
                    Vec::new()
                }
                (_, Err(e)) => {
                    self.versions_notice =
                        Some(Notice::error(format!("Could not read the versions: {e}")));
                    Vec::new()
                }
            },
            Reading::Restoring {
                id, version, old, ..
            } => match (old, output) {
                (None, Ok(old)) => {
                    let (ticket, call) = self.read(spec, &id, "");
                    self.reading = Reading::Restoring {
                        ticket,
                        id,
                        version,
                        old: Some(old),
                    };
                    vec![call]
                }
                (Some(old), Ok(latest)) => {
                    let old = CurrentConfig::from_output(&spec.update, &old);
                    let latest = CurrentConfig::from_output(&spec.update, &latest);
                    self.versions_notice = Some(Notice::ok(format!(
                        "Loaded version {version}'s configuration into the form; the review compares it with the latest version ({}). Sending it makes a new version with this configuration.",
                        latest.version
                    )));
                    vec![Effect::Show(Loaded {
                        draft: loaded_draft(&spec.update, &old),
                        config: latest,
                    })]
                }
                (_, Err(e)) => {
                    self.versions_notice = Some(Notice::error(format!(
                        "Could not restore version {version}: {e}"
                    )));
                    Vec::new()
                }
            },
            Reading::Idle => Vec::new(),
        }
    }

    fn answered(
        &mut self,
        spec: &RollbackSpec,
        ticket: u64,
        report: Option<CallReport>,
    ) -> Vec<Command> {
        let listing_ticket = match &self.listing {
            Listing::Versions(pages) | Listing::Endpoints { pages, .. } => Some(pages.ticket),
            Listing::Idle => None,
        };
        if listing_ticket == Some(ticket) {
            let listing = std::mem::take(&mut self.listing);
            return self.list_answered(spec, listing, report);
        }
        let reading_ticket = match &self.reading {
            Reading::Comparing { ticket, .. } | Reading::Restoring { ticket, .. } => Some(*ticket),
            Reading::Idle => None,
        };
        if reading_ticket == Some(ticket) {
            let reading = std::mem::take(&mut self.reading);
            return self.read_answered(spec, reading, report);
        }
        // an answer to something no longer asked
        Vec::new()
    }
}

impl Workflow for Rollback {
    type Context = RollbackSpec<'static>;
    type Event = Event;
    type Command = Command;
    type Show = Loaded;

    fn update(&mut self, spec: &RollbackSpec<'static>, event: Event) -> Vec<Command> {
        match event {
            Event::Picked { id, not_ready } => {
                self.versions.clear();
                self.list(spec, id, true, not_ready)
            }
            Event::List {
                form_id,
                versions,
                not_ready,
            } => self.list(spec, form_id, versions, not_ready),
            Event::Compare { from, to } => self.compare(spec, from, to),
            Event::Restore { version } => self.restore(spec, version),
            Event::Answered { ticket, report } => self.answered(spec, ticket, report),
            Event::CredentialsForgotten => {
                // What was in flight ends as a call that could not be made.
                let mut commands = Vec::new();
                for _ in 0..2 {
                    let pending = match (&self.listing, &self.reading) {
                        (Listing::Versions(p) | Listing::Endpoints { pages: p, .. }, _) => p.ticket,
                        (
                            _,
                            Reading::Comparing { ticket, .. } | Reading::Restoring { ticket, .. },
                        ) => *ticket,
                        (Listing::Idle, Reading::Idle) => break,
                    };
                    commands.extend(self.answered(spec, pending, None));
                }
                commands
            }
        }
    }

    fn effect(command: Command) -> Command {
        command
    }

    fn answered(ticket: u64, report: Option<CallReport>) -> Event {
        Event::Answered { ticket, report }
    }

    fn forgotten() -> Event {
        Event::CredentialsForgotten
    }
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
        let rows = endpoint_rows(&spec(), &summaries(), Some("3"));
        let behind: Vec<_> = rows.iter().map(|r| (r.name.as_str(), r.behind)).collect();
        assert_eq!(
            behind,
            [("DEFAULT", true), ("prod", true), ("canary", false)]
        );
        assert!(rows[0].follows_latest() && !rows[1].follows_latest());
        assert_eq!(rows[0].status, Status::Updating);
        assert_eq!(rows[1].description, "production");
        assert!(
            endpoint_rows(&spec(), &summaries(), None)
                .iter()
                .all(|r| !r.behind)
        );
    }

    #[test]
    fn only_named_endpoints_behind_are_offered_a_move() {
        let rows = endpoint_rows(&spec(), &summaries(), Some("3"));
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

    mod machine {
        use super::super::*;
        use crate::core::fakes::answer;
        use crate::core::model::{GET_AGENT_RUNTIME, ShapeKind};
        use crate::core::notice::NoticeKind;
        use crate::core::workflow::testing::Driver;
        use serde_json::json;

        const ID: &str = "a-1234567890";

        fn spec() -> RollbackSpec<'static> {
            RollbackSpec::new(ServiceModel::bundled())
        }

        fn versions(numbers: &[&str]) -> String {
            let items: Vec<Value> = numbers
                .iter()
                .map(|n| json!({"agentRuntimeId": ID, "agentRuntimeName": "a", "agentRuntimeArn": "arn", "agentRuntimeVersion": n, "lastUpdatedAt": 1, "status": "READY"}))
                .collect();
            json!({ "agentRuntimes": items }).to_string()
        }

        fn endpoints() -> String {
            json!({ "runtimeEndpoints": [
                {"name": "DEFAULT", "liveVersion": "2", "targetVersion": "2", "status": "READY", "id": "e1", "agentRuntimeEndpointArn": "arn", "agentRuntimeArn": "arn", "createdAt": 1, "lastUpdatedAt": 1},
                {"name": "prod", "liveVersion": "1", "targetVersion": "1", "status": "READY", "id": "e2", "agentRuntimeEndpointArn": "arn", "agentRuntimeArn": "arn", "createdAt": 1, "lastUpdatedAt": 1}
            ]})
            .to_string()
        }

        fn runtime(version: &str, uri: &str) -> String {
            json!({
                "agentRuntimeId": ID, "agentRuntimeName": "a", "agentRuntimeArn": "arn",
                "agentRuntimeVersion": version, "status": "READY", "createdAt": 1, "lastUpdatedAt": 2,
                "roleArn": "arn:aws:iam::123456789012:role/r",
                "networkConfiguration": {"networkMode": "PUBLIC"},
                "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": uri}}
            })
            .to_string()
        }

        fn notice(n: &Option<Notice>) -> (NoticeKind, String) {
            let n = n.clone().expect("a notice");
            (n.kind, n.text)
        }

        #[test]
        fn picking_a_runtime_lists_its_versions_then_its_endpoints() {
            let mut d = Driver::<Rollback>::new(
                spec(),
                vec![
                    answer(200, None, &versions(&["1", "2"])),
                    answer(200, None, &endpoints()),
                ],
            );
            d.machine.versions = vec![json!({"agentRuntimeVersion": "9"})];
            let first = d.event_only(Event::Picked {
                id: ID.into(),
                not_ready: None,
            });
            assert!(
                d.machine.versions.is_empty(),
                "the last runtime's versions are gone at once"
            );
            d.run(first);
            let operations: Vec<&str> = d.calls.iter().map(|(o, _)| o.as_str()).collect();
            assert_eq!(
                operations,
                [LIST_AGENT_RUNTIME_VERSIONS, LIST_AGENT_RUNTIME_ENDPOINTS]
            );
            assert_eq!(
                d.calls[1].1,
                json!({"agentRuntimeId": ID, "maxResults": 100})
            );
            assert_eq!(d.machine.latest(&spec()).as_deref(), Some("2"));
            let behind: Vec<(String, bool)> = d
                .machine
                .rows(&spec())
                .into_iter()
                .map(|r| (r.name, r.behind))
                .collect();
            assert_eq!(
                behind,
                [("DEFAULT".to_owned(), false), ("prod".to_owned(), true)]
            );
            assert_eq!(
                notice(&d.machine.endpoints_notice),
                (NoticeKind::Ok, "2 endpoints.".into())
            );
            assert_eq!(d.machine.listing, Listing::Idle);
        }

        #[test]
        fn listing_names_the_forms_runtime_first_and_needs_one() {
            let mut d = Driver::<Rollback>::new(spec(), vec![answer(200, None, &endpoints())]);
            d.event(Event::List {
                form_id: String::new(),
                versions: false,
                not_ready: None,
            });
            assert_eq!(
                notice(&d.machine.endpoints_notice),
                (NoticeKind::Error, "Choose a runtime first.".into())
            );
            d.event(Event::List {
                form_id: ID.into(),
                versions: false,
                not_ready: Some("No credentials.".into()),
            });
            assert_eq!(
                notice(&d.machine.endpoints_notice),
                (NoticeKind::Error, "No credentials.".into())
            );
            assert!(d.calls.is_empty());
            d.event(Event::List {
                form_id: String::new(),
                versions: false,
                not_ready: None,
            });
            assert_eq!(d.calls[0].1["agentRuntimeId"], ID, "the runtime named last");
            assert_eq!(d.machine.endpoints.len(), 2);
        }

        #[test]
        fn a_failed_listing_keeps_what_was_listed_and_says_why() {
            let mut d = Driver::<Rollback>::new(
                spec(),
                vec![
                    answer(200, None, &versions(&["1"])),
                    answer(
                        500,
                        Some("InternalServerException"),
                        r#"{"message":"down"}"#,
                    ),
                    answer(
                        500,
                        Some("InternalServerException"),
                        r#"{"message":"down"}"#,
                    ),
                    answer(
                        500,
                        Some("InternalServerException"),
                        r#"{"message":"down"}"#,
                    ),
                ],
            );
            d.machine.versions = vec![json!({"agentRuntimeVersion": "9"})];
            d.event(Event::List {
                form_id: ID.into(),
                versions: true,
                not_ready: None,
            });
            let (kind, text) = notice(&d.machine.endpoints_notice);
            assert!(
                kind == NoticeKind::Error && text.starts_with("Could not list endpoints: "),
                "{text}"
            );
            assert_eq!(d.machine.numbers(&spec()), ["9"]);
        }

        #[test]
        fn comparing_reads_both_versions_and_diffs_them() {
            let mut d = Driver::<Rollback>::new(
                spec(),
                vec![
                    answer(200, None, &runtime("1", "r/a:1")),
                    answer(200, None, &runtime("2", "r/a:2")),
                ],
            );
            d.event(Event::Compare {
                from: "1".into(),
                to: "2".into(),
            });
            assert_eq!(
                notice(&d.machine.versions_notice),
                (
                    NoticeKind::Error,
                    "Choose a runtime and two versions first.".into()
                )
            );
            d.machine.runtime_id = ID.into();
            d.event(Event::Compare {
                from: "1".into(),
                to: "2".into(),
            });
            let queries: Vec<&Value> = d
                .calls
                .iter()
                .map(|(_, i)| &i["agentRuntimeVersion"])
                .collect();
            assert_eq!(queries, [&json!("1"), &json!("2")]);
            let compared = d.machine.compared.clone().expect("compared");
            assert_eq!((compared.from.as_str(), compared.to.as_str()), ("1", "2"));
            let uri = compared
                .rows
                .iter()
                .find(|r| {
                    r.path.to_string() == "agentRuntimeArtifact.containerConfiguration.containerUri"
                })
                .unwrap();
            assert_eq!(uri.change, crate::core::diff::Change::Changed);
            assert_eq!(d.machine.versions_notice, None);
            assert_eq!(d.machine.reading, Reading::Idle);
        }

        #[test]
        fn restoring_loads_the_old_version_against_the_latest() {
            let mut d = Driver::<Rollback>::new(
                spec(),
                vec![
                    answer(200, None, &runtime("1", "r/a:1")),
                    answer(200, None, &runtime("3", "r/a:3")),
                ],
            );
            d.machine.runtime_id = ID.into();
            d.event(Event::Restore {
                version: "1".into(),
            });
            assert_eq!(
                d.calls[0],
                (
                    GET_AGENT_RUNTIME.to_owned(),
                    json!({"agentRuntimeId": ID, "agentRuntimeVersion": "1"})
                )
            );
            assert_eq!(
                d.calls[1].1,
                json!({"agentRuntimeId": ID}),
                "then the latest"
            );
            let [Loaded { draft, config }] = d.shown.as_slice() else {
                panic!("{:?}", d.shown)
            };
            assert_eq!(
                draft["agentRuntimeArtifact"]["containerConfiguration"]["containerUri"],
                "r/a:1"
            );
            assert_eq!(draft["agentRuntimeId"], ID);
            assert_eq!(config.version, "3");
            let (kind, text) = notice(&d.machine.versions_notice);
            assert!(kind == NoticeKind::Ok && text.starts_with("Loaded version 1's configuration into the form; the review compares it with the latest version (3)."), "{text}");
        }

        #[test]
        fn forgetting_the_credentials_ends_what_was_in_flight_as_not_called() {
            let mut d = Driver::<Rollback>::new(spec(), Vec::new());
            d.machine.runtime_id = ID.into();
            d.event_only(Event::List {
                form_id: String::new(),
                versions: true,
                not_ready: None,
            });
            d.event_only(Event::Restore {
                version: "1".into(),
            });
            d.event(Event::CredentialsForgotten);
            assert_eq!(
                notice(&d.machine.endpoints_notice).1,
                "Could not list endpoints: No credentials or endpoint."
            );
            assert_eq!(
                notice(&d.machine.versions_notice).1,
                "Could not restore version 1: No credentials or endpoint."
            );
            assert_eq!(
                (&d.machine.listing, &d.machine.reading),
                (&Listing::Idle, &Reading::Idle)
            );
            assert!(d.shown.is_empty() && d.calls.is_empty());
        }

        /// The members read in ListAgentRuntimeEndpoints' items and written
        /// in UpdateAgentRuntimeEndpoint's input, against the vendored model.
        #[test]
        fn the_endpoint_members_read_and_written_are_in_the_model() {
            let spec = spec();
            let model = spec.update.model;
            let paginator = model
                .paginator(LIST_AGENT_RUNTIME_ENDPOINTS)
                .expect("a paginator");
            let output = model
                .operation(LIST_AGENT_RUNTIME_ENDPOINTS)
                .unwrap()
                .output
                .clone()
                .unwrap();
            let list = model
                .shape(&output)
                .members()
                .iter()
                .find(|m| m.name == paginator.result_key)
                .unwrap();
            let ShapeKind::List(item) = &model.shape(&list.shape).kind else {
                panic!("a list")
            };
            let item: Vec<&str> = model
                .shape(item)
                .members()
                .iter()
                .map(|m| m.name.as_str())
                .collect();
            let live = spec.endpoint.version_member();
            assert_eq!(live, "liveVersion");
            for member in [
                NAME_MEMBER,
                TARGET_VERSION_MEMBER,
                DESCRIPTION_MEMBER,
                live,
                spec.endpoint.status_member(),
            ] {
                assert!(item.contains(&member), "{member} is not in {item:?}");
            }
            let input = model.input_of(spec.endpoint.write).unwrap();
            assert!(input.members().iter().any(|m| m.name == DESCRIPTION_MEMBER
                && m.location == crate::core::model::Location::Body));
            assert!(model.paginator(LIST_AGENT_RUNTIME_VERSIONS).is_some());
            assert_eq!(
                label_input(model, LIST_AGENT_RUNTIME_VERSIONS, ID),
                json!({"agentRuntimeId": ID})
            );
        }
    }
}
