//! The page: wires the panels to the core and to the browser's effects.

use futures::future::{AbortHandle, abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use super::browser;
use super::credentials_panel::CredentialsPanel;
use super::endpoint_panel::{EndpointChoice, EndpointPanel};
use super::field::{Field, FieldSpec};
use super::form_state::{FormState, flow_spec, input_shape, model};
use super::import_export::ImportExport;
use super::result_view::{ErrorSummary, Invalid, ResultView};
use super::review::{Review, review_rows};
use super::runtime_picker::{CurrentConfig, RuntimePicker};
use super::session::Session;
use crate::core::credentials::ParsedCredentials;
use crate::core::draft::to_request;
use crate::core::flow::{Command, Event, Flow, Focus, Submission};
use crate::core::member_path::MemberPath;
use crate::core::stored_draft::{restore, to_stored};

/// `localStorage` key of the non-sensitive draft.
const DRAFT_KEY: &str = "agentcore-console.draft";

/// Executes the update flow's commands (core::flow) with the browser's
/// effects and feeds the results back. It decides nothing itself.
#[derive(Clone, Copy)]
struct Runner {
    flow: RwSignal<Flow>,
    session: Session,
    form: FormState,
    current: RwSignal<Option<CurrentConfig>>,
    /// Calls and waits in flight, so that they can be abandoned.
    in_flight: StoredValue<Vec<AbortHandle>>,
}

impl Runner {
    /// Applies an event to the flow and carries out what it says.
    fn dispatch(self, event: Event) {
        let commands = self
            .flow
            .try_update(|f| f.update(&flow_spec(), event))
            .unwrap_or_default();
        for command in commands {
            self.execute(command);
        }
    }

    /// The form and its surroundings as a send would use them now.
    fn submission(self) -> Submission {
        self.form.submitted.set(true);
        let input = self
            .form
            .draft
            .with_untracked(|d| to_request(model(), input_shape(), d))
            .unwrap_or(Value::Object(Default::default()));
        Submission {
            invalid_fields: self.form.errors.with_untracked(Vec::len),
            not_ready: self.session.not_ready(),
            target: self.session.target(flow_spec().labels(&input)),
            input,
            random: browser::random_bytes(),
        }
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
            Command::Current(output) => self
                .current
                .set(Some(CurrentConfig::from_output(&flow_spec(), &output))),
            Command::FieldProblems(problems) => {
                let mapped: Vec<(MemberPath, String)> = problems
                    .iter()
                    .filter_map(|f| {
                        Some((self.form.control_of(f.path.as_ref()?)?, f.message.clone()))
                    })
                    .collect();
                self.form.server_errors.set(mapped);
            }
            Command::Focus(Focus::Result) => browser::focus("result-title"),
            Command::Focus(Focus::Credentials) => browser::focus("credentialsPaste"),
        }
    }
}

