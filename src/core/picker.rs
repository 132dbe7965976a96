//! Picking a runtime to start from, as a state machine: list every runtime
//! (ListAgentRuntimes, every page of its paginator) and load one version's
//! configuration (GetAgentRuntime, `?version=` for an older one) into the
//! form. The versions of the chosen runtime are listed by
//! [`super::rollback`], which shows them too.
//!
//! Member names come from the model: the runtime id is the update's URI
//! label, the version and status members those of its check operation, the
//! version query member GetAgentRuntime's `httpQuery`; the two summary
//! members shown besides ([`NAME_MEMBER`], [`UPDATED_MEMBER`]) are checked
//! against ListAgentRuntimes' items by a test.

use serde_json::Value;

use super::client::CallReport;
use super::draft::{self, from_request};
use super::flow::{CurrentConfig, FlowSpec};
use super::member_path::MemberPath;
use super::model::{LIST_AGENT_RUNTIMES, Location};
use super::notice::Notice;
use super::response::{format_utc, parse_timestamp};
use super::workflow::{Effect, PageStep, Pages, Tickets, Workflow, label_input, output_of};
use crate::core::text::plural;

/// A ListAgentRuntimes item's name (`AgentRuntime.agentRuntimeName`).
pub const NAME_MEMBER: &str = "agentRuntimeName";
/// A ListAgentRuntimes item's last update (`AgentRuntime.lastUpdatedAt`).
pub const UPDATED_MEMBER: &str = "lastUpdatedAt";

/// The check operation's query member that asks for one version
/// (GetAgentRuntime's `agentRuntimeVersion`, sent as `?version=`).
pub fn version_query_member<'a>(spec: &FlowSpec<'a>) -> &'a str {
    spec.model
        .input_of(spec.check)
        .ok()
        .and_then(|s| {
            s.members()
                .iter()
                .find(|m| m.location == Location::Querystring)
        })
        .map(|m| m.name.as_str())
        .unwrap_or_default()
}

/// The check operation's input reading `version` of runtime `id` (the
/// latest when `version` is empty).
pub fn read_input(spec: &FlowSpec, id: &str, version: &str) -> Value {
    let mut input = label_input(spec.model, spec.check, id);
    if !version.is_empty() {
        input[version_query_member(spec)] = Value::String(version.to_owned());
    }
    input
}

/// One line for a ListAgentRuntimes item in the picker:
/// "name — id · status · vN · updated <UTC>".
pub fn describe(spec: &FlowSpec, runtime: &Value) -> String {
    let text = |k: &str| {
        runtime
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    let updated = runtime
        .get(UPDATED_MEMBER)
        .and_then(parse_timestamp)
        .map(format_utc)
        .unwrap_or_default();
    format!(
        "{} — {} · {} · v{} · updated {}",
        text(NAME_MEMBER),
        text(spec.id_member()),
        text(spec.status_member()),
        text(spec.version_member()),
        updated
    )
}

/// The form's draft for a configuration read: its request members, and the
/// runtime id (a URI label, not part of what the check returns as request).
pub fn loaded_draft(spec: &FlowSpec, config: &CurrentConfig) -> Value {
    let (mut d, _) = from_request(spec.model, spec.input(), &config.request);
    let id_path = MemberPath::root().member(spec.id_member());
    draft::set(&mut d, &id_path, Value::String(config.id().to_owned()));
    d
}

/// A configuration to put in the form ([`Effect::Show`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The new draft.
    pub draft: Value,
    /// What the review compares it with from now on.
    pub config: CurrentConfig,
}

/// What the picker is doing.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Step {
    /// Nothing in flight.
    #[default]
    Idle,
    /// Listing the runtimes, page by page.
    Listing(Pages),
    /// Reading a configuration.
    Loading {
        /// The call in flight.
        ticket: u64,
    },
}

/// The picker's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Picker {
    /// The runtimes listed last (ListAgentRuntimes items).
    pub runtimes: Vec<Value>,
    /// What it is doing.
    pub step: Step,
    /// What the panel says.
    pub notice: Option<Notice>,
    tickets: Tickets,
}

