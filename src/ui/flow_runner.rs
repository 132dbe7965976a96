//! Runs a [`Flow`] (core::flow) in the browser: executes its commands with
//! the browser's effects (calls through the [`Session`], sleeps, focus) and
//! feeds the results back. It decides nothing itself; what differs between
//! flows (the spec, where the input comes from, what a fresh reading
//! updates) is given to it.

use futures::future::{AbortHandle, abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::browser;
use super::session::Session;
use crate::core::flow::{Command, Event, Flow, FlowSpec, Focus, Submission};
use crate::core::response::FieldProblem;

/// What a send reads from the page: the typed input and how many fields
/// fail validation.
pub type Input = (Value, usize);

/// Executes one flow's commands.
#[derive(Clone, Copy)]
pub struct Runner {
    /// The flow's state.
    pub flow: RwSignal<Flow>,
    /// Its operations.
    pub spec: FlowSpec<'static>,
    /// Who calls and where.
    pub session: Session,
    /// The input a send would use now.
    pub input: Callback<(), Input>,
    /// The check operation's output, read before a write or when following
    /// ended READY ([`Command::Current`]).
    pub on_current: Callback<Value>,
    /// The service's per-field problems ([`Command::FieldProblems`]).
    pub on_problems: Callback<Vec<FieldProblem>>,
    /// Element id of the result panel's title (focused on an outcome).
    pub result_title: &'static str,
    /// Calls and waits in flight, so that they can be abandoned.
    in_flight: StoredValue<Vec<AbortHandle>>,
}

impl Runner {
    /// A runner for a flow with nothing in flight.
    pub fn new(
        spec: FlowSpec<'static>,
        session: Session,
        input: Callback<(), Input>,
        on_current: Callback<Value>,
        on_problems: Callback<Vec<FieldProblem>>,
        result_title: &'static str,
    ) -> Self {
        Self {
            flow: RwSignal::new(Flow::new()),
            spec,
            session,
            input,
            on_current,
            on_problems,
            result_title,
            in_flight: StoredValue::new(Vec::new()),
        }
    }

    /// Applies an event to the flow and carries out what it says.
    pub fn dispatch(self, event: Event) {
        let commands = self
            .flow
            .try_update(|f| f.update(&self.spec, event))
            .unwrap_or_default();
        for command in commands {
            self.execute(command);
        }
    }

    /// The input and its surroundings as a send would use them now.
    pub fn submission(self) -> Submission {
        let (input, invalid_fields) = self.input.run(());
        Submission {
            invalid_fields,
            not_ready: self.session.not_ready(),
            target: self.session.target(self.spec.labels(&input)),
            input,
            random: browser::random_bytes(),
        }
    }

    /// The user pressed the send button.
    pub fn send(self) {
        self.dispatch(Event::Send(self.submission()));
    }

    /// The user confirmed.
    pub fn confirm(self) {
        self.dispatch(Event::Confirm(self.submission()));
    }

    /// The user asked to send the last request again, same clientToken.
    pub fn resend(self) {
        let labels = self.flow.with_untracked(|f| {
            f.resend()
                .map(|p| self.spec.labels(&p.input))
                .unwrap_or_default()
        });
        self.dispatch(Event::ResendSameToken(self.session.target(labels)));
    }

    fn spawn(self, work: impl std::future::Future<Output = ()> + 'static) {
        let (work, handle) = abortable(work);
        self.in_flight.update_value(|h| h.push(handle));
        spawn_local(async move {
            let _ = work.await;
        });
    }

    fn execute(self, command: Command) {
        match command {
            Command::Call {
                ticket,
                operation,
                input,
            } => self.spawn(async move {
                let report = self
                    .session
                    .call(&operation, input, move |attempt| {
                        self.dispatch(Event::Attempted {
                            ticket,
                            attempt: attempt.clone(),
                        })
                    })
                    .await;
                self.dispatch(Event::Answered { ticket, report });
            }),
            Command::Sleep { ticket, duration } => self.spawn(async move {
                browser::sleep(duration).await;
                self.dispatch(Event::Woke { ticket });
            }),
            Command::AbandonCalls => self.in_flight.update_value(|handles| {
                for h in handles.drain(..) {
                    h.abort();
                }
            }),
            Command::Current(output) => self.on_current.run(output),
            Command::FieldProblems(problems) => self.on_problems.run(problems),
            Command::Focus(Focus::Result) => browser::focus(self.result_title),
            Command::Focus(Focus::Credentials) => browser::focus("credentialsPaste"),
        }
    }
}