/// The console page.
#[component]
pub fn App() -> impl IntoView {
    let restored = restore(model(), input_shape(), browser::load(DRAFT_KEY).as_deref());
    let form = FormState::new(restored.draft);
    let restore_problems = restored.problems;
    let storage_error = RwSignal::new(None::<String>);
    provide_context(form);
    let credentials = RwSignal::new(None::<ParsedCredentials>);
    let now = RwSignal::new(browser::now());
    set_interval(
        move || now.set(browser::now()),
        std::time::Duration::from_secs(1),
    );

    let choice = EndpointChoice::restore();
    let route = choice.route();
    let flow = RwSignal::new(Flow::new());
    let clock_offset = RwSignal::new(0i64);
    let current = RwSignal::new(None::<CurrentConfig>);
    let session = Session {
        credentials,
        route,
        clock_offset,
    };
    provide_context(session);
    let dev_note = RwSignal::new(None::<String>);

    // Persist what is safe to persist: the draft without sensitive members
    // (the endpoint panel saves the endpoint choice). Never credentials.
    Effect::new(move |_| {
        let stored = form.draft.with(|d| to_stored(model(), input_shape(), d));
        storage_error.set(browser::store(DRAFT_KEY, &stored).err());
    });

    #[cfg(feature = "dev-defaults")]
    super::dev_defaults::load(form, credentials, choice, dev_note);

    let invalid = Signal::derive(move || {
        form.errors.with(|errors| {
            errors
                .iter()
                .map(|e| Invalid {
                    path: e.path.clone(),
                    message: e.problem.to_string(),
                })
                .collect::<Vec<_>>()
        })
    });
    let runner = Runner {
        flow,
        session,
        form,
        current,
        in_flight: StoredValue::new(Vec::new()),
    };
    // Forgetting the credentials stops the flow and drops what was signed.
    Effect::new(move |had: Option<bool>| {
        let has = credentials.with(Option::is_some);
        if had == Some(true) && !has {
            runner.dispatch(Event::CredentialsForgotten);
        }
        has
    });
    let busy = move || flow.with(Flow::busy);
    let send = move || runner.dispatch(Event::Send(runner.submission()));
    let confirm = Callback::new(move |_| runner.dispatch(Event::Confirm(runner.submission())));
    let cancel = Callback::new(move |_| runner.dispatch(Event::Cancel));
    let resend = Callback::new(move |_| runner.dispatch(Event::ResendSameToken));
    let stop_following = Callback::new(move |_| runner.dispatch(Event::StopFollowing));
    let review = review_rows(form, current);

    let members = input_shape()
        .members()
        .iter()
        .map(|m| view! { <Field spec=FieldSpec::member(&MemberPath::root(), m, None) /> })
        .collect_view();
    let pending = move || {
        let n = form.errors.with(Vec::len);
        (n > 0).then(|| {
            format!(
                "{n} field{} still need{} attention.",
                if n == 1 { "" } else { "s" },
                if n == 1 { "s" } else { "" }
            )
        })
    };

    view! {
        <header class="topbar">
            <div class="topbar__inner">
                <h1 class="topbar__title">"AgentCore console"</h1>
                <p class="topbar__subtitle">"Update an Amazon Bedrock AgentCore agent runtime — validated, signed in your browser, nothing stored."</p>
            </div>
        </header>
        {move || dev_note.get().map(|n| view! { <p class="devbanner" data-testid="dev-banner">{n}</p> })}
        <main class="layout">
            <aside class="layout__side">
                <CredentialsPanel credentials=credentials now=now />
                <EndpointPanel choice=choice route=route />
                <RuntimePicker current=current />
                <ImportExport />
            </aside>
            <div class="layout__main">
                <form class="panel request" aria-labelledby="request-title" novalidate
                    on:submit=move |ev| { ev.prevent_default(); send(); }>
                    <h2 id="request-title" class="panel__title">"UpdateAgentRuntime"</h2>
                    <p class="panel__hint">"An update replaces the runtime's whole configuration: members left empty here are cleared."
                        " Fields marked " <span class="field__required">"*"</span> " are required."</p>
                    {(!restore_problems.is_empty()).then(|| view! {
                        <div class="notice notice--warning" data-testid="draft-restore-problems" role="alert">
                            <p>"Not everything of your saved draft could be restored:"</p>
                            <ul>{restore_problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                        </div>
                    })}
                    {move || storage_error.get().map(|why| view! {
                        <p class="notice notice--warning" data-testid="draft-not-saved" role="alert">
                            {format!("Your draft is not being saved: {why}. It stays in this page until you close or reload it; use “Copy form as JSON” to keep it.")}
                        </p>
                    })}
                    <Show when=move || form.submitted.get()>
                        <ErrorSummary invalid=invalid />
                    </Show>
                    <div class="request__fields">{members}</div>
                    <div class="sendbar">
                        <button type="submit" class="button button--primary" aria-busy=move || busy().to_string()
                            disabled=busy>
                            "Update agent runtime"
                        </button>
                        <span class="sendbar__note" aria-live="polite">{pending}</span>
                    </div>
                </form>
                <Review current=current rows=review />
                <ResultView flow=flow.read_only() clock_offset=clock_offset
                    on_confirm=confirm on_cancel=cancel on_resend=resend on_stop_following=stop_following />
            </div>
        </main>
    }
}
