//! The page: wires the panels to the core and to the browser's effects.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};
use std::time::Duration;

use super::browser;
use super::credentials_panel::CredentialsPanel;
use super::endpoint_panel::{EndpointChoice, EndpointPanel};
use super::field::{Field, FieldSpec};
use super::form_state::{FormState, input_shape, model};
use super::import_export::ImportExport;
use super::result_view::{ErrorSummary, FollowState, Invalid, ResultView, RunState};
use super::review::{Review, review_rows};
use super::runtime_picker::{CurrentConfig, RuntimePicker};
use super::session::Session;
use crate::core::client::{CallError, CallReport};
use crate::core::credentials::ParsedCredentials;
use crate::core::diff::{cleared_count, diff};
use crate::core::draft::{from_request, to_request, without_sensitive};
use crate::core::model::{GET_AGENT_RUNTIME, UPDATE_AGENT_RUNTIME};
use crate::core::request::fill_idempotency_token;
use crate::core::response::{ResponseError, control_path, text_member};

/// `localStorage` key of the non-sensitive draft.
const DRAFT_KEY: &str = "agentcore-console.draft";

/// How long an update is followed before the page stops polling.
const FOLLOW_LIMIT: Duration = Duration::from_secs(120);

/// Whether a runtime status is the end of an update.
fn is_final(status: &str) -> bool {
    !matches!(status, "UPDATING" | "CREATING" | "DELETING")
}

/// Restores the saved draft, passed through the model so that only known,
/// non-sensitive members come back.
fn restored_draft() -> Value {
    let saved = browser::load(DRAFT_KEY).and_then(|s| serde_json::from_str::<Value>(&s).ok());
    let request = saved.and_then(|d| to_request(model(), input_shape(), &d));
    match request {
        Some(r) => without_sensitive(
            model(),
            input_shape(),
            &from_request(model(), input_shape(), &r).0,
        ),
        None => Value::Object(Default::default()),
    }
}

