//! The page: wires the panels to the core and to the browser's effects.

use leptos::prelude::*;

use super::browser;
use super::credentials_panel::CredentialsPanel;
use super::endpoint_panel::{EndpointChoice, EndpointPanel};
use super::field::{Field, FieldSpec};
use super::flow_runner::Runner;
use super::form_state::{FormState, flow_spec, model};
use super::import_export::ImportExport;
use super::invoke_panel::{InvokePanel, TryAgent};
use super::result_view::{ErrorSummary, Invalid, ResultView};
use super::review::{Review, review_rows};
use super::rollback_panel::{EndpointsPanel, Rollback, VersionsPanel};
use super::runtime_picker::{CurrentConfig, RuntimePicker};
use super::session::Session;
use crate::core::credentials::ParsedCredentials;
use crate::core::flow::{Command, Event, Flow};
use crate::core::member_path::MemberPath;
use crate::core::stored_draft::{restore, to_stored};
use crate::core::text::plural;

/// `localStorage` key of the non-sensitive draft.
const DRAFT_KEY: &str = "agentcore-console.draft";

/// The console page.
#[component]
pub fn App() -> impl IntoView {
    let spec = flow_spec();
    let restored = restore(model(), spec.input(), browser::load(DRAFT_KEY).as_deref());
    let form = FormState::new(spec, restored.draft);
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
    super::site_config::load(choice);
    let clock_offset = RwSignal::new(0i64);
    let current = RwSignal::new(None::<CurrentConfig>);
    let session = Session::new(credentials, choice, clock_offset);
    let route = session.route;
    provide_context(session);
    let dev_note = RwSignal::new(None::<String>);

    // Persist what is safe to persist: the draft without sensitive members
    // (the endpoint panel saves the endpoint choice). Never credentials.
    Effect::new(move |_| {
        let stored = form.draft.with(|d| to_stored(model(), form.shape, d));
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
    let runner =
        Runner::<Flow>::new(spec, session, "result-title").on_show(move |command| match command {
            Command::Current(output) => {
                current.set(Some(CurrentConfig::from_output(&spec, &output)))
            }
            Command::FieldProblems(problems) => {
                let mapped: Vec<(MemberPath, String)> = problems
                    .iter()
                    .filter_map(|f| Some((form.control_of(f.path.as_ref()?)?, f.message.clone())))
                    .collect();
                form.server_errors.set(mapped);
            }
            _ => {}
        });
    // What a send reads from the form (and from now on every error shows).
    let input = move || {
        form.submitted.set(true);
        (
            form.request.get_untracked(),
            form.errors.with_untracked(Vec::len),
        )
    };
    let flow = runner.state;
    let rollback = Rollback::new(session, form, current, flow.read_only());
    let agent = TryAgent::new(session, current);
    let endpoint_names = Signal::derive(move || rollback.endpoint_names());
    // After an update reached READY: the offers, and trying DEFAULT (which
    // follows the latest version).
    let after_update = ViewFn::from(move || {
        view! {
            {rollback.offers_view()}
            {move || rollback.update_ready.get().then(|| view! {
                <button type="button" class="button" data-testid="invoke-new-version"
                    on:click=move |_| agent.target("DEFAULT")>"Try the new version"</button>
            })}
        }
    });
    let busy = move || flow.with(Flow::busy);
    let send = move || runner.send(input());
    let confirm = Callback::new(move |_| runner.confirm(input()));
    let cancel = Callback::new(move |_| runner.dispatch(Event::Cancel));
    let resend = Callback::new(move |_| runner.resend());
    let stop_following = Callback::new(move |_| runner.dispatch(Event::StopFollowing));
    let review = review_rows(form, current);

    let members = form
        .shape
        .members()
        .iter()
        .map(|m| view! { <Field spec=FieldSpec::member(&MemberPath::root(), m, None) /> })
        .collect_view();
    let pending = move || {
        let n = form.errors.with(Vec::len);
        (n > 0).then(|| {
            format!(
                "{n} {} still {} attention.",
                plural(n, "field", "fields"),
                plural(n, "needs", "need")
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
                <CredentialsPanel session=session now=now />
                <EndpointPanel choice=choice route=route />
                <RuntimePicker current=current rollback=rollback />
                <EndpointsPanel rollback=rollback agent=agent />
                <VersionsPanel rollback=rollback />
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
                    on_confirm=confirm on_cancel=cancel on_resend=resend on_stop_following=stop_following
                    extra=after_update />
                <InvokePanel agent=agent endpoints=endpoint_names />
            </div>
        </main>
    }
}
