//! The form's reactive state: the draft (raw user input, as the core
//! defines it) and what the user has touched, revealed and expanded. The
//! parsed and validated views are derived from it.

use std::collections::BTreeSet;

use leptos::prelude::*;
use serde_json::Value;

use crate::core::draft::{self, get_text, to_request};
use crate::core::flow::FlowSpec;
use crate::core::member_path::MemberPath;
use crate::core::model::{ServiceModel, Shape};
use crate::core::response::control_path;
use crate::core::validate::{ValidationError, validate};

/// The service model shipped with the page.
pub fn model() -> &'static ServiceModel {
    ServiceModel::bundled()
}

/// The update flow of the page's form: UpdateAgentRuntime, checked and
/// followed with GetAgentRuntime.
pub fn flow_spec() -> FlowSpec<'static> {
    FlowSpec::update_agent_runtime(model())
}

/// Shared state of a form for one operation's input, provided as context.
#[derive(Clone, Copy)]
pub struct FormState {
    /// The operation whose input the form edits, with its check.
    pub spec: FlowSpec<'static>,
    /// That operation's input structure, read from the model.
    pub shape: &'static Shape,
    /// The draft: every value exactly as the user typed it.
    pub draft: RwSignal<Value>,
    /// Paths of controls the user has left at least once.
    pub touched: RwSignal<BTreeSet<MemberPath>>,
    /// Whether the user has tried to send (then every error shows).
    pub submitted: RwSignal<bool>,
    /// Sensitive member paths whose values are shown in clear.
    pub revealed: RwSignal<BTreeSet<MemberPath>>,
    /// Optional structures the user opened while still empty.
    pub expanded: RwSignal<BTreeSet<MemberPath>>,
    /// Problems the service reported per control path (ValidationException fieldList).
    pub server_errors: RwSignal<Vec<(MemberPath, String)>>,
    /// The core's validation of the draft.
    pub errors: Memo<Vec<ValidationError>>,
    /// The typed request the draft makes (`--cli-input-json` shape), once
    /// per change for every reader (review, image advice, send).
    pub request: Memo<Value>,
}

impl FormState {
    /// A form for `spec`'s write operation, starting from `initial`.
    pub fn new(spec: FlowSpec<'static>, initial: Value) -> Self {
        let shape = spec.input();
        let draft = RwSignal::new(initial);
        let errors = Memo::new(move |_| draft.with(|d| validate(spec.model, shape, d)));
        let request = Memo::new(move |_| {
            draft
                .with(|d| to_request(spec.model, shape, d))
                .unwrap_or(Value::Object(Default::default()))
        });
        Self {
            spec,
            shape,
            draft,
            touched: RwSignal::new(BTreeSet::new()),
            submitted: RwSignal::new(false),
            revealed: RwSignal::new(BTreeSet::new()),
            expanded: RwSignal::new(BTreeSet::new()),
            server_errors: RwSignal::new(Vec::new()),
            errors,
            request,
        }
    }

    /// The text at a control path (tracked).
    pub fn text(&self, path: &MemberPath) -> String {
        self.draft.with(|d| get_text(d, path))
    }

    /// Sets the text at a control path; a server message about it is
    /// dropped, since the user changed the value.
    pub fn set_text(&self, path: &MemberPath, text: String) {
        self.draft
            .update(|d| draft::set(d, path, Value::String(text)));
        if self
            .server_errors
            .with_untracked(|e| e.iter().any(|(p, _)| p == path))
        {
            self.server_errors.update(|e| e.retain(|(p, _)| p != path));
        }
    }

    /// Marks a control as left once: its errors show from now on.
    pub fn touch(&self, path: &MemberPath) {
        if !self.touched.with_untracked(|t| t.contains(path)) {
            self.touched.update(|t| {
                t.insert(path.clone());
            });
        }
    }

    /// The messages to show beside a control (tracked).
    pub fn shown_errors(&self, path: &MemberPath) -> Vec<String> {
        let visible = self.submitted.get() || self.touched.with(|t| t.contains(path));
        let mut out: Vec<String> = if visible {
            self.errors.with(|errors| {
                errors
                    .iter()
                    .filter(|e| &e.path == path)
                    .map(|e| e.problem.to_string())
                    .collect()
            })
        } else {
            Vec::new()
        };
        self.server_errors.with(|s| {
            out.extend(
                s.iter()
                    .filter(|(p, _)| p == path)
                    .map(|(_, m)| format!("AgentCore: {m}")),
            )
        });
        out
    }

    /// Whether a sensitive member is shown in clear (tracked).
    pub fn is_revealed(&self, path: &MemberPath) -> bool {
        self.revealed.with(|r| r.contains(path))
    }

    /// Shows or hides a sensitive member.
    pub fn toggle_reveal(&self, path: &MemberPath) {
        self.revealed.update(|r| {
            if !r.remove(path) {
                r.insert(path.clone());
            }
        });
    }

    /// The control a request path names (a map entry by key becomes its
    /// value's control), in the draft as it is now.
    pub fn control_of(&self, request_path: &MemberPath) -> Option<MemberPath> {
        self.draft
            .with_untracked(|d| control_path(self.spec.model, self.shape, d, request_path))
    }
}

/// The element id of the control (or group) for a member path.
pub fn control_id(path: &MemberPath) -> String {
    format!("f-{path}")
}

/// The element id of a control's error message.
pub fn error_id(path: &MemberPath) -> String {
    format!("err-{path}")
}

/// The element id of a control's help text.
pub fn help_id(path: &MemberPath) -> String {
    format!("help-{path}")
}