/// What happens to the picker.
#[derive(Debug, Clone)]
// An event is handed over once, never stored: a call's report stays inline.
#[allow(clippy::large_enum_variant)]
pub enum Event {
    /// "List runtimes"; why nothing can be called now, if so.
    List {
        /// No credentials or no usable endpoint, in words.
        not_ready: Option<String>,
    },
    /// "Load current configuration" of runtime `id` at `version` (empty:
    /// the latest).
    Load {
        /// The runtime id the form names.
        id: String,
        /// The version chosen.
        version: String,
        /// No credentials or no usable endpoint, in words.
        not_ready: Option<String>,
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

/// What the picker asks for.
pub type Command = Effect<Loaded>;

impl Picker {
    /// Whether a listing or a load is in flight (the buttons are busy).
    pub fn busy(&self) -> bool {
        !matches!(self.step, Step::Idle)
    }

    fn list(&mut self, spec: &FlowSpec, not_ready: Option<String>) -> Vec<Command> {
        if let Some(why) = not_ready {
            self.notice = Some(Notice::error(why));
            return Vec::new();
        }
        match Pages::start(
            spec.model,
            LIST_AGENT_RUNTIMES,
            Value::Object(Default::default()),
            &mut self.tickets,
        ) {
            Ok((pages, call)) => {
                self.step = Step::Listing(pages);
                vec![call]
            }
            Err(e) => self.listed(Err(e)),
        }
    }

    fn listed(&mut self, items: Result<Vec<Value>, String>) -> Vec<Command> {
        self.step = Step::Idle;
        match items {
            Ok(items) => {
                let n = items.len();
                self.notice = Some(Notice::ok(format!(
                    "{n} {} found.",
                    plural(n, "runtime", "runtimes")
                )));
                self.runtimes = items;
            }
            Err(e) => self.notice = Some(Notice::error(format!("Could not list runtimes: {e}"))),
        }
        Vec::new()
    }

    fn load(
        &mut self,
        spec: &FlowSpec,
        id: String,
        version: String,
        not_ready: Option<String>,
    ) -> Vec<Command> {
        if id.is_empty() {
            self.notice = Some(Notice::error(format!(
                "Choose a runtime (or type its {}) first.",
                spec.id_member()
            )));
            return Vec::new();
        }
        if let Some(why) = not_ready {
            self.notice = Some(Notice::error(why));
            return Vec::new();
        }
        let ticket = self.tickets.fresh();
        self.step = Step::Loading { ticket };
        vec![Effect::Call {
            ticket,
            operation: spec.check.to_owned(),
            input: read_input(spec, &id, &version),
        }]
    }

    fn loaded(&mut self, spec: &FlowSpec, report: Option<CallReport>) -> Vec<Command> {
        self.step = Step::Idle;
        // A call that could not be made (credentials forgotten meanwhile)
        // changes nothing.
        let Some(report) = report else {
            return Vec::new();
        };
        match output_of(Some(report)) {
            Ok(output) => {
                let config = CurrentConfig::from_output(spec, &output);
                self.notice = Some(Notice::ok(format!(
                    "Loaded version {} of {} ({}) into the form.",
                    config.version,
                    config.id(),
                    config.status
                )));
                vec![Effect::Show(Loaded {
                    draft: loaded_draft(spec, &config),
                    config,
                })]
            }
            Err(e) => {
                self.notice = Some(Notice::error(format!(
                    "Could not load the configuration: {e}"
                )));
                Vec::new()
            }
        }
    }
}

impl Workflow for Picker {
    type Context = FlowSpec<'static>;
    type Event = Event;
    type Command = Command;
    type Show = Loaded;

    fn update(&mut self, spec: &FlowSpec<'static>, event: Event) -> Vec<Command> {
        match event {
            Event::List { .. } | Event::Load { .. } if self.busy() => Vec::new(),
            Event::List { not_ready } => self.list(spec, not_ready),
            Event::Load {
                id,
                version,
                not_ready,
            } => self.load(spec, id, version, not_ready),
            Event::Answered { ticket, report } => match std::mem::take(&mut self.step) {
                Step::Listing(pages) if pages.ticket == ticket => {
                    match pages.answered(spec.model, report, &mut self.tickets) {
                        PageStep::Next(pages, call) => {
                            self.step = Step::Listing(pages);
                            vec![call]
                        }
                        PageStep::Done(items) => self.listed(Ok(items)),
                        PageStep::Failed(e) => self.listed(Err(e)),
                    }
                }
                Step::Loading { ticket: t } if t == ticket => self.loaded(spec, report),
                other => {
                    // an answer to something no longer asked
                    self.step = other;
                    Vec::new()
                }
            },
            Event::CredentialsForgotten => match std::mem::take(&mut self.step) {
                Step::Listing(pages) => {
                    let ticket = pages.ticket;
                    self.step = Step::Listing(pages);
                    self.update(
                        spec,
                        Event::Answered {
                            ticket,
                            report: None,
                        },
                    )
                }
                Step::Loading { .. } | Step::Idle => Vec::new(),
            },
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
    use crate::core::fakes::answer;
    use crate::core::model::{GET_AGENT_RUNTIME, ServiceModel, ShapeKind};
    use crate::core::notice::NoticeKind;
    use crate::core::workflow::testing::Driver;
    use serde_json::json;

    const ID: &str = "a-1234567890";

    fn spec() -> FlowSpec<'static> {
        FlowSpec::update_agent_runtime(ServiceModel::bundled())
    }

    fn summary(id: &str) -> Value {
        json!({"agentRuntimeId": id, "agentRuntimeName": "agent", "agentRuntimeArn": "arn", "agentRuntimeVersion": "3", "description": "", "lastUpdatedAt": 1_795_000_000, "status": "READY"})
    }

    fn runtime(version: &str) -> String {
        json!({
            "agentRuntimeId": ID, "agentRuntimeName": "agent", "agentRuntimeArn": "arn",
            "agentRuntimeVersion": version, "status": "UPDATING", "createdAt": 1, "lastUpdatedAt": 2,
            "roleArn": "arn:aws:iam::123456789012:role/r",
            "networkConfiguration": {"networkMode": "PUBLIC"},
            "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"}}
        })
        .to_string()
    }

    fn text(d: &Driver<Picker>) -> (NoticeKind, String) {
        let n = d.machine.notice.clone().expect("a notice");
        (n.kind, n.text)
    }

    #[test]
    fn listing_reads_every_page_and_counts_the_runtimes() {
        let mut d = Driver::<Picker>::new(
            spec(),
            vec![
                answer(
                    200,
                    None,
                    &json!({"agentRuntimes": [summary("a-1"), summary("a-2")], "nextToken": "t"})
                        .to_string(),
                ),
                answer(
                    200,
                    None,
                    &json!({"agentRuntimes": [summary("a-3")]}).to_string(),
                ),
            ],
        );
        let first = d.event_only(Event::List { not_ready: None });
        assert!(d.machine.busy());
        assert!(
            d.event_only(Event::List { not_ready: None }).is_empty(),
            "busy: a second press does nothing"
        );
        d.run(first);
        assert!(!d.machine.busy());
        assert_eq!(d.machine.runtimes.len(), 3);
        assert_eq!(text(&d), (NoticeKind::Ok, "3 runtimes found.".into()));
        assert_eq!(d.calls[1].1["nextToken"], "t");
        assert_eq!(
            describe(&spec(), &d.machine.runtimes[0]),
            "agent — a-1 · READY · v3 · updated 2026-11-18T11:06:40Z"
        );
    }

    #[test]
    fn a_listing_that_fails_or_cannot_start_says_why() {
        let mut d = Driver::<Picker>::new(
            spec(),
            vec![answer(
                403,
                Some("AccessDeniedException"),
                r#"{"message":"not allowed"}"#,
            )],
        );
        d.event(Event::List { not_ready: None });
        let (kind, text) = text(&d);
        assert_eq!(kind, NoticeKind::Error);
        assert!(
            text.starts_with("Could not list runtimes: ") && text.contains("not allowed"),
            "{text}"
        );
        d.event(Event::List {
            not_ready: Some("No credentials: paste them.".into()),
        });
        assert_eq!(
            self::text(&d),
            (NoticeKind::Error, "No credentials: paste them.".into())
        );
        assert!(d.calls.len() == 1 && !d.machine.busy());
    }

    #[test]
    fn loading_a_version_fills_the_form_and_names_what_was_loaded() {
        let mut d = Driver::<Picker>::new(spec(), vec![answer(200, None, &runtime("1"))]);
        d.event(Event::Load {
            id: ID.into(),
            version: "1".into(),
            not_ready: None,
        });
        assert_eq!(
            d.calls,
            [(
                GET_AGENT_RUNTIME.to_owned(),
                json!({"agentRuntimeId": ID, "agentRuntimeVersion": "1"})
            )]
        );
        assert_eq!(
            text(&d),
            (
                NoticeKind::Ok,
                format!("Loaded version 1 of {ID} (UPDATING) into the form.")
            )
        );
        let [Loaded { draft, config }] = d.shown.as_slice() else {
            panic!("one load shown: {:?}", d.shown)
        };
        assert_eq!(config.version, "1");
        assert_eq!(draft["agentRuntimeId"], ID);
        assert_eq!(draft["roleArn"], "arn:aws:iam::123456789012:role/r");
        assert!(!d.machine.busy());
    }

    #[test]
    fn the_latest_version_is_asked_without_a_version() {
        let mut d = Driver::<Picker>::new(spec(), vec![answer(200, None, &runtime("4"))]);
        d.event(Event::Load {
            id: ID.into(),
            version: String::new(),
            not_ready: None,
        });
        assert_eq!(d.calls[0].1, json!({"agentRuntimeId": ID}));
    }

    #[test]
    fn nothing_is_loaded_without_a_runtime_or_when_the_read_fails() {
        let mut d = Driver::<Picker>::new(
            spec(),
            vec![answer(
                404,
                Some("ResourceNotFoundException"),
                r#"{"message":"no such runtime"}"#,
            )],
        );
        d.event(Event::Load {
            id: String::new(),
            version: String::new(),
            not_ready: None,
        });
        assert_eq!(
            text(&d),
            (
                NoticeKind::Error,
                "Choose a runtime (or type its agentRuntimeId) first.".into()
            )
        );
        d.event(Event::Load {
            id: ID.into(),
            version: String::new(),
            not_ready: None,
        });
        let (kind, text) = text(&d);
        assert!(
            kind == NoticeKind::Error && text.starts_with("Could not load the configuration: "),
            "{text}"
        );
        assert!(d.shown.is_empty());
    }

    #[test]
    fn forgetting_the_credentials_ends_a_listing_and_a_load_without_loading() {
        let mut d = Driver::<Picker>::new(spec(), Vec::new());
        d.event_only(Event::List { not_ready: None });
        d.event(Event::CredentialsForgotten);
        assert_eq!(
            text(&d),
            (
                NoticeKind::Error,
                "Could not list runtimes: No credentials or endpoint.".into()
            )
        );
        let load = d.event_only(Event::Load {
            id: ID.into(),
            version: String::new(),
            not_ready: None,
        });
        let [Effect::Call { ticket, .. }] = load.as_slice() else {
            panic!("{load:?}")
        };
        d.event(Event::CredentialsForgotten);
        assert!(!d.machine.busy());
        // the answer of the abandoned call, should it come, changes nothing
        d.event(Event::Answered {
            ticket: *ticket,
            report: None,
        });
        assert!(d.shown.is_empty());
    }

    /// The members the picker reads in ListAgentRuntimes' items and in
    /// GetAgentRuntime's input, against the vendored model.
    #[test]
    fn the_members_the_picker_reads_are_in_the_model() {
        let spec = spec();
        let model = spec.model;
        let paginator = model.paginator(LIST_AGENT_RUNTIMES).expect("a paginator");
        let output = model
            .operation(LIST_AGENT_RUNTIMES)
            .unwrap()
            .output
            .clone()
            .unwrap();
        let list = model
            .shape(&output)
            .members()
            .iter()
            .find(|m| m.name == paginator.result_key)
            .expect("the result key is an output member");
        let ShapeKind::List(item) = &model.shape(&list.shape).kind else {
            panic!("the result key is a list")
        };
        let item: Vec<&str> = model
            .shape(item)
            .members()
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        for member in [
            NAME_MEMBER,
            UPDATED_MEMBER,
            spec.id_member(),
            spec.status_member(),
            spec.version_member(),
        ] {
            assert!(
                item.contains(&member),
                "{member} is not a member of {LIST_AGENT_RUNTIMES}'s items: {item:?}"
            );
        }
        assert_eq!(version_query_member(&spec), "agentRuntimeVersion");
        let query = model
            .input_of(GET_AGENT_RUNTIME)
            .unwrap()
            .members()
            .iter()
            .find(|m| m.name == version_query_member(&spec))
            .unwrap();
        assert_eq!(query.location_name.as_deref(), Some("version"));
        assert_eq!(
            label_input(model, GET_AGENT_RUNTIME, ID),
            json!({"agentRuntimeId": ID})
        );
    }
}
