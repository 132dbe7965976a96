//! "Try the agent" (`data-testid="invoke-panel"`): InvokeAgentRuntime for
//! the runtime chosen in the picker. Its controls are the form engine's,
//! over the data plane's model (`invoke.<member>`); the call is the core's
//! [`Invoke`] machine, run by the page's one runner, its answer streamed
//! into `invoke-output` as it arrives. Nothing of it is saved.

use leptos::prelude::*;

use super::browser;
use super::field::{Field, FieldSpec};
use super::flow_runner::Runner;
use super::form_state::FormState;
use super::import_export::copy_as_view;
use super::result_view::{AdviceFor, error_view, signed_view};
use super::runtime_picker::CurrentConfig;
use super::session::Session;
use crate::core::client::CallError;
use crate::core::draft::from_request;
use crate::core::flow::FlowSpec;
use crate::core::invoke::{
    self, ARN_MEMBER, Bearer, Event, Failure, Invoke, Phase, QUALIFIER_MEMBER, SESSION_MEMBER,
};
use crate::core::member_path::MemberPath;
use crate::core::model::{INVOKE_AGENT_RUNTIME, ServiceModel};

/// The members shown first, in this order; the other headers are under
/// "More headers".
const FIRST: [&str; 5] = [
    "payload",
    QUALIFIER_MEMBER,
    SESSION_MEMBER,
    "contentType",
    "accept",
];

/// "Try the agent": its form, its workflow, the bearer token of a JWT
/// runtime and why the last send was refused.
#[derive(Clone, Copy)]
pub struct TryAgent {
    form: FormState,
    runner: Runner<Invoke>,
    /// A JWT runtime's bearer token as typed: memory only, emptied by Forget.
    bearer: RwSignal<String>,
    /// Why "Invoke agent" did not send, in words.
    problem: RwSignal<Option<String>>,
    /// The runtime chosen in the picker.
    current: RwSignal<Option<CurrentConfig>>,
}

fn member(name: &str) -> MemberPath {
    MemberPath::root().member(name)
}

impl TryAgent {
    /// The panel's state, for the runtime `current` names.
    pub fn new(session: Session, current: RwSignal<Option<CurrentConfig>>) -> Self {
        let spec = FlowSpec::form_of(ServiceModel::data_plane(), INVOKE_AGENT_RUNTIME);
        let defaults = invoke::defaults(browser::random_bytes());
        let (draft, _) = from_request(spec.model, spec.input(), &defaults);
        let form = FormState::new(spec, draft).prefixed("invoke.");
        let bearer = RwSignal::new(String::new());
        session.enrol(Callback::new(move |()| bearer.set(String::new())));
        // The call goes to the runtime chosen in the picker.
        Effect::new(move |_| {
            let arn = current.with(|c| c.as_ref().map(|c| c.arn.clone()));
            form.set_text(&member(ARN_MEMBER), arn.unwrap_or_default());
        });
        Self {
            form,
            runner: Runner::new((), session, "invoke-title"),
            bearer,
            problem: RwSignal::new(None),
            current,
        }
    }

    /// Sets the qualifier (an endpoint row's "Invoke", "Try the new
    /// version") and moves the focus to the panel.
    pub fn target(self, qualifier: &str) {
        self.form
            .set_text(&member(QUALIFIER_MEMBER), qualifier.to_owned());
        browser::focus("invoke-panel");
    }

    /// Whether the chosen runtime takes a bearer token (tracked).
    fn takes_bearer(self) -> bool {
        self.current.with(|c| {
            c.as_ref()
                .is_some_and(|c| invoke::takes_bearer_token(&c.request))
        })
    }

