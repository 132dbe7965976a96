//! Runs any workflow (a core state machine: [`Workflow`]) in the browser:
//! executes its effects with the browser's (calls through the [`Session`],
//! signed or, for IAM Identity Center, unsigned; sleeps, focus) and feeds
//! the answers back; hands what it shows to its panel. It decides nothing
//! itself. Its calls and waits are kept in the
//! session's one registry of work in flight, under its own number, so that
//! the workflow can abandon them and forgetting the credentials stops them.

use leptos::prelude::*;
use serde_json::Value;

use super::browser;
use super::session::Session;
use crate::core::client::{Attempt, CallReport};
use crate::core::flow::{Event, Flow, FlowSpec, Focus, Submission};
use crate::core::workflow::{Effect, StreamCall, Streamed, UnsignedCall, Workflow};

/// Executes one workflow's commands.
pub struct Runner<W: Workflow> {
    /// The workflow's state.
    pub state: RwSignal<W>,
    /// What it reads besides events (its operations).
    pub context: W::Context,
    /// Who calls and where.
    pub session: Session,
    /// What the workflow shows ([`Effect::Show`]), handed to its panel.
    on_show: StoredValue<Option<Callback<W::Show>>>,
    /// Element id of the workflow's result title (focused on an outcome).
    pub result_title: &'static str,
    /// Its number in the session (its work in flight is kept under it).
    owner: u64,
}

impl<W: Workflow> Clone for Runner<W> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<W: Workflow> Copy for Runner<W> {}

impl<W: Workflow> Runner<W> {
    /// A runner for a fresh workflow, enrolled in the session (forgetting
    /// the credentials tells it).
    pub fn new(context: W::Context, session: Session, result_title: &'static str) -> Self {
        let state = RwSignal::new(W::default());
        let on_show = StoredValue::new(None);
        let forget = StoredValue::new(None::<Self>);
        let owner = session.enrol(Callback::new(move |()| {
            if let Some(runner) = forget.get_value() {
                runner.dispatch(W::forgotten());
            }
        }));
        let this = Self {
            state,
            context,
            session,
            on_show,
            result_title,
            owner,
        };
        forget.set_value(Some(this));
        this
    }

    /// Where what the workflow shows goes.
    pub fn on_show(self, show: impl Fn(W::Show) + Send + Sync + 'static) -> Self {
        self.on_show.set_value(Some(Callback::new(show)));
        self
    }

    /// Applies an event to the workflow and carries out what it says.
    pub fn dispatch(self, event: W::Event) {
        let commands = self
            .state
            .try_update(|w| w.update(&self.context, event))
            .unwrap_or_default();
        for command in commands {
            self.execute(W::effect(command));
        }
    }

    fn execute(self, effect: Effect<W::Show>) {
        match effect {
            Effect::Call {
                ticket,
                operation,
                input,
            } => self.session.spawn(
                self.owner,
                call_then(
                    self.session,
                    operation,
                    input,
                    Box::new(move |attempt| {
                        if let Some(event) = W::attempted(ticket, attempt) {
                            self.dispatch(event);
                        }
                    }),
                    Box::new(move |report| self.dispatch(W::answered(ticket, report))),
                ),
            ),
            Effect::Sleep { ticket, duration } => self.session.spawn(
                self.owner,
                sleep_then(
                    duration,
                    Box::new(move || {
                        if let Some(event) = W::woke(ticket) {
                            self.dispatch(event);
                        }
                    }),
                ),
            ),
            Effect::CallUnsigned(call) => {
                let ticket = call.ticket;
                self.session.spawn(
                    self.owner,
                    unsigned_then(
                        self.session,
                        call,
                        Box::new(move |report| {
                            self.dispatch(W::answered_unsigned(ticket, report, browser::now()))
                        }),
                    ),
                )
            }
            Effect::Stream(call) => {
                let ticket = call.ticket;
                self.session.spawn(
                    self.owner,
                    stream_then(
                        self.session,
                        call,
                        Box::new(move |part| {
                            let jitter = js_sys::Math::random();
                            if let Some(event) =
                                W::streamed(ticket, part, browser::now_ms(), jitter)
                            {
                                self.dispatch(event);
                            }
                        }),
                    ),
                )
            }
            Effect::AbandonCalls => self.session.abandon(self.owner),
            Effect::Focus(Focus::Result) => browser::focus(self.result_title),
            Effect::Focus(Focus::Credentials) => browser::focus("credentialsPaste"),
            Effect::Show(shown) => {
                if let Some(show) = self.on_show.get_value() {
                    show.run(shown);
                }
            }
        }
    }
}

/// Work for [`Session::spawn`].
type Work = std::pin::Pin<Box<dyn Future<Output = ()>>>;

/// A call, then its answer handed on. Not generic: one instance of the
/// call's future for every workflow.
fn call_then(
    session: Session,
    operation: String,
    input: Value,
    mut on_attempt: Box<dyn FnMut(&Attempt)>,
    on_answer: Box<dyn FnOnce(Option<CallReport>)>,
) -> Work {
    Box::pin(async move {
        let report = session.call(&operation, input, &mut on_attempt).await;
        on_answer(report);
    })
}

/// An unsigned call (IAM Identity Center's), then its answer handed on.
fn unsigned_then(
    session: Session,
    call: UnsignedCall,
    on_answer: Box<dyn FnOnce(Option<CallReport>)>,
) -> Work {
    Box::pin(async move {
        let report = session.call_unsigned(&call).await;
        on_answer(report);
    })
}

/// A streamed call (after its delay), each part handed on as it comes.
fn stream_then(session: Session, call: StreamCall, mut on: Box<dyn FnMut(Streamed)>) -> Work {
    Box::pin(async move {
        if !call.delay.is_zero() {
            browser::sleep(call.delay).await;
        }
        session.stream(&call, &mut on).await;
    })
}

/// A wait, then a wake-up.
fn sleep_then(duration: std::time::Duration, on_woke: Box<dyn FnOnce()>) -> Work {
    Box::pin(async move {
        browser::sleep(duration).await;
        on_woke();
    })
}

/// What a send reads from the page: the typed input and how many fields
/// fail validation.
pub type Input = (Value, usize);

/// The update and endpoint flows' user actions.
impl Runner<Flow> {
    /// The input and its surroundings as a send would use them now.
    fn submission(self, (input, invalid_fields): Input) -> Submission {
        Submission {
            invalid_fields,
            not_ready: self.session.not_ready(),
            target: self.session.target(self.context.labels(&input)),
            input,
            random: browser::random_bytes(),
        }
    }

    /// The user pressed the send button.
    pub fn send(self, input: Input) {
        self.dispatch(Event::Send(self.submission(input)));
    }

    /// The user confirmed.
    pub fn confirm(self, input: Input) {
        self.dispatch(Event::Confirm(self.submission(input)));
    }

    /// The user asked to send the last request again, same clientToken.
    pub fn resend(self) {
        let spec: FlowSpec = self.context;
        let labels = self.state.with_untracked(|f| {
            f.resend()
                .map(|p| spec.labels(&p.input))
                .unwrap_or_default()
        });
        self.dispatch(Event::ResendSameToken(self.session.target(labels)));
    }
}
