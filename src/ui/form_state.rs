//! The form's reactive state: the draft (raw user input, as the core
//! defines it) and what the user has touched, revealed and expanded. The
//! parsed and validated views are derived from it.

use std::collections::BTreeSet;

use leptos::prelude::*;
use serde_json::Value;

use crate::core::draft::{self, get_text, is_scope_of, scope, to_request};
use crate::core::flow::FlowSpec;
use crate::core::member_path::MemberPath;
use crate::core::model::{ServiceModel, Shape};
use crate::core::response::control_path;
use crate::core::validate::{ValidationError, errors_at, errors_within, validate};

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
    /// The draft: every value exactly as the user typed it. Read it here;
    /// change it with [`Self::update_draft`] and [`Self::replace`].
    pub draft: Draft,
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
    /// What the controls of each top-level member read, in the order of
    /// the input's members: see [`Slice`].
    slices: StoredValue<Vec<Slice>>,
    /// The typed request the draft makes (`--cli-input-json` shape), once
    /// per change for every reader (review, image advice, send).
    pub request: Memo<Value>,
    /// Put before each control's name and id (`invoke.` for "Try the
    /// agent", whose input is another operation's; empty for the update).
    pub prefix: &'static str,
}

/// The draft signal, read-only: writes go through [`FormState`], which
/// keeps the [`Slice`]s in line.
#[derive(Clone, Copy)]
pub struct Draft(RwSignal<Value>);

impl Draft {
    /// Reads the draft (tracked).
    pub fn with<R>(&self, f: impl FnOnce(&Value) -> R) -> R {
        self.0.with(f)
    }

    /// Reads the draft (untracked).
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Value) -> R) -> R {
        self.0.with_untracked(f)
    }
}

/// The draft and its errors as the controls of one top-level member see
/// them. Set after each change of the draft only when they differ, so
/// typing in one member neither re-runs nor even notifies the controls of
/// the others (a memo of the draft would: every change marks everything
/// downstream of it before equality is checked).
#[derive(Clone, Copy)]
struct Slice {
    /// The member's name.
    name: &'static str,
    /// [`draft::scope`] of the draft for this member.
    draft: RwSignal<Value>,
    /// The validation errors inside this member ([`errors_within`]).
    errors: RwSignal<Vec<ValidationError>>,
}

impl FormState {
    /// A form for `spec`'s write operation, starting from `initial`.
    pub fn new(spec: FlowSpec<'static>, initial: Value) -> Self {
        let shape = spec.input();
        let draft = Draft(RwSignal::new(initial));
        let errors = Memo::new(move |_| draft.with(|d| validate(spec.model, shape, d)));
        let slices = shape
            .members()
            .iter()
            .map(|m| {
                let name = m.name.as_str();
                Slice {
                    name,
                    draft: RwSignal::new(draft.with_untracked(|d| scope(d, name))),
                    errors: RwSignal::new(
                        errors.with_untracked(|e| errors_within(e, name).cloned().collect()),
                    ),
                }
            })
            .collect();
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
            slices: StoredValue::new(slices),
            request,
            prefix: "",
        }
    }

    /// The same form with its controls named `<prefix><path>`.
    pub fn prefixed(self, prefix: &'static str) -> Self {
        Self { prefix, ..self }
    }

    /// A control's `name` (and `data-path`): its member path, after the
    /// form's prefix.
    pub fn name(&self, path: &MemberPath) -> String {
        format!("{}{path}", self.prefix)
    }

    /// Changes the draft.
    pub fn update_draft(&self, f: impl FnOnce(&mut Value)) {
        self.draft.0.update(f);
        self.refresh_slices();
    }

    /// Replaces the draft with another one (loaded, restored or
    /// imported), and forgets what belonged to the one before: what the
    /// user touched, opened and tried to send, and the service's problems.
    /// What the user chose to show in clear stays shown.
    pub fn replace(&self, draft: Value) {
        self.draft.0.set(draft);
        self.refresh_slices();
        self.touched.set(BTreeSet::new());
        self.submitted.set(false);
        self.expanded.set(BTreeSet::new());
        self.server_errors.set(Vec::new());
    }

    /// Brings every [`Slice`] in line with the draft, setting only those
    /// that differ.
    fn refresh_slices(&self) {
        let (draft, errors) = (self.draft, self.errors);
        self.slices.with_value(|slices| {
            for slice in slices {
                draft.with_untracked(|d| {
                    if !slice
                        .draft
                        .with_untracked(|s| is_scope_of(s, d, slice.name))
                    {
                        slice.draft.set(scope(d, slice.name));
                    }
                });
                errors.with_untracked(|e| {
                    let now = || errors_within(e, slice.name);
                    if !slice.errors.with_untracked(|s| s.iter().eq(now())) {
                        slice.errors.set(now().cloned().collect());
                    }
                });
            }
        });
    }

    /// The slice of the top-level member `path` starts in, if any.
    fn slice(&self, path: &MemberPath) -> Option<Slice> {
        let name = path.top_member()?;
        self.slices
            .with_value(|s| s.iter().find(|s| s.name == name).copied())
    }

    /// Reads the draft for the control at `path` (tracked): only the slice
    /// of its top-level member ([`draft::scope`]), so that a change to
    /// another member does not re-run it.
    pub fn with_at<R>(&self, path: &MemberPath, f: impl FnOnce(&Value) -> R) -> R {
        self.slice(path).map_or(self.draft.0, |s| s.draft).with(f)
    }

    /// The text at a control path (tracked).
    pub fn text(&self, path: &MemberPath) -> String {
        self.with_at(path, |d| get_text(d, path))
    }

    /// Sets the text at a control path; a server message about it is
    /// dropped, since the user changed the value.
    pub fn set_text(&self, path: &MemberPath, text: String) {
        self.update_draft(|d| draft::set(d, path, Value::String(text)));
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
    fn shown_errors(&self, path: &MemberPath) -> Vec<String> {
        let visible = self.submitted.get() || self.touched.with(|t| t.contains(path));
        let mut out: Vec<String> = if visible {
            let messages = |errors: &Vec<ValidationError>| {
                errors_at(errors, path)
                    .map(|e| e.problem.to_string())
                    .collect()
            };
            match self.slice(path) {
                Some(slice) => slice.errors.with(messages),
                None => self.errors.with(messages),
            }
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

    /// [`Self::shown_errors`] as a memo: what a control's message, class
    /// and `aria-invalid` read, re-rendered only when it changes.
    pub fn shown_errors_memo(&self, path: MemberPath) -> Memo<Vec<String>> {
        let form = *self;
        Memo::new(move |_| form.shown_errors(&path))
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