    /// "Invoke agent": sends, or says why not.
    fn send(self) {
        let form = self.form;
        form.submitted.set(true);
        let input = form.request.get_untracked();
        let jwt = untrack(|| self.takes_bearer());
        let token = self.bearer.get_untracked();
        let problem = invoke::send_problem(
            &input,
            form.errors.with_untracked(Vec::len),
            jwt,
            &token,
            self.runner.session.invoke_not_ready(jwt),
        );
        if problem.is_none() {
            self.runner.dispatch(Event::Send {
                input,
                bearer: jwt.then_some(Bearer(token)),
                random: browser::random_bytes(),
                now_ms: browser::now_ms(),
            });
        }
        self.problem.set(problem);
    }
}

/// The "Try the agent" panel.
#[component]
pub fn InvokePanel(
    /// Its state.
    agent: TryAgent,
    /// The runtime's endpoint names, offered as qualifiers.
    endpoints: Signal<Vec<String>>,
) -> impl IntoView {
    // An owner of its own, so that its fields read the invoke form from
    // context and the rest of the page keeps the update's (in this build a
    // component shares its parent's owner: `erase_components`).
    let owner = Owner::current().unwrap_or_default().child();
    let panel = owner.with(|| {
        provide_context(agent.form);
        panel(agent, endpoints)
    });
    leptos::tachys::reactive_graph::OwnedView::new_with_owner(panel, owner)
}

/// How often `invoke-output` is laid out again while an answer streams.
const OUTPUT_REFRESH: std::time::Duration = std::time::Duration::from_millis(100);

/// The answer's text and cut note for `invoke-output`, once something was
/// received. While the answer streams they are refreshed at most every
/// [`OUTPUT_REFRESH`], not for each chunk: laying out up to 1 MB of text
/// again for every chunk of a fast stream stalls typing for hundreds of ms
/// (`scripts/bench-invoke.mjs`). Any other state shows at once.
fn throttled_output(state: RwSignal<Invoke>) -> ReadSignal<Option<(String, Option<String>)>> {
    let output = RwSignal::new(None);
    let shown = move |s: &Invoke| {
        s.phase()
            .received()
            .map(|r| (r.view.shown().to_text(), r.view.note()))
    };
    let due = StoredValue::new(false);
    Effect::new(move |_| {
        if !state.with(|s| matches!(s.phase(), Phase::Streaming { .. })) {
            output.set(state.with_untracked(shown));
        } else if !due.get_value() {
            due.set_value(true);
            leptos::task::spawn_local(async move {
                browser::sleep(OUTPUT_REFRESH).await;
                due.try_set_value(false);
                // still streaming (else the effect showed the end already),
                // and the panel still there
                let text = state.try_with_untracked(|s| {
                    matches!(s.phase(), Phase::Streaming { .. }).then(|| shown(s))
                });
                if let Some(Some(text)) = text {
                    output.try_set(text);
                }
            });
        }
    });
    output.read_only()
}

fn panel(agent: TryAgent, endpoints: Signal<Vec<String>>) -> impl IntoView {
    let current = agent.current;
    let session = agent.runner.session;
    // The form is built when a runtime is first chosen (nothing can be sent
    // before), not while the page starts (issue 23's start-up), and kept.
    let opened = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || current.with(Option::is_some)
    });
    view! {
        <section class="panel invoke" id="invoke-panel" tabindex="-1" data-testid="invoke-panel" aria-labelledby="invoke-title">
            <h2 id="invoke-title" class="panel__title">"Try the agent"</h2>
            <p class="panel__hint" data-testid="invoke-runtime">{move || current.with(|c| match c {
                Some(c) if !c.arn.is_empty() => format!("InvokeAgentRuntime on {}", c.arn),
                _ => "Choose a runtime in the runtime picker to try it.".to_owned(),
            })}</p>
            {move || session.data_route.with(|r| r.as_ref().err().map(|e| view! {
                <p class="notice notice--error" data-testid="invoke-route-problem">{e.to_string()}</p>
            }))}
            {move || opened.get().then(|| body(agent, endpoints))}
        </section>
    }
}