/// The console page.
#[component]
pub fn App() -> impl IntoView {
    let form = FormState::new(restored_draft());
    provide_context(form);
    let credentials = RwSignal::new(None::<ParsedCredentials>);
    let now = RwSignal::new(browser::now());
    set_interval(
        move || now.set(browser::now()),
        std::time::Duration::from_secs(1),
    );

    let choice = EndpointChoice::restore();
    let route = choice.route();
    let run = RwSignal::new(RunState::Idle);
    let follow = RwSignal::new(None::<FollowState>);
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
        let stored = form
            .draft
            .with(|d| without_sensitive(model(), input_shape(), d));
        browser::store(DRAFT_KEY, &stored.to_string());
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
    let sending = move || matches!(run.get(), RunState::Sending(_));
    let follow_generation = RwSignal::new(0u32);

    // The request as it would be sent now, or why it cannot be.
    let prepare = move || -> Result<Value, String> {
        form.submitted.set(true);
        let error_count = form.errors.with_untracked(Vec::len);
        if error_count > 0 {
            return Err(format!(
                "{error_count} field{} need{} attention (listed below and marked in the form). Nothing was sent.",
                if error_count == 1 { "" } else { "s" },
                if error_count == 1 { "s" } else { "" }
            ));
        }
        if let Some(why) = session.not_ready() {
            return Err(format!("{why} Nothing was sent."));
        }
        let mut input = form
            .draft
            .with_untracked(|d| to_request(model(), input_shape(), d))
            .unwrap_or(Value::Object(Default::default()));
        fill_idempotency_token(
            model(),
            UPDATE_AGENT_RUNTIME,
            &mut input,
            browser::random_bytes(),
        );
        Ok(input)
    };

    let show_server_fields = move |report: &CallReport| {
        if let Err(CallError::Response(ResponseError::Service(e))) = &report.outcome {
            let mapped: Vec<(String, String)> = form.draft.with_untracked(|d| {
                e.fields
                    .iter()
                    .filter_map(|f| {
                        Some((
                            control_path(model(), input_shape(), d, f.path.as_deref()?)?,
                            f.message.clone(),
                        ))
                    })
                    .collect()
            });
            form.server_errors.set(mapped);
        }
    };

    // After the 202: poll GetAgentRuntime with backoff until READY or a
    // failure, for at most FOLLOW_LIMIT; cancellable.
    let start_following = move |id: String, status: String, version: String| {
        let generation = follow_generation.get_untracked() + 1;
        follow_generation.set(generation);
        follow.set(Some(FollowState {
            readings: vec![(status.clone(), version)],
            active: !is_final(&status),
            ..Default::default()
        }));
        if is_final(&status) {
            return;
        }
        spawn_local(async move {
            let mut delay = Duration::from_secs(1);
            let mut waited = Duration::ZERO;
            loop {
                browser::sleep(delay).await;
                waited += delay;
                if follow_generation.get_untracked() != generation {
                    return;
                }
                let Some(report) = session
                    .call(GET_AGENT_RUNTIME, json!({ "agentRuntimeId": id }), |_| {})
                    .await
                else {
                    return;
                };
                if follow_generation.get_untracked() != generation {
                    return;
                }
                match report.outcome {
                    Ok(out) => {
                        let text = |k: &str| text_member(&out.json, k);
                        let status = text("status");
                        let done = is_final(&status);
                        follow.update(|f| {
                            if let Some(f) = f {
                                f.readings
                                    .push((status.clone(), text("agentRuntimeVersion")));
                                f.failure_reason = out
                                    .json
                                    .get("failureReason")
                                    .and_then(Value::as_str)
                                    .map(str::to_owned);
                                f.active = !done;
                            }
                        });
                        if done {
                            // The review now compares against what the runtime became.
                            if status == "READY" {
                                current.set(Some(CurrentConfig::from_output(&out.json)));
                            }
                            return;
                        }
                    }
                    Err(e) => {
                        follow.update(|f| {
                            if let Some(f) = f {
                                f.active = false;
                                f.note = Some(format!("Stopped following: {e}"));
                            }
                        });
                        return;
                    }
                }
                if waited >= FOLLOW_LIMIT {
                    follow.update(|f| {
                        if let Some(f) = f {
                            f.active = false;
                            f.note = Some("Stopped following after 2 minutes; load the configuration again to see the status.".into());
                        }
                    });
                    return;
                }
                delay = (delay * 2).min(Duration::from_secs(8));
            }
        });
    };

    let put = move |input: Value, note: Option<String>| {
        form.server_errors.set(Vec::new());
        run.set(RunState::Sending(Vec::new()));
        spawn_local(async move {
            let id = text_member(&input, "agentRuntimeId");
            let Some(report) = session
                .call(UPDATE_AGENT_RUNTIME, input, |attempt| {
                    run.update(|s| {
                        if let RunState::Sending(list) = s {
                            list.push(attempt.clone());
                        }
                    })
                })
                .await
            else {
                run.set(RunState::Blocked(
                    "No credentials or endpoint. Nothing was sent.".into(),
                ));
                return;
            };
            show_server_fields(&report);
            let accepted = report.outcome.as_ref().ok().map(|out| {
                let text = |k: &str| text_member(&out.json, k);
                (text("status"), text("agentRuntimeVersion"))
            });
            run.set(RunState::Finished(Arc::new(report), note));
            browser::focus("result-title");
            if let Some((status, version)) = accepted {
                start_following(id, status, version);
            }
        });
    };

    // Send: validate, then a pre-flight GetAgentRuntime (does the runtime
    // exist, is it READY, what would be cleared), then the update itself.
    let send = move || {
        let input = match prepare() {
            Ok(input) => input,
            Err(why) => {
                run.set(RunState::Blocked(why));
                if session.credentials.with_untracked(Option::is_none) {
                    browser::focus("credentialsPaste");
                }
                return;
            }
        };
        follow_generation.update(|g| *g += 1);
        follow.set(None);
        run.set(RunState::Sending(Vec::new()));
        spawn_local(async move {
            let id = input.get("agentRuntimeId").cloned().unwrap_or(Value::Null);
            let Some(pre) = session
                .call(GET_AGENT_RUNTIME, json!({ "agentRuntimeId": id }), |_| {})
                .await
            else {
                return;
            };
            match &pre.outcome {
                Err(CallError::Response(ResponseError::Service(e)))
                    if e.code == "ResourceNotFoundException" =>
                {
                    let note = "Checked before sending (GetAgentRuntime): this runtime does not exist here. The update was not sent.";
                    run.set(RunState::Finished(Arc::new(pre), Some(note.into())));
                    return;
                }
                Ok(out) => {
                    let config = CurrentConfig::from_output(&out.json);
                    let rows = diff(model(), input_shape(), &config.request, &input);
                    let cleared = cleared_count(&rows);
                    let status = config.status.clone();
                    current.set(Some(config));
                    if cleared > 0 || status != "READY" {
                        run.set(RunState::Confirm { cleared, status });
                        return;
                    }
                }
                // Could not check (no permission for GetAgentRuntime, network…):
                // send anyway, and say the review was skipped.
                Err(e) => {
                    let note = format!(
                        "Could not check the runtime before sending ({}); the update was sent without the review of cleared members.",
                        e.code()
                    );
                    put(input, Some(note));
                    return;
                }
            }
            put(input, None);
        });
    };
    // Confirmed: send what the form holds now, unless the edits since the
    // confirmation changed what gets cleared (then ask again).
    let confirm = Callback::new(move |_| match prepare() {
        Ok(input) => {
            let shown = match run.get_untracked() {
                RunState::Confirm { cleared, .. } => cleared,
                _ => 0,
            };
            let now_cleared = current.with_untracked(|c| {
                c.as_ref()
                    .map(|c| cleared_count(&diff(model(), input_shape(), &c.request, &input)))
            });
            match (now_cleared, current.get_untracked()) {
                (Some(n), Some(c)) if n != shown && n > 0 => run.set(RunState::Confirm {
                    cleared: n,
                    status: c.status,
                }),
                _ => put(input, None),
            }
        }
        Err(why) => run.set(RunState::Blocked(why)),
    });
    let stop_following = Callback::new(move |_| {
        follow_generation.update(|g| *g += 1);
        follow.update(|f| {
            if let Some(f) = f {
                f.active = false;
                f.note = Some("Stopped following (the update goes on in AgentCore).".into());
            }
        });
    });
    let review = review_rows(form, current);

    let members = input_shape()
        .members()
        .iter()
        .map(|m| view! { <Field spec=FieldSpec::member("", m, None) /> })
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
                    <Show when=move || form.submitted.get()>
                        <ErrorSummary invalid=invalid />
                    </Show>
                    <div class="request__fields">{members}</div>
                    <div class="sendbar">
                        <button type="submit" class="button button--primary" aria-busy=move || sending().to_string()
                            disabled=sending>
                            "Update agent runtime"
                        </button>
                        <span class="sendbar__note" aria-live="polite">{pending}</span>
                    </div>
                </form>
                <Review current=current rows=review />
                <ResultView state=run follow=follow clock_offset=clock_offset
                    on_confirm=confirm on_stop_following=stop_following />
            </div>
        </main>
    }
}