/// The panel's form, buttons and answer.
fn body(agent: TryAgent, endpoints: Signal<Vec<String>>) -> impl IntoView {
    let TryAgent {
        form,
        runner,
        bearer,
        problem,
        current,
    } = agent;
    let session = runner.session;
    let state = runner.state;
    let members = form.shape.members();
    let field = move |name: &str| {
        let m = members.iter().find(|m| m.name == name)?;
        let mut spec = FieldSpec::member_of(form.spec.model, &MemberPath::root(), m, None);
        if name == QUALIFIER_MEMBER {
            spec.choices = Some("invoke-qualifiers");
        }
        Some(view! { <Field spec=spec /> })
    };
    let first = FIRST.into_iter().map(field).collect_view();
    let more = members
        .iter()
        .filter(|m| m.name != ARN_MEMBER && !FIRST.contains(&m.name.as_str()))
        .map(|m| field(&m.name))
        .collect_view();
    let running = Memo::new(move |_| state.with(|s| s.phase().is_running()));
    let (copy_buttons, copy_outputs, _) = copy_as_view(form, session);
    let new_session = move |_| {
        let id = invoke::new_session_id(browser::random_bytes());
        form.set_text(&member(SESSION_MEMBER), id);
    };
    let on_field = Callback::new(move |p: MemberPath| browser::focus(&format!("f-invoke.{p}")));
    let output = throttled_output(state);
    let received_any = Memo::new(move |_| state.with(|s| s.phase().received().is_some()));
    // The status changes with each chunk (bytes so far).
    let status = move || {
        state.with(|s| {
            let phase = s.phase();
            let received = phase.received();
            let (session_id, timing, failure) = phase.outcome();
            let session_id = received
                .and_then(|r| r.session_id.clone())
                .or(session_id.cloned());
            let bytes = received.map_or(0, |r| r.view.total_bytes());
            let total = timing.map(|t| t.total_ms);
            let words = match phase {
                Phase::Idle => "Not invoked yet.".to_owned(),
                Phase::Sending { attempt, .. } => format!("Sending (attempt {attempt})…"),
                Phase::Streaming { .. } => format!("Receiving the answer: {bytes} bytes so far…"),
                Phase::Done { .. } => format!("Answered: {bytes} bytes in {} ms.", total.unwrap_or(0)),
                Phase::Failed { .. } => format!("Failed after {} ms.", total.unwrap_or(0)),
                Phase::Stopped { .. } => format!("Stopped after {} ms: what arrived is kept.", total.unwrap_or(0)),
            };
            let code = match failure {
                Some(Failure::Service(e)) => Some(e.code()),
                _ => None,
            };
            view! {
                <p class="invoke__status" role="status" data-testid="invoke-status" data-state=phase.name()
                    data-http-status=received.map(|r| r.status.to_string())
                    data-first-byte-ms=received.map(|r| r.first_byte_ms.to_string())
                    data-total-ms=total.map(|t| t.to_string())
                    data-bytes=bytes.to_string() data-session-id=session_id data-error-code=code>{words}</p>
            }
        })
    };
    // The failure, the logs link and what was signed: they change when the
    // phase or the attempt does, not with each chunk.
    let step = Memo::new(move |_| {
        state.with(|s| match s.phase() {
            Phase::Sending { attempt, .. } => (s.phase().name(), *attempt, s.signed().is_some()),
            other => (other.name(), 0, s.signed().is_some()),
        })
    });
    let details = move || {
        let _ = step.get();
        let qualifier = form.text(&member(QUALIFIER_MEMBER));
        let for_user = !form.text(&member("runtimeUserId")).is_empty();
        let runtime_id = current.with(|c| c.as_ref().map(|c| c.id().to_owned()));
        let region = session
            .data_route
            .with(|r| r.as_ref().map(|r| r.endpoint.signing_region.clone()).ok());
        state.with_untracked(|s| {
            let (_, timing, failure) = s.phase().outcome();
            let failure_view = failure.map(|f| match f {
                Failure::Service(e) => {
                    let advice: AdviceFor = if for_user {
                        |c| invoke::advice(c, true)
                    } else {
                        |c| invoke::advice(c, false)
                    };
                    error_view(&CallError::Response(e.clone()), on_field, advice)
                }
                Failure::Transport(m) => view! {
                    <h3 class="result__title result__title--error" data-testid="error-name">"No complete answer"</h3>
                    <p data-testid="error-message">{m.clone()}</p>
                }
                .into_any(),
            });
            let logs = (timing.is_some() && !qualifier.bytes().all(|b| b.is_ascii_digit()))
                .then_some(())
                .and(runtime_id.zip(region))
                .map(|(id, region)| {
                    let href = invoke::logs_url(&region, &id, &qualifier);
                    view! {
                        <p><a data-testid="invoke-logs" href=href target="_blank" rel="noopener noreferrer">
                            {format!("Logs of {id}-{qualifier} in CloudWatch")}</a></p>
                    }
                });
            let signed = if s.sent_with_bearer() {
                view! {
                    <p class="result__hint" data-testid="invoke-unsigned">"Nothing was signed: this runtime has a JWT authorizer, which takes the bearer token (Authorization: Bearer) instead of a SigV4 signature."</p>
                }
                .into_any()
            } else {
                s.signed().map(signed_view).into_any()
            };
            view! {
                {failure_view}
                {logs}
                {signed}
            }
        })
    };
    view! {
            {move || agent.takes_bearer().then(|| view! {
                <p class="notice" data-testid="invoke-jwt">"This runtime has a JWT authorizer (customJWTAuthorizer): it takes a bearer token from its identity provider, not SigV4. The call is sent unsigned with that token; the token stays in this page's memory only."</p>
                <label class="field__label" for="f-invoke.bearerToken">"Bearer token"</label>
                <input class="field__control" type="password" autocomplete="off" id="f-invoke.bearerToken" name="invoke.bearerToken"
                    prop:value=move || bearer.get() on:input=move |ev| bearer.set(event_target_value(&ev)) />
            })}
            <datalist id="invoke-qualifiers">
                {move || endpoints.get().into_iter().map(|n| view! { <option value=n></option> }).collect_view()}
            </datalist>
            <div class="request__fields">
                {first}
                <details class="invoke__more"><summary>"More headers"</summary>{more}</details>
            </div>
            <div class="sendbar">
                <button type="button" class="button button--primary" data-testid="invoke-send" disabled=move || running.get()
                    on:click=move |_| agent.send()>"Invoke agent"</button>
                <button type="button" class="button" data-testid="invoke-stop" disabled=move || !running.get()
                    on:click=move |_| runner.dispatch(Event::Stop { now_ms: browser::now_ms() })>"Stop"</button>
                <button type="button" class="button button--ghost" data-testid="invoke-new-session" on:click=new_session>"New session"</button>
                {copy_buttons}
            </div>
            {move || problem.get().map(|p| view! { <p class="notice notice--error" data-testid="invoke-problem" role="alert">{p}</p> })}
            {copy_outputs}
            {status}
            // One node for the whole answer, its text laid out again only
            // when `output` changes (not for each chunk).
            {move || received_any.get().then(|| view! {
                <pre class="invoke__output" data-testid="invoke-output">
                    {move || output.with(|o| o.as_ref().map(|(text, _)| text.clone()))}
                </pre>
                {move || output.with(|o| o.as_ref().and_then(|(_, note)| note.clone()))
                    .map(|n| view! { <p class="notice" data-testid="invoke-cut">{n}</p> })}
                <button type="button" class="button button--small" data-testid="invoke-save"
                    on:click=|_| browser::save_answer("agent-response.out")>"Save whole response"</button>
            })}
            {details}
    }
}
